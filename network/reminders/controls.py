"""What coordinators see and decide: a referral's reminders, what is due by a time, and
snoozing or skipping one pending reminder with a reason (the API audits each call)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from network import fields as check
from network.errors import Conflict, NotFound, RuleViolation
from network.reminders import schedule
from network.reminders.policy import NRW, next_weekly_digest
from network.transactions import transaction

MAX_REASON = 500
MAX_SNOOZE = timedelta(days=365)


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
    status: str  # pending, sent, cancelled, skipped
    snoozed: bool
    cancelled_because: str | None
    reason: str | None
    decided_by: int | None
    decided_at: datetime | None
    sent_at: datetime | None
    outbox_id: int | None


def _reminder(row: asyncpg.Record) -> Reminder:
    return Reminder(
        id=row["id"], kind=row["kind"], recipient=row["recipient"],
        referral_id=row["referral_id"], barrier_id=row["barrier_id"],
        client_id=row["client_id"], coordinator_id=row["coordinator_id"],
        sequence=row["sequence"], due_at=row["due_at"], status=row["status"],
        snoozed=row["snoozed_from"] is not None and row["status"] == "pending",
        cancelled_because=row["cancelled_because"], reason=row["reason"],
        decided_by=row["decided_by"], decided_at=row["decided_at"], sent_at=row["sent_at"],
        outbox_id=row["outbox_id"])


async def reminders_of_referral(referral_id: int) -> list[Reminder]:
    """Upcoming and past reminders of one referral, in the order they are (were) due."""
    async with transaction() as connection:
        if not await connection.fetchval("SELECT true FROM referrals WHERE id = $1",
                                         referral_id):
            raise NotFound("referral", referral_id)
        rows = await connection.fetch(
            "SELECT * FROM reminders WHERE referral_id = $1 ORDER BY due_at, id", referral_id)
    return [_reminder(row) for row in rows]


async def due_by(at: datetime) -> list[Reminder]:
    """Pending reminders due by `at` (what a tick then would take); changes nothing."""
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT * FROM reminders WHERE status = 'pending' AND due_at <= $1"
            " ORDER BY due_at, id", at)
    return [_reminder(row) for row in rows]


async def _pending(connection: asyncpg.Connection, reminder_id: int) -> asyncpg.Record:
    row = await connection.fetchrow("SELECT * FROM reminders WHERE id = $1 FOR UPDATE",
                                    reminder_id)
    if row is None:
        raise NotFound("reminder", reminder_id)
    if row["status"] != "pending":
        raise Conflict("status", f"the reminder is {row['status']}; only a pending one can "
                       "be snoozed or skipped")
    return row


def _reason(reason: str | None) -> str:
    text = check.text("reason", reason, MAX_REASON)
    if text is None:
        raise RuleViolation("reason", "is required")
    return text


async def snooze(reminder_id: int, until: datetime, reason: str | None, actor_id: int, *,
                 now: datetime) -> Reminder:
    """Move a pending reminder to a later time (the next office moment from `until`)."""
    text = _reason(reason)
    if until.tzinfo is None:
        raise RuleViolation("until", "needs a time zone (e.g. 2026-12-01T09:00:00+01:00)")
    if until <= now:
        raise RuleViolation("until", "must be in the future")
    if until > now + MAX_SNOOZE:
        raise RuleViolation("until", "must be within a year")
    async with transaction() as connection:
        row = await _pending(connection, reminder_id)
        row = await connection.fetchrow(
            """
            UPDATE reminders SET due_at = $2, snoozed_from = coalesce(snoozed_from, due_at),
                reason = $3, decided_by = $4, decided_at = $5
            WHERE id = $1 RETURNING *
            """, row["id"], NRW.next_office_moment(until), text, actor_id, now)
    return _reminder(row)


async def skip(reminder_id: int, reason: str | None, actor_id: int, *, now: datetime
               ) -> Reminder:
    """Leave one reminder out; its chain moves on to the next step as if it had been sent."""
    text = _reason(reason)
    async with transaction() as connection:
        row = await _pending(connection, reminder_id)
        row = await connection.fetchrow(
            "UPDATE reminders SET status = 'skipped', reason = $2, decided_by = $3,"
            " decided_at = $4 WHERE id = $1 RETURNING *", row["id"], text, actor_id, now)
        kind = row["kind"]
        if kind in schedule.REFERRAL_KINDS:
            await schedule.next_referral_step(connection, row["referral_id"], row["epoch"], now)
        elif kind == "barrier_uncovered":
            await schedule.schedule_barrier(connection, row["barrier_id"], now)
        elif kind == "case_inactive":
            await schedule.schedule_case(connection, row["client_id"], now)
        else:
            await schedule.schedule_digest(connection, row["coordinator_id"],
                                           next_weekly_digest(now), now)
    return _reminder(row)
