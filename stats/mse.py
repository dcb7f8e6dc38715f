"""Multiple systems estimation: how many victims did no list record?

Several organisations keep lists of named victims; after matching, each victim has a *capture
pattern* (on list A? on list B? ...). The counts of the :math:`2^k - 1` observable patterns are
fitted by a Poisson log-linear model, and the model's prediction for the unobservable pattern
(on no list) is the *dark figure*. The population estimate is

.. math:: \\hat N = n_{\\mathrm{obs}} + \\exp(\\hat\\mu_0),

where :math:`\\hat\\mu_0` is the fitted intercept, the log expected count of the all-zero pattern.

Public entry point: :func:`estimate`, returning an :class:`MSEResult`.

Methods for choosing the model (which interactions between lists to include):

``main``
    independence of the lists (main effects only).
``bic`` / ``aic``
    the hierarchical model with the smallest criterion among all hierarchical models with terms
    up to ``max_order`` (exhaustive search up to ``EXHAUSTIVE_LIMIT`` models, otherwise a greedy
    add/drop search, see :func:`search_models`).
``stepwise``
    forward addition of two-list terms by Poisson p-values (Chan, Silverman & Vincent 2021).
``bhs``
    forward addition of two-list terms by AIC, stopping when AIC stops falling or the new term's
    Wald p-value exceeds 0.05 (Bales, Hesketh & Silverman 2015).

Bayesian methods (the posterior of N instead of one model's fit; ``estimate`` is the posterior
median and ``low``/``high`` the equal-tailed credible interval):

``lcmcr``
    latent-class model with a Dirichlet process prior (Manrique-Vallier 2016), by Gibbs
    sampling: :mod:`stats.mse_lcmcr`.
``dga``
    exact model averaging over all decomposable graphical models (Madigan & York 1997), on a
    grid of N: :mod:`stats.mse_dga`.

Empty overlaps (no victim on all the lists of a term) make the term's maximum likelihood estimate
:math:`-\\infty`: its cells are fitted as zero. We fit such models as in the R package SparseMSE
(Chan, Silverman & Vincent): the cells containing the empty term are removed from the data and the
term from the design; the term still counts as a parameter in AIC and BIC. A model whose
(extended) maximum likelihood estimate does not exist (linear-programming test of Fienberg &
Rinaldo 2012) or is not identifiable (rank-deficient design) yields no number: ``estimate=None``
and a ``status`` saying why.

Intervals of the log-linear methods: the profile interval profiles the multinomial likelihood
of N (Cormack 1992), conditional on the chosen model. The bootstrap draws ``round(N)``
individuals from the chosen model's cell probabilities, repeats the model selection on each
replicate and reports the percentile interval; replicates without an estimate are left out and
counted in the warnings.

References
----------
Bales, K., Hesketh, O. and Silverman, B. (2015). Modern slavery in the UK: how many victims?
Significance 12(3), 16-21.
Chan, L., Silverman, B. W. and Vincent, K. (2021). Multiple systems estimation for sparse
capture data: inferential challenges when there are nonoverlapping lists. JASA 116(535),
1297-1306.
Cormack, R. M. (1992). Interval estimation for mark-recapture studies of closed
populations. Biometrics 48(2), 567-576.
Fienberg, S. E. and Rinaldo, A. (2012). Maximum likelihood estimation in log-linear
models. Annals of Statistics 40(2), 996-1023.
Madigan, D. and York, J. C. (1997). Bayesian methods for estimation of the size of a
closed population. Biometrika 84(1), 19-31.
Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process
mixtures. Biometrics 72(4), 1246-1254.
McCullagh, P. and Nelder, J. A. (1989). Generalized Linear Models, 2nd edition. Chapman and
Hall, London.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from stats import mse_dga, mse_lcmcr
from stats.choices import MSE_BAYES_METHODS, MSE_LOGLINEAR_METHODS
from stats.errors import UserError
from stats.mse_posterior import Posterior
from stats.parse import parse_counts
from stats.progress import progress

__all__ = [
    "BAYES_METHODS",
    "BAYES_OPTIONS",
    "EXHAUSTIVE_LIMIT",
    "LOGLINEAR_METHODS",
    "METHODS",
    "MSEResult",
    "count_models",
    "estimate",
    "search_models",
    "tabulate",
]

#: Log-linear model-selection methods understood by :func:`estimate`.
LOGLINEAR_METHODS = MSE_LOGLINEAR_METHODS

#: Bayesian methods understood by :func:`estimate` (options: :data:`BAYES_OPTIONS`).
BAYES_METHODS = MSE_BAYES_METHODS

#: Every method understood by :func:`estimate`.
METHODS = LOGLINEAR_METHODS + BAYES_METHODS

#: Options of each Bayesian method and their defaults (``None``: chosen from the data).
BAYES_OPTIONS = {
    "lcmcr": dict(mse_lcmcr.DEFAULTS),
    "dga": {"delta": None, "max_missing": None},
}

#: Below this effective number of independent draws an lcmcr estimate is flagged.
MIN_ESS = 200

#: Above this potential scale reduction (R-hat) between lcmcr chains the estimate is flagged.
MAX_RHAT = 1.05

#: How many of the most probable graphs a dga result lists.
TOP_MODELS = 5

#: Largest number of hierarchical models searched exhaustively by ``bic``/``aic``.
EXHAUSTIVE_LIMIT = 40_000

#: p-value threshold of the ``stepwise`` method (Chan, Silverman & Vincent 2021).
STEPWISE_PTHRESH = 0.02

#: p-value threshold of the ``bhs`` method (Bales, Hesketh & Silverman 2015).
BHS_PTHRESH = 0.05

#: Overlaps smaller than this are reported as sparse in the warnings.
SPARSE_OVERLAP = 5

Term = tuple[int, ...]


# ---------------------------------------------------------------------------------------------
# result


@dataclass(frozen=True)
class MSEResult:
    """Outcome of :func:`estimate`.

    Attributes
    ----------
    observed : int
        Number of victims on at least one list.
    estimate : float or None
        Estimated population size (observed + dark figure); ``None`` when the model's estimate
        does not exist or is not identifiable (see ``status``).
        For ``lcmcr`` and ``dga``: the posterior median.
    low, high : float or None
        Interval at ``level``: the bootstrap percentile interval when ``bootstrap > 0``, else the
        profile-likelihood interval. ``high`` is ``None`` when the interval is unbounded. For
        ``lcmcr`` and ``dga``: the equal-tailed posterior credible interval.
    model : tuple of str
        Interaction terms of the chosen model, e.g. ``("A:B", "B:C")``; main effects are implied.
        For ``dga``: the generators (cliques of two or more lists) of the most probable graph;
        for ``lcmcr``: empty.
    method : str
        The selection method.
    warnings : tuple of str
        Sparse or empty overlaps, dropped lists, non-existence, unstable selection, ...
    lists : tuple of str
        The lists used, in the order used internally (sorted by name).
    status : str
        ``"ok"``, ``"not_exist"`` (the maximum likelihood estimate does not exist) or
        ``"not_identifiable"``.
    level : float
        Confidence level of the interval.
    interval : str
        ``"profile"``, ``"bootstrap"`` or ``"posterior"``: how ``low`` and ``high`` were computed.
    profile_low, profile_high : float or None
        Profile-likelihood interval (Cormack 1992) for the chosen model.
    empty_terms : tuple of str
        Terms in the model whose lists never overlap (estimated as :math:`-\\infty`).
    n_params : int
        Parameters counted in AIC/BIC (intercept, main effects, interactions incl. empty ones).
    loglik, aic, bic : float or None
        Fit statistics of the chosen model (Poisson log-likelihood over observable cells).
    bootstrap : int
        Number of bootstrap replicates requested.
    bootstrap_selected_same : float or None
        Share of bootstrap replicates that selected the same model as the data.
    posterior_mean, posterior_mode : float or None
        Bayesian methods: mean and most probable value of the posterior of N.
    model_weights : tuple of (tuple of str, float)
        ``dga``: the most probable graphs (their generators) and posterior probabilities.
    settings : dict
        Bayesian methods: the options used (classes, prior, chain lengths, seed, delta, grid,
        effective sample size, ...).
    posterior : Posterior or None
        Bayesian methods: the draws (``lcmcr``) or grid (``dga``) of the posterior of N.
    """

    observed: int
    estimate: float | None
    low: float | None
    high: float | None
    model: tuple[str, ...]
    method: str
    warnings: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    status: str = "ok"
    level: float = 0.95
    interval: str = "profile"
    profile_low: float | None = None
    profile_high: float | None = None
    empty_terms: tuple[str, ...] = ()
    n_params: int = 0
    loglik: float | None = None
    aic: float | None = None
    bic: float | None = None
    bootstrap: int = 0
    bootstrap_selected_same: float | None = field(default=None)
    posterior_mean: float | None = None
    posterior_mode: float | None = None
    model_weights: tuple[tuple[tuple[str, ...], float], ...] = ()
    settings: dict = field(default_factory=dict)
    posterior: Posterior | None = field(default=None, repr=False, compare=False)

    @property
    def dark(self) -> float | None:
        """Estimated number of victims on no list (``estimate - observed``)."""
        return None if self.estimate is None else self.estimate - self.observed

    def to_dict(self, posterior: bool = False) -> dict:
        """Plain JSON-serialisable dict (tuples become lists).

        The posterior draws or grid are included (key ``posterior``) only when ``posterior``
        is true; ``model_weights`` become ``{"model": [...], "weight": w}`` objects.
        """
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "posterior"}
        for key, value in out.items():
            if isinstance(value, tuple):
                out[key] = list(value)
        out["settings"] = dict(self.settings)
        out["model_weights"] = [{"model": list(m), "weight": w} for m, w in self.model_weights]
        if posterior:
            out["posterior"] = None if self.posterior is None else self.posterior.to_dict()
        return out


# ---------------------------------------------------------------------------------------------
# input


def tabulate(data: pd.DataFrame, lists: Sequence[str] | None = None) -> pd.DataFrame:
    """Turn records or aggregated capture patterns into the full table of observable patterns.

    Parameters
    ----------
    data : DataFrame
        Either aggregated capture patterns (one 0/1 column per list plus ``count``; missing
        patterns count as zero) or records (one row per matched victim, one boolean or 0/1
        column per list, no ``count`` column).
    lists : sequence of str, optional
        The list columns. Default: every column except ``count``.

    Returns
    -------
    DataFrame
        One 0/1 column per list (sorted by name) and ``count``, one row for each of the
        :math:`2^k - 1` observable patterns, in binary order. Does not mutate ``data``.

    Raises
    ------
    UserError
        On a missing or non 0/1 value, a negative or non-integer count, a duplicate pattern, a
        positive count for the all-zero pattern, a record on no list, or fewer than two lists.

    Examples
    --------
    >>> recs = pd.DataFrame({"B": [True, True, False], "A": [True, False, True]})
    >>> tabulate(recs)
       A  B  count
    0  0  1      1
    1  1  0      1
    2  1  1      1
    """
    if not isinstance(data, pd.DataFrame):
        raise UserError(f"expected a DataFrame of capture patterns, got {type(data).__name__}")
    aggregated = "count" in data.columns
    names = _list_columns(data, lists)
    code = np.zeros(len(data), dtype=np.int64)
    for j, col in enumerate(names):
        code |= _as_binary(data[col], col).to_numpy(dtype=np.int64) << (len(names) - 1 - j)
    if aggregated:
        counts = _as_counts(data["count"])
    else:
        counts = pd.Series(1, index=data.index, dtype="int64")
    _check_patterns(data.index, code, counts.to_numpy(), aggregated, names)
    totals = np.bincount(code, weights=counts.to_numpy(dtype=float), minlength=2 ** len(names))
    out = pd.DataFrame(_cells(len(names)), columns=names)
    out["count"] = totals[1:].astype(np.int64)
    return out


def _list_columns(data: pd.DataFrame, lists: Sequence[str] | None) -> list[str]:
    """The list columns of a capture table, sorted by name; clear errors otherwise."""
    if lists is None:
        lists = [c for c in data.columns if c != "count"]
    lists = [str(c) for c in lists]
    missing = [c for c in lists if c not in data.columns]
    if missing:
        raise UserError(f"list column(s) {missing} not found; columns are {list(data.columns)}")
    if len(set(lists)) != len(lists):
        raise UserError(f"duplicate list columns in {lists}")
    if len(lists) < 2:
        raise UserError(f"multiple systems estimation needs at least two list columns, got {lists}")
    if len(lists) > 15:
        raise UserError(f"too many list columns ({len(lists)}); at most 15 are supported")
    return sorted(lists)


def _check_patterns(
    index: pd.Index, code: np.ndarray, counts: np.ndarray, aggregated: bool, names: list[str]
) -> None:
    """Refuse a count for the pattern on no list, and (aggregated) a pattern given twice."""
    zero = (code == 0) & (counts > 0)
    if zero.any():
        row = int(np.flatnonzero(zero)[0])
        what = (
            "a positive count for the pattern on no list" if aggregated else "a record on no list"
        )
        raise UserError(
            f"row {_row(index, row)}: {what}; the unobserved pattern cannot be observed "
            f"(columns {names})"
        )
    if aggregated:
        dup = pd.Series(code).duplicated(keep=False).to_numpy()
        if dup.any():
            row = int(np.flatnonzero(dup)[1])
            raise UserError(
                f"row {_row(index, row)}: capture pattern repeated in the aggregated table "
                f"(columns {names}); give each pattern once"
            )


def _row(index: pd.Index, pos: int) -> str:
    """How a row is named in messages: by its index label (the command line labels rows as
    the file numbers them, the header being row 1), or from 1 under a default index."""
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return str(pos + 1)
    return str(index[pos])


def _plain(value):
    """A numpy scalar as the plain Python number it holds (``10.5``, not ``np.float64(10.5)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _as_binary(col: pd.Series, name: str) -> pd.Series:
    if col.isna().any():
        row = int(np.flatnonzero(col.isna().to_numpy())[0])
        raise UserError(
            f"row {_row(col.index, row)}, column {name!r}: missing value; expected 0/1 or "
            "True/False"
        )
    if pd.api.types.is_bool_dtype(col):
        return col.astype(np.int64)
    numeric = pd.to_numeric(col, errors="coerce")
    bad = numeric.isna() | ~numeric.isin([0, 1])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise UserError(
            f"row {_row(col.index, row)}, column {name!r}: value {_plain(col.iloc[row])!r} is not "
            "0/1 or True/False"
        )
    return numeric.astype(np.int64)


def _as_counts(col: pd.Series) -> pd.Series:
    parsed = parse_counts(col)
    bad = parsed.bad | parsed.values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        why = parsed.reason.iloc[row] if parsed.bad.iloc[row] else "not a count: missing"
        raise UserError(
            f"row {_row(col.index, row)}, column 'count': value {_plain(col.iloc[row])!r}: {why}"
        )
    return parsed.values.astype(np.int64)


def _cells(k: int) -> np.ndarray:
    """The 2^k - 1 observable patterns in binary order (first list = most significant bit)."""
    codes = np.arange(1, 2**k)
    return ((codes[:, None] >> np.arange(k - 1, -1, -1)) & 1).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# fitting one model


@dataclass
class _Fit:
    terms: tuple[Term, ...]
    status: str  # ok, not_exist, not_identifiable
    empty: tuple[Term, ...] = ()
    n_params: int = 0
    loglik: float = float("nan")
    intercept: float = float("nan")
    keep: np.ndarray | None = None
    X: np.ndarray | None = None
    mu: np.ndarray | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _Table:
    """The observable cells of one capture table and helpers to fit models to it."""

    def __init__(self, table: pd.DataFrame):
        self.names = tuple(c for c in table.columns if c != "count")
        self.k = len(self.names)
        self.Z = table[list(self.names)].to_numpy(dtype=np.int64)
        self.y = table["count"].to_numpy(dtype=float)
        self.n = int(self.y.sum())
        self.lfact = np.array([math.lgamma(v + 1) for v in self.y])
        self._cols: dict[Term, np.ndarray] = {}
        self._overlap: dict[Term, float] = {}
        self._status: dict[tuple[Term, ...], str] = {}

    def column(self, term: Term) -> np.ndarray:
        col = self._cols.get(term)
        if col is None:
            col = self.Z[:, list(term)].prod(axis=1).astype(float)
            self._cols[term] = col
        return col

    def overlap(self, term: Term) -> float:
        """Number of victims on every list of ``term`` (and possibly others)."""
        value = self._overlap.get(term)
        if value is None:
            value = float(self.column(term) @ self.y)
            self._overlap[term] = value
        return value

    def label(self, term: Term) -> str:
        return ":".join(self.names[i] for i in term)

    def design(self, terms: Sequence[Term]) -> tuple[np.ndarray, np.ndarray, tuple[Term, ...]]:
        """Design matrix over kept cells, the kept-cell mask and the empty terms."""
        empty = tuple(t for t in terms if self.overlap(t) == 0)
        keep = np.ones(len(self.y), dtype=bool)
        for t in empty:
            keep &= self.column(t) == 0
        full = [t for t in terms if t not in empty]
        X = np.column_stack(
            [np.ones(len(self.y)), self.Z.astype(float)] + [self.column(t) for t in full]
        )
        return X[keep], keep, empty

    def designs(self, models: Sequence[tuple[Term, ...]]) -> tuple[np.ndarray, np.ndarray]:
        """The designs of models with equally many non-empty terms, as one stack, and the cells
        each model fits (cells holding one of its empty terms are left out, set to zero)."""
        terms = sorted({t for model in models for t in model}, key=lambda t: (len(t), t))
        column = {t: 1 + self.k + i for i, t in enumerate(terms)}
        full = np.column_stack([np.ones(len(self.y)), self.Z] + [self.column(t) for t in terms])
        empty = {t for t in terms if self.overlap(t) == 0}
        used = np.array(
            [[*range(1 + self.k), *(column[t] for t in m if t not in empty)] for m in models]
        )
        has_empty = np.zeros((len(models), full.shape[1]))
        for i, model in enumerate(models):
            has_empty[i, [column[t] for t in model if t in empty]] = 1
        keep = has_empty @ full.T == 0
        return np.moveaxis(full[:, used], 0, 1) * keep[:, :, None], keep

    def score(
        self, models: Sequence[tuple[Term, ...]], chunk: int = 1024
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rank check and maximised log-likelihood of many models (fitted together, ``chunk``
        models with the same number of parameters at a time).

        Returns whether each design has full rank, and each model's log-likelihood (``nan``
        where it does not, or where the fit failed); at the supremum where the estimate does not
        exist (see :func:`_irls`). A design on every observable cell has full rank (its columns
        are distinct products of lists, without the k-list one, the only product that the
        unobservable cell makes dependent): only designs with cells left out are checked.
        """
        full_rank, loglik = np.zeros(len(models), dtype=bool), np.full(len(models), np.nan)
        empty = {t for model in models for t in model if self.overlap(t) == 0}
        width = np.array([sum(t not in empty for t in model) for model in models])
        for w in np.unique(width):
            same = np.flatnonzero(width == w)
            for at in np.array_split(same, math.ceil(len(same) / chunk)):
                X, keep = self.designs([models[i] for i in at])
                rank = keep.all(axis=1)
                rank[~rank] = _full_rank(X[~rank], keep[~rank])
                _, _, llf = _irls(X[rank], self.y, keep[rank])
                full_rank[at], loglik[at[rank]] = rank, llf - keep[rank] @ self.lfact
        return full_rank, loglik

    def fitted(self, terms: Sequence[Term]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Coefficients and fitted counts over the kept cells, and the kept cells, of one
        model (by :func:`_irls`, without the existence and rank checks)."""
        X, keep, _ = self.design(terms)
        beta, mu, _ = _irls(X[None], self.y[keep], np.ones((1, len(X)), dtype=bool))
        return beta[0], mu[0], keep

    def check(self, terms: Sequence[Term]) -> str:
        """``ok``, ``not_identifiable`` or ``not_exist`` for the model (see :func:`_check`);
        each model is checked once per table."""
        terms = tuple(sorted(terms, key=lambda t: (len(t), t)))
        status = self._status.get(terms)
        if status is None:
            X, keep, _ = self.design(terms)
            status = self._status[terms] = _check(X, self.y[keep])
        return status

    def fit(self, terms: Sequence[Term]) -> _Fit:
        """Fit the model with interaction ``terms`` (main effects always in), after the
        identifiability and existence checks (:func:`_check`)."""
        terms = tuple(sorted(terms, key=lambda t: (len(t), t)))
        X, keep, empty = self.design(terms)
        y = self.y[keep]
        n_params = 1 + self.k + len(terms)
        status = self.check(terms)
        if status != "ok":
            return _Fit(terms, status, empty, n_params, keep=keep, X=X)
        beta, mu, loglik = _irls(X[None], y, np.ones((1, len(y)), dtype=bool))
        return _Fit(
            terms,
            "ok",
            empty,
            n_params,
            loglik=float(loglik[0] - self.lfact[keep].sum()),
            intercept=float(beta[0, 0]),
            keep=keep,
            X=X,
            mu=mu[0],
        )


def _irls(X: np.ndarray, y: np.ndarray, keep: np.ndarray, maxiter: int = 100, tol: float = 1e-10):
    """Poisson log-linear fits of a stack of models at once, by iteratively reweighted least
    squares: start at mu = y + 1/2, stop (as statsmodels' GLM does) when the deviance changes
    by at most ``tol``.

    Parameters
    ----------
    X : ndarray, shape (models, cells, params)
        One design per model, zero in the cells the model leaves out.
    y : ndarray, shape (cells,)
        Counts.
    keep : ndarray of bool, shape (models, cells)
        The cells each model fits.

    Returns
    -------
    beta : ndarray, shape (models, params)
    mu : ndarray, shape (models, cells)
        Fitted counts (1 in left-out cells).
    loglik : ndarray, shape (models,)
        Poisson log-likelihood over the kept cells, without the constant
        :math:`-\\sum \\log y!`. Where the estimate does not exist the iteration stops when
        the deviance settles, at the supremum; ``nan`` where the weights underflow.

    Notes
    -----
    Each step solves the weighted least squares problem :math:`X^T W X \\beta = X^T W z` with
    weights :math:`W = \\mathrm{diag}(\\mu)` and working response
    :math:`z = \\log\\mu + (y - \\mu)/\\mu` (Newton's method, the log link being canonical
    for the Poisson; McCullagh & Nelder 1989, section 2.5). A model stops iterating when it
    has converged; the others go on.
    """
    y = np.broadcast_to(y, keep.shape)
    mu = np.where(keep, y + 0.5, 1.0)
    beta = np.zeros((len(X), X.shape[2]))
    dev = _deviance(y, mu, keep)
    active = np.ones(len(X), dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(maxiter):
            a = np.flatnonzero(active)
            if not len(a):
                break
            z = np.log(mu[a]) + (y[a] - mu[a]) / mu[a]
            xtw = np.swapaxes(X[a], 1, 2) * (mu[a] * keep[a])[:, None, :]
            step, solved = _solve(xtw @ X[a], (xtw @ z[:, :, None])[:, :, 0])
            active[a[~solved]] = False
            a = a[solved]
            beta[a] = step[solved]
            mu[a] = np.where(keep[a], np.exp((X[a] @ beta[a][:, :, None])[:, :, 0]), 1.0)
            new = _deviance(y[a], mu[a], keep[a])
            active[a[np.abs(new - dev[a]) <= tol]] = False
            dev[a] = new
        loglik = np.sum(np.where(keep, y * np.log(mu) - mu, 0.0), axis=1)
    return beta, mu, loglik


def _deviance(y: np.ndarray, mu: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Poisson deviance of each row of fitted counts over its kept cells."""
    y = y * keep
    return 2 * np.sum(special.xlogy(y, y / mu) - (y - mu) * keep, axis=1)


def _solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve a stack of linear systems; the mask says which were solvable (not singular)."""
    try:
        return np.linalg.solve(a, b[:, :, None])[:, :, 0], np.ones(len(a), dtype=bool)
    except np.linalg.LinAlgError:  # weights underflow: fitted cells at 0, estimate absent
        out, ok = np.zeros_like(b), np.ones(len(a), dtype=bool)
        for i in range(len(a)):
            try:
                out[i] = np.linalg.solve(a[i], b[i])
            except np.linalg.LinAlgError:
                ok[i] = False
        return out, ok


def _full_rank(X: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Which designs of a stack have full column rank (the rule of ``numpy.linalg.matrix_rank``
    on each design's kept cells)."""
    sing = np.linalg.svd(X, compute_uv=False)
    tol = sing.max(axis=1) * np.maximum(keep.sum(axis=1), X.shape[2]) * np.finfo(float).eps
    return (sing > tol[:, None]).sum(axis=1) == X.shape[2]


def _check(X: np.ndarray, y: np.ndarray) -> str:
    """``ok``, ``not_identifiable`` (rank-deficient design) or ``not_exist`` (LP test)."""
    if not _full_rank(X[None], np.ones((1, len(X)), dtype=bool))[0]:
        return "not_identifiable"
    if (y > 0).all():
        return "ok"
    return "ok" if _mle_exists(X, y) else "not_exist"


def _mle_exists(X: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg & Rinaldo (2012) linear program: is there a strictly positive table with the
    same sufficient statistics? Maximise t subject to X'u = X'y, u >= t, u >= 0."""
    m, p = X.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_eq = np.hstack([X.T, np.zeros((p, 1))])
    b_eq = X.T @ y
    a_ub = np.hstack([-np.eye(m), np.ones((m, 1))])
    b_ub = np.zeros(m)
    bounds = [(0, None)] * m + [(0, float(y.sum()))]
    res = optimize.linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
    return bool(res.status == 0 and -res.fun > 1e-7)


# ---------------------------------------------------------------------------------------------
# model selection


def _pairs(k: int) -> list[Term]:
    return list(itertools.combinations(range(k), 2))


def _terms_up_to(k: int, max_order: int) -> list[Term]:
    return [t for r in range(2, max_order + 1) for t in itertools.combinations(range(k), r)]


def _hierarchical_models(k: int, max_order: int) -> Iterator[tuple[Term, ...]]:
    """Every hierarchical model (all main effects; each term's sub-terms present)."""
    terms = _terms_up_to(k, max_order)
    chosen: list[Term] = []
    present: set[Term] = set()

    def rec(i: int) -> Iterator[tuple[Term, ...]]:
        if i == len(terms):
            yield tuple(chosen)
            return
        yield from rec(i + 1)
        t = terms[i]
        if len(t) == 2 or all(s in present for s in itertools.combinations(t, len(t) - 1)):
            chosen.append(t)
            present.add(t)
            yield from rec(i + 1)
            chosen.pop()
            present.discard(t)

    yield from rec(0)


def count_models(k: int, max_order: int, limit: int | None = None) -> int:
    """Number of hierarchical models with terms up to ``max_order`` (stops past ``limit``).

    Examples
    --------
    >>> count_models(5, 2), count_models(5, 4)
    (1024, 6893)
    """
    n = 0
    for _ in _hierarchical_models(k, max_order):
        n += 1
        if limit is not None and n > limit:
            break
    return n


def _criterion(fit: _Fit, which: str, n: int) -> float:
    penalty = 2.0 if which == "aic" else math.log(n)
    return -2.0 * fit.loglik + penalty * fit.n_params


def search_models(
    table: pd.DataFrame, criterion: str = "bic", max_order: int = 2, greedy: bool | None = None
) -> tuple[tuple[str, ...], float, str]:
    """Find the hierarchical model minimising AIC or BIC.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`tabulate`.
    criterion : {"bic", "aic"}
    max_order : int
        Highest interaction order considered (at most k - 1).
    greedy : bool, optional
        Force (True) or forbid (False) the greedy search; default: greedy only when there are
        more than ``EXHAUSTIVE_LIMIT`` hierarchical models.

    Returns
    -------
    model : tuple of str
        Terms of the best model whose estimate exists and is identifiable.
    value : float
        Its criterion.
    search : str
        ``"exhaustive (N models)"`` or ``"greedy"``.

    Notes
    -----
    Exhaustive: all models are fitted, sorted by the criterion, and the first that passes the
    existence and identifiability checks wins. Greedy (beyond the limit): start from main
    effects; at each step make the single addition (a term whose sub-terms are all present) or
    removal (a term with no super-term present) that lowers the criterion most; stop when none
    does. Models failing the checks are skipped. The greedy search may miss the global optimum.
    """
    tab = _Table(table)
    fit, search, _ = _search(tab, criterion, max_order, greedy)
    if fit is None:
        return (), float("nan"), search
    return tuple(tab.label(t) for t in fit.terms), _criterion(fit, criterion, tab.n), search


def _search(tab: _Table, criterion: str, max_order: int, greedy: bool | None):
    models = _models_to_search(tab.k, max_order, EXHAUSTIVE_LIMIT)
    if greedy is None:
        greedy = models is None
    if greedy:
        return _greedy(tab, criterion, max_order), "greedy", 0
    if models is None:
        models = tuple(_hierarchical_models(tab.k, max_order))
    full_rank, llf = tab.score(models)
    penalty = 2.0 if criterion == "aic" else math.log(tab.n)
    n_terms = np.array([len(terms) for terms in models])
    value = -2.0 * llf + penalty * (1 + tab.k + n_terms)
    scored = np.flatnonzero(full_rank & np.isfinite(llf))
    search = f"exhaustive ({len(models)} models)"
    for skipped, i in enumerate(sorted(scored, key=lambda i: (value[i], n_terms[i]))):
        fit = tab.fit(models[i])
        if fit.ok:
            return fit, search, skipped
    return None, search, len(scored)


@functools.lru_cache(maxsize=16)
def _models_to_search(k: int, max_order: int, limit: int) -> tuple[tuple[Term, ...], ...] | None:
    """Every hierarchical model of ``k`` lists up to ``max_order``; ``None`` past ``limit``."""
    models = tuple(itertools.islice(_hierarchical_models(k, max_order), limit + 1))
    return None if len(models) > limit else models


def _greedy(tab: _Table, criterion: str, max_order: int) -> _Fit | None:
    all_terms = _terms_up_to(tab.k, max_order)
    current = tab.fit(())
    if not current.ok:
        return None
    terms, penalty = current.terms, 2.0 if criterion == "aic" else math.log(tab.n)
    best = -2.0 * tab.score([terms])[1][0] + penalty * (1 + tab.k)
    while True:
        moves = _moves(terms, all_terms)
        full_rank, llf = tab.score(moves)
        values = -2.0 * llf + penalty * (1 + tab.k + np.array([len(m) for m in moves]))
        step = None
        for move, value, ok in zip(moves, values, full_rank, strict=True):
            if ok and value < best - 1e-9 and tab.check(move) == "ok":
                best, step = value, move
        if step is None:
            return tab.fit(terms)
        terms = step


def _moves(terms: tuple[Term, ...], all_terms: list[Term]) -> list[tuple[Term, ...]]:
    """The hierarchical models one step from ``terms``: one term added (its sub-terms all
    present) or removed (no super-term present)."""
    have = set(terms)
    moves = []
    for t in all_terms:
        if t in have:
            if not any(set(t) < set(s) for s in have):
                moves.append(tuple(s for s in terms if s != t))
        elif len(t) == 2 or all(s in have for s in itertools.combinations(t, len(t) - 1)):
            moves.append(terms + (t,))
    return moves


def _stepwise(tab: _Table, pthresh: float = STEPWISE_PTHRESH) -> _Fit:
    """Chan, Silverman & Vincent (2021): forward addition by Poisson p-values.

    p-values are compared on the log scale, so that tiny p-values do not tie at zero (the R
    package SparseMSE compares them on the natural scale, where such ties go to the first pair
    in column order).
    """
    pairs = _pairs(tab.k)
    nstar = np.array([tab.overlap(pair) for pair in pairs])
    on_both = np.column_stack([tab.column(pair) for pair in pairs])
    _, mu, keep = tab.fitted(())
    included: list[Term] = []
    log_thresh = math.log(pthresh)
    while len(included) < len(pairs):
        lam = mu @ on_both[keep]
        logp = np.minimum(stats.poisson.logcdf(nstar, lam), stats.poisson.logsf(nstar - 1, lam))
        logp[[pairs.index(pair) for pair in included]] = 0.0
        # the smallest p-value whose model passes the checks (a model failing them: p = 1)
        best = next(
            (
                j
                for j in np.argsort(logp, kind="stable")
                if logp[j] < log_thresh and tab.check([*included, pairs[j]]) == "ok"
            ),
            None,
        )
        if best is None:
            break
        included.append(pairs[best])
        _, mu, keep = tab.fitted(included)
    return tab.fit(included)


def _bhs(tab: _Table, pthresh: float = BHS_PTHRESH) -> _Fit:
    """Bales, Hesketh & Silverman (2015): forward addition by AIC with a Wald-test stop.

    As in the published R code (which fits every candidate with ``glm``), a candidate whose
    MLE does not exist still competes on AIC, at the supremum of its likelihood; if it wins,
    its new term's estimate is infinite, the Wald test cannot accept it (p = 1) and the search
    stops. The same holds for a new term whose lists never overlap. A candidate with a
    rank-deficient design is passed over (``glm`` would drop the aliased column: no change in
    AIC).
    """
    pairs = _pairs(tab.k)
    fit = tab.fit(())
    if not fit.ok:
        return fit
    included: list[Term] = []
    aic0 = -2.0 * tab.score([()])[1][0] + 2.0 * (1 + tab.k)
    while len(included) < len(pairs):
        candidates = [(*included, pair) for pair in pairs if pair not in included]
        full_rank, llf = tab.score(candidates)
        aic = -2.0 * llf + 2.0 * (1 + tab.k + len(included) + 1)
        aic[~(full_rank & np.isfinite(aic))] = np.inf
        best = int(np.argmin(aic))
        if not aic[best] < aic0:
            break
        new = candidates[best][-1]
        if _wald_pvalue(tab, candidates[best], new) > pthresh:
            break
        included.append(new)
        aic0 = aic[best]
    return tab.fit(included) if included else fit


def _wald_pvalue(tab: _Table, terms: tuple[Term, ...], term: Term) -> float:
    """Two-sided Wald p-value of ``term`` in the model ``terms`` (standard error from the
    inverse Fisher information, as ``glm`` reports it); 1 where the term's estimate is
    infinite (the MLE does not exist, or the term's lists never overlap)."""
    X, keep, empty = tab.design(terms)
    if term in empty or tab.check(terms) != "ok":
        return 1.0
    beta, mu, _ = tab.fitted(terms)
    col = 1 + tab.k + [t for t in terms if t not in empty].index(term)
    se = math.sqrt(np.linalg.inv((X.T * mu) @ X)[col, col])
    return float(2.0 * stats.norm.sf(abs(beta[col]) / se))


def _select(tab: _Table, method: str, max_order: int) -> tuple[_Fit | None, list[str]]:
    notes: list[str] = []
    if method == "main":
        return tab.fit(()), notes
    if method == "stepwise":
        return _stepwise(tab), notes
    if method == "bhs":
        return _bhs(tab), notes
    fit, search, skipped = _search(tab, method, max_order, None)
    if search == "greedy":
        notes.append(
            f"{method}: more than {EXHAUSTIVE_LIMIT} hierarchical models; greedy search used "
            "(may miss the best model)"
        )
    if skipped:
        notes.append(
            f"{method}: {skipped} model(s) with a better {method.upper()} skipped because their "
            "estimate does not exist or is not identifiable"
        )
    return fit, notes


# ---------------------------------------------------------------------------------------------
# intervals


def _profile_interval(tab: _Table, fit: _Fit, level: float) -> tuple[float | None, float | None]:
    """Profile likelihood interval for N under the multinomial likelihood (Cormack 1992)."""
    X = np.vstack([np.r_[1.0, np.zeros(fit.X.shape[1] - 1)], fit.X])
    y_obs = tab.y[fit.keep]
    n = float(tab.n)

    def loglik(N: float) -> float:
        z = max(N - n, 1e-9)
        y = np.r_[z, y_obs]
        mu = _irls(X[None], y, np.ones((1, len(y)), dtype=bool))[1][0]
        pos = y > 0
        return float(
            math.lgamma(N + 1) - math.lgamma(z + 1) + np.sum(y[pos] * np.log(mu[pos] / mu.sum()))
        )

    nhat = n + math.exp(fit.intercept)
    hi_search = max(nhat * 4, nhat + 50)
    opt = optimize.minimize_scalar(
        lambda N: -loglik(N), bounds=(n, hi_search), method="bounded", options={"xatol": 1e-3}
    )
    lmax = max(-opt.fun, loglik(nhat))
    cut = stats.chi2.ppf(level, 1) / 2

    def g(N: float) -> float:
        return lmax - loglik(N) - cut

    centre = opt.x if -opt.fun >= loglik(nhat) else nhat
    low = n if g(n + 1e-9) <= 0 else optimize.brentq(g, n + 1e-9, centre, xtol=1e-4)
    high = None
    upper = centre
    for _ in range(60):
        step = max(upper - n, 10.0)
        nxt = upper + step
        if g(nxt) > 0:
            high = optimize.brentq(g, upper, nxt, xtol=1e-4)
            break
        upper = nxt
        if upper > 1e12:
            break
    return float(low), None if high is None else float(high)


def _bootstrap(
    tab: _Table, fit: _Fit, method: str, max_order: int, replicates: int, level: float, seed
) -> tuple[float | None, float | None, float, int]:
    """Parametric bootstrap from the chosen model; model selection repeated per replicate."""
    rng = np.random.default_rng(seed)
    nhat = tab.n + math.exp(fit.intercept)
    mu = np.zeros(len(tab.y))
    mu[fit.keep] = fit.mu
    probs = np.r_[math.exp(fit.intercept), mu] / nhat
    probs = probs / probs.sum()
    size = round(nhat)
    estimates = []
    same = 0
    failed = 0
    label = {tab.label(t) for t in fit.terms}
    for _ in progress(range(replicates), desc=f"mse bootstrap ({method})", total=replicates):
        draw = rng.multinomial(size, probs)[1:]
        table = pd.DataFrame(tab.Z, columns=list(tab.names))
        table["count"] = draw
        table, _ = _drop_empty_lists(table)
        if table.shape[1] - 1 < 2:
            failed += 1
            continue
        rep = _Table(table)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rfit, _ = _select(rep, method, min(max_order, rep.k - 1))
        if rfit is None or not rfit.ok:
            failed += 1
            continue
        estimates.append(rep.n + math.exp(rfit.intercept))
        same += {rep.label(t) for t in rfit.terms} == label
    if not estimates:
        return None, None, 0.0, failed
    alpha = (1 - level) / 2
    low, high = np.quantile(estimates, [alpha, 1 - alpha])
    return float(low), float(high), same / replicates, failed


# ---------------------------------------------------------------------------------------------
# public entry point


def _drop_empty_lists(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Remove lists that hold no record (their main effect would be -inf)."""
    names = [c for c in table.columns if c != "count"]
    on_list = table["count"].to_numpy() @ table[names].to_numpy()
    empty = [c for c, n in zip(names, on_list, strict=True) if n == 0]
    if not empty:
        return table, []
    keep = [c for c in names if c not in empty]
    if not keep:
        return table[["count"]].iloc[:0], empty
    out = table.groupby(keep, as_index=False)["count"].sum()
    return out[out[keep].sum(axis=1) > 0].reset_index(drop=True), empty


def _data_warnings(tab: _Table) -> list[str]:
    notes = []
    for pair in _pairs(tab.k):
        value = tab.overlap(pair)
        if value == 0:
            notes.append(f"lists {tab.label(pair)} never overlap (empty overlap)")
        elif value < SPARSE_OVERLAP:
            notes.append(f"lists {tab.label(pair)} overlap in only {int(value)} record(s)")
    for j, name in enumerate(tab.names):
        on = float(tab.Z[:, j] @ tab.y)
        if on == tab.n:
            notes.append(
                f"list {name} holds every observed record: the data say nothing about the "
                "unobserved"
            )
    return notes


# ---------------------------------------------------------------------------------------------
# Bayesian methods


def _bayes_options(method: str, bootstrap: int, options: dict) -> dict:
    """The Bayesian method's options merged with their defaults; clear errors otherwise."""
    if method not in BAYES_METHODS:
        if options:
            raise UserError(
                f"option(s) {', '.join(sorted(options))} apply only to the methods "
                f"{' and '.join(BAYES_METHODS)}, not to {method!r}"
            )
        return {}
    if bootstrap:
        raise UserError(f"{method} gives a posterior interval; bootstrap must be 0")
    known = BAYES_OPTIONS[method]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise UserError(
            f"unknown option(s) {', '.join(unknown)} for {method}; "
            f"known: {', '.join(sorted(known))}"
        )
    return {**known, **options}


def _effective_sample_size(draws: np.ndarray) -> float:
    """Effective number of independent draws (Geyer's initial positive sequence, 1992)."""
    x = np.asarray(draws, dtype=float)
    n = len(x)
    if n < 4 or np.var(x) == 0:
        return float(n)
    xc = x - x.mean()
    spectrum = np.fft.rfft(xc, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    acf = acf / acf[0]
    pairs = acf[: n - n % 2].reshape(-1, 2).sum(axis=1)
    negative = np.flatnonzero(pairs <= 0)
    stop = int(negative[0]) if len(negative) else len(pairs)
    tau = -1.0 + 2.0 * float(pairs[:stop].sum())
    return n / max(tau, 1e-9)


def _potential_scale_reduction(chains: np.ndarray) -> float:
    """Split R-hat of Gelman & Rubin (1992) over chains x draws (each chain halved)."""
    half = chains.shape[1] // 2
    parts = np.vstack([chains[:, :half], chains[:, half : 2 * half]]).astype(float)
    within = parts.var(axis=1, ddof=1).mean()
    between = half * parts.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else math.inf
    pooled = (half - 1) / half * within + between / half
    return float(math.sqrt(pooled / within))


def _lcmcr(tab: _Table, seed, options: dict, notes: list[str]) -> tuple[Posterior, dict, list]:
    keep = tab.y > 0
    try:
        post = mse_lcmcr.sample_population(
            tab.Z[keep], tab.y[keep].astype(np.int64), seed=seed, **options
        )
    except ValueError as exc:
        raise UserError(f"lcmcr: {exc}") from exc
    chains = post.values.reshape(options["chains"], -1)
    ess = sum(_effective_sample_size(c) for c in chains)
    if ess < MIN_ESS:
        notes.append(
            f"lcmcr: only {ess:.0f} effective draws of N (of {len(post.values)}); run a longer "
            "chain (burn_in, samples, thin) before relying on the interval"
        )
    settings = {**options, "seed": seed, "effective_draws": round(ess, 1)}
    if chains.shape[1] >= 4:
        rhat = _potential_scale_reduction(chains)
        settings["rhat"] = round(rhat, 3)
        if rhat > MAX_RHAT:
            notes.append(
                f"lcmcr: the chains (or halves of the chain) disagree, R-hat {rhat:.2f} > "
                f"{MAX_RHAT}; run longer or more chains before relying on the estimate"
            )
    return post, settings, []


def _graph_terms(tab: _Table, cliques: tuple[int, ...]) -> tuple[str, ...]:
    """Generators of a graphical model: its cliques of two or more lists, as term labels."""
    terms = [
        tuple(j for j in range(tab.k) if mask >> (tab.k - 1 - j) & 1)
        for mask in cliques
        if bin(mask).count("1") > 1
    ]
    return tuple(tab.label(t) for t in sorted(terms, key=lambda t: (len(t), t)))


def _dga(tab: _Table, options: dict, notes: list[str]) -> tuple[Posterior, dict, list]:
    if tab.k > mse_dga.MAX_LISTS:
        raise UserError(
            f"dga averages over decomposable graphs of at most {mse_dga.MAX_LISTS} lists; "
            f"this table has {tab.k} (merge lists or use lcmcr)"
        )
    delta, max_missing = options["delta"], options["max_missing"]
    if delta is not None and not (isinstance(delta, float | int) and delta > 0):
        raise UserError(f"dga: delta must be a positive number, got {delta!r}")
    if max_missing is not None and (
        not isinstance(max_missing, int | np.integer) or max_missing < 1
    ):
        raise UserError(f"dga: max_missing must be a positive whole number, got {max_missing!r}")
    grid = None if max_missing is None else np.arange(int(max_missing) + 1)
    y = np.r_[0.0, tab.y]
    post, graphs, weights = mse_dga.posterior(y, tab.k, delta, grid)
    missing = post.values - tab.n
    upper = float(post.weights[missing > missing[-1] / 2].sum())
    if upper > 1e-3:
        notes.append(
            f"dga: {upper:.1%} of the posterior lies in the upper half of the grid of N "
            f"(up to {post.values[-1]:,.0f}); the mass beyond it is left out: raise max_missing"
        )
    order = np.argsort(-weights, kind="stable")[:TOP_MODELS]
    models = [(_graph_terms(tab, graphs[g].cliques), float(weights[g])) for g in order]
    settings = {
        "delta": 2.0**-tab.k if delta is None else float(delta),
        "max_missing": int(missing[-1]),
        "graphs": len(graphs),
        "prior": "1/N",
    }
    return post, settings, models


def _estimate_bayes(
    tab: _Table, method: str, level: float, seed, options: dict, notes: list[str], base: dict
) -> MSEResult:
    """Posterior of N by ``lcmcr`` or ``dga``; its median and equal-tailed interval."""
    if method == "lcmcr":
        post, settings, models = _lcmcr(tab, seed, options, notes)
    else:
        post, settings, models = _dga(tab, options, notes)
    low, high = post.interval(level)
    return MSEResult(
        estimate=post.median(),
        low=low,
        high=high,
        model=models[0][0] if models else (),
        warnings=tuple(notes),
        interval="posterior",
        posterior_mean=post.mean(),
        posterior_mode=post.mode(),
        model_weights=tuple(models),
        settings=settings,
        posterior=post,
        **base,
    )


def estimate(
    data: pd.DataFrame,
    method: str = "bic",
    max_order: int | None = 2,
    level: float = 0.95,
    bootstrap: int = 0,
    seed: int | None = None,
    lists: Sequence[str] | None = None,
    **options,
) -> MSEResult:
    """Estimate the population size from overlapping lists (multiple systems estimation).

    Parameters
    ----------
    data : DataFrame
        Aggregated capture patterns (one 0/1 column per list plus ``count``, missing patterns
        are zero) or records (one row per matched victim, one boolean column per list).
    method : {"main", "bic", "aic", "stepwise", "bhs", "lcmcr", "dga"}
        How the model is chosen (see the module docstring); ``lcmcr`` and ``dga`` are Bayesian.
    max_order : int or None
        Highest interaction order for ``bic``/``aic`` (``None``: all orders, k - 1). Ignored
        by the other methods, which use two-list terms only.
    level : float
        Confidence (or, Bayesian, credible) level of the interval, in (0, 1).
    bootstrap : int
        Number of parametric bootstrap replicates (0: profile-likelihood interval only). Not
        for the Bayesian methods.
    seed : int, optional
        Seed of the random generator (bootstrap; the ``lcmcr`` sampler).
    lists : sequence of str, optional
        The list columns (default: all columns except ``count``).
    **options
        Options of the Bayesian methods, with their defaults in :data:`BAYES_OPTIONS`: for
        ``lcmcr`` those of :func:`stats.mse_lcmcr.sample_population` (``K``, ``a``, ``b``,
        ``burn_in``, ``samples``, ``thin``, ``chains``); for ``dga`` ``delta`` and
        ``max_missing`` (:func:`stats.mse_dga.posterior`, :func:`stats.mse_dga.default_grid`).

    Returns
    -------
    MSEResult
        Does not mutate ``data``.

    Raises
    ------
    UserError
        On bad input (see :func:`tabulate`) or bad options.

    Notes
    -----
    Assumptions: a closed population (no one enters or leaves during the listing); perfect
    matching of records across lists; the dependence between lists and any heterogeneity of
    capture probabilities is captured by the interaction terms of the chosen model, and the
    highest-order interaction is zero. The model is a Poisson log-linear model fitted by maximum
    likelihood (IRLS) over the :math:`2^k - 1` observable cells; N = observed + exp(intercept).
    Lists are ordered by name, so the column order does not change the result; lists with no
    record are dropped (with a warning). Empty overlaps, models without an estimate, the
    intervals and the references: see the module docstring.

    The Bayesian methods share the first two assumptions, not the log-linear model: ``lcmcr``
    assumes lists independent within each of up to K latent classes, ``dga`` averages over
    decomposable graphical models; both with the prior :math:`p(N) \\propto 1/N`.

    Examples
    --------
    >>> table = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [60, 40, 20]})
    >>> res = estimate(table, method="main")
    >>> res.observed, round(res.estimate)
    (120, 240)
    >>> res.model
    ()
    """
    _check_arguments(method, level, bootstrap, max_order)
    options = _bayes_options(method, bootstrap, options)
    notes: list[str] = []
    tab = _prepare_table(data, lists, notes)
    base = dict(observed=tab.n, method=method, lists=tab.names, level=float(level))
    if method in BAYES_METHODS:
        return _estimate_bayes(tab, method, level, seed, options, notes, base)
    order = tab.k - 1 if max_order is None else min(int(max_order), tab.k - 1)
    return _estimate_loglinear(tab, method, order, level, bootstrap, seed, notes, base)


def _check_arguments(method: str, level, bootstrap, max_order) -> None:
    """Clear errors for an unknown method, a level outside (0, 1) and bad counts."""
    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise UserError(f"level must be between 0 and 1 (exclusive), got {level!r}")
    if not isinstance(bootstrap, int | np.integer) or bootstrap < 0:
        raise UserError(f"bootstrap must be a non-negative integer, got {bootstrap!r}")
    if max_order is not None and (not isinstance(max_order, int | np.integer) or max_order < 1):
        raise UserError(f"max_order must be a positive integer or None, got {max_order!r}")


def _prepare_table(data: pd.DataFrame, lists, notes: list[str]) -> _Table:
    """The capture table without its empty lists (noted), with the data warnings noted."""
    table, empty_lists = _drop_empty_lists(tabulate(data, lists))
    if empty_lists:
        notes.append(f"list(s) {', '.join(empty_lists)} hold no record and were dropped")
    if table.shape[1] - 1 < 2:
        keep = [c for c in table.columns if c != "count"]
        raise UserError(
            f"multiple systems estimation needs at least two lists with records; "
            f"only {keep} have any"
        )
    tab = _Table(table)
    if tab.n == 0:
        raise UserError("the capture table holds no records (all counts are zero)")
    notes.extend(_data_warnings(tab))
    return tab


def _estimate_loglinear(
    tab: _Table, method: str, order: int, level: float, bootstrap: int, seed, notes, base
) -> MSEResult:
    """Select a log-linear model, then its estimate and interval (see :func:`estimate`)."""
    fit, sel_notes = _select(tab, method, order)
    notes.extend(sel_notes)
    if fit is None or not fit.ok:
        status = "not_exist" if fit is None else fit.status
        model = () if fit is None else tuple(tab.label(t) for t in fit.terms)
        why = {
            "not_exist": "the maximum likelihood estimate does not exist for this model",
            "not_identifiable": "the model is not identifiable from these data",
        }[status]
        notes.append(f"no estimate: {why}")
        return MSEResult(
            estimate=None, low=None, high=None, model=model, warnings=tuple(notes),
            status=status, bootstrap=int(bootstrap), **base,
        )  # fmt: skip

    est = tab.n + math.exp(fit.intercept)
    plow, phigh = _profile_interval(tab, fit, level)
    if phigh is None:
        notes.append("the profile likelihood interval has no finite upper bound")
    low, high, interval, same = plow, phigh, "profile", None
    if bootstrap:
        blow, bhigh, same, failed = _bootstrap(tab, fit, method, order, int(bootstrap), level, seed)
        low, high, interval = blow, bhigh, "bootstrap"
        if failed:
            notes.append(f"{failed} of {bootstrap} bootstrap replicates gave no estimate")
        if method != "main" and same < 0.5:
            notes.append(
                f"unstable model selection: the chosen model was selected in only "
                f"{same:.0%} of bootstrap replicates"
            )
    return MSEResult(
        estimate=float(est),
        low=low,
        high=high,
        model=tuple(tab.label(t) for t in fit.terms),
        warnings=tuple(notes),
        status="ok",
        interval=interval,
        profile_low=plow,
        profile_high=phigh,
        empty_terms=tuple(tab.label(t) for t in fit.empty),
        n_params=fit.n_params,
        loglik=fit.loglik,
        aic=_criterion(fit, "aic", tab.n),
        bic=_criterion(fit, "bic", tab.n),
        bootstrap=int(bootstrap),
        bootstrap_selected_same=same,
        **base,
    )
