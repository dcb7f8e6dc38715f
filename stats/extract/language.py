"""The lexicons (``lexicon/<lang>.yml``) and the language of a document.

A lexicon is data: word lists and cue phrases an analyst can read and extend. This module
loads one, checks it, and derives every pattern the extractor scans with (:class:`Lexicon`);
no word is written in the code. :func:`detect_language` votes with the ``stopwords`` of every
lexicon (a ``LANG:`` header line overrides it).

Phrase syntax (in every list of cue phrases): a space matches a run of spaces; ``kill*`` a
word starting with ``kill``; ``a|b`` either word; ``word?`` an optional word; ``...`` up to
three other words; ``{name}`` any phrase of the lexicon's list ``name``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, cached_property, lru_cache
from pathlib import Path

from stats import vocab
from stats.disk import read_yaml

#: languages with a lexicon, in the order a tie in the vote is broken
LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "de", "pt", "ar")
_DIR = Path(__file__).resolve().parent / "lexicon"
_GAP = r"(?:\s+[^\s.;:!?]+){0,3}?"
_WORD = re.compile(r"\w+", re.UNICODE)
#: the end of a word: no letter, digit or combining mark (Arabic tanween, accents) follows
_END = r"(?![\w\u0300-\u036f\u064b-\u065f\u0670])"


class LexiconError(ValueError):
    """A lexicon file that does not follow the format (names the file and the key)."""


def _phrase_part(tok: str, lists: dict, ignore_case: bool) -> str:
    if tok.startswith("{") and tok.endswith("}"):
        name = tok[1:-1]
        if name not in lists:
            raise LexiconError(f"phrase refers to an unknown list {{{name}}}")
        return "(?:" + alternatives(lists[name], lists, ignore_case) + ")"
    marks = lists.get("inner_marks")
    alts = []
    for w in tok.split("|"):
        star = w.endswith("*") and len(w) > 1
        lit = _marked(w[:-1], marks) if star else _marked(w, marks)
        alts.append(lit + r"\w*" if star else lit)
    return "(?:" + "|".join(alts) + ")" if len(alts) > 1 else alts[0]


def _marked(word: str, marks: str | None) -> str:
    """A word as a regex; with ``marks`` (the lexicon's ``inner_marks``: Arabic short
    vowels, tanween, tatweel), each letter may be followed by any of them ("استُشهدا" is
    the word "استشهدا" with a damma)."""
    if not marks:
        return re.escape(word)
    return "".join(re.escape(ch) + (f"[{marks}]*" if ch.isalpha() else "") for ch in word)


def phrase_regex(phrase: str, lists: dict | None = None, ignore_case: bool = True) -> str:
    """Regex source of one phrase (see the module's phrase syntax), without boundaries.

    Examples
    --------
    >>> re.fullmatch(phrase_regex("lost their|his life|lives"), "lost his  life") is not None
    True
    >>> re.fullmatch(phrase_regex("crossed the? border"), "crossed border") is not None
    True
    """
    lists = lists or {}
    out, pending_opt_first = "", False
    for i, tok in enumerate(phrase.split()):
        if tok == "...":
            out += _GAP
            continue
        opt = tok.endswith("?") and len(tok) > 1 and tok != "?"
        part = _phrase_part(tok[:-1] if opt else tok, lists, ignore_case)
        if i == 0 or not out:
            out = f"(?:{part}\\s+)?" if opt else part
            pending_opt_first = opt
        elif pending_opt_first:
            out += f"(?:{part}\\s+)?" if opt else part
            pending_opt_first = opt
        else:
            out += f"(?:\\s+{part})?" if opt else f"\\s+{part}"
    if pending_opt_first and out.endswith("\\s+)?"):
        out = out[: -len("\\s+)?")] + ")?"
    return out


def alternatives(phrases, lists: dict | None = None, ignore_case: bool = True) -> str:
    """One regex alternation of phrases, longest first, each with word boundaries where
    the phrase starts or ends with a letter or digit; in any case (a self-contained
    ``(?i:...)`` group) unless ``ignore_case`` is false."""
    items = sorted({str(p) for p in phrases}, key=len, reverse=True)
    procl = (lists or {}).get("proclitics") or []
    # a word may carry a proclitic of the language (Arabic "و" and, "ب" with: "وإصابة")
    lead = "(?:" + "|".join(map(re.escape, procl)) + ")?" if procl else ""
    words, others = [], []
    for p in items:
        src = phrase_regex(p, lists, ignore_case)
        tail = _END if _is_word(p.rstrip("?")[-1]) or p.rstrip("?").endswith("*") else ""
        (words if _is_word(p[0]) else others).append(src + tail)
    if not words and not others:
        return "(?!)"
    # a look-ahead of the characters the phrases start with lets a scan pass over the other
    # positions with one test instead of one per phrase (derived here, never typed by hand);
    # the word boundary is tested once for all phrases, so that each branch starts with its
    # own first letter and is skipped at once where that letter is not
    starts = first_chars(items, lists) + "".join(p[:1] for p in procl)
    groups = [f"(?<!\\w){lead}(?:{branches(words, ignore_case=ignore_case)})"] if words else []
    groups += [f"(?:{branches(others, ignore_case=ignore_case)})"] if others else []
    body = f"(?={char_class(starts)})(?:{'|'.join(groups)})"
    return f"(?i:{body})" if ignore_case else body


def branches(sources: list[str], depth: int = 4, ignore_case: bool = False) -> str:
    """One alternation of regex sources, tried in the order given, as a tree of their first
    letters: sources that start with the same letter share one branch that tests it once
    ("kill|kidnap" is ``k(?:ill|idnap)``), down to ``depth`` letters. A scan then tests a
    few letters at each position instead of every source (a large alternation is several
    times faster). Sources whose first letters differ never match at the same position, so
    the order among them does not change what is found; a source that does not start with
    a plain letter keeps its place.

    With ``ignore_case`` (for a pattern that matches in any case), sources are grouped by
    their letter in any case and the letter is tested as the class of its case forms
    (``(?-i:[kK])``): the regex engine skips a branch whose first test is an exact class at
    once, but enters every branch that starts with a letter in any case, which made a large
    alternation in any case two to three times slower than the same one in one case.

    Examples
    --------
    >>> branches(["killed", "kidnapped", "died"])
    'k(?:i(?:lled|dnapped))|died'
    >>> re.fullmatch(branches(["killings", "kill", "ki"]), "kill") is not None
    True
    >>> src = branches(["kill", "Kidnap"], depth=1, ignore_case=True)
    >>> src.startswith("(?-i:[Kk"), src.endswith("])(?:ill|idnap)")
    (True, True)
    >>> rx = re.compile(branches(["Kill", "kidnap"], ignore_case=True), re.IGNORECASE)
    >>> [bool(rx.fullmatch(w)) for w in ("KILL", "kidnap", "Kidnapped")]
    [True, True, False]
    """
    groups: dict[str, list[str]] = {}
    order: list[tuple[bool, str]] = []
    for src in sources:
        c = src[:1]
        # a letter is itself in a regex unless a quantifier follows it ("s?", "a{2}")
        if depth and c.isalpha() and src[1:2] not in ("*", "?", "+", "{"):
            key = c.lower() if ignore_case else c
            if key not in groups:
                groups[key] = []
                order.append((True, key))
            groups[key].append(src[1:])
        else:
            order.append((False, src))
    parts = []
    for grouped, k in order:
        if not grouped:
            parts.append(k)
            continue
        rest = groups[k]
        body = branches(rest, depth - 1, ignore_case) if len(rest) > 1 else rest[0]
        head = _letter_class(k) if ignore_case else k
        parts.append(f"{head}(?:{body})" if body and len(rest) > 1 else head + body)
    return "|".join(parts)


@cache
def _letter_class(letter: str) -> str:
    """A letter in any case as an exact class of the characters the regex engine takes for
    it when case is ignored (``(?-i:[Kkk])``, with the Kelvin sign); the letter itself when
    it has no case (Arabic)."""
    anycase = re.compile(re.escape(letter), re.IGNORECASE)
    kin = _case_kin().get(letter.lower(), [])
    forms = "".join(sorted({ch for ch in kin if anycase.fullmatch(ch)}))
    return f"(?-i:{char_class(forms)})" if len(forms) > 1 else letter


@cache
def _case_kin() -> dict[str, list[str]]:
    """Lower-case letter -> the characters whose lower or upper case starts with it or its
    upper case (the candidates :func:`_letter_class` asks the regex engine about). The case
    forms of Latin, Greek and Cyrillic letters all lie below U+0530 or in U+1E00-U+21FF
    (accented Latin, Greek extended, the Kelvin and Angstrom signs)."""
    kin: dict[str, list[str]] = {}
    for i in [*range(0x530), *range(0x1E00, 0x2200)]:
        ch = chr(i)
        kin.setdefault(ch.lower()[:1], []).append(ch)
        kin.setdefault(ch.upper()[:1].lower()[:1], []).append(ch)
    return kin


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "{_"


def compile_phrases(phrases, lists: dict | None = None, flags: int = re.IGNORECASE) -> re.Pattern:
    """Compile phrases into one pattern that finds any of them."""
    return re.compile(
        "(?:" + alternatives(phrases, lists, bool(flags & re.IGNORECASE)) + ")", flags
    )


def _fold(text: str) -> str:
    """Lower case without accents (for the stop-word vote)."""
    t = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in t if not unicodedata.combining(ch))


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The :class:`Lexicon` of a language (loaded and compiled once).

    Raises
    ------
    LexiconError
        For an unknown language or a lexicon file with a missing key or a non-text word.
    """
    if lang not in LANGUAGES:
        raise LexiconError(f"no lexicon for language {lang!r}: expected one of {LANGUAGES}")
    path = _DIR / f"{lang}.yml"
    data = read_yaml(path)
    _check_words(data, path.name, [])
    return Lexicon(lang, data, path.name)


def _check_words(node, file: str, where: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                raise LexiconError(
                    f"{file}: {'.'.join(where)}: key {k!r} is not text (quote words such as "
                    "'on', 'no' and 'null', which YAML reads as true/false/none)"
                )
            _check_words(v, file, [*where, str(k)])
    elif isinstance(node, list):
        for v in node:
            if isinstance(v, bool) or v is None:
                raise LexiconError(
                    f"{file}: {'.'.join(where)}: {v!r} is not text (quote words such as "
                    "'on' and 'no', which YAML reads as true/false)"
                )


class Lexicon:
    """One language's word lists, with the patterns derived from them.

    Attributes are read from the YAML file by key (``lex.get("people")``); the patterns are
    built on first use and kept.
    """

    def __init__(self, lang: str, data: dict, file: str):
        self.lang = lang
        self.data = data
        self.file = file

    def get(self, *keys: str):
        """A value of the lexicon by its key path; :class:`LexiconError` when missing."""
        node = self.data
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                raise LexiconError(f"{self.file}: missing key {'.'.join(keys)}")
            node = node[k]
        return node

    def words(self, *keys: str) -> frozenset[str]:
        """A list of the lexicon as a set of lower-case words (built once)."""
        cache = self.__dict__.setdefault("_words", {})
        if keys not in cache:
            cache[keys] = frozenset(str(w).casefold() for w in self.get(*keys))
        return cache[keys]

    def required(self, *keys: str) -> frozenset[str] | None:
        """:func:`required_keys` of a list of phrases (built once)."""
        cache = self.__dict__.setdefault("_required", {})
        if keys not in cache:
            cache[keys] = required_keys(self.get(*keys), self.data)
        return cache[keys]

    def may_hold(self, text: str, *keys: str) -> bool:
        """Whether a text can hold a phrase of a list: it has a word that every phrase of
        the list needs (:func:`required_keys`). A cheap test before a scan: when it is
        false, the scan finds nothing."""
        return holds(self.required(*keys), text, self)

    def pattern(self, *keys: str, flags: int = re.IGNORECASE) -> re.Pattern:
        """The phrases of a list as one compiled pattern."""
        return compile_phrases(self.get(*keys), self.data, flags)

    def source(self, *keys: str) -> str:
        """The phrases of a list as one regex alternation (source text)."""
        return "(?:" + alternatives(self.get(*keys), self.data) + ")"

    @cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(_fold(w) for w in self.get("stopwords"))

    @cached_property
    def people(self) -> dict[str, str]:
        """Noun (lower case) -> class of people."""
        return {w.casefold(): cls for cls, ws in self.get("people").items() for w in ws}

    @cached_property
    def metric_nouns(self) -> dict[str, tuple[str, str]]:
        """Noun -> (class, event) for nouns that are themselves a metric."""
        return {
            str(w).casefold(): ("vehicles" if ev == "vehicles" else "people", ev)
            for w, ev in self.get("metric_nouns").items()
        }

    @cached_property
    def counter_names(self) -> dict[str, str]:
        """Every name a counter is written with -> its canonical name (`stats vocab`)."""
        names: dict[str, str] = {}
        for row in vocab.SOURCES.itertuples(index=False):
            for a in [row.name, row.full_name, *filter(None, str(row.aliases).split("|"))]:
                a = re.sub(r"^the\s+", "", a.strip(), flags=re.IGNORECASE)
                if len(a) >= 2:
                    names[a] = row.name
        for phrase, name in self.get("attribution", "generic").items():
            names.setdefault(str(phrase), str(vocab.canonical_source(str(name))))
        return names

    @cached_property
    def counter_types(self) -> dict[str, str]:
        return dict(zip(vocab.SOURCES["name"], vocab.SOURCES["type"], strict=True))


def detect_language(text: str, sample: int = 20_000) -> str:
    """The language of a text by a vote of the lexicons' stop words (Arabic by its script).

    Examples
    --------
    >>> detect_language("Au moins 12 civils ont été tués dans la ville, selon l'ONU.")
    'fr'
    >>> detect_language("At least 12 civilians were killed in the city, the UN said.")
    'en'
    """
    head = text[:sample]
    letters = sum(ch.isalpha() for ch in head) or 1
    arabic = sum("\u0600" <= ch <= "\u06ff" for ch in head)
    if arabic / letters > 0.3:
        return "ar"
    words = _WORD.findall(_fold(head))
    best, score = "en", 0
    for lang in LANGUAGES:
        if lang == "ar":
            continue
        sw = load_lexicon(lang).stopwords
        n = sum(w in sw for w in words)
        if n > score:
            best, score = lang, n
    return best


#: a word as keys read it: a run of letters, once the marks that sit on letters (combining
#: accents, Arabic short vowels) are dropped (:func:`_unmarked`)
_KEY_RUN = re.compile(r"[^\W\d_]+")
_ON_LETTERS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")
#: a key is the first letters of a word; a stem ("kill*") shorter than this has none
KEY_LENGTH = 4


@lru_cache(maxsize=65536)
def _folded(run: str, marks: str) -> str:
    """A run of letters in lower case, without accents and without the language's inner
    marks (Arabic short vowels, tatweel): the form keys are read from, in the text and in the
    phrases alike (remembered: a text repeats its words)."""
    t = run.casefold()
    if t.isascii():
        return t
    t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    t = t.replace("ı", "i")  # (the regex engine takes the dotless i for an i)
    return re.sub(f"[{marks}]", "", t) if marks else t


def _unmarked(text: str) -> str:
    """A text without the combining marks that sit on its letters."""
    return text if text.isascii() else _ON_LETTERS.sub("", text)


def _first_key(word: str, marks: str, stem: bool = False) -> str | None:
    """The key of the first run of letters of a word of a phrase or a name; ``None`` when it
    has none, or when it is a stem ("kill*") ending in that run with fewer letters than a key
    needs (a prefix: any longer word starting with it may be meant)."""
    word = _unmarked(word)
    run = _KEY_RUN.search(word)
    if run is None or not (folded := _folded(run.group(), marks)):
        return None
    if stem and run.end() == len(word) and len(folded) < KEY_LENGTH:
        return None
    return folded[:KEY_LENGTH]


def _token_keys(tok: str, lists: dict) -> frozenset[str] | None:
    """Keys one token of a phrase (see the phrase syntax) can have in a text, or ``None``."""
    if tok.startswith("{") and tok.endswith("}"):
        return required_keys(lists.get(tok[1:-1], []), lists)
    keys = set()
    for word in tok.split("|"):
        stem = word.endswith("*") and len(word) > 1
        key = _first_key(word[:-1] if stem else word, lists.get("inner_marks") or "", stem)
        if key is None:
            return None
        keys.add(key)
    return frozenset(keys)


def required_keys(phrases, lists: dict | None = None) -> frozenset[str] | None:
    """Keys (:func:`word_keys`) of words without which none of the phrases matches: for
    each phrase, those of the word that is not optional and tells most (:func:`_telling`:
    "mort" in "mort de", not "de"); ``None`` when some phrase has no word with keys (any
    text may then hold one).

    Examples
    --------
    >>> sorted(required_keys(["in|during this|that period", "kill*", "the? toll"]))
    ['kill', 'peri', 'toll']
    >>> sorted(required_keys(["mort de", "la mort de"]))
    ['mort']
    >>> required_keys(["12 km"]), required_keys(["ki*"])
    (frozenset({'km'}), None)
    """
    lists = lists or {}
    out: set[str] = set()
    for phrase in phrases:
        toks = [
            t for t in str(phrase).split() if t != "..." and not (t.endswith("?") and len(t) > 1)
        ]
        found = [keys for tok in toks if (keys := _token_keys(tok, lists)) is not None]
        if not found:
            return None
        # (every word found is required: any one of them would do; the last one of those
        # that tell most is taken)
        out |= max(reversed(found), key=_telling)
    return frozenset(out)


def _telling(keys: frozenset[str]) -> tuple[int, int]:
    """How much a word's keys tell: the length of the shortest (a short key such as "de"
    is in most sentences), then the fewer the better."""
    return min((len(k) for k in keys), default=KEY_LENGTH + 1), -len(keys)


def literal_keys(names, lex: Lexicon) -> frozenset[str] | None:
    """Keys of names written as they are (a gazetteer): those of the first run of letters of
    each name's last word; ``None`` when a name has no letters."""
    keys = set()
    for name in names:
        key = _first_key(str(name).split()[-1], lex.data.get("inner_marks") or "")
        if key is None:
            return None
        keys.add(key)
    return frozenset(keys)


@lru_cache(maxsize=1024)
def word_keys(text: str, lex: Lexicon) -> frozenset[str]:
    """Keys of the words of a text: the first :data:`KEY_LENGTH` letters of each run of
    letters, folded (:func:`_folded`), also without a proclitic of the language (Arabic
    "و" in "وإصابة"). Remembered for the last sentences: every scan of one sentence asks.
    (A text in ASCII is folded at once: its runs are those of the lower-case text.)"""
    plain = _unmarked(text)
    if plain.isascii() and not _proclitics(lex):
        return frozenset({r[:KEY_LENGTH] for r in _KEY_RUN.findall(plain.lower())})
    return frozenset(k for run in _KEY_RUN.findall(plain) for k in _run_keys(run, lex))


@lru_cache(maxsize=65536)
def _run_keys(run: str, lex: Lexicon) -> tuple[str, ...]:
    """The keys of one run of letters (:func:`word_keys`), remembered: a text repeats its
    words."""
    r = _folded(run, lex.data.get("inner_marks") or "")
    return (
        r[:KEY_LENGTH],
        *(r[len(p) :][:KEY_LENGTH] for p in _proclitics(lex) if r.startswith(p)),
    )


@cache
def _proclitics(lex: Lexicon) -> tuple[str, ...]:
    """The proclitics of a language, folded as keys are."""
    return tuple(_folded(str(x), "") for x in lex.data.get("proclitics") or [])


def holds(required: frozenset[str] | None, text: str, lex: Lexicon) -> bool:
    """Whether a text has one of the ``required`` keys (always, for ``None``)."""
    return required is None or not required.isdisjoint(word_keys(text, lex))


def first_chars(phrases, lists: dict | None = None) -> str:
    """The characters (both cases) any of the phrases can start with, for a ``(?=[...])``
    look-ahead that lets a scan skip other positions fast (derived, never typed by hand).

    Examples
    --------
    >>> first_chars(["killed", "died|dead", "the? toll"])
    'DKTdkt'
    """
    lists = lists or {}
    out: list[str] = []
    for p in phrases:
        toks = str(p).split()
        for tok in toks:
            opt = tok.endswith("?") and len(tok) > 1
            t = tok[:-1] if opt else tok
            if t.startswith("{") and t.endswith("}"):
                out.append(first_chars(lists.get(t[1:-1], []), lists))
            else:
                out.extend(w[:1] for w in t.split("|"))
            if not opt and t != "...":
                break
    chars = "".join(sorted({c.lower() for c in "".join(out)} | {c.upper() for c in "".join(out)}))
    return chars


def char_class(chars: str) -> str:
    """A regex character class of the given characters."""
    return "[" + "".join(re.escape(c) for c in dict.fromkeys(chars)) + "]"
