"""Counts of people in a sentence and what happened to them (the metric cue words).

A *mention* is a quantity followed by a noun of people ("12 civilians"), a metric noun ("800
dead") or a cue that governs it ("killing 105", "the death toll rose to 311"). Its metric is
the class of the noun (civilians, children, women, combatants, people) crossed with the event
the nearest cue word names (killed, injured, displaced, idps, refugees, returnees, released,
captured); parts ("including 35 children") and joined counts ("183 fighters and 28
civilians") take the event of their whole. All words come from the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import islice

from stats.extract.document import Context
from stats.extract.language import (
    Lexicon,
    alternatives,
    char_class,
    first_chars,
    holds,
    required_keys,
)
from stats.extract.quantities import patterns as quantity_patterns
from stats.extract.quantities import read_quantity

_REJECT = "reject"
#: the noun of a part written "N of them children" (:func:`read_noun`)
OF_THEM = "of them"
_TOKEN = re.compile(
    r"[^\W\d_][\w'’\u0300-\u036f\u064b-\u065f\u0670-]*|[%$€£]|[(),.;:–—!?“”\"«»]|(?<!\w)-+(?!\w)|(?<![\w-])\d"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_][\w\u064b-\u065f]*")
_QUOTES = '“”"«»'

#: (class, event) -> metric; ``None`` when the vocabulary has no metric for it
METRIC_OF = {
    ("people", "killed"): "killed",
    ("others", "killed"): "killed",
    ("civilians", "killed"): "civilians_killed",
    ("children", "killed"): "children_killed",
    ("women", "killed"): "women_killed",
    ("combatants", "killed"): "combatants_killed",
    ("patients", "killed"): "civilians_killed",
    ("people", "injured"): "injured",
    ("others", "injured"): "injured",
    ("patients", "injured"): "civilians_injured",
    ("civilians", "injured"): "civilians_injured",
    ("children", "injured"): "children_injured",
    ("women", "injured"): "women_injured",
    ("combatants", "injured"): "injured",
    ("people", "displaced"): "displaced",
    ("civilians", "displaced"): "displaced",
    ("others", "displaced"): "displaced",
    ("children", "displaced"): "displaced",
    ("people", "idps"): "idps",
    ("civilians", "idps"): "idps",
    ("people", "refugees"): "refugees",
    ("people", "returnees"): "returnees",
    ("civilians", "returnees"): "returnees",
    ("people", "released"): "prisoners_released",
    ("civilians", "released"): "prisoners_released",
    ("combatants", "released"): "prisoners_released",
    ("people", "captured"): "captured",
    ("combatants", "captured"): "captured",
    ("civilians", "captured"): "captured",
    ("vehicles", "vehicles"): "vehicles",
}


@dataclass(slots=True)
class Mention:
    """One count of people in a sentence."""

    start: int
    end: int
    noun_end: int
    value: int | None
    qualifier: str
    low: int | None
    high: int | None
    cls: str
    event: str | None
    one: bool = False
    noun: str = ""
    role: str = "main"
    parent: int | None = None
    metric: str | None = None


@dataclass(frozen=True)
class MentionPatterns:
    """The patterns of one language (derived from its lexicon)."""

    right: re.Pattern
    left: re.Pattern
    left_event: list[tuple[re.Pattern, str]]
    toll: re.Pattern
    two_metrics: re.Pattern
    subset: re.Pattern
    list_cont: re.Pattern
    one: re.Pattern
    coord: re.Pattern
    verbish: re.Pattern
    clause_cut: re.Pattern
    apposition: re.Pattern
    skip_before: re.Pattern
    population: re.Pattern
    bare_end: re.Pattern
    members: re.Pattern
    anaphora: re.Pattern
    not_people: frozenset[str]
    noun_stops: frozenset[str]
    aux: frozenset[str]
    skip: frozenset[str]
    of_them: frozenset[str]
    of_the: frozenset[str]
    #: the words of "N of them" (``members_of``)
    of_words: frozenset[str]
    plain: frozenset[str]
    stock: dict[str, str]
    counted: re.Pattern
    gate: frozenset[str]
    counted_values: dict[str, tuple[int, str]]
    of: str
    #: keys of the words without which no count of a sentence gets a metric
    #: (:func:`may_state_claim`)
    claim_keys: frozenset[str] | None
    #: keys of the words a toll (its verb: "rose to") and a cue before a count need (a
    #: sentence without any is not scanned for them)
    toll_keys: frozenset[str] | None
    left_keys: frozenset[str] | None


@cache
def _patterns(lang: str, lex: Lexicon) -> MentionPatterns:
    d = lex.data
    events = d["events"]
    right = (
        "|".join(f"(?P<{ev}>{alternatives(events[ev], d)})" for ev in events)
        + f"|(?P<none>{alternatives(d['not_claims'], d)})"
    )
    right_first = first_chars([p for ev in events for p in events[ev]] + d["not_claims"], d)
    left_all = [p for ps in d["left_events"].values() for p in ps]
    fill = alternatives(d["left_fill"])
    q = r"[\s“”\"'‘’«»]"
    of = alternatives(d["skip_before"][-1:], d) if d["skip_before"] else "(?!x)x"
    months = alternatives([m for m in d["dates"]["months"]])
    toll = _toll_source(d, q)
    subset = alternatives(d["subsets"])
    and_ = alternatives(d["and"])
    poss = alternatives(d["possessives"])
    age = alternatives(d["age_words"])
    old = alternatives(d["old"])
    one = (
        rf"(?<!\w)(?:{alternatives(d['one'])})\s+(?:(?:\d+|\w+)[-\s](?:{age})s?[-\s](?:{old})\s+)?"
        rf"(?P<noun>{alternatives(d['one_nouns'])})"
    )
    verbish = (
        rf"(?<!\w)(?!(?:{alternatives(d['verb_like'])}))\w{{3,}}"
        rf"(?:{'|'.join(map(re.escape, d['verb_endings']))})(?!\w)"
    )
    return MentionPatterns(
        right=re.compile(rf"(?<!\w)(?={char_class(right_first)})(?:{right})", re.I),
        left=re.compile(
            rf"(?P<cue>{alternatives(left_all, d)}){q}*(?:(?:{fill}){q}+){{0,4}}$", re.I
        ),
        left_event=[
            (re.compile(alternatives(ps, d), re.I), ev) for ev, ps in d["left_events"].items()
        ],  # fmt: skip
        toll=re.compile(toll, re.I),
        two_metrics=lex.pattern("two_metrics"),
        subset=re.compile(
            rf"(?:(?:{subset})\s*[:,]?\s*[{_QUOTES}]?|\(\s*|\s(?:--|—|–)\s*|:\s*)$", re.I
        ),
        list_cont=re.compile(rf"^\s*(?:,|,?\s*(?:{and_})|;)\s*(?:{poss})?\s*[{_QUOTES}]?$", re.I),
        one=re.compile(one, re.I),
        coord=re.compile(
            rf"^[^.;:]{{0,50}}?(?:,|{alternatives(d['coordinators'])})\s*[{_QUOTES}]?$", re.I
        ),
        verbish=re.compile(verbish, re.I),
        **_clause_patterns(d),
        skip_before=re.compile(
            rf"(?:{months}|{alternatives(d['skip_before'], d)}|"
            rf"{'|'.join(map(re.escape, d['currency']))})\s*$",
            re.I,
        ),
        population=re.compile(rf"(?:{alternatives(d['population'])})[^.;]{{0,40}}$", re.I),
        bare_end=re.compile(
            rf"\s*(?:[,.;:)]|{and_}|{alternatives(d.get('bare_end_words') or ['(?!x)x'], d)}"
            r"|—|--|–|$)",
            re.I,
        ),
        members=re.compile(
            rf"^\s+\w+\s+(?:\w+\s+)?[^.;,]{{0,40}}?(?:{alternatives(d['members_combatant'])})",
            re.I,
        ),
        anaphora=re.compile(rf"^\W*(?:{alternatives(d['anaphora'], d)})", re.I),
        not_people=frozenset(lex.words("not_people")),
        noun_stops=frozenset(lex.words("noun_stops")),
        aux=frozenset(lex.words("auxiliaries")),
        skip=frozenset(lex.words("noun_skip")),
        **_of_words(lex),
        plain=frozenset(lex.words("plain_people")) | {""},
        stock={str(k).casefold(): str(v) for k, v in d.get("stock_adjectives", {}).items()},
        gate=_gate_words(lex),
        counted=re.compile(
            alternatives(list(d.get("counted_nouns", {})) or ["(?!x)x"], d, ignore_case=False)
        ),
        counted_values={
            str(k): (int(v[0]), str(v[1]).casefold()) for k, v in d.get("counted_nouns", {}).items()
        },  # fmt: skip
        of=of,
        **_scan_keys(lex, left_all),
    )


def _toll_source(d: dict, q: str) -> str:
    """Regex source of a toll before a bare number ("the death toll rose to", "the number
    of fighters killed has risen to")."""
    t = d["tolls"]
    metric_words = alternatives(
        list(d["metric_nouns"]) + [p for ps in d["events"].values() for p in ps], d
    )
    return (
        rf"(?:(?P<toll>{alternatives(t['toll'])})|(?:{alternatives(t['number_of'])})\s+"
        rf"(?:(?P<noun>\w+)\s+)?(?P<ev>{metric_words}))[^.;:]{{0,100}}?"
        rf"(?:{alternatives(t['verbs'])}){q}*$"
    )


def _of_words(lex: Lexicon) -> dict[str, frozenset[str]]:
    """The words of "N of them" and "N of the" ("of": ``members_of``)."""
    return {
        "of_them": frozenset(lex.words("of_them")),
        "of_the": frozenset(lex.words("of_the")),
        "of_words": lex.words("members_of"),
    }


def _scan_keys(lex: Lexicon, left_all: list) -> dict[str, frozenset[str] | None]:
    """The keys of the words a claim, a toll (its verb: "rose to") and a cue before a count
    need (:func:`~stats.extract.language.required_keys`)."""
    return {
        "claim_keys": _claim_keys(lex),
        "toll_keys": required_keys(lex.data["tolls"]["verbs"], lex.data),
        "left_keys": required_keys(left_all, lex.data),
    }


def _claim_keys(lex: Lexicon) -> frozenset[str] | None:
    """Keys (:func:`~stats.extract.language.required_keys`) of the words where an event can
    come from: the cue words of events before and after a count, tolls ("the number of"
    needs a metric word after it: those are listed here), the nouns that are a metric
    themselves and the nouns that carry their own count; ``None`` when one of them has no
    key (any sentence may then state a claim)."""
    d = lex.data
    lists = [
        [p for ps in d["events"].values() for p in ps],
        [p for ps in d["left_events"].values() for p in ps],
        d["tolls"]["toll"],
        list(d["metric_nouns"]),
        list(d.get("counted_nouns", {})),
    ]
    keys = [required_keys(ps, d) for ps in lists]
    return None if any(k is None for k in keys) else frozenset().union(*keys)


def may_state_claim(s: str, lex: Lexicon) -> bool:
    """Whether a sentence may state what happened to the people it counts: it has a word of
    a cue of an event ("killed", "fled"), of a toll ("death toll") or a noun that is a metric
    itself ("dead"). A sentence without any may hold counts, but none of them gets an event,
    so none gets a metric: the sentence states no claim."""
    return holds(patterns(lex).claim_keys, s, lex)


def _may_count(s: str, p: MentionPatterns) -> bool:
    """Whether a sentence has a word of :func:`_gate_words`, or one that starts as a number
    word does (German writes "dreiundzwanzig" as one word)."""
    toks = _WORD.findall(s.casefold())
    return not p.gate.isdisjoint(toks) or not p.gate.isdisjoint(t[:4] for t in toks if len(t) > 6)


def _gate_words(lex: Lexicon) -> frozenset[str]:
    """Words without which a sentence holds no count in words: the number words, the first
    and last words of vague terms and round figures, the nouns of a count of one and the
    nouns that carry their own count (with the proclitics a word may start with)."""
    d = lex.data
    words = set(lex.words("numbers", "words")) | set(lex.words("one_nouns"))
    for phrase in [*d["vague"], *d["numbers"].get("round", {}), *d.get("counted_nouns", {})]:
        toks = str(phrase).casefold().replace("|", " ").split()
        words.update(toks)
    procl = [str(x) for x in d.get("proclitics", [])]
    heads = {w[:4] for w in lex.words("numbers", "words") if len(w) >= 4}
    return frozenset(words | heads | {c + w for c in procl for w in words})


def patterns(lex: Lexicon) -> MentionPatterns:
    """The mention patterns of a lexicon (built once per language)."""
    return _patterns(lex.lang, lex)


def read_noun(s: str, end: int, lex: Lexicon) -> tuple[str, str | None, int, str] | str | None:
    """What the count ending at ``end`` counts: ``(class, event, end of noun, noun)``,
    ``None`` for a bare number, or ``"reject"`` when it is not a count of people."""
    p = patterns(lex)
    tail = s[end : end + 90]
    toks = list(islice(_TOKEN.finditer(tail), 12))
    i, n = 0, len(toks)
    while i < n and toks[i].group() in _QUOTES:
        i += 1
    if i < n and toks[i].group().casefold() in p.of_words:
        i += 1
        if i < n and toks[i].group().casefold() in p.of_them:
            return _of_them(toks, i + 1, end, lex)
        if i < n and toks[i].group().casefold() in p.of_the:
            i += 1
    cls, unknown, aux = None, 0, False
    people, nouns = lex.people, lex.metric_nouns
    while i < n and unknown <= 3:
        w = toks[i].group()
        lw = w.casefold().strip("'’")
        if not w[0].isalpha():
            if w in "%$€£":
                return _REJECT
            if w in _QUOTES and not aux:
                i += 1
                continue
            break
        if lw.endswith(("'s", "’s")):
            return None
        if lw in p.not_people or lw.split("-")[-1] in ("old", "km"):
            return _REJECT
        two = lw + " " + toks[i + 1].group().casefold() if i + 1 < n else ""
        if two in people:
            return (people[two], None, end + toks[i + 1].end(), two)
        if two in nouns:
            return (cls or nouns[two][0], nouns[two][1], end + toks[i + 1].end(), two)
        if lw in nouns:
            c2, ev = nouns[lw]
            nxt = toks[i + 1].group().casefold() if i + 1 < n else ""
            if lw in p.stock and nxt in people:
                # "600 displaced individuals": the metric word is an adjective of a stock
                return (people[nxt], p.stock[lw], end + toks[i + 1].end(), f"{lw} {nxt}")
            if aux and ev not in ("killed", "injured", "displaced"):
                return None
            return (cls or c2, ev, end + toks[i].end(), lw)
        if aux:
            if lw in p.aux:
                i += 1
                continue
            if p.right.match(tail, toks[i].start()):
                return ("people", None, end + toks[i - 1].end(), "")
            return None
        if lw in people:
            c = people[lw]
            if lw in lex.words("civilian_adjective"):
                cls = "civilians"  # "civilian deaths": an adjective
                i += 1
                continue
            if c == "members":
                c = "combatants" if p.members.match(tail[toks[i].end() :]) else "people"
            return (c, None, end + toks[i].end(), lw)
        if lw in p.noun_stops:
            break
        if lw in p.aux and unknown == 0:
            aux = True
            i += 1
            continue
        if lw not in p.skip:
            unknown += 1
        i += 1
    if cls:
        return (cls, None, end + (toks[i - 1].end() if i else 0), "civilian")
    return None


def _of_them(toks: list[re.Match], j: int, end: int, lex: Lexicon):
    """A part written "N of them" and a noun ("fourteen dead, three of them children"): of the
    class its noun names (:data:`OF_THEM`); else ("two of them were hit") no count of people."""
    aux = patterns(lex).aux
    while j < len(toks) and toks[j].group().casefold() in aux:
        j += 1
    noun = toks[j].group().casefold() if j < len(toks) else ""
    if noun in lex.people:
        return (lex.people[noun], None, end + toks[j].end(), OF_THEM)
    return _REJECT


def _clause_patterns(d: dict) -> dict[str, re.Pattern]:
    """Where the clause of a count ends (``clause_cut``: "while", ", who", ", most of them"),
    and an apposition after a count, closed by a comma, that the clause goes on after
    (``apposition``: "9,480 people, most of them women, have been killed")."""
    return {
        "clause_cut": re.compile(rf";|{alternatives(d['clause_breaks'], d)}", re.I),
        "apposition": re.compile(
            rf"\s*(?:{alternatives(d['appositions'], d)})[^,،;.:]{{0,80}}[,،]", re.I
        ),
    }


def _quantity_matches(s: str, core: re.Pattern, skip_before: re.Pattern):
    """The quantities of a sentence, in order; a range whose first number ends a date ("7
    October 2023 to 68,519 martyrs", "منذ 7 أكتوبر 2023 إلى 68,519 شهيدا") is a date and a
    count: the scan goes on from the second number."""
    pos = 0
    while (m := core.search(s, pos)) is not None:
        pos = m.end()
        if m.group("a2") and skip_before.search(s, max(0, m.start() - 20), m.start()):
            pos = m.start("b2")
            continue
        yield m


def find_mentions(s: str, lex: Lexicon) -> list[Mention]:
    """Counts of people in a sentence, in order (without roles, metrics or events)."""
    p = patterns(lex)
    q = quantity_patterns(lex)
    out: list[Mention] = []
    if not _DIGIT.search(s) and not _may_count(s, p):
        return out  # no digit and no word a count can start with or end in: nothing to read
    ones = []
    for m in p.one.finditer(s) if lex.may_hold(s, "one_nouns") else ():
        noun = m.group("noun").casefold()
        cls = lex.people.get(noun, "people")
        ones.append(Mention(m.start(), m.end(), m.end(), 1, "exact", None, None, cls, None, True))
    for m in p.counted.finditer(s) if p.counted_values else ():
        word = m.group(0)
        while word not in p.counted_values:  # (a proclitic before it: "وجريحان")
            word = word[1:]
        n, lemma = p.counted_values[word]
        cls, ev = lex.metric_nouns.get(lemma, (lex.people.get(lemma, "people"), None))
        ones.append(Mention(m.start(), m.end(), m.end(), n, "exact", None, None, cls, ev, n == 1))
    # (the scans before a count for a qualifier, a population or a verb of estimating, only
    # in a sentence with a word they need)
    qualified = holds(q.qual_keys, s, lex)
    population = lex.may_hold(s, "population")
    estimate = holds(q.estimate_keys, s, lex)
    for m in _quantity_matches(s, q.core, p.skip_before):
        a, b = m.span()
        if _YEAR.fullmatch(m.group(0)):
            continue
        noun = read_noun(s, b, lex)
        if noun == _REJECT:
            continue
        qb = q.qual_before.search(s, max(0, a - 26), a) if qualified else None
        qual_text = ""
        if qb:
            qual_text, a = qb.group("qual"), qb.start()
        elif isinstance(noun, tuple):
            qa = q.qual_after.match(s, noun[2])  # "15 soldats au moins tués"
            qual_text = qa.group("qual") if qa else ""
        if p.skip_before.search(s, max(0, a - 20), a):
            continue
        if population and p.population.search(s, max(0, a - 50), a):
            continue  # "the population of Idleb is 4 million": not people affected
        if any(o.start <= a < o.end for o in ones):
            continue
        got = read_quantity(m, lex, qual_text)
        if got is None:
            continue
        if got[1] == "exact" and estimate and q.estimate.search(s, max(0, a - 90), a):
            got = (got[0], "about", *got[2:])
        value, qual, low, high, _term = got
        if noun is None:
            mention = _bare(s, a, b, got, lex)
            if mention is not None:
                out.append(mention)
            continue
        cls, ev, noun_end, word = noun
        out.append(Mention(a, b, noun_end, value, qual, low, high, cls, ev, noun=word))
    # a counted noun right after a number is that number's noun ("20 شخصا"), not a count of one
    ends = {m.end for m in out}
    out.extend(o for o in ones if not any(e <= o.start <= e + 2 for e in ends))
    out.sort(key=lambda x: x.start)
    return out


def _bare(s: str, a: int, b: int, got: tuple, lex: Lexicon) -> Mention | None:
    """A number with no noun: a toll ("the death toll rose to 311") or right after its verb
    ("the attack killed 12 and wounded 30")."""
    p = patterns(lex)
    value, qual, low, high, _term = got
    toll = p.toll.search(s[max(0, a - 160) : a]) if holds(p.toll_keys, s, lex) else None
    if not toll:
        lc = p.left.search(s, max(0, a - 40), a) if holds(p.left_keys, s, lex) else None
        if lc and p.bare_end.match(s, b):
            return Mention(a, b, b, value, qual, low, high, "people", None)
        return None
    if p.two_metrics.search(toll.group(0)):
        return None  # "the number of dead and wounded reached 1,481"
    text = toll.group(0).casefold()
    cls = "civilians" if any(w in text for w in lex.words("civilian_adjective")) else "people"
    if toll.group("noun"):
        cls = lex.people.get(toll.group("noun").casefold(), cls)
    ev = "killed"
    if toll.group("ev"):
        ev = _event_of(toll.group("ev"), lex) or "killed"
    return Mention(a, b, b, value, qual, low, high, cls, ev)


def _event_of(text: str, lex: Lexicon) -> str | None:
    t = text.casefold()
    if t in lex.metric_nouns:
        return lex.metric_nouns[t][1]
    m = patterns(lex).right.match(text)
    return m.lastgroup if m and m.lastgroup != "none" else None


def _metric(m: Mention, ctx: Context) -> str | None:
    cls = m.cls
    if cls == "victims":
        cls = ctx.kill_class if m.event == "killed" else "people"
    if m.event in ("refugees", "returnees", "idps") and cls in ("others", "children", "women"):
        cls = "people"
    return METRIC_OF.get((cls, m.event))


def right_event(text: str, lex: Lexicon) -> tuple[str, int, int] | None:
    """The first cue word of an event in a text: ``(event, start, end)``; the event
    ``"none"`` for a cue of no claim ("missing", "abducted")."""
    m = patterns(lex).right.search(text)
    return (m.lastgroup, m.start(), m.end()) if m else None


def left_event(cue: str, lex: Lexicon) -> str | None:
    """Event named by a cue word found before a count."""
    for rx, ev in patterns(lex).left_event:
        if rx.fullmatch(cue):
            return ev
    return None


def _roles(s: str, ms: list[Mention], lex: Lexicon) -> None:
    """Each count is a main count or a part of the count before it ("including ...")."""
    p = patterns(lex)
    prev = None
    for i, m in enumerate(ms):
        if prev is not None:
            between = s[ms[prev].noun_end : m.start]
            pm = ms[prev]
            intro = p.subset.search(between)
            if intro or (m.noun == OF_THEM and pm.role == "main"):
                nested = bool(intro) and intro.group(0).lstrip().startswith("(")
                m.role, m.parent = "subset", (prev if pm.role == "main" or nested else pm.parent)
            elif pm.role == "subset" and p.list_cont.match(between) and m.cls != "others":
                m.role, m.parent = "subset", pm.parent
            if m.role == "subset":
                par = ms[m.parent]
                bigger = m.value if m.value is not None else m.low
                whole = par.value if par.value is not None else par.high
                if bigger is not None and whole is not None and bigger > whole:
                    m.role, m.parent = "main", None
        prev = i


def _right_text(s: str, ms: list[Mention], i: int, nxt: int, lex: Lexicon) -> str:
    """The text after a count up to the next main count, its parts blanked out, cut at the
    end of its clause."""
    m = ms[i]
    parts = [ms[j] for j in range(i + 1, len(ms)) if ms[j].parent == i]
    right = s[m.noun_end : nxt]
    if parts:
        chars = list(right)
        for p in parts:
            for x in range(max(0, p.start - m.noun_end), min(len(chars), p.noun_end - m.noun_end)):
                chars[x] = " "
        right = "".join(chars)
    right = right[:220]
    app = patterns(lex).apposition.match(right)
    if app:  # "9,480 people, most of them women and children, have been killed"
        right = " " * app.end() + right[app.end() :]
    cut = patterns(lex).clause_cut.search(right)
    return right[: cut.start()] if cut else right


def _event(m: Mention, left_ev: str | None, right_ev: str | None, s: str, lex: Lexicon):
    cue = left_ev or right_ev
    ev = m.event
    if ev == "vehicles":
        return ev
    if ev == "prisoners":
        return cue if cue in ("released", "captured") else None
    if ev in ("displaced", "idps", "refugees"):
        if cue == "returnees":
            return "returnees"
        if ev == "idps" and cue == "displaced":
            return "displaced"
        if ev == "displaced" and cue == "idps":
            return "idps"
        if ev == "refugees" and left_ev in ("killed", "injured"):
            return left_ev
        if ev == "refugees" and cue is None:
            return None  # "Turkey hosts 3 million refugees": a stock, not a crossing
        return ev
    if ev is None:
        ev = cue
        if ev is None and _toll_before(s, m.start, lex):
            ev = "killed"
    return ev


def _toll_before(s: str, a: int, lex: Lexicon) -> bool:
    """Whether a toll ends right before a position ("the death toll rose to")."""
    p = patterns(lex)
    return holds(p.toll_keys, s, lex) and p.toll.search(s, max(0, a - 160), a) is not None


def assign_metrics(s: str, ms: list[Mention], ctx: Context, lex: Lexicon) -> None:
    """Roles (main or part of the previous count), events and metrics, in place."""
    p = patterns(lex)
    _roles(s, ms, lex)
    mains = [i for i, m in enumerate(ms) if m.role == "main"]
    for k, i in enumerate(mains):
        m = ms[i]
        prev_end = ms[i - 1].noun_end if i > 0 else 0
        left = s[max(prev_end, m.start - 80) : m.start]
        nxt = ms[mains[k + 1]].start if k + 1 < len(mains) else len(s)
        right_text = _right_text(s, ms, i, nxt, lex)
        lc = p.left.search(left)
        left_ev = left_event(lc.group("cue"), lex) if lc else None
        rc = right_event(right_text, lex)
        right_ev = rc[0] if rc else None
        if right_ev == "none" or (rc and p.two_metrics.search(right_text[rc[1] : rc[2] + 30])):
            m.event = None
            continue
        if left_ev and p.two_metrics.search(left[-45:]):
            m.event = None
            continue
        m.event = _event(m, left_ev, right_ev, s, lex)
        m.metric = _metric(m, ctx)
        if m.event == "killed" and m.metric:
            cls = m.metric.split("_")[0] if "_" in m.metric else "people"
            ctx.kill_class = cls if cls in ("civilians", "combatants") else "people"
    _coordinate(s, ms, mains, ctx, lex)
    for m in ms:
        if m.role == "subset":
            _part_metric(m, ms[m.parent], p)


def _part_metric(m: Mention, par: Mention, p: MentionPatterns) -> None:
    m.event = par.event
    if par.metric is None:
        return
    if m.cls == "people" and m.noun not in p.plain:
        m.metric = None  # "including 1,839 men": no metric for the part
    elif m.cls in ("people", "others", "victims") or m.cls == par.cls:
        m.metric = par.metric
    elif par.event == "vehicles":
        m.metric = None
    else:
        m.metric = METRIC_OF.get((m.cls, par.event))


def _coordinate(s: str, ms: list[Mention], mains: list[int], ctx: Context, lex: Lexicon) -> None:
    """A count with no event of its own, joined by "and", "as well as", "in addition to" to
    a count with one, shares its event ("183 fighters, 100 soldiers and 28 civilians")."""
    p = patterns(lex)
    for _ in range(2):
        for k, i in enumerate(mains):
            m = ms[i]
            if m.event is not None:
                continue
            for j in (mains[k - 1] if k else None, mains[k + 1] if k + 1 < len(mains) else None):
                if j is None:
                    continue
                a, b = (ms[j], m) if j < i else (m, ms[j])
                between = s[a.noun_end : b.start]
                other = ms[j]
                if m.one and not p.list_cont.match(between):
                    continue
                if (
                    other.event in ("killed", "injured", "displaced", "returnees", "released")
                    and p.coord.match(between)
                    and not p.verbish.search(between)
                    and not p.clause_cut.search(between)
                ):
                    m.event = other.event
                    m.metric = _metric(m, ctx)
                    break
