"""The names of the library's choices, with what each does, in one light module.

The statistical modules take their choices from here, and the command line offers them in
``--help`` without loading pandas or the statistical core (a second or more before any help
was printed).
"""

from __future__ import annotations

#: How counters' bests are combined (:func:`stats.reconcile`): name -> what it does.
COMBINE_RULES: dict[str, str] = {
    "median": "best = the median of the counters' bests (a robust centre: one counter's "
    "misprint or odd definition does not move it far)",
    "conservative": "best = the lowest counter's best (the lowest credible figure, as ACLED "
    "codes fatalities)",
    "consensus": "best = the mean of the counters' bests weighted by how many claims each "
    "counter has published so far",
    "highest": "best = the highest counter's best",
}

#: How best is drawn between reports (:func:`stats.interpolate`): name -> what it does.
INTERPOLATION_METHODS: dict[str, str] = {
    "linear": "straight lines between reported bests",
    "pchip": "monotone piecewise cubic Hermite interpolation (Fritsch-Carlson, the rule of "
    "scipy.interpolate.PchipInterpolator)",
    "state_space": "local linear trend model (a statsmodels MLEModel whose observation "
    "variance on each report day is fixed from the width of the reported interval), fitted by "
    "maximum likelihood, Kalman smoothed, 90% interval clipped to the hard band",
}

#: Log-linear model-selection methods of :func:`stats.mse.estimate`.
MSE_LOGLINEAR_METHODS = ("main", "bic", "aic", "stepwise", "bhs")

#: Bayesian methods of :func:`stats.mse.estimate`.
MSE_BAYES_METHODS = ("lcmcr", "dga")
