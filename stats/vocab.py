"""The project's vocabulary: metrics, qualifier rules, vague quantities, sources and places.

Everything here is *data*: tables a user can read in one place (``python -m stats vocab``
prints them) and that the rest of the code looks up, instead of rules scattered through code.

* :data:`METRICS` -- what can be counted, whether it is a flow or a stock, its parent metric
  (a part never exceeds its whole) and its HXL hashtag.
* :data:`QUALIFIER_RULES` -- how a stated value and its qualifier become an interval
  ``[low, high]``; the rule's name lands in the Claims ``rule`` column.
* :data:`VAGUE_TERMS` -- the bounds given to vague quantities ("dozens", "tens of thousands").
* :data:`SOURCES` -- who counts, with the aliases under which they are cited.
* :data:`PLACES` -- controlled place names with their parent area and p-code.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------
_METRICS = [
    # name, kind, parent, unit, hxl, description
    ("killed", "flow", None, "people", "#affected+killed", "People killed, all kinds together"),
    (
        "civilians_killed",
        "flow",
        "killed",
        "people",
        "#affected+killed+civilians",
        "Civilians killed",
    ),
    (
        "combatants_killed",
        "flow",
        "killed",
        "people",
        "#affected+killed+combatants",
        "Fighters, soldiers, rebels, troops or militants killed",
    ),
    (
        "children_killed",
        "flow",
        "civilians_killed",
        "people",
        "#affected+killed+children",
        "Children killed (counted among civilians)",
    ),
    (
        "women_killed",
        "flow",
        "civilians_killed",
        "people",
        "#affected+killed+f",
        "Women killed (counted among civilians)",
    ),
    ("injured", "flow", None, "people", "#affected+injured", "People injured"),
    (
        "civilians_injured",
        "flow",
        "injured",
        "people",
        "#affected+injured+civilians",
        "Civilians injured",
    ),
    (
        "children_injured",
        "flow",
        "civilians_injured",
        "people",
        "#affected+injured+children",
        "Children injured (counted among civilians)",
    ),
    (
        "women_injured",
        "flow",
        "civilians_injured",
        "people",
        "#affected+injured+f",
        "Women injured (counted among civilians)",
    ),
    (
        "displaced",
        "flow",
        None,
        "people",
        "#affected+displaced",
        "People newly displaced inside the country during the period (a flow)",
    ),
    (
        "idps",
        "stock",
        None,
        "people",
        "#affected+idps+ind",
        "People displaced as of a date (a stock; can fall as people return)",
    ),
    (
        "refugees",
        "flow",
        None,
        "people",
        "#affected+refugees",
        "People who crossed an international border fleeing",
    ),
    (
        "returnees",
        "flow",
        None,
        "people",
        "#affected+returnees",
        "Displaced people or refugees who returned home",
    ),
    (
        "vehicles",
        "flow",
        None,
        "military vehicles",
        "#indicator+vehicles",
        "Military vehicles (moved, captured or destroyed, as the quote says)",
    ),
    (
        "prisoners_released",
        "flow",
        None,
        "people",
        "#affected+detained+released",
        "Prisoners or detainees freed",
    ),
    (
        "captured",
        "flow",
        None,
        "people",
        "#affected+detained+captured",
        "People taken prisoner by a party to the conflict",
    ),
]

#: One row per metric: ``name``, ``kind`` (flow or stock), ``parent`` (the whole it is part of),
#: ``unit``, ``hxl`` (HXL hashtag with attributes), ``description``.
METRICS = pd.DataFrame(
    _METRICS, columns=["name", "kind", "parent", "unit", "hxl", "description"]
).set_index("name", drop=False)
METRICS.index.name = None

METRIC_NAMES: tuple[str, ...] = tuple(METRICS["name"])


def metric_kind(metrics: pd.Series) -> pd.Series:
    """Map metric names to ``"flow"`` or ``"stock"`` (NaN for unknown names).

    Examples
    --------
    >>> metric_kind(pd.Series(["killed", "idps"])).tolist()
    ['flow', 'stock']
    """
    return pd.Series(metrics, copy=False).map(METRICS["kind"])


def metric_ancestors(metric: str) -> list[str]:
    """The chain of wholes a metric is part of, nearest first.

    Examples
    --------
    >>> metric_ancestors("children_killed")
    ['civilians_killed', 'killed']
    """
    out = []
    parent = METRICS["parent"].get(metric)
    while isinstance(parent, str):
        out.append(parent)
        parent = METRICS["parent"].get(parent)
    return out


# ---------------------------------------------------------------------------------------------
# Qualifiers
# ---------------------------------------------------------------------------------------------
#: Relative half-width of the band given to "about N" (and "nearly", "almost", "some", ...).
ABOUT_BAND = 0.10

_QUALIFIER_RULES = [
    # qualifier, rule, low, high, wordings, description
    ("exact", "exact", "N", "N", "(no qualifier)", "The figure as stated."),
    (
        "at_least",
        "at_least",
        "N",
        "open",
        "at least, no fewer than, a minimum of, al menos, au moins",
        "A floor: the true count is N or more.",
    ),
    (
        "more_than",
        "more_than",
        "N+1",
        "open",
        "more than, over, upwards of, plus de, más de, mehr als",
        "Strictly above N.",
    ),
    (
        "about",
        "about_10pct",
        "floor(0.9 N)",
        "ceil(1.1 N)",
        "about, around, some, approximately, an estimated, nearly, almost, roughly, quelque, fast",
        "A band of plus or minus 10% around N: rounded reporting, not a floor.",
    ),
    (
        "at_most",
        "at_most",
        "0",
        "N",
        "up to, no more than, at most, a maximum of",
        "A ceiling: the true count is N or fewer.",
    ),
    ("less_than", "less_than", "0", "N-1", "fewer than, less than, under", "Strictly below N."),
    (
        "range",
        "range",
        "A",
        "B",
        "between A and B, A to B, A-B",
        "The stated ends; value is empty.",
    ),
    (
        "vague",
        "vague:<term>",
        "term low",
        "term high",
        "dozens, hundreds, thousands, tens of thousands, ... (see VAGUE_TERMS)",
        "Bounds of the vague term; value is empty.",
    ),
]

#: One row per qualifier: the ``rule`` name written to Claims, the ``low`` and ``high`` formulas,
#: typical ``wordings`` and a ``description``.
QUALIFIER_RULES = pd.DataFrame(
    _QUALIFIER_RULES, columns=["qualifier", "rule", "low", "high", "wordings", "description"]
)
QUALIFIERS: tuple[str, ...] = tuple(QUALIFIER_RULES["qualifier"])

_VAGUE_TERMS = [
    # term, low, high
    ("a few", 2, 9),
    ("several", 3, 9),
    ("a dozen", 12, 12),
    ("dozens", 24, 99),
    ("scores", 40, 99),
    ("hundreds", 200, 999),
    ("several hundred", 200, 999),
    ("thousands", 2000, 9999),
    ("several thousand", 2000, 9999),
    ("tens of thousands", 20000, 99999),
    ("hundreds of thousands", 200000, 999999),
    ("millions", 2000000, 9999999),
]

#: Vague quantities and the bounds the project gives them (``rule`` ``vague:<term>``).
#: ACLED codes "dozens" as a fixed 12; we keep an interval instead.
VAGUE_TERMS = pd.DataFrame(_VAGUE_TERMS, columns=["term", "low", "high"])


def vague_bounds(term: str) -> tuple[int, int]:
    """Bounds of a vague term.

    Examples
    --------
    >>> vague_bounds("Tens of thousands")
    (20000, 99999)
    """
    key = " ".join(term.lower().split())
    hit = VAGUE_TERMS.loc[VAGUE_TERMS["term"] == key]
    if hit.empty:
        raise KeyError(f"unknown vague term {term!r}; known: {', '.join(VAGUE_TERMS['term'])}")
    return int(hit["low"].iloc[0]), int(hit["high"].iloc[0])


def apply_qualifiers(claims: pd.DataFrame) -> pd.DataFrame:
    """Fill ``low``, ``high`` and ``rule`` from ``value`` and ``qualifier`` by the rules.

    Rows whose ``low``/``high`` are already stated keep them (ranges and vague terms always
    state them); their rule is the qualifier's rule when the stated bounds equal what the rule
    gives, ``vague:<term>`` when they match a vague term, else ``stated``. Does not mutate the
    input.

    Examples
    --------
    >>> df = pd.DataFrame({"value": pd.array([800, 115000, None], dtype="Int64"),
    ...                    "qualifier": ["more_than", "about", "vague"],
    ...                    "low": pd.array([None, None, 20000], dtype="Int64"),
    ...                    "high": pd.array([None, None, 99999], dtype="Int64")})
    >>> apply_qualifiers(df)[["low", "high", "rule"]].to_dict("list")
    {'low': [801, 103500, 20000], 'high': [None, 126500, 99999], 'rule': ['more_than', 'about_10pct', 'vague:tens of thousands']}
    """
    out = claims.copy()
    q = out["qualifier"].astype("object")
    v = pd.array(out["value"], dtype="Int64").astype("Float64")
    vf = v.to_numpy(dtype="float64", na_value=np.nan)
    conds = [
        q == "exact",
        q == "at_least",
        q == "more_than",
        q == "about",
        q == "at_most",
        q == "less_than",
    ]
    low_calc = np.select(
        conds,
        [vf, vf, vf + 1, np.floor(vf * (1 - ABOUT_BAND) + 1e-9), 0.0 * vf, 0.0 * vf],
        default=np.nan,
    )
    high_calc = np.select(
        conds,
        [vf, np.nan * vf, np.nan * vf, np.ceil(vf * (1 + ABOUT_BAND) - 1e-9), vf, vf - 1],
        default=np.nan,
    )
    rule_calc = np.select(
        conds, ["exact", "at_least", "more_than", "about_10pct", "at_most", "less_than"], ""
    ).astype(object)

    low_given = (
        pd.array(out["low"], dtype="Int64")
        if "low" in out
        else pd.array([pd.NA] * len(out), dtype="Int64")
    )
    high_given = (
        pd.array(out["high"], dtype="Int64")
        if "high" in out
        else pd.array([pd.NA] * len(out), dtype="Int64")
    )
    lg = low_given.to_numpy(dtype="float64", na_value=np.nan)
    hg = high_given.to_numpy(dtype="float64", na_value=np.nan)
    stated = ~np.isnan(lg) | ~np.isnan(hg)

    low = np.where(stated, lg, low_calc)
    high = np.where(stated, hg, high_calc)

    # rule for stated bounds: same as the qualifier's rule, a vague term, or "stated"
    same = (
        stated
        & (np.isclose(lg, low_calc) | (np.isnan(lg) & np.isnan(low_calc)))
        & (np.isclose(hg, high_calc) | (np.isnan(hg) & np.isnan(high_calc)))
    )
    vt = VAGUE_TERMS.assign(rule="vague:" + VAGUE_TERMS["term"]).drop_duplicates(["low", "high"])
    key = (
        pd.DataFrame({"low": lg, "high": hg})
        .merge(
            vt[["low", "high", "rule"]].astype({"low": "float64", "high": "float64"}),
            on=["low", "high"],
            how="left",
        )["rule"]
        .to_numpy(dtype=object)
    )
    rule = np.where(
        ~stated,
        rule_calc,
        np.where(
            q.to_numpy() == "range",
            "range",
            np.where(
                same & (rule_calc != ""),
                rule_calc,
                np.where(pd.notna(key) & (q.to_numpy() == "vague"), key, "stated"),
            ),
        ),
    )
    rule = np.where((~stated) & (rule_calc == ""), None, rule)
    out["low"] = pd.array(np.where(np.isnan(low), None, low), dtype="Float64").astype("Int64")
    out["high"] = pd.array(np.where(np.isnan(high), None, high), dtype="Float64").astype("Int64")
    out["rule"] = pd.array(rule, dtype="str")
    return out


# ---------------------------------------------------------------------------------------------
# Sources (who counts)
# ---------------------------------------------------------------------------------------------
_SOURCES = [
    # canonical, full name, type, aliases (|-separated)
    (
        "SOHR",
        "Syrian Observatory for Human Rights",
        "monitor",
        "OSDH|SOHR/OSDH|Syrian Observatory for Human Rights|the Observatory|Observatory|"
        "Syrian Observatory|Observatoire syrien des droits de l'homme|"
        "Observatorio Sirio de Derechos Humanos|Observatório Sírio de Direitos Humanos|"
        "Syrische Beobachtungsstelle für Menschenrechte|Britain-based monitor|UK-based war monitor",
    ),
    (
        "SNHR",
        "Syrian Network for Human Rights",
        "monitor",
        "Syrian Network for Human Rights|Syrian Human Rights Network",
    ),
    (
        "White Helmets",
        "Syria Civil Defence (White Helmets)",
        "civil defence",
        "Syria Civil Defence|Syrian Civil Defence|Syrian Civil Defense|Syria Civil Defense|SCD|"
        "the White Helmets|Syrian Civil Defence/White Helmets",
    ),
    (
        "OCHA",
        "UN Office for the Coordination of Humanitarian Affairs",
        "UN",
        "UN OCHA|UNOCHA|Office for the Coordination of Humanitarian Affairs|"
        "United Nations Office for the Coordination of Humanitarian Affairs",
    ),
    ("UNHCR", "UN Refugee Agency", "UN", "UN Refugee Agency|UN refugee agency|HCR"),
    (
        "IOM",
        "International Organization for Migration",
        "UN",
        "International Organization for Migration|OIM|IOM DTM|DTM",
    ),
    ("WFP", "World Food Programme", "UN", "World Food Programme|World Food Program|PAM"),
    ("WHO", "World Health Organization", "UN", "World Health Organization|OMS"),
    ("UNICEF", "UN Children's Fund", "UN", "United Nations Children's Fund"),
    (
        "UN",
        "United Nations (unspecified agency)",
        "UN",
        "United Nations|the UN|the United Nations|ONU|UN humanitarian agencies",
    ),
    (
        "IDP Task Force",
        "IDP Task Force (co-chaired by OCHA and the CCCM Cluster)",
        "UN",
        "IDP Taskforce|IDP task force|OCHA/IDP Task Force",
    ),
    (
        "local health authorities",
        "Local health authorities",
        "authority",
        "health authorities|local health authority",
    ),
    (
        "rebels",
        "Rebel coalition (HTS-led Military Operations Command)",
        "armed group",
        "HTS|Hayat Tahrir al-Sham|Military Operations Command|rebel coalition|insurgents",
    ),
    ("SDF", "Syrian Democratic Forces", "armed group", "Syrian Democratic Forces|SDF (claim)"),
    (
        "Syrian government",
        "Government of Syria (until 8 December 2024)",
        "government",
        "SANA|Syrian state news agency|Syrian army|Syrian Arab Army|Syrian Defense Ministry",
    ),
    (
        "Syrian transitional authorities",
        "Syrian transitional authorities (from 8 December 2024)",
        "government",
        "Syrian caretaker government|Syria's new authorities",
    ),
    ("Syrian Salvation Government", "Syrian Salvation Government", "government", "SSG"),
    ("RIC", "Rojava Information Center", "monitor", "Rojava Information Center"),
    ("Airwars", "Airwars", "monitor", ""),
    (
        "ACLED",
        "Armed Conflict Location & Event Data",
        "event data",
        "Armed Conflict Location & Event Data Project|Armed Conflict Location and Event Data",
    ),
    ("UCDP", "Uppsala Conflict Data Program", "event data", "Uppsala Conflict Data Program"),
    ("IDF", "Israel Defense Forces", "armed forces", "Israeli military|Israeli army"),
    (
        "Turkish Ministry of Interior",
        "Ministry of Interior of Türkiye",
        "government",
        "Turkish Interior Ministry",
    ),
    ("ACAPS", "ACAPS", "analysis", ""),
]

#: One row per source: ``name`` (canonical), ``full_name``, ``type``, ``aliases``.
SOURCES = pd.DataFrame(_SOURCES, columns=["name", "full_name", "type", "aliases"])


def _norm(s: pd.Series) -> pd.Series:
    return (
        s.astype("str")
        .str.casefold()
        .str.replace(r"[\s\u00a0]+", " ", regex=True)
        .str.strip()
        .str.replace(r"^the ", "", regex=True)
    )


def _alias_table() -> pd.Series:
    rows = []
    for name, full, _type, aliases in _SOURCES:
        for a in [name, full, *filter(None, aliases.split("|"))]:
            rows.append((a, name))
    t = pd.DataFrame(rows, columns=["alias", "name"])
    t["key"] = _norm(t["alias"])
    return t.drop_duplicates("key").set_index("key")["name"]


_ALIASES = _alias_table()


def canonical_source(names: pd.Series | str) -> pd.Series | str:
    """Canonical name of a counter or outlet; unknown names come back stripped, unchanged.

    Examples
    --------
    >>> canonical_source("the Observatory")
    'SOHR'
    >>> canonical_source(pd.Series(["OSDH", "Syria Civil Defence", "Some NGO", None])).tolist()
    ['SOHR', 'White Helmets', 'Some NGO', nan]
    """
    if isinstance(names, str):
        return str(canonical_source(pd.Series([names])).iloc[0])
    s = pd.Series(names, copy=False)
    present = s.notna() & (s.astype("str").str.strip() != "")
    mapped = _norm(s.where(present, "")).map(_ALIASES)
    stripped = s.astype("str").str.strip().str.replace(r"\s+", " ", regex=True)
    out = mapped.where(mapped.notna(), stripped)
    return out.where(present, np.nan)


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------
_PLACES = [
    # name, parent, pcode, aliases
    ("Syria", None, "SY", "Syrian Arab Republic|whole of Syria"),
    (
        "north-west Syria",
        "Syria",
        None,
        "northwest Syria|north west Syria|NW Syria|northwestern Syria",
    ),
    (
        "north-east Syria",
        "Syria",
        None,
        "northeast Syria|north east Syria|NE Syria|north and east Syria|northeastern Syria",
    ),
    ("Idleb and western Aleppo", "north-west Syria", None, "Idlib and western Aleppo"),
    ("Damascus", "Syria", "SY01", "Damascus governorate"),
    ("Aleppo", "Syria", "SY02", "Aleppo governorate|Aleppo province|Halab"),
    ("Rural Damascus", "Syria", "SY03", "Rif Dimashq|Damascus countryside"),
    ("Homs", "Syria", "SY04", "Homs governorate|Homs province"),
    ("Hama", "Syria", "SY05", "Hama governorate|Hama province|Hamah"),
    ("Lattakia", "Syria", "SY06", "Latakia|Al-Lathiqiyah|Lattakia governorate"),
    (
        "Idleb",
        "north-west Syria",
        "SY07",
        "Idlib|Idleb governorate|Idlib governorate|Idlib province",
    ),
    ("Hasakeh", "north-east Syria", "SY08", "Al-Hasakeh|Hasakah|Al-Hasakah"),
    ("Deir-ez-Zor", "Syria", "SY09", "Deir ez-Zor|Deir Ezzor|Dayr Az Zawr"),
    ("Tartous", "Syria", "SY10", "Tartus|Tartous governorate"),
    ("Raqqa", "north-east Syria", "SY11", "Ar-Raqqa|Al-Raqqa|Raqqah"),
    ("Dar'a", "Syria", "SY12", "Daraa|Deraa"),
    ("As-Sweida", "Syria", "SY13", "Sweida|Suwayda|As-Suwayda"),
    ("Quneitra", "Syria", "SY14", "Al-Quneitra"),
]

#: Controlled place names: ``name``, ``parent`` (the area containing it), ``pcode`` (OCHA
#: admin-1 p-code), ``aliases``. A figure for a place never exceeds that of its parent.
PLACES = pd.DataFrame(_PLACES, columns=["name", "parent", "pcode", "aliases"])


def _place_table() -> pd.Series:
    rows = []
    for name, _parent, pcode, aliases in _PLACES:
        for a in [name, *filter(None, aliases.split("|")), *([pcode] if pcode else [])]:
            rows.append((re.sub(r"\s+", " ", a.casefold()).strip(), name))
    return (
        pd.DataFrame(rows, columns=["key", "name"]).drop_duplicates("key").set_index("key")["name"]
    )


_PLACE_ALIASES = _place_table()


def canonical_place(names: pd.Series | str) -> pd.Series | str:
    """Controlled place name; unknown places come back stripped, unchanged.

    Examples
    --------
    >>> canonical_place("Idlib")
    'Idleb'
    """
    if isinstance(names, str):
        return str(canonical_place(pd.Series([names])).iloc[0])
    s = pd.Series(names, copy=False)
    present = s.notna() & (s.astype("str").str.strip() != "")
    key = s.where(present, "").astype("str").str.casefold().str.replace(r"\s+", " ", regex=True)
    mapped = key.str.strip().map(_PLACE_ALIASES)
    stripped = s.astype("str").str.strip()
    return mapped.where(mapped.notna(), stripped).where(present, np.nan)


def place_ancestors(place: str) -> list[str]:
    """Areas that contain *place*, nearest first.

    Examples
    --------
    >>> place_ancestors("Idleb")
    ['north-west Syria', 'Syria']
    """
    parents = PLACES.set_index("name")["parent"]
    out = []
    p = parents.get(place)
    while isinstance(p, str):
        out.append(p)
        p = parents.get(p)
    return out


def place_descendants(place: str) -> list[str]:
    """Places that *place* contains, at any depth, in vocabulary order.

    Examples
    --------
    >>> place_descendants("north-west Syria")
    ['Idleb and western Aleppo', 'Idleb']
    """
    return [p for p in PLACES["name"] if place in place_ancestors(p)]


#: The tables ``python -m stats vocab`` prints, by name.
TABLES: dict[str, pd.DataFrame] = {
    "metrics": METRICS,
    "qualifiers": QUALIFIER_RULES,
    "vague": VAGUE_TERMS,
    "sources": SOURCES,
    "places": PLACES,
}
