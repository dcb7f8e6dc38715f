"""The names the commands offer as ``choices``, written here so that ``--help`` imports
neither pandas nor the statistical core (a second or more before any help was printed).

Each tuple names what one definition of the library holds; ``tests/test_cli.py`` checks
that they agree, so a rule or method added there and not here fails the tests.
"""

#: :data:`stats.reconcile.RULES`: how counters are combined.
RECONCILE_RULES = ("consensus", "conservative", "highest", "median")

#: :data:`stats.interpolate.METHODS`: how best is drawn between reports.
INTERPOLATE_METHODS = ("linear", "pchip", "state_space")

#: :data:`stats.mse.METHODS`: log-linear model choices, then the Bayesian methods.
MSE_METHODS = ("main", "bic", "aic", "stepwise", "bhs", "lcmcr", "dga")

#: :data:`stats.vocab.HAND_TABLES`: the curated tables of ``data/hand/``.
VOCAB_TABLES = (
    "metrics",
    "qualifier_rules",
    "vague_terms",
    "sources",
    "source_aliases",
    "places",
    "place_aliases",
    "hxl_tags",
)
