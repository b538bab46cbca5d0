"""What coordinators see of the reminders: a referral's reminders, what is due by a time.
(Their changes, snoozing and skipping, are actions: `network.reminders.actions`.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from network.errors import NotFound
from network.reminders.tables import Reminder as ReminderRow


@dataclass(frozen=True)
class Reminder:
    """One reminder as coordinators see it (also the API's JSON)."""

    id: int
    kind: str
    recipient: str  # partner, coordinator, or system (the expiry step)
    referral_id: int | None
    barrier_id: int | None
    client_id: int | None
    coordinator_id: int | None
    sequence: int
    due_at: datetime
    status: str  # pending, sent, cancelled, skipped, failed
    snoozed: bool
    cancelled_because: str | None
    failure: str | None  # failed: why its email could not be made (no personal data)
    reason: str | None
    decided_by: int | None
    decided_at: datetime | None
    sent_at: datetime | None
    outbox_id: int | None


def reminder_of(row: Mapping[str, Any]) -> Reminder:
    return Reminder(
        id=row["id"], kind=row["kind"], recipient=row["recipient"],
        referral_id=row["referral_id"], barrier_id=row["barrier_id"],
        client_id=row["client_id"], coordinator_id=row["coordinator_id"],
        sequence=row["sequence"], due_at=row["due_at"], status=row["status"],
        snoozed=row["snoozed_from"] is not None and row["status"] == "pending",
        cancelled_because=row["cancelled_because"], failure=row["failure"],
        reason=row["reason"],
        decided_by=row["decided_by"], decided_at=row["decided_at"], sent_at=row["sent_at"],
        outbox_id=row["outbox_id"])


async def reminders_of_referral(referral_id: int) -> list[Reminder]:
    """Upcoming and past reminders of one referral, in the order they are (were) due."""
    # here, not at the top: the referrals' tables import the cases' and partners' (0.6 s of
    # classes), which `network reminders preview` (due_by) never needs
    from network.referrals.tables import Referral

    if not await Referral.exists().where(Referral.id == referral_id):
        raise NotFound("referral", referral_id)
    rows = await ReminderRow.select().where(ReminderRow.referral_id == referral_id).order_by(
        ReminderRow.due_at, ReminderRow.id)
    return [reminder_of(row) for row in rows]


async def due_by(at: datetime) -> list[Reminder]:
    """Pending reminders due by `at` (what a tick then would take); changes nothing."""
    rows = await ReminderRow.select().where(
        (ReminderRow.status == "pending") & (ReminderRow.due_at <= at)).order_by(
        ReminderRow.due_at, ReminderRow.id)
    return [reminder_of(row) for row in rows]


async def failed(limit: int = 100) -> list[Reminder]:
    """Reminders whose email could not be made, newest first (the mail page lists them)."""
    rows = await ReminderRow.select().where(ReminderRow.status == "failed").order_by(
        ReminderRow.decided_at, ascending=False).limit(limit)
    return [reminder_of(row) for row in rows]
