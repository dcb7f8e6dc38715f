"""Victim lists with known truth: does linkage find the same people, and MSE the true total?

:func:`simulate_population` draws the victims of a conflict in strata (place x period): sex,
age, date and place of death and an Arabic name (given name, father's name, family name,
drawn from the names in ``data/hand/victim_names.csv`` with Zipf frequencies: a few names are
very common, as Mohammed is). :func:`simulate_lists` lets 3-6 lists record them the way
documentation groups do:

* **capture is heterogeneous**: each victim has a latent visibility (35% are "visible": known
  to many), and each list its own capture probability per class and per place;
* **capture is dependent**: a list that copies from another (``copies``) records the victims
  of that list more often;
* **names vary** by the list's conventions: its spelling habits (Mohammed, Muhammad, Mohamad),
  article ("al-", "Al ", "el-", none), "Abd al-" forms (Abdul, Abdel, joined), Arabic script
  (with or without hamza, ة or ه, عبد joined), capitals; some records omit the father's name;
  typos (one letter dropped, doubled, swapped or replaced);
* **other fields are rough**: sex and place sometimes unrecorded or (1%) wrong, ages missing,
  off by a year or two or given as age groups, dates of death a few days off or known only to
  the month;
* **within-list duplicates**: some victims are recorded twice by the same list.

The records go through the real reader (:func:`stats.ingest.victims.victims_from_table`), so
what the linkage sees is a VictimRecords table; the truth (which person each record is) is kept
aside. :func:`evaluate_lists` links the lists, scores the pairs against the truth and estimates
each stratum's total with :func:`stats.mse.estimate`; ``python -m stats simulate-lists`` runs
it over many seeds. The figures measured are in ``docs/linkage.md``.

The population's family names are Zipf-distributed with a flatter exponent than given names
(:data:`ZIPF_FAMILY`), as family names are more varied. The table has 109 male and 64 female
given names and 322 family names (502 with the made ones): among 290,000 victims in 14 places
over three years, 5.8% share their given and family name with another victim of the same place
and month (``docs/linkage.md``); denser simulations have more namesakes than real populations.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from stats import config, disk, vocab
from stats.ingest.victims import victims_from_table

__all__ = [
    "DEFAULT_LISTS",
    "ListStyle",
    "SimulatedLists",
    "evaluate_lists",
    "name_pool",
    "simulate_lists",
    "simulate_population",
    "true_strata",
    "with_lists",
]

NAMES_FILE = config.HAND / "victim_names.csv"
#: Places (Latin, Arabic) and periods of the default population.
PLACES: tuple[tuple[str, str], ...] = (
    ("Homs", "حمص"),
    ("Aleppo", "حلب"),
    ("Idleb", "إدلب"),
    ("Daraa", "درعا"),
)
PERIODS: tuple[tuple[str, str], ...] = (("2013-01-01", "2013-06-30"), ("2013-07-01", "2013-12-31"))
#: Share of victims who are "visible" (known to many lists).
VISIBLE = 0.35
#: Share of sexes and places recorded wrongly.
WRONG = 0.01
#: Zipf exponents of given names and of family names.
ZIPF_GIVEN, ZIPF_FAMILY = 1.0, 0.4
_ABD_FORMS = ("Abd al-{x}", "Abdul {x}", "Abdul{y}", "Abdel {x}", "Abdel-{x}", "Abd el-{x}")
_ARTICLES = ("al-", "Al-", "al ", "Al ", "el-", "El ", "")


@dataclass(frozen=True)
class ListStyle:
    """How one list records its victims.

    Attributes
    ----------
    name : str
        The list's name.
    capture : tuple of float
        Capture probability of a victim of low and of high visibility.
    place_effect : float
        Spread of the list's capture between places (log-odds, uniform in +/- this).
    copies : str or None
        A list this one copies from: its victims are recorded with ``copy_boost`` more log-odds.
    script : {"latin", "arabic"}
        The script of names.
    spelling : float
        Probability of a name's usual spelling (else any of its spellings).
    article, abd : int
        The list's habitual form of the article and of "Abd al-" (indices into the forms), used
        for 70% of its records (any other form for the rest).
    upper : bool
        Names in capitals.
    father : float
        Share of records giving the father's name.
    typo : float
        Probability of a typo in a record's name.
    age_missing : float
        Share of records without an age.
    age_groups : bool
        Ages as groups (0-17, 18-29, ..., 60+).
    date_jitter : int
        Dates off by up to this many days (half the records).
    date_month : float
        Share of dates known only to the month.
    duplicate : float
        Share of the list's victims recorded twice.
    """

    name: str
    capture: tuple[float, float]
    place_effect: float = 0.5
    copies: str | None = None
    copy_boost: float = 1.5
    script: str = "latin"
    spelling: float = 0.8
    article: int = 0
    abd: int = 0
    upper: bool = False
    father: float = 0.8
    typo: float = 0.05
    age_missing: float = 0.2
    age_groups: bool = False
    date_jitter: int = 2
    date_month: float = 0.05
    duplicate: float = 0.02


#: Four lists in the spirit of a ministry register (Arabic script), a human-rights group, a
#: martyrs' page that copies from it, and a hospital list.
DEFAULT_LISTS: tuple[ListStyle, ...] = (
    ListStyle("ministry", (0.30, 0.75), script="arabic", father=0.9, age_missing=0.1),
    ListStyle("rights_group", (0.25, 0.70), article=4, abd=3, spelling=0.6, date_jitter=1),
    ListStyle(
        "martyrs_page", (0.15, 0.55), copies="rights_group", article=2, abd=2, upper=True,
        father=0.6, typo=0.08, age_missing=0.4, date_jitter=4, date_month=0.15,
    ),
    ListStyle("hospital", (0.10, 0.45), article=6, abd=1, age_groups=True, father=0.7),
)  # fmt: skip


@dataclass(frozen=True)
class SimulatedLists:
    """The simulated lists and their truth."""

    records: pd.DataFrame  #: VictimRecords of every list
    truth: pd.DataFrame  #: list, record_id, person_id
    population: pd.DataFrame  #: one row per victim: person_id, place, period, stratum, ...
    rejects: pd.DataFrame = field(repr=False, default=None)  #: rows the reader rejected


@functools.cache
def name_pool() -> pd.DataFrame:
    """The names of ``data/hand/victim_names.csv`` (kind, arabic, name, spelling) and the
    family names made from male given names (the nisba "al-Hassani", الحسني, and the kunya
    "Abu Hassan", أبو حسن), with a Zipf weight per name within its kind (rank = order of
    first appearance; the made names after the listed ones)."""
    pool = disk.read_csv_text(NAMES_FILE)
    given = pool.loc[(pool["kind"] == "male") & ~pool["arabic"].str.contains(" ")]
    ends = given["arabic"].str.contains("[ىةاي]$") | given["spelling"].str.contains("[iy]$")
    nisba = given.loc[~ends]
    made = [
        nisba.assign(
            arabic="ال" + nisba["arabic"] + "ي",
            name="al-" + nisba["name"] + "i",
            spelling="al-" + nisba["spelling"] + "i",
        ),
        given.assign(
            arabic="أبو " + given["arabic"],
            name="Abu " + given["name"],
            spelling="Abu " + given["spelling"],
        ),
        given.assign(
            arabic="أبو " + given["arabic"],
            name="Abu " + given["name"],
            spelling="Abou " + given["spelling"],
        ),
    ]
    made = pd.concat(made).assign(kind="family").sort_values("name", kind="stable")
    pool = pd.concat([pool, made], ignore_index=True)
    rank = pool.groupby("kind", sort=False)["name"].transform(lambda s: pd.factorize(s)[0] + 1)
    exponent = np.where(pool["kind"] == "family", ZIPF_FAMILY, ZIPF_GIVEN)
    pool["weight"] = 1.0 / rank.to_numpy() ** exponent
    return pool


def _draw_names(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    pool = name_pool()
    names = pool.loc[pool["kind"] == kind].drop_duplicates("name")
    p = names["weight"].to_numpy() / names["weight"].sum()
    return names["name"].to_numpy()[rng.choice(len(names), size=n, p=p)]


def simulate_population(
    rng: np.random.Generator,
    sizes: dict[tuple[str, int], int] | int = 4000,
    places: tuple[tuple[str, str], ...] = PLACES,
    periods: tuple[tuple[str, str], ...] = PERIODS,
) -> pd.DataFrame:
    """Draw the victims: one row per person with ``person_id``, ``stratum``, ``place``,
    ``period``, ``sex``, ``age``, ``date``, ``given``, ``father``, ``family``, ``visible``.

    ``sizes`` is the total (split between strata at random, each stratum getting at least
    half of an even share) or the number of victims per (place, period index).
    """
    strata = [(p[0], k) for p in places for k in range(len(periods))]
    if isinstance(sizes, int):
        share = 0.5 / len(strata) + 0.5 * rng.dirichlet(np.full(len(strata), 4.0))
        exact = share * sizes
        whole = np.floor(exact).astype(int)
        whole[np.argsort(whole - exact)[: sizes - whole.sum()]] += 1  # largest remainders
        counts = dict(zip(strata, whole, strict=True))
    else:
        counts = sizes
    place = np.repeat([s[0] for s in strata], [counts[s] for s in strata])
    period = np.repeat([s[1] for s in strata], [counts[s] for s in strata])
    n = len(place)
    start = pd.to_datetime([periods[k][0] for k in period])
    length = (pd.to_datetime([periods[k][1] for k in period]) - start).days.to_numpy() + 1
    sex = np.where(rng.random(n) < 0.8, "male", "female")
    age = np.where(
        rng.random(n) < 0.15, rng.integers(0, 18, n), np.clip(rng.normal(32, 12, n), 18, 90)
    ).astype(int)
    given = np.where(sex == "male", _draw_names(rng, "male", n), _draw_names(rng, "female", n))
    return pd.DataFrame(
        {
            "person_id": np.arange(n),
            "stratum": [f"{p} {periods[k][0][:7]}" for p, k in zip(place, period, strict=True)],
            "place": place,
            "period": period,
            "sex": sex,
            "age": age,
            "date": start + pd.to_timedelta(np.floor(rng.random(n) * length), unit="D"),
            "given": given,
            "father": _draw_names(rng, "male", n),
            "family": _draw_names(rng, "family", n),
            "visible": rng.random(n) < VISIBLE,
        }
    )


def _capture(rng: np.random.Generator, pop: pd.DataFrame, styles) -> dict[str, np.ndarray]:
    """Who each list records: heterogeneous (visibility, place) and dependent (copies)."""
    places = sorted(pop["place"].unique())
    captured: dict[str, np.ndarray] = {}
    for s in styles:
        lo, hi = (np.log(p / (1 - p)) for p in s.capture)
        effect = dict(
            zip(places, rng.uniform(-s.place_effect, s.place_effect, len(places)), strict=True)
        )
        x = np.where(pop["visible"], hi, lo) + pop["place"].map(effect).to_numpy()
        if s.copies is not None:
            if s.copies not in captured:
                raise ValueError(f"list {s.name} copies {s.copies!r}, which must come before it")
            x = x + s.copy_boost * captured[s.copies]
        captured[s.name] = rng.random(len(pop)) < 1 / (1 + np.exp(-x))
    return captured


class _Writer:
    """Writes one victim's name, age, date the way one list does (one record at a time)."""

    def __init__(self, rng: np.random.Generator, style: ListStyle, places: list[str]):
        pool = name_pool()
        self.places = places
        self.rng, self.style = rng, style
        self.spellings = pool.groupby("name", sort=False)["spelling"].agg(list).to_dict()
        self.arabic = pool.drop_duplicates("name").set_index("name")["arabic"].to_dict()

    def _habit(self, forms: tuple[str, ...], usual: int) -> str:
        return forms[usual] if self.rng.random() < 0.7 else forms[self.rng.integers(len(forms))]

    def _latin(self, name: str) -> str:
        sp = self.spellings[name]
        word = sp[0] if self.rng.random() < self.style.spelling else sp[self.rng.integers(len(sp))]
        if word.startswith("Abd al-"):
            rest = word.removeprefix("Abd al-")
            form = self._habit(_ABD_FORMS, self.style.abd)
            word = form.format(x=rest, y=rest.lower())
        elif word.startswith("al-"):
            word = self._habit(_ARTICLES, self.style.article) + word.removeprefix("al-")
        return word

    def _arabic(self, name: str) -> str:
        word, r = self.arabic[name], self.rng.random(4)
        if r[0] < 0.3:
            word = word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
        if r[1] < 0.2:
            word = word.replace("ة", "ه")
        if r[2] < 0.2:
            word = word.replace("ى", "ي")
        if r[3] < 0.4:
            word = word.replace("عبد ال", "عبدال")
        return word

    def _typo(self, text: str) -> str:
        words = text.split(" ")
        long = [i for i, w in enumerate(words) if len(w) >= 4]
        if not long:
            return text
        i = long[self.rng.integers(len(long))]
        w = words[i]
        j = int(self.rng.integers(1, len(w) - 1))
        letters = "ابتجحدرسعفقلمنهوي" if self.style.script == "arabic" else "abdehiklmnorstu"
        op = self.rng.integers(4)
        if op == 0:
            w = w[:j] + w[j + 1 :]
        elif op == 1:
            w = w[:j] + w[j] + w[j:]
        elif op == 2:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        else:
            w = w[:j] + letters[self.rng.integers(len(letters))] + w[j + 1 :]
        words[i] = w
        return " ".join(words)

    def name(self, given: str, father: str, family: str) -> str:
        write = self._arabic if self.style.script == "arabic" else self._latin
        parts = [write(given)]
        if self.rng.random() < self.style.father:
            parts.append(write(father))
        parts.append(write(family))
        text = " ".join(" ".join(parts).split())
        if self.rng.random() < self.style.typo:
            text = self._typo(text)
        return text.upper() if self.style.upper else text

    def age(self, age: int) -> str | None:
        if self.rng.random() < self.style.age_missing:
            return None
        if self.rng.random() < 0.15:
            age = max(0, age + int(self.rng.choice([-2, -1, 1, 2])))
        if not self.style.age_groups:
            return str(age)
        bounds = (0, 18, 30, 40, 50, 60)
        k = int(np.searchsorted(bounds, age, side="right")) - 1
        return f"{bounds[k]}+" if k == len(bounds) - 1 else f"{bounds[k]}-{bounds[k + 1] - 1}"

    def date(self, day: pd.Timestamp) -> str | None:
        r = self.rng.random(3)
        if r[0] < 0.03:
            return None
        if r[1] < self.style.date_month:
            return day.strftime("%Y-%m")
        if r[2] < 0.5 and self.style.date_jitter:
            jitter = self.style.date_jitter
            day = day + pd.Timedelta(days=int(self.rng.integers(-jitter, jitter + 1)))
        return day.strftime("%Y-%m-%d")

    def place(self, place: str) -> str | None:
        r = self.rng.random(2)
        if r[0] < 0.03:
            return None
        return self.places[self.rng.integers(len(self.places))] if r[1] < WRONG else place

    def sex(self, sex: str) -> str | None:
        r = self.rng.random(2)
        if r[0] < 0.05:
            return None
        if r[1] < WRONG:
            sex = "female" if sex == "male" else "male"
        if self.style.script == "arabic":
            return "ذكر" if sex == "male" else "أنثى"
        return sex[0]


