"""Countries and languages by their German names, from CLDR through Babel: the full lists,
keyed by ISO code (3166-1 alpha-2 for countries, 639-1, or 639-2/3 where a language has no
two-letter code), sorted the way a German reader looks them up (Ä with A, accents ignored).

A nationality is not always a country: "staatenlos" and "ungeklärt" take two user-assigned
ISO 3166 codes (ZZ is CLDR's own code for an unknown region) and sort in among the countries.
Dari, which CLDR names only as a variant of Persian (fa_AF), gets its ISO 639-3 code."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale

# CLDR also names regions, unions and private-use codes; forms offer real countries only.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
STATELESS, UNCLEAR = "XS", "ZZ"
NATIONALITIES_WITHOUT_COUNTRY = {STATELESS: "staatenlos", UNCLEAR: "ungeklärt"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def collation_key(name: str) -> tuple[str, str]:
    """German dictionary order (DIN 5007-1): umlauts and accents sort with their base letter."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold(), name


def _sorted(names: dict[str, str]) -> dict[str, str]:
    return dict(sorted(names.items(), key=lambda item: collation_key(item[1])))


@cache
def _german() -> Locale:
    return Locale("de")


@cache
def countries() -> dict[str, str]:
    territories = _german().territories
    return _sorted({**{code: name for code, name in territories.items()
                       if _COUNTRY.match(code) and code not in _NOT_COUNTRIES},
                    **NATIONALITIES_WITHOUT_COUNTRY})


@cache
def languages() -> dict[str, str]:
    names = _german().languages
    return _sorted({**{code: name for code, name in names.items() if _LANGUAGE.match(code)},
                    "prs": names["fa_AF"]})


COUNTRIES = countries()
LANGUAGES = languages()


def country(code: str | None) -> str:
    """The German name of a country; an unknown code stays as it is."""
    return "" if code is None else COUNTRIES.get(code, code)


def language(code: str | None) -> str:
    """The German name of a language; an unknown code stays as it is."""
    return "" if code is None else LANGUAGES.get(code, code)


# The municipalities of the district of Heinsberg (Kreis Heinsberg), in German order: a client
# lives in one, a partner serves some (none listed: the whole district).
MUNICIPALITIES: tuple[str, ...] = (
    "Erkelenz", "Gangelt", "Geilenkirchen", "Heinsberg", "Hückelhoven", "Selfkant",
    "Übach-Palenberg", "Waldfeucht", "Wassenberg", "Wegberg")
MUNICIPALITY_CHOICES: dict[str, str] = {name: name for name in MUNICIPALITIES}  # for forms
WHOLE_DISTRICT = "ganzer Kreis Heinsberg"
