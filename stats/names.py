"""Personal names as written on victim lists -> comparable keys (Arabic script and Latin).

A victim recorded as "Mohammed al-Hassan" on one list is "Muhammad Elhassan" on another and
"محمد الحسن" on a third. Record linkage compares names after three steps, each a documented
rule applied to every name the same way:

1. :func:`normalise_names`: lower case, Latin diacritics and the marks of ayn and hamza
   (', ʿ, ʾ, `) removed; in Arabic script, short vowels and tatweel removed and the hamza and
   alef forms folded (أ إ آ ٱ -> ا, ى -> ي, ؤ -> و, ئ -> ي, ة -> ه); the article ("al-",
   "el-", "ul-", the assimilated "ad-", "ash-", ..., and "ال") dropped from the front of a word;
   "Abd al-X", "Abdul X", "Abdel-X" and "عبد ال" joined into one word, ``abdx``, and the
   kunya "Abu X", "Abou X", "أبو X" into ``abux``.
2. :func:`skeleton_keys`: the consonant skeleton shared by both scripts (vowels and the
   glides w, y dropped after the first letter, Latin digraphs mapped to the Arabic letter they
   write, a final h dropped): "Muhammad", "Mohamed" and "محمد" all give ``mhmd``.
3. :func:`phonetic_keys`: Double Metaphone (Philips 2000) of Latin names (``None`` for Arabic
   script, where the skeleton is the key).

:func:`name_parts` splits a normalised name into given name, middle names (father,
grandfather) and family name, the order in which Arabic names are written on lists.

References
----------
Philips, L. (2000). The Double Metaphone search algorithm. C/C++ Users Journal 18(6).
Pedersen, T. T. (2008). Transliteration of Arabic (survey of the ALA-LC, DIN 31635, ISO 233
and informal romanisations).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from metaphone import doublemetaphone

__all__ = ["name_parts", "normalise_names", "phonetic_keys", "skeleton_keys"]

# --- Arabic script --------------------------------------------------------------------------
_AR_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # short vowels, shadda, sukun, tatweel
_AR_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي", "ة": "ه", "ء": ""}
)
_AR_LETTER = re.compile("[\u0600-\u06ff]")
#: Arabic letter -> the Latin consonant of the skeleton ("" for the vowel carriers and ayn).
_AR_SKELETON = str.maketrans(
    {
        "ا": "a", "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d",
        "ذ": "d", "ر": "r", "ز": "z", "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t",
        "ظ": "z", "ع": "a", "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m",
        "ن": "n", "ه": "h", "و": "w", "ي": "y",
    }
)  # fmt: skip

# --- Latin script ---------------------------------------------------------------------------
_MARKS_LATIN = re.compile("['’‘`ʿʾʼ\u02bb]")
#: Articles written as a word of their own ("al Hassan", "el-Hassan"; assimilated forms too).
_ARTICLES = frozenset(
    "al el ul il ad ed ud ar er ur as es us ash esh ush at et ut az ez uz an en un".split()
)
#: "Abd" as written before the name it joins ("Abd al-Rahman", "Abdul Rahman", "Abdel Karim").
_ABD_WORDS = frozenset({"abd", "abdu", "abdo", "عبد"} | {"abd" + a for a in _ARTICLES})
#: The kunya "Abu" before the name it joins ("Abu Zeid", "Abou Zeid", "أبو زيد").
_ABU_WORDS = frozenset({"abu", "abou", "abo", "ابو"})
_ABD_JOINED = re.compile(
    r"^abd(?:" + "|".join(sorted(_ARTICLES, key=len, reverse=True)) + r")(\w{3,})$"
)
_SEPARATORS = r"[-_.,;:/()\[\]]+"
#: Latin spellings -> one letter per Arabic consonant, applied in this order (upper case marks
#: a letter already mapped; a lone c is French: s before e and i, k elsewhere).
_DIGRAPHS = (
    ("kh", "X"), ("gh", "G"), ("sh", "C"), ("ch", "C"), ("th", "T"), ("dh", "D"), ("ph", "F"),
    ("dj", "J"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("ck", "k"),
    ("ce", "se"), ("ci", "si"), ("c", "k"),
)  # fmt: skip
_VOWELS = set("aeiouwy")


def _strip_latin_diacritics(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) or _AR_LETTER.match(ch))


def _normalise_word(word: str) -> str:
    """One word: case, marks and diacritics; an attached article or "Abd al-" dropped."""
    w = unicodedata.normalize("NFC", word).casefold()
    if _AR_LETTER.search(w):
        w = _AR_MARKS.sub("", w).translate(_AR_FOLD)
        if w.startswith("عبدال") and len(w) > 6:
            return "عبد" + w[5:]
        return w[2:] if w.startswith("ال") and len(w) >= 4 else w
    w = re.sub(r"[^\w]", "", _MARKS_LATIN.sub("", _strip_latin_diacritics(w)))
    joined = _ABD_JOINED.match(w)
    return "abd" + joined.group(1) if joined else w


def _name_words(names: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """The normalised words of each name: (position of the name, word), in order.

    Words are normalised once per distinct word; then an article word is dropped before the
    word it precedes, and an "Abd" or "Abu" word is joined to the word after it. Words are
    handled as codes into the table of distinct words until the end.
    """
    text = pa.array(names.astype("str").to_numpy(dtype=object), pa.string(), from_pandas=True)
    lists = pc.utf8_split_whitespace(pc.replace_substring_regex(text, _SEPARATORS, " "))
    rec = np.asarray(pc.list_parent_indices(lists), dtype=np.int64)
    encoded = pc.list_flatten(lists).dictionary_encode()
    distinct = np.array(
        [_normalise_word(w) for w in encoded.dictionary.to_pylist()] or [""], dtype=object
    )
    codes = np.asarray(encoded.indices, dtype=np.int64)
    kind = np.select(
        [distinct == "", np.isin(distinct, list(_ARTICLES)), np.isin(distinct, list(_ABD_WORDS)),
         np.isin(distinct, list(_ABU_WORDS))],
        [0, 1, 2, 3], 4,
    )[codes]  # fmt: skip
    keep = kind != 0
    rec, codes, kind = rec[keep], codes[keep], kind[keep]
    has_next = np.r_[rec[1:] == rec[:-1], False]
    keep = ~((kind == 1) & has_next)
    rec, codes, kind = rec[keep], codes[keep], kind[keep]
    has_next = np.r_[rec[1:] == rec[:-1], False]
    at = np.flatnonzero(((kind == 2) | (kind == 3)) & has_next)
    if len(at):
        arabic = np.array([_AR_LETTER.search(w) is not None for w in distinct[codes[at]]], bool)
        prefix = np.where(
            kind[at] == 3, np.where(arabic, "ابو", "abu"), np.where(arabic, "عبد", "abd")
        )
        merged = pd.Series(prefix.astype(object) + distinct[codes[at + 1]], dtype="str")
        joined, new_words = pd.factorize(_per_distinct(merged, _normalise_word))
        codes[at + 1] = len(distinct) + joined
        distinct = np.concatenate([distinct, np.asarray(new_words, dtype=object)])
        rec, codes = np.delete(rec, at), np.delete(codes, at)
    return rec, pa.array(distinct, pa.large_string()).take(pa.array(codes))


def normalise_names(names: pd.Series) -> pd.Series:
    """Normalised names (rule 1 of the module docstring); missing stays missing.

    Parameters
    ----------
    names : Series of str
        Names as written, in any script.

    Returns
    -------
    Series of str
        Same index. Does not mutate ``names``; each distinct word is normalised once.

    Examples
    --------
    >>> normalise_names(pd.Series(["Mohammed al-Hassan", "Abdul Rahman El-Khatib",
    ...                            "ABD AL-RAHMAN KHATIB", "عبد الرحمن الخطيب", "Ja'far",
    ...                            "Ali Abou Zeid", "علي أبو زيد"])).tolist()
    ['mohammed hassan', 'abdrahman khatib', 'abdrahman khatib', 'عبدرحمن خطيب', 'jafar', 'ali abuzeid', 'علي ابوزيد']
    """
    rec, words = _name_words(names)
    return _join_words(rec, words, len(names)).set_axis(names.index)


def _join_words(rec: np.ndarray, words: pa.Array, n: int) -> pd.Series:
    """Words of records 0..n-1 (``rec`` sorted) joined by spaces; missing where none."""
    counts = np.bincount(rec, minlength=n)
    offsets = pa.array(np.r_[0, np.cumsum(counts)], type=pa.int64())
    joined = pc.binary_join(
        pa.LargeListArray.from_arrays(offsets, words), pa.scalar(" ", pa.large_string())
    )
    out = pd.Series(pd.array(joined, dtype="str"))
    return out.where(counts > 0)


def _skeleton_word(word: str) -> str:
    if _AR_LETTER.search(word):
        latin = re.sub("[^a-z]", "", word.translate(_AR_SKELETON))
        latin = latin[:-1] if len(latin) > 2 and latin.endswith("h") else latin
    else:
        latin = re.sub("[^a-z]", "", word)
        if latin.startswith("abd") and len(latin) > 4:  # "abd" + a joined name: no digraph
            rest = _skeleton_word(latin[3:])
            return "abd" + (rest[1:] if rest.startswith("a") else rest)
        for digraph, letter in _DIGRAPHS:
            latin = latin.replace(digraph, letter)
        if len(latin) > 2 and latin.endswith("h") and latin[-2] in "aeiou":
            latin = latin[:-1]
        latin = latin.lower()
    if not latin:
        return ""
    first = "a" if latin[0] in "aeiou" else latin[0]
    rest = "".join(ch for ch in latin[1:] if ch not in _VOWELS)
    return re.sub(r"(.)\1+", r"\1", first + rest)


def _skeleton(name: str) -> str:
    return " ".join(w for w in (_skeleton_word(w) for w in name.split()) if w)


def skeleton_keys(normalised: pd.Series) -> pd.Series:
    """Consonant skeletons of normalised names, word by word (rule 2 of the module docstring).

    Examples
    --------
    >>> n = normalise_names(pd.Series(["Muhammad Khalil", "Mohamed Khaleel", "محمد خليل",
    ...                                "Omar Youssef", "عمر يوسف", "Fatimah", "فاطمة"]))
    >>> skeleton_keys(n).tolist()
    ['mhmd xl', 'mhmd xl', 'mhmd xl', 'amr ysf', 'amr ysf', 'ftm', 'ftm']
    """
    return _per_distinct(normalised, _skeleton)


def _phonetic(name: str) -> str | None:
    if _AR_LETTER.search(name):
        return None
    keys = [doublemetaphone(w)[0] for w in name.split()]
    return " ".join(k for k in keys if k) or None


def phonetic_keys(normalised: pd.Series) -> pd.Series:
    """Double Metaphone primary keys of normalised Latin names, word by word; missing for
    names in Arabic script (rule 3 of the module docstring).

    Examples
    --------
    >>> phonetic_keys(pd.Series(["muhammad hussein", "mohammed husayn", "محمد"])).tolist()
    ['MHMT HSN', 'MHMT HSN', nan]
    """
    return _per_distinct(normalised, _phonetic)


def name_parts(names: pd.Series) -> pd.DataFrame:
    """Given name, middle names and family name of names as written (normalised here).

    The first word is the given name and the last the family name; the words between (the
    father's and grandfather's names of an Arabic nasab) are the middle. A one-word name has
    no family name.

    Examples
    --------
    >>> name_parts(pd.Series(["Ahmad Khalil al-Hassan", "Fatima Hassan", "Ali"])).to_dict("list")
    {'given': ['ahmad', 'fatima', 'ali'], 'middle': ['khalil', nan, nan], 'family': ['hassan', 'hassan', nan]}
    """
    rec, words = _name_words(names)
    n = len(names)
    first = np.r_[True, rec[1:] != rec[:-1]] if len(rec) else np.zeros(0, bool)
    last = np.r_[rec[1:] != rec[:-1], True] if len(rec) else np.zeros(0, bool)
    inner = ~first & ~last

    def join(mask: np.ndarray) -> pd.Series:
        return _join_words(rec[mask], words.filter(pa.array(mask)), n)

    out = pd.DataFrame({"given": join(first), "middle": join(inner), "family": join(last & ~first)})
    return out.set_axis(names.index)


def _per_distinct(s: pd.Series, fn) -> pd.Series:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    mapped = pd.array([fn(str(u)) for u in uniques], dtype="str")
    out = mapped.take(codes, allow_fill=True) if len(uniques) else pd.array([None] * len(s), "str")
    return pd.Series(out, index=s.index, dtype="str")