def _write_list(rng: np.random.Generator, style: ListStyle, people: pd.DataFrame) -> pd.DataFrame:
    """The text table one list would publish for the given victims (with its duplicates)."""
    twice = rng.random(len(people)) < style.duplicate
    people = pd.concat([people, people.loc[twice]]).sample(frac=1.0, random_state=rng)
    w = _Writer(rng, style, sorted(people["place"].unique()))
    rows = [
        (
            w.name(p.given, p.father, p.family),
            w.sex(p.sex),
            w.age(p.age),
            w.date(p.date),
            w.place(p.place),
        )
        for p in people.itertuples(index=False)
    ]
    table = pd.DataFrame(rows, columns=["name", "sex", "age", "date", "place"], dtype="str")
    table.insert(0, "record_id", [f"{style.name[:3]}{i:06d}" for i in range(len(people))])
    table["person_id"] = people["person_id"].to_numpy()
    return table


def simulate_lists(
    seed: int = 0,
    n: int | dict = 4000,
    lists: tuple[ListStyle, ...] = DEFAULT_LISTS,
    places: tuple[tuple[str, str], ...] = PLACES,
    periods: tuple[tuple[str, str], ...] = PERIODS,
) -> SimulatedLists:
    """Simulate a population and the lists that record it (see the module docstring).

    Parameters
    ----------
    seed : int
        Seed of the random generator: the same seed gives the same lists.
    n : int or dict
        Victims in all (split at random between strata) or per (place, period index).
    lists : tuple of ListStyle
        3 to 6 lists; a list that copies another must come after it.
    places, periods
        The strata: (Latin, Arabic) place names and (first, last) days of each period.

    Returns
    -------
    SimulatedLists
        ``records`` (VictimRecords), ``truth`` (list, record_id, person_id), ``population``.

    Examples
    --------
    >>> sim = simulate_lists(seed=1, n=300)
    >>> sorted(sim.records["list"].unique())
    ['hospital', 'martyrs_page', 'ministry', 'rights_group']
    >>> len(sim.records) == len(sim.truth)
    True
    """
    if not 3 <= len(lists) <= 6:
        raise ValueError(f"expected 3 to 6 lists, got {len(lists)}")
    rng = np.random.default_rng(seed)
    pop = simulate_population(rng, n, places, periods)
    captured = _capture(rng, pop, lists)
    records, truth, rejects = [], [], []
    for style in lists:
        table = _write_list(rng, style, pop.loc[captured[style.name]])
        got = victims_from_table(
            table.drop(columns="person_id"), f"simulated/{style.name}.csv", style.name
        )
        records.append(got.records)
        rejects.append(got.rejects)
        truth.append(table[["record_id", "person_id"]].assign(list=style.name))
    truth_all = pd.concat(truth, ignore_index=True)[["list", "record_id", "person_id"]]
    records_all = pd.concat(records, ignore_index=True)
    kept = truth_all.merge(records_all[["list", "record_id"]], on=["list", "record_id"])
    return SimulatedLists(records_all, kept, pop, pd.concat(rejects, ignore_index=True))


