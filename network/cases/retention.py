"""Retention: a closed case keeps its personal data for a configured number of years
(RETENTION_YEARS, default 2) after closing, then it is pseudonymised."""

from __future__ import annotations

from datetime import datetime

DEFAULT_RETENTION_YEARS = 2


def retention_cutoff(now: datetime, years: int) -> datetime:
    """Cases closed at or before this moment are due. 29 February steps back to 28 February."""
    if years < 0:
        raise ValueError("retention years cannot be negative")
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def is_due(closed_at: datetime | None, pseudonymised_at: datetime | None, now: datetime,
           years: int) -> bool:
    """Due when closed, not yet pseudonymised, and the retention period has run out."""
    if closed_at is None or pseudonymised_at is not None:
        return False
    return closed_at <= retention_cutoff(now, years)
