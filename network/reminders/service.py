"""The reminder tick's work (the action is `actions.tick`, the system's).

`tick(settings, now)`: "turn due reminders into outbox rows". One batch is one transaction:
claim due pending rows with `FOR UPDATE SKIP LOCKED`, lock their subjects (referral, barrier,
case) with `SKIP LOCKED` too, and for each row check it is still due, mark it sent and
`unmailed` and schedule the chain's next step. After the batches, `digest.mail_waiting` puts
each recipient's unmailed reminders into one email (at most one per recipient and working
day: a reminder whose recipient had today's email waits for the next working day's, see
`digest.py`). Any number of instances can tick at once: a row is claimed by one of them, and a
status change waiting on a subject lock sees the committed result. A tick that dies mid-batch
rolls back whole; the next tick takes the rows. A row whose handling raises is put back an
hour later (the rest of the batch goes on). An email that cannot be rendered
(`RenderFailed`) fails again when rendered again, so its reminders are marked failed with the
reason (shown on the referral page and /mail/failed); their chains moved on already.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from network.accounts import audit
from network.accounts.tables import AppUser
from network.actors import Actor
from network.clock import FixedClock
from network.referrals import actions as referrals
from network.referrals.emails import referral_facts_of
from network.referrals.lifecycle import Status
from network.reminders import digest, mailing_days, queries, schedule
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
    failed: int = 0  # raised: put back for later; or its email cannot be made
    postponed: int = 0  # its recipient had today's email: the next working day's
    emails: int = 0  # emails queued (one per recipient: a digest or a single reminder)
    ids: list[int] = field(default_factory=list)

    def add(self, other: TickResult) -> None:
        self.sent += other.sent
        self.cancelled += other.cancelled
        self.deferred += other.deferred
        self.failed += other.failed
        self.postponed += other.postponed
        self.ids.extend(other.ids)


async def tick(settings: Settings, now: datetime, *, batch_size: int = BATCH_SIZE,
               actor: Actor = TICK) -> TickResult:
    """Batches until nothing due is left that this instance can take (`actions.tick` is the
    action; this is its work)."""
    total = TickResult()
    for _ in range(MAX_BATCHES):
        result = await tick_batch(settings, now, batch_size=batch_size, actor=actor)
        total.add(result)
        if result.sent + result.cancelled + result.failed + result.postponed == 0:
            break
    mailed = await digest.mail_waiting(settings, now, actor)
    total.emails = mailed.emails
    unmade = set(mailed.failed) & set(total.ids)
    total.failed += len(mailed.failed) + len(mailed.retry)
    total.sent -= len(unmade)
    total.ids = [i for i in total.ids if i not in unmade]
    if total.sent or total.cancelled or total.failed or total.emails:
        log.info("reminders ticked", extra={
            "sent": total.sent, "cancelled": total.cancelled, "deferred": total.deferred,
            "failed": total.failed, "postponed": total.postponed, "emails": total.emails})
    return total


async def tick_batch(settings: Settings, now: datetime, *, batch_size: int = BATCH_SIZE,
                     actor: Actor = TICK) -> TickResult:
    """One batch in one transaction. The referral reminders (most of them) are taken together,
    a handful of statements for the whole batch; the others one by one. Should the batch
    fail, each of its reminders is tried again on its own, so one faulty reminder holds up no
    other: it is put back for later.

    Its commit does not wait for the disk (`synchronous_commit = off`, a third of a batch's
    time): nothing of it leaves the database before a later transaction that does wait (the
    dispatcher claims an email with a committed update before sending it; the digests are
    mailed in their own transaction), and that commit makes this one durable too, as the log
    is written in order. A crash in between loses the batch whole: its reminders are still
    pending, and the next tick takes them again."""
    result = TickResult()
    async with transaction() as connection:
        rows = await queries.claim_due(now, batch_size, mailing_days.digest_day(now))
        if not rows:
            return result
        await connection.execute("SET LOCAL synchronous_commit = off")
        free = await queries.lock_subjects(rows)
        later = [row["id"] for row in rows if row["digest_mailed"]]
        if later:  # their recipient had today's email: they come in the next one
            await Reminder.update({Reminder.due_at: mailing_days.postponed_to(now)}).where(
                Reminder.id.is_in(later))
            result.postponed += len(later)
        takeable = []
        for row in rows:
            if row["id"] in later:
                continue
            if all(row[c] in free[t] for t, c in queries.SUBJECTS if row[c] is not None):
                takeable.append(row)
            else:
                result.deferred += 1
        taken: dict[int, bool] = {}
        together = [row for row in takeable if row["kind"] in REFERRAL_STATUSES]
        if len(together) > 1:
            try:
                async with connection.transaction():  # a savepoint for the batch
                    taken = await _deliver_referrals(together, now, actor)
            except Exception:
                log.exception("reminder batch failed, taking its reminders one by one",
                              extra={"reminders": len(together)})
        for row in takeable:
            if row["id"] in taken:
                continue
            try:
                async with connection.transaction():  # a savepoint per reminder
                    taken[row["id"]] = await _deliver(row, now, actor)
            except Exception:
                subjects = [(t, row[c]) for t, c in queries.SUBJECTS if row[c] is not None]
                log.exception("reminder failed", extra={"reminder_id": row["id"],
                                                        "subjects": subjects})
                await Reminder.update({
                    Reminder.due_at: NRW.next_office_moment(now + RETRY_AFTER),
                }).where(Reminder.id == row["id"])
                result.failed += 1
        sent = [row for row in takeable if taken.get(row["id"])]
        # the system's actions, audited like any other
        await audit.record_many(actor, "reminder.sent", "reminder", [
            (row["id"], {"kind": row["kind"], "referral_id": row["referral_id"]})
            for row in sent], at=now)
        result.sent += len(sent)
        result.ids.extend(row["id"] for row in sent)
        result.cancelled += sum(1 for row in takeable if taken.get(row["id"]) is False)
    return result


async def _deliver(row: dict[str, Any], now: datetime, actor: Actor) -> bool:
    """Take one due reminder (True: sent, its email waits for the digest), or cancel it as
    moot (False)."""
    kind = row["kind"]
    if kind in REFERRAL_STATUSES:
        return (await _deliver_referrals([row], now, actor))[row["id"]]
    if kind == "barrier_uncovered":
        return await _deliver_barrier(row, now)
    if kind == "case_inactive":
        return await _deliver_case(row, now)
    return await _deliver_digest(row, now)


async def _cancel(row: dict[str, Any], because: str) -> bool:
    await queries.settle([(row["id"], "cancelled", False, because)])
    return False


async def _mark_sent(row: dict[str, Any], now: datetime) -> None:
    """Sent: the chain counts it; it waits for its recipient's digest."""
    await queries.settle([(row["id"], "sent", True, None)], now)


