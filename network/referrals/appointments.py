"""A referral's appointment: when and where the client is expected at the partner. The day
and time come as typed on a page (Berlin time); this module turns them into one moment and
refuses what cannot be an appointment. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from network import fields as check
from network.clock import BERLIN
from network.errors import RuleViolation
from network.referrals.lifecycle import Status

MAX_PLACE = 300
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
LATEST = timedelta(days=366)  # an appointment more than a year ahead is a typo
# An appointment is made once the partner has accepted; it stays while the work goes on.
OPEN_FOR_APPOINTMENTS = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD})


@dataclass(frozen=True)
class Appointment:
    referral_id: int
    starts_at: datetime
    place: str
    recorded_at: datetime
    recorded_by_user: int | None = None
    recorded_by_partner: int | None = None


def starts_at(day: object, at: object, now: datetime) -> datetime:
    """The moment of `day` (a date or "YYYY-MM-DD") at `at` ("HH:MM", Berlin time): not
    before today, at most a year ahead."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            raise RuleViolation("appointment_day", "not_a_date") from None
    today = now.astimezone(BERLIN).date()
    day = check.day("appointment_day", day, today, (now + LATEST).astimezone(BERLIN).date())
    match = TIME.match(at.strip()) if isinstance(at, str) else None
    if match is None:
        raise RuleViolation("appointment_time", "invalid_format", example="14:30")
    clock_time = time(int(match.group(1)), int(match.group(2)))
    return datetime.combine(day, clock_time, tzinfo=BERLIN)


def place(value: object) -> str:
    return check.required_text("appointment_place", value, MAX_PLACE)


def may_have_appointment(status: Status | str) -> bool:
    return Status(status) in OPEN_FOR_APPOINTMENTS
