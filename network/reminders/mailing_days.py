"""When reminder emails go: the working day an email counts for, its once-a-day key, the next
opening a postponed reminder waits for, and how many emails pending reminders make (the
preview). Light on imports: `network reminders preview` starts with this module, the
calendar and the reminders' queries, without the email machinery of `digest.py`.
"""

from __future__ import annotations

from datetime import datetime

from network.reminders import queries
from network.reminders.calendar import BERLIN, berlin_moment
from network.reminders.controls import Reminder
from network.reminders.policy import NRW


def digest_day(now: datetime) -> str:
    """The working day an email counts for: the Berlin date."""
    return now.astimezone(BERLIN).date().isoformat()


def dedupe_key(recipient: str, day: str) -> str:
    return f"reminders:{recipient}:{day}"


def postponed_to(now: datetime) -> datetime:
    """When a reminder waits for, whose recipient had today's email: the next working day's
    opening."""
    day = NRW.next_working_day(now.astimezone(BERLIN).date())
    return berlin_moment(day, NRW.office_hours.opens)


def mailing_time(now: datetime) -> bool:
    """Emails go out on working days from the office's opening: what waits from the day
    before (or was taken in the evening) goes at the next opening, not at midnight."""
    local = now.astimezone(BERLIN)
    return NRW.is_working_day(local.date()) and local.time() >= NRW.office_hours.opens


async def emails_for(due: list[Reminder], now: datetime) -> int:
    """How many emails these pending reminders make (the preview): one per recipient and
    working day they fall on (those whose recipient had today's email: the next one)."""
    keys = await queries.digest_keys([reminder.id for reminder in due], digest_day(now))
    today = digest_day(now)
    emails = set()
    for reminder in due:
        recipient, mailed = keys[reminder.id]
        if recipient is None:  # a partner without an address: no email
            continue
        day = digest_day(NRW.next_office_moment(max(reminder.due_at, now)))
        if mailed and day == today:
            day = digest_day(postponed_to(now))
        emails.add((recipient, day))
    return len(emails)
