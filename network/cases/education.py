"""The education track: young clients (under 25) are supported towards school, vocational
training or university, so those barrier kinds are offered by default for them."""

from __future__ import annotations

from datetime import date

from network.cases.values import EDUCATION_BARRIER_KINDS, BarrierKind

EDUCATION_TRACK_AGE_LIMIT = 25


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on a day (someone born on 29 February ages on 1 March in other years)."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


def in_education_track(date_of_birth: date, on: date) -> bool:
    return age_on(date_of_birth, on) < EDUCATION_TRACK_AGE_LIMIT


def default_barrier_kinds(date_of_birth: date, on: date) -> tuple[BarrierKind, ...]:
    """The barrier kinds pre-selected for a new case: the education ones for the young."""
    return EDUCATION_BARRIER_KINDS if in_education_track(date_of_birth, on) else ()