async def _deliver_referrals(rows: list[dict[str, Any]], now: datetime,
                             actor: Actor) -> dict[int, bool]:
    """Take due referral reminders together (per reminder id: True sent, its email waits for
    the digest; False cancelled as moot): their referrals' facts in one statement, settled
    in one, their chains' next steps planned in two; an expiry is the referral's transition."""
    found = await referral_facts_of([row["referral_id"] for row in rows])
    outcomes = []
    for row in rows:
        facts = found.get(row["referral_id"])
        if facts is None or facts.status.value not in REFERRAL_STATUSES[row["kind"]]:
            outcomes.append((row["id"], "cancelled", False, "moot"))
            continue
        addressless = row["recipient"] == "partner" and not facts.partner_emails
        if addressless:  # the chain goes on: the escalation reaches the coordinator
            log.warning("partner has no email address", extra={"reminder_id": row["id"]})
        outcomes.append((row["id"], "sent", not addressless, None))
    await queries.settle(outcomes, now)
    sent = {reminder_id for reminder_id, status, _, _ in outcomes if status == "sent"}
    await schedule.next_referral_steps(
        [(row["referral_id"], row["epoch"]) for row in rows if row["id"] in sent], now)
    for row in rows:
        if row["id"] in sent and row["kind"] == "expire":
            await referrals.transition(actor, FixedClock(now), row["referral_id"],
                                       Status.EXPIRED)
    return {row["id"]: row["id"] in sent for row in rows}


async def _deliver_barrier(row: dict[str, Any], now: datetime) -> bool:
    facts = await queries.barrier_spell(row["barrier_id"])
    if (facts is None or facts["covered"] or facts["case_status"] != "open"
            or facts["status"] not in ("open", "in_progress")):
        return await _cancel(row, "moot")
    coordinator = await queries.coordinator_of_client(row["client_id"])
    if coordinator is None:
        return await _cancel(row, "no_recipient")
    await _mark_sent(row, now)
    await schedule.schedule_barrier(row["barrier_id"], now)
    return True


async def _deliver_case(row: dict[str, Any], now: datetime) -> bool:
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
    return True


async def _deliver_digest(row: dict[str, Any], now: datetime) -> bool:
    user = await AppUser.select(AppUser.active).where(
        AppUser.id == row["coordinator_id"]).first()
    if user is None or not user["active"]:
        return await _cancel(row, "moot")
    overdue = await digest.overdue_for(row["coordinator_id"], now)
    if any(overdue.values()):
        await _mark_sent(row, now)
    else:
        await _cancel(row, "nothing_overdue")
    # after this one left "pending": one pending digest per coordinator
    await schedule.schedule_digest(row["coordinator_id"], next_weekly_digest(now), now)
    return any(overdue.values())

