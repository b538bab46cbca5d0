"""The day a referral is on hold until (issue 15): optional when it goes on hold, kept on the
referral while it is on hold, and the day its check (the hold_check reminder) comes. Pure: the
action passes today's date in Berlin."""

from __future__ import annotations

from datetime import date, timedelta

from network.errors import RuleViolation
from network.referrals.lifecycle import Status

FIELD = "hold_until"
MAX_AHEAD = timedelta(days=366)


def checked_hold_until(target: Status | str, value: date | str | None, today: date
                       ) -> date | None:
    """The day as given (a date or an ISO date as typed), or None when none was; refused
    unless the referral goes on hold and the day lies after today, within a year."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise RuleViolation(FIELD, "referral.hold_until_not_a_date") from None
    if target != Status.ON_HOLD:
        raise RuleViolation(FIELD, "referral.hold_until_not_for")
    if value <= today:
        raise RuleViolation(FIELD, "referral.hold_until_not_future")
    if value > today + MAX_AHEAD:
        raise RuleViolation(FIELD, "referral.hold_until_too_far")
    return value
