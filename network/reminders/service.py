"""The reminder tick's work (the action is `actions.tick`, the system's).

`tick(settings, now)`: "turn due reminders into outbox rows". One batch is one transaction:
claim due pending rows with `FOR UPDATE SKIP LOCKED`, lock their subjects (referral, barrier,
case) with `SKIP LOCKED` too, and for each row check it is still due, render its email into the
outbox, mark it sent and schedule the chain's next step. Any number of instances can tick at
once: a row is claimed by one of them, and a status change waiting on a subject lock sees the
committed result. A tick that dies mid-batch rolls back whole; the next tick takes the rows.
A row whose handling raises is put back an hour later (the rest of the batch goes on), except
one whose email cannot be rendered (`RenderFailed`): rendering again fails again, so it is
marked failed with its reason (shown on its referral page and /mail/failed) and its chain
moves on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from network import words
from network.accounts import audit
from network.accounts.tables import AppUser
from network.actors import Actor
from network.clock import FixedClock
from network.mail.outbox import RenderFailed
from network.referrals import actions as referrals
from network.referrals.emails import referral_facts, referral_number
from network.referrals.lifecycle import Status
from network.referrals.overdue import is_overdue
from network.reminders import emails, queries, schedule
from network.reminders.policy import NRW, next_weekly_digest
from network.reminders.tables import Reminder
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

TICK = Actor.system("reminders.tick")
BATCH_SIZE = 100
MAX_BATCHES = 100
RETRY_AFTER = timedelta(hours=1)
REFERRAL_STATUSES = {
    "no_answer": ("sent",), "escalation": ("sent",), "last_warning": ("sent",),
    "expire": ("sent",), "outcome_follow_up": ("accepted", "in_progress"),
    "hold_check": ("on_hold",),
}


@dataclass
class TickResult:
    sent: int = 0  # emails queued (and the expire steps taken)
    cancelled: int = 0  # found moot when due
    deferred: int = 0  # subject busy in another transaction: next tick
    failed: int = 0  # raised: put back for later
    ids: list[int] = field(default_factory=list)

    def add(self, other: TickResult) -> None:
        self.sent += other.sent
        self.cancelled += other.cancelled
        self.deferred += other.deferred
        self.failed += other.failed
        self.ids.extend(other.ids)


async def tick(settings: Settings, now: datetime, *, batch_size: int = BATCH_SIZE,
               actor: Actor = TICK) -> TickResult:
    """Batches until nothing due is left that this instance can take (`actions.tick` is the
    action; this is its work)."""
    total = TickResult()
    for _ in range(MAX_BATCHES):
        result = await tick_batch(settings, now, batch_size=batch_size, actor=actor)
        total.add(result)
        if result.sent + result.cancelled + result.failed == 0:
            break
    if total.sent or total.cancelled or total.failed:
        log.info("reminders ticked", extra={"sent": total.sent, "cancelled": total.cancelled,
                                            "deferred": total.deferred,
                                            "failed": total.failed})
    return total


async def tick_batch(settings: Settings, now: datetime, *, batch_size: int = BATCH_SIZE,
                     actor: Actor = TICK) -> TickResult:
    result = TickResult()
    async with transaction() as connection:
        rows = await queries.claim_due(now, batch_size)
        if not rows:
            return result
        free = await queries.lock_subjects(rows)
        for row in rows:
            subjects = [(t, row[c]) for t, c in queries.SUBJECTS if row[c] is not None]
            if not all(row[c] in free[t] for t, c in queries.SUBJECTS if row[c] is not None):
                result.deferred += 1
                continue
            try:
                async with connection.transaction():  # a savepoint per reminder
                    sent = await _deliver(settings, row, now, actor)
                    if sent:  # the system's action, audited like any other
                        await audit.record(actor, "reminder.sent", "reminder", row["id"], {
                            "kind": row["kind"], "referral_id": row["referral_id"]}, at=now)
            except RenderFailed as failed:
                # Rendering again fails again: the reminder is failed for good, shown with
                # its reason, and its chain goes on (an escalation may still reach someone).
                log.warning("reminder email could not be rendered", extra={
                    "reminder_id": row["id"], "kind": row["kind"], "failure": failed.reason})
                await _fail(row, failed.reason, now, actor)
                result.failed += 1
                continue
            except Exception:
                log.exception("reminder failed", extra={"reminder_id": row["id"],
                                                        "subjects": subjects})
                await Reminder.update({
                    Reminder.due_at: NRW.next_office_moment(now + RETRY_AFTER),
                }).where(Reminder.id == row["id"])
                result.failed += 1
                continue
            if sent:
                result.sent += 1
                result.ids.append(row["id"])
            else:
                result.cancelled += 1
    return result


async def _fail(row: dict[str, Any], failure: str, now: datetime, actor: Actor) -> None:
    """Mark a claimed reminder failed (its email cannot be made) and schedule what follows it,
    as if it had been left out."""
    await Reminder.update({Reminder.status: "failed", Reminder.failure: failure[:500],
                           Reminder.decided_at: now}).where(Reminder.id == row["id"])
    await schedule.after(row, now)
    await audit.record(actor, "reminder.failed", "reminder", row["id"], {
        "kind": row["kind"], "referral_id": row["referral_id"]}, at=now)


async def _deliver(settings: Settings, row: dict[str, Any], now: datetime, actor: Actor
                   ) -> bool:
    """Send one due reminder (True), or cancel it as moot (False)."""
    kind = row["kind"]
    if kind in REFERRAL_STATUSES:
        return await _deliver_referral(settings, row, now, actor)
    if kind == "barrier_uncovered":
        return await _deliver_barrier(settings, row, now)
    if kind == "case_inactive":
        return await _deliver_case(settings, row, now)
    return await _deliver_digest(settings, row, now)


async def _cancel(row: dict[str, Any], because: str) -> bool:
    await Reminder.update({Reminder.status: "cancelled", Reminder.cancelled_because: because}
                          ).where(Reminder.id == row["id"])
    return False


async def _mark_sent(row: dict[str, Any], now: datetime) -> None:
    await Reminder.update({Reminder.status: "sent", Reminder.sent_at: now}).where(
        Reminder.id == row["id"])


async def _queued(row: dict[str, Any], outbox_id: int | None) -> None:
    await Reminder.update({Reminder.outbox_id: outbox_id}).where(Reminder.id == row["id"])


async def _deliver_referral(settings: Settings, row: dict[str, Any], now: datetime,
                            actor: Actor) -> bool:
    kind = row["kind"]
    found = await referral_facts(row["referral_id"])
    if found is None or found.status.value not in REFERRAL_STATUSES[kind]:
        return await _cancel(row, "moot")
    await _mark_sent(row, now)
    await schedule.next_referral_step(row["referral_id"], row["epoch"], now)
    if row["recipient"] == "partner":
        if not found.partner_emails:
            log.warning("partner has no email address", extra={"reminder_id": row["id"]})
            return True  # the chain goes on: escalation reaches the coordinator
        following = None
        if kind == "last_warning":
            following = await Reminder.select(Reminder.due_at).where(
                (Reminder.referral_id == found.referral_id)
                & (Reminder.status == "pending")).first()
        await _queued(row, await emails.to_partner(
            settings, row, found, now,
            expires_on=following["due_at"] if following else None))
        return True
    if kind == "expire":
        await referrals.transition(actor, FixedClock(now), found.referral_id, Status.EXPIRED)
    await _queued(row, await emails.about_referral(settings, row, found, now))
    return True


async def _deliver_barrier(settings: Settings, row: dict[str, Any], now: datetime) -> bool:
    facts = await queries.barrier_spell(row["barrier_id"])
    if (facts is None or facts["covered"] or facts["case_status"] != "open"
            or facts["status"] not in ("open", "in_progress")):
        return await _cancel(row, "moot")
    coordinator = await queries.coordinator_of_client(row["client_id"])
    if coordinator is None:
        return await _cancel(row, "no_recipient")
    await _mark_sent(row, now)
    await schedule.schedule_barrier(row["barrier_id"], now)
    await _queued(row, await emails.barrier_uncovered(settings, row, coordinator, facts["kind"],
                                                      now))
    return True


async def _deliver_case(settings: Settings, row: dict[str, Any], now: datetime) -> bool:
    facts = await queries.case_activity(row["client_id"])
    if facts is None or facts["status"] != "open":
        return await _cancel(row, "moot")
    if facts["last_activity"] > row["epoch"]:  # something happened: count from then
        await _cancel(row, "activity")
        await schedule.schedule_case(row["client_id"], now)
        return False
    coordinator = await queries.coordinator_of_client(row["client_id"])
    if coordinator is None:
        return await _cancel(row, "no_recipient")
    await _mark_sent(row, now)
    await schedule.schedule_case(row["client_id"], now)
    await _queued(row, await emails.case_inactive(settings, row, coordinator, now))
    return True


async def _deliver_digest(settings: Settings, row: dict[str, Any], now: datetime) -> bool:
    user = await AppUser.select(AppUser.email, AppUser.display_name, AppUser.active).where(
        AppUser.id == row["coordinator_id"]).first()
    if user is None or not user["active"]:
        return await _cancel(row, "moot")
    overdue = await overdue_for(row["coordinator_id"], now)
    if any(overdue.values()):
        await _mark_sent(row, now)
        await _queued(row, await emails.weekly_digest(settings, row, user, overdue, now))
    else:
        await _cancel(row, "nothing_overdue")
    # after this one left "pending": one pending digest per coordinator
    await schedule.schedule_digest(row["coordinator_id"], next_weekly_digest(now), now)
    return any(overdue.values())


async def overdue_for(coordinator_id: int, now: datetime) -> dict[str, list[dict[str, str]]]:
    """What the weekly digest lists: referrals whose partner has not answered in time,
    barriers without an open referral for a week, cases without activity for 30 days."""
    referral_rows, barrier_rows, case_rows = await queries.overdue_of(coordinator_id)
    waiting = [r for r in referral_rows if r["sent_at"] is not None
               and is_overdue(r["sent_at"], now)]
    return {
        "referrals": [{"referral_number": referral_number(r["id"]),
                       "partner_name": r["name"],
                       "barrier_kind": words.label(r["kind"], "barrier_kind"),
                       "case_number": r["case_number"] or "", "sent_on": words.day(r["sent_at"])}
                      for r in waiting],
        "barriers": [{"barrier_kind": words.label(r["kind"], "barrier_kind"),
                      "case_number": r["case_number"] or "", "since": words.day(r["since"])}
                     for r in barrier_rows if r["since"] <= now - timedelta(days=7)],
        "cases": [{"case_number": r["case_number"] or "", "since": words.day(r["since"])}
                  for r in case_rows if r["since"] <= now - timedelta(days=30)],
    }
