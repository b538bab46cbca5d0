"""Prospect of staying ("Bleibeperspektive"): decided from configured reference data, never
from a list in code. The data are rows (country, valid-from date, good or not); for a given
day the latest row that is already valid wins, so a country can gain or lose good prospects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProspectEntry:
    country_code: str  # ISO 3166-1 alpha-2, upper case
    valid_from: date
    good_prospects: bool = True


def has_good_prospects(entries: Iterable[ProspectEntry], country_code: str, on: date) -> bool:
    """True when the newest entry for the country valid on `on` says good prospects."""
    valid = [e for e in entries if e.country_code == country_code.upper() and e.valid_from <= on]
    if not valid:
        return False
    return max(valid, key=lambda e: e.valid_from).good_prospects
