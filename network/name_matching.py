"""Matching people's names the way coordinators type them: pure logic, no I/O, for every
place that looks a person up by name (the client search and the duplicate warning at intake
in `network.cases`; prospects later).

Two ideas, both per word of a name:
- folding: lower case, accents gone, German umlauts and ß written out ("Öztürk" ->
  "oeztuerk"; stored in both spellings, "oeztuerk" and "ozturk", so either finds it);
- a sound code, the Kölner Phonetik (Postel 1969), after a few rules for how Arabic,
  Persian and Tigrinya names reach German forms ("dsch"/"dj" for j): vowels, h and doubled
  letters stop counting, so "Mohammed", "Muhammad" and "Mohamed" share one code (662), as
  do "Hosseini"/"Husseini", "Yohannes"/"Johannes", "Tesfaye"/"Tesfay";
- a name of several words is also kept written as one ("Gebre Medhin" is found by
  "Gebremedhin" and "Ghebremedhin", "Abdul Rahman" by "Abdulrahman").

A query word finds a name when its folded form occurs in one of the name's folded words,
or (from three letters and two consonant sounds on) when its sound code equals the code of
one of them. Sound codes
are coarse on purpose (they also pair "Mahmoud" with "Mohammed"): good for finding and for
a warning a person confirms, never for deciding alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SOUND_LETTERS = 3  # shorter query words match by their letters only
MIN_SOUND_CONSONANTS = 2  # and so do words whose code says less ("oez" and "jose": 08)

_WRITTEN_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae",
                              "œ": "oe", "ø": "oe", "ı": "i", "đ": "d", "ł": "l"})
_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "æ": "ae", "œ": "oe",
                        "ø": "o", "ı": "i", "đ": "d", "ł": "l"})
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Transliterations of one sound that the Kölner Phonetik would code apart:
_SOUND_RULES = (("dsch", "j"), ("dj", "j"))


def _fold(text: str, umlauts: dict[int, str]) -> str:
    lowered = unicodedata.normalize("NFC", text.casefold()).translate(umlauts)
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", lowered)
                       if not unicodedata.combining(ch))
    return stripped.translate(umlauts)


def words(text: str | None) -> list[str]:
    """The folded words of a name, umlauts written out: "Al-Öztürk" -> ["al", "oeztuerk"]."""
    return [w for w in _SEPARATORS.split(_fold(text or "", _WRITTEN_OUT)) if w]


def spellings(text: str | None) -> list[str]:
    """Every folded word of a name in both spellings of its umlauts ("Öztürk" ->
    ["oeztuerk", "ozturk"]), and a name of several words also written as one ("Gebre
    Medhin" -> [..., "gebremedhin"]), each once, in order."""
    found: list[str] = []
    for umlauts in (_WRITTEN_OUT, _PLAIN):
        parts = [w for w in _SEPARATORS.split(_fold(text or "", umlauts)) if w]
        for word in [*parts, "".join(parts)] if len(parts) > 1 else parts:
            if word not in found:
                found.append(word)
    return found


_CODES = {**dict.fromkeys("aeijouy", "0"), "b": "1", "p": "1", "d": "2", "t": "2",
          **dict.fromkeys("fvw", "3"), **dict.fromkeys("gkq", "4"), "l": "5", "m": "6",
          "n": "6", "r": "7", "s": "8", "z": "8", "h": ""}


def sound(word: str) -> str:
    """The Kölner Phonetik of one folded word (letters a-z; others are skipped)."""
    for written, said in _SOUND_RULES:
        word = word.replace(written, said)
    letters = [ch for ch in word if "a" <= ch <= "z"]
    raw: list[str] = []
    for i, ch in enumerate(letters):
        before = letters[i - 1] if i else ""
        after = letters[i + 1] if i + 1 < len(letters) else ""
        if ch == "p":
            code = "3" if after == "h" else "1"
        elif ch in "dt":
            code = "8" if after in ("c", "s", "z") and after else "2"
        elif ch == "c":
            if i == 0:
                code = "4" if after and after in "ahkloqrux" else "8"
            else:
                code = "4" if after and after in "ahkoqux" and before not in ("s", "z") else "8"
        elif ch == "x":
            code = "8" if before and before in "ckq" else "48"
        else:
            code = _CODES.get(ch, "")
        raw.append(code)
    digits = "".join(raw)
    collapsed = "".join(d for i, d in enumerate(digits) if i == 0 or d != digits[i - 1])
    return collapsed[:1] + collapsed[1:].replace("0", "") if collapsed else ""


def sounds(text: str | None) -> list[str]:
    """The sound codes of a name's words (and of its words written as one), each once, in
    order (words without one skipped)."""
    parts = words(text)
    found: list[str] = []
    for word in [*parts, "".join(parts)] if len(parts) > 1 else parts:
        code = sound(word)
        if code and code not in found:
            found.append(code)
    return found


@dataclass(frozen=True)
class QueryWord:
    """One word of what was typed: its folded letters and, when it has three letters and
    two consonant sounds or more, its sound code."""

    letters: str
    sound: str | None


def _telling_sound(word: str) -> str | None:
    code = sound(word)
    if len(word) < MIN_SOUND_LETTERS or len(code.lstrip("0")) < MIN_SOUND_CONSONANTS:
        return None
    return code


def query(text: str | None, most: int = 5) -> list[QueryWord]:
    """The words of a search, at most `most` of them."""
    return [QueryWord(w, _telling_sound(w)) for w in words(text)[:most]]


def word_matches(typed: QueryWord, name: str | None) -> bool:
    """Whether one typed word finds this name (its letters inside one of the name's words,
    or its sound equal to one of theirs)."""
    if any(typed.letters in w for w in spellings(name)):
        return True
    return typed.sound is not None and typed.sound in sounds(name)


def matches(text: str | None, *names: str | None) -> bool:
    """Whether every word of `text` finds one of `names` (first name, last name, ...)."""
    typed = query(text)
    return bool(typed) and all(any(word_matches(t, n) for n in names) for t in typed)


def _same_word(a: str, b: str) -> bool:
    return a == b or (len(a) >= MIN_SOUND_LETTERS and len(b) >= MIN_SOUND_LETTERS
                      and sound(a) == sound(b))


def similar(a: Iterable[str | None], b: Iterable[str | None]) -> bool:
    """Whether two people's names (each as its parts, e.g. (first, last)) may be the same
    person's: every word of the shorter name is, by letters or by sound, a word of the
    other ("Mohammed Al-Hassan" ~ "Muhammad Hassan"; "Ibrahima Diallo" is not "Amadou
    Diallo")."""
    words_a = [w for part in a for w in words(part) if w not in _PARTICLES]
    words_b = [w for part in b for w in words(part) if w not in _PARTICLES]
    if not words_a or not words_b:
        return False
    if _same_word("".join(words_a), "".join(words_b)):  # "Gebre Medhin", "Gebremedhin"
        return True
    shorter, longer = sorted((words_a, words_b), key=len)
    return all(any(_same_word(s, lw) for lw in longer) for s in shorter)


# Articles and links inside Arabic and Persian names that one spelling keeps and another
# drops ("Al-Hassan", "Hassan"); they do not tell people apart.
_PARTICLES = frozenset({"al", "el", "ul", "bin", "ben", "ibn", "bint", "abu", "de"})


def stored_words(*names: str | None) -> str:
    """The folded words of a person's names as one text for a `LIKE '%word%'` search,
    each word framed by spaces."""
    found: list[str] = []
    for name in names:
        found.extend(w for w in spellings(name) if w not in found)
    return f" {' '.join(found)} " if found else ""


def stored_sounds(*names: str | None) -> str:
    """The sound codes of a person's names as one text for a `LIKE '% code %'` search."""
    found: list[str] = []
    for name in names:
        found.extend(c for c in sounds(name) if c not in found)
    return f" {' '.join(found)} " if found else ""
