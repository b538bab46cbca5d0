"""What is done to reminders, by a coordinator (snooze one, skip one, each with a reason) or by
the system (the tick). Each action owns its transaction and its audit entry and returns what
the caller shows; the API, the pages, the CLI and the scheduler only adapt input and output."""

from __future__ import annotations

from datetime import datetime, timedelta

from network import fields as check
from network.accounts import audit
from network.actors import Actor
from network.cases import scope
from network.clock import Clock
from network.errors import Conflict, NotFound, RuleViolation
from network.reminders import schedule, service
from network.reminders.controls import Reminder, reminder_of
from network.reminders.policy import NRW
from network.reminders.tables import Reminder as ReminderRow
from network.settings import Settings
from network.transactions import transaction

MAX_REASON = 500
MAX_SNOOZE = timedelta(days=365)
TICK = service.TICK  # the system actor of the tick: Actor.system("reminders.tick")


async def _pending(reminder_id: int) -> ReminderRow:
    row = await ReminderRow.objects().where(ReminderRow.id == reminder_id).lock_rows().first()
    if row is None:
        raise NotFound("reminder", reminder_id)
    if row.status != "pending":
        raise Conflict("status", "reminder_not_pending", status=row.status)
    return row


def _reason(reason: str | None) -> str:
    text = check.text("reason", reason, MAX_REASON)
    if text is None:
        raise RuleViolation("reason", "reminder_reason_required")
    return text


async def snooze(actor: Actor, clock: Clock, reminder_id: int, until: datetime,
                 reason: str | None) -> Reminder:
    """Move a pending reminder to a later time (the next office moment from `until`)."""
    now = clock.now()
    text = _reason(reason)
    if until.tzinfo is None:
        raise RuleViolation("until", "reminder_until_without_zone")
    if until <= now:
        raise RuleViolation("until", "reminder_until_not_future")
    if until > now + MAX_SNOOZE:
        raise RuleViolation("until", "reminder_until_too_far")
    async with transaction():
        await scope.require_reminder(actor, reminder_id)
        row = await _pending(reminder_id)
        rows = await ReminderRow.update({
            ReminderRow.due_at: NRW.next_office_moment(until),
            ReminderRow.snoozed_from: row.snoozed_from or row.due_at,
            ReminderRow.reason: text, ReminderRow.decided_by: actor.user_id,
            ReminderRow.decided_at: now,
        }).where(ReminderRow.id == reminder_id).returning(*ReminderRow.all_columns())
        done = reminder_of(rows[0])
        await audit.record(actor, "reminder.snooze", "reminder", reminder_id,
                           {"due_at": done.due_at.isoformat(), "referral_id": done.referral_id},
                           at=now)
    return done


async def skip(actor: Actor, clock: Clock, reminder_id: int, reason: str | None) -> Reminder:
    """Leave one reminder out; its chain moves on to the next step as if it had been sent."""
    now = clock.now()
    text = _reason(reason)
    async with transaction():
        await scope.require_reminder(actor, reminder_id)
        await _pending(reminder_id)
        rows = await ReminderRow.update({
            ReminderRow.status: "skipped", ReminderRow.reason: text,
            ReminderRow.decided_by: actor.user_id, ReminderRow.decided_at: now,
        }).where(ReminderRow.id == reminder_id).returning(*ReminderRow.all_columns())
        done = reminder_of(rows[0])
        await schedule.after(rows[0], now)
        await audit.record(actor, "reminder.skip", "reminder", reminder_id,
                           {"referral_id": done.referral_id}, at=now)
    return done


async def tick(actor: Actor, clock: Clock, settings: Settings, *,
               batch_size: int = service.BATCH_SIZE) -> service.TickResult:
    """The system's action: turn every due reminder into an email (the dispatcher sends it),
    take the expiry steps (as `actor`, the system job), schedule each chain's next step."""
    return await service.tick(settings, clock.now(), batch_size=batch_size, actor=actor)
