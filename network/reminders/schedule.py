"""Reminder rows are written and cancelled here, always in the caller's transaction: the change
that makes a reminder due or moot commits together with it (an answer cancels the "no answer"
chain, a resolved barrier cancels everything for it). The policy says what comes next; this
module only stores it. The tick (`service.py`) uses the same functions for the next step; the
subscribers (`subscribers.py`) call them when a referral or a case changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from piccolo.columns.combination import Where

from network.referrals.lifecycle import OPEN_STATUSES, Change, Status
from network.reminders import queries, rules
from network.reminders.calendar import berlin_moment
from network.reminders.policy import (
    BarrierState,
    CaseState,
    DueReminder,
    ReferralState,
    ReminderConfig,
    ReminderKind,
    SentReminder,
    next_barrier_reminder,
    next_case_reminder,
    next_referral_reminder,
    next_weekly_digest,
)
from network.reminders.tables import Reminder

NO_ANSWER_KINDS = ("no_answer", "escalation", "last_warning", "expire")
REFERRAL_KINDS = (*NO_ANSWER_KINDS, "outcome_follow_up", "hold_check")
OPEN_SQL = queries.OPEN_SQL
LAST_ACTIVITY_SQL = queries.LAST_ACTIVITY_SQL
DONE = queries.DONE


async def on_referral_changed(
    referral_id: int, status: Status, barrier_id: int, client_id: int, change: Change | None,
    now: datetime, *, hold_until: date | None = None, config: ReminderConfig | None = None,
) -> None:
    """A referral was created (`change` None) or changed status: cancel what became moot and
    schedule the next step of the chain its new status starts (on hold until a day: its
    check comes that day, at the office's opening), by `config` (None: the stored rule of
    the partner's kind, read here). Also keeps the barrier's "no open referral" reminder in
    step: an open referral cancels it in the statement that stores the step."""
    if change is not None:
        if change.cancels_all_reminders:
            await cancel("referral_closed", referral_id=referral_id)
        else:  # every status starts its own follow-up chain; an answer ends the no-answer one
            await queries.cancel_pending(
                "status_changed", "referral_id", referral_id,
                because_of_kinds=("answered", NO_ANSWER_KINDS)
                if change.cancels_no_answer_reminders else None)
    state = ReferralState(status.value, now, hold_until=hold_check_moment(hold_until))
    if config is None:
        config = await rules.config_for_referral(referral_id)
    step = next_referral_reminder(state, config, not_before=now)
    steps = [] if step is None else [(step, now, {"referral_id": referral_id,
                                                  "barrier_id": barrier_id,
                                                  "client_id": client_id})]
    if status in OPEN_STATUSES:
        await _insert_many(steps, now, covered_barrier_id=barrier_id)
    else:
        await _insert_many(steps, now)
        await schedule_barrier(barrier_id, now)


def hold_check_moment(hold_until: date | None) -> datetime | None:
    """The start of the day a referral is on hold until, in Berlin (the policy moves it to
    that day's opening, or the next working day's)."""
    return None if hold_until is None else berlin_moment(hold_until, time.min)


async def on_barrier_finished(barrier_id: int) -> None:
    """A resolved (or unresolvable) barrier needs no reminder of any kind any more."""
    await cancel("barrier_finished", barrier_id=barrier_id)


async def on_case_closed(client_id: int) -> None:
    await cancel("case_closed", client_id=client_id)


async def cancel(
    because: str, *, referral_id: int | None = None, barrier_id: int | None = None,
    client_id: int | None = None, kinds: Iterable[str] | None = None,
) -> int:
    """Cancel pending reminders of one subject (of the given kinds, or all)."""
    for column, value in (("referral_id", referral_id), ("barrier_id", barrier_id),
                          ("client_id", client_id)):
        if value is not None:
            return await queries.cancel_pending(because, column, value, kinds=kinds)
    return 0


async def next_referral_step(referral_id: int, epoch: datetime, now: datetime,
                             hold_until: datetime | None = None) -> None:
    """After a step was sent or skipped: schedule the following one of the same chain."""
    await next_referral_steps([(referral_id, epoch)], now, hold_until=hold_until)


async def next_referral_steps(chains: list[tuple[int, datetime]], now: datetime, *,
                              hold_until: datetime | None = None) -> None:
    """After steps of several chains (referral, epoch) were sent or skipped: schedule each
    open one's following step; one statement reads them all, one writes the steps."""
    steps = []
    for row in await queries.referral_chains(chains):
        if Status(row["status"]) not in OPEN_STATUSES:
            continue
        taken = tuple(SentReminder(ReminderKind(kind), at)
                      for kind, at in zip(row["taken_kinds"], row["taken_at"], strict=True))
        state = ReferralState(row["status"], row["epoch"], taken, hold_until=hold_until)
        config = rules.config_of_row(row if row["partner_kind"] is not None else None)
        step = next_referral_reminder(state, config, not_before=now)
        if step is not None:
            steps.append((step, row["epoch"], {"referral_id": row["referral_id"],
                                               "barrier_id": row["barrier_id"],
                                               "client_id": row["client_id"]}))
    await _insert_many(steps, now)


async def _taken(epoch: datetime, kind: str, subject: Where) -> tuple[datetime, ...]:
    """When the steps of one spell were sent or skipped."""
    rows = await Reminder.select(Reminder.sent_at, Reminder.decided_at).where(
        subject & (Reminder.kind == kind) & (Reminder.epoch == epoch)
        & Reminder.status.is_in(list(DONE)))
    return tuple(row["sent_at"] or row["decided_at"] for row in rows)


async def schedule_barrier(barrier_id: int, now: datetime) -> None:
    """Schedule "this barrier has no open referral" when that is so and nothing is pending;
    the spell starts when the barrier opened or its last referral closed."""
    row = await queries.barrier_spell(barrier_id)
    if (row is None or row["case_status"] != "open" or row["pseudonymised_at"] is not None
            or row["status"] not in ("open", "in_progress")):
        return
    sent = await _taken(row["since"], "barrier_uncovered", Reminder.barrier_id == barrier_id)
    state = BarrierState(False, row["covered"], row["since"], sent)
    step = next_barrier_reminder(state, not_before=now)
    if step is not None:
        await _insert(step, row["since"], now, barrier_id=barrier_id,
                      client_id=row["client_id"])


async def schedule_case(client_id: int, now: datetime) -> None:
    """Schedule "nothing happened in this case" from its last activity, unless pending."""
    row = await queries.case_activity(client_id)
    if row is None or row["status"] != "open" or row["pseudonymised_at"] is not None:
        return
    sent = await _taken(row["last_activity"], "case_inactive", Reminder.client_id == client_id)
    step = next_case_reminder(CaseState(False, row["last_activity"], sent), not_before=now)
    if step is not None:
        await _insert(step, row["last_activity"], now, client_id=client_id)


async def schedule_digest(coordinator_id: int, due: datetime, now: datetime) -> None:
    await Reminder.insert(Reminder(
        kind="weekly_digest", recipient="coordinator", coordinator_id=coordinator_id,
        sequence=1, epoch=due, due_at=due, created_at=now,
    )).on_conflict(action="DO NOTHING")


async def _insert(
    step: DueReminder, epoch: datetime, now: datetime, *, referral_id: int | None = None,
    barrier_id: int | None = None, client_id: int | None = None,
) -> None:
    await _insert_many([(step, epoch, {"referral_id": referral_id, "barrier_id": barrier_id,
                                       "client_id": client_id})], now)


async def _insert_many(steps: list[tuple[DueReminder, datetime, dict[str, int | None]]],
                       now: datetime, *, covered_barrier_id: int | None = None) -> None:
    """Store steps (each with its epoch and subject) in one statement; one that another
    instance (or an earlier run) scheduled already is left as it is. `covered_barrier_id`:
    an open referral covers that barrier now, its pending "no open referral" reminder is
    cancelled ("barrier_covered") in the same statement."""
    await queries.insert_steps([
        (step.kind.value, step.recipient.value, subject["referral_id"], subject["barrier_id"],
         subject["client_id"], step.sequence, epoch, step.due_at)
        for step, epoch, subject in steps], now, covered_barrier_id=covered_barrier_id)


async def after(row: Mapping[str, Any], now: datetime) -> None:
    """A reminder left pending without being sent (skipped, or failed): schedule the next
    step of its chain, as if it had gone out."""
    kind = row["kind"]
    if kind in REFERRAL_KINDS:
        await next_referral_step(row["referral_id"], row["epoch"], now)
    elif kind == "barrier_uncovered":
        await schedule_barrier(row["barrier_id"], now)
    elif kind == "case_inactive":
        await schedule_case(row["client_id"], now)
    else:
        await schedule_digest(row["coordinator_id"], next_weekly_digest(now), now)