def with_lists(styles: tuple[ListStyle, ...], **changes) -> tuple[ListStyle, ...]:
    """The same lists with some attributes changed for all, e.g. ``typo=0.1``."""
    return tuple(replace(s, **changes) for s in styles)


def true_strata(sim: SimulatedLists, periods: tuple[tuple[str, str], ...] = PERIODS) -> pd.Series:
    """The true number of victims per stratum, labelled as :func:`stats.capture.cluster_strata`
    labels them (controlled place name and period start)."""
    pop = sim.population
    place = vocab.canonical_place(pop["place"])
    label = place + " " + pop["period"].map(dict(enumerate(p[0] for p in periods)))
    return label.value_counts().sort_index()


def evaluate_lists(
    seeds, n: int = 4000, lists: tuple[ListStyle, ...] = DEFAULT_LISTS, **mse_options
) -> pd.DataFrame:
    """Link simulated lists and estimate their strata, for each seed; score against the truth.

    Parameters
    ----------
    seeds : iterable of int
        One simulation per seed.
    n, lists
        As in :func:`simulate_lists` (default periods and places).
    **mse_options
        Passed to :func:`stats.mse.estimate` (``method=...``).

    Returns
    -------
    DataFrame
        One row per seed: ``records``, ``people`` (true victims observed), ``N`` (true
        total), the pair ``precision``, ``recall`` and ``f1`` of the linkage, then for the
        linked lists and for a perfect linkage (``*_perfect``): ``strata`` (strata
        estimated), ``covered`` (share of those whose interval holds the true stratum size),
        ``estimate`` (estimated strata plus the people observed in strata not estimated) and
        ``rel_error`` (``estimate / N - 1``). With ``method="lcmcr"`` or ``"dga"`` the total
        is :func:`stats.capture.estimate_total`'s (the strata's posterior draws summed):
        ``estimate`` is its median, and ``low``, ``high`` and ``total_covered`` (the
        interval holds N) are added.
    """
    from stats.capture import capture_patterns
    from stats.linkage import link_records, score_pairs

    starts = [p[0] for p in PERIODS]
    rows = []
    for seed in seeds:
        sim = simulate_lists(seed, n, lists)
        linkage = link_records(sim.records, seed=seed)
        row = {
            "seed": seed,
            "records": len(sim.records),
            "people": sim.truth["person_id"].nunique(),
        }
        row["N"] = len(sim.population)
        score = score_pairs(linkage.clusters, sim.truth)
        row |= {k: score[k] for k in ("precision", "recall", "f1")}
        perfect = sim.truth.assign(cluster_id="p" + sim.truth["person_id"].astype("str"))
        truth = true_strata(sim)
        for suffix, clusters in (("", linkage.clusters), ("_perfect", perfect)):
            patterns = capture_patterns(clusters, sim.records, starts)
            row |= {
                f"{k}{suffix}": v for k, v in _score_strata(patterns, truth, mse_options).items()
            }
        rows.append(row)
    return pd.DataFrame(rows)


def _score_strata(patterns: pd.DataFrame, truth: pd.Series, mse_options: dict) -> dict:
    from stats import mse
    from stats.capture import estimate_strata, estimate_total

    total = None
    if mse_options.get("method") in mse.BAYES_METHODS:
        total = estimate_total(patterns, seed=0, **mse_options)
        est = total.strata
    else:
        est = estimate_strata(patterns, **mse_options)
    done = est.loc[est["estimate"].notna()].copy()
    done["true"] = done["stratum"].map(truth)
    high = done["high"].fillna(np.inf)
    covered = ((done["low"] <= done["true"]) & (done["true"] <= high)).mean()
    point = done["estimate"].sum() + est.loc[est["estimate"].isna(), "observed"].sum()
    out = {
        "strata": len(done),
        "covered": float(covered),
        "estimate": float(point if total is None else total.estimate),
        "rel_error": float((point if total is None else total.estimate) / truth.sum() - 1),
    }
    if total is not None:
        out |= {
            "low": total.low,
            "high": total.high,
            "total_covered": bool(total.low <= truth.sum() <= total.high),
        }
    return out
