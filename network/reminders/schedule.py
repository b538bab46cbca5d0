"""Reminder rows are written and cancelled here, always in the caller's transaction: the change
that makes a reminder due or moot commits together with it (an answer cancels the "no answer"
chain, a resolved barrier cancels everything for it). The policy says what comes next; this
module only stores it. The tick (`service.py`) uses the same functions for the next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg

from network.referrals.lifecycle import OPEN_STATUSES, Change, Status
from network.reminders import rules
from network.reminders.policy import (
    BarrierState,
    CaseState,
    DueReminder,
    ReferralState,
    ReminderKind,
    SentReminder,
    next_barrier_reminder,
    next_case_reminder,
    next_referral_reminder,
)

if TYPE_CHECKING:
    from network.referrals.service import Referral

NO_ANSWER_KINDS = ("no_answer", "escalation", "last_warning", "expire")
REFERRAL_KINDS = (*NO_ANSWER_KINDS, "outcome_follow_up", "hold_check")
OPEN_SQL = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
DONE = ("sent", "skipped")  # steps the chain counts as taken


async def on_referral_changed(
    connection: asyncpg.Connection, referral: Referral, change: Change | None, now: datetime,
    *, hold_until: datetime | None = None,
) -> None:
    """A referral was created (`change` None) or changed status: cancel what became moot and
    schedule the next step of the chain its new status starts. Also keeps the barrier's
    "no open referral" reminder in step."""
    if change is not None:
        if change.cancels_all_reminders:
            await cancel(connection, "referral_closed", referral_id=referral.id)
        else:
            if change.cancels_no_answer_reminders:
                await cancel(connection, "answered", referral_id=referral.id,
                             kinds=NO_ANSWER_KINDS)
            # every status starts its own follow-up chain
            await cancel(connection, "status_changed", referral_id=referral.id)
    state = ReferralState(referral.status.value, now, hold_until=hold_until)
    config = await rules.config_for_referral(connection, referral.id)
    await add_referral_step(connection, referral.id, referral.barrier_id, referral.client_id,
                            now, next_referral_reminder(state, config, not_before=now))
    if referral.status in OPEN_STATUSES:
        await cancel(connection, "barrier_covered", barrier_id=referral.barrier_id,
                     kinds=("barrier_uncovered",))
    else:
        await schedule_barrier(connection, referral.barrier_id, now)


async def on_barrier_finished(connection: asyncpg.Connection, barrier_id: int) -> None:
    """A resolved (or unresolvable) barrier needs no reminder of any kind any more."""
    await cancel(connection, "barrier_finished", barrier_id=barrier_id)


async def on_case_closed(connection: asyncpg.Connection, client_id: int) -> None:
    await cancel(connection, "case_closed", client_id=client_id)


async def cancel(
    connection: asyncpg.Connection, because: str, *, referral_id: int | None = None,
    barrier_id: int | None = None, client_id: int | None = None,
    kinds: Iterable[str] | None = None,
) -> int:
    """Cancel pending reminders of one subject (of the given kinds, or all)."""
    result = await connection.execute(
        """
        UPDATE reminders SET status = 'cancelled', cancelled_because = $1
        WHERE status = 'pending'
          AND ($2::bigint IS NULL OR referral_id = $2)
          AND ($3::bigint IS NULL OR barrier_id = $3)
          AND ($4::bigint IS NULL OR client_id = $4)
          AND ($5::text[] IS NULL OR kind = ANY ($5::text[]))
          AND ($2::bigint IS NOT NULL OR $3::bigint IS NOT NULL OR $4::bigint IS NOT NULL)
        """,
        because, referral_id, barrier_id, client_id, None if kinds is None else list(kinds))
    return int(result.split()[-1])


async def add_referral_step(
    connection: asyncpg.Connection, referral_id: int, barrier_id: int, client_id: int,
    epoch: datetime, step: DueReminder | None, now: datetime | None = None,
) -> None:
    if step is None:
        return
    await _insert(connection, step, epoch, now or epoch, referral_id=referral_id,
                  barrier_id=barrier_id, client_id=client_id)


async def referral_history(connection: asyncpg.Connection, referral_id: int, epoch: datetime
                           ) -> tuple[SentReminder, ...]:
    rows = await connection.fetch(
        "SELECT kind, coalesce(sent_at, decided_at) AS at FROM reminders"
        " WHERE referral_id = $1 AND epoch = $2 AND status IN ('sent', 'skipped')",
        referral_id, epoch)
    return tuple(SentReminder(ReminderKind(row["kind"]), row["at"]) for row in rows)


async def next_referral_step(
    connection: asyncpg.Connection, referral_id: int, epoch: datetime, now: datetime,
    hold_until: datetime | None = None,
) -> None:
    """After a step was sent or skipped: schedule the following one of the same chain."""
    row = await connection.fetchrow(
        "SELECT status, barrier_id, client_id FROM referrals WHERE id = $1", referral_id)
    if row is None or Status(row["status"]) not in OPEN_STATUSES:
        return
    state = ReferralState(row["status"], epoch, await referral_history(
        connection, referral_id, epoch), hold_until=hold_until)
    config = await rules.config_for_referral(connection, referral_id)
    step = next_referral_reminder(state, config, not_before=now)
    await add_referral_step(connection, referral_id, row["barrier_id"], row["client_id"], epoch,
                            step, now)


async def schedule_barrier(connection: asyncpg.Connection, barrier_id: int, now: datetime,
                           ) -> None:
    """Schedule "this barrier has no open referral" when that is so and nothing is pending;
    the spell starts when the barrier opened or its last referral closed."""
    row = await connection.fetchrow(
        f"""
        SELECT b.client_id, b.status, c.status AS case_status, c.pseudonymised_at,
            greatest(b.opened_at, (SELECT max(closed_at) FROM referrals r
                                   WHERE r.barrier_id = b.id)) AS since,
            EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                    AND r.status IN ({OPEN_SQL})) AS covered
        FROM barriers b JOIN clients c ON c.id = b.client_id WHERE b.id = $1
        """, barrier_id)
    if (row is None or row["case_status"] != "open" or row["pseudonymised_at"] is not None
            or row["status"] not in ("open", "in_progress")):
        return
    sent = await connection.fetch(
        "SELECT coalesce(sent_at, decided_at) AS at FROM reminders WHERE barrier_id = $1"
        " AND kind = 'barrier_uncovered' AND epoch = $2 AND status IN ('sent', 'skipped')",
        barrier_id, row["since"])
    state = BarrierState(False, row["covered"], row["since"], tuple(r["at"] for r in sent))
    step = next_barrier_reminder(state, not_before=now)
    if step is not None:
        await _insert(connection, step, row["since"], now, barrier_id=barrier_id,
                      client_id=row["client_id"])


LAST_ACTIVITY_SQL = """
    greatest(c.updated_at,
             (SELECT max(at) FROM case_events e WHERE e.client_id = c.id),
             (SELECT max(e.at) FROM barrier_events e JOIN barriers b ON b.id = e.barrier_id
              WHERE b.client_id = c.id),
             (SELECT max(e.at) FROM referral_events e JOIN referrals r ON r.id = e.referral_id
              WHERE r.client_id = c.id))
"""


async def schedule_case(connection: asyncpg.Connection, client_id: int, now: datetime) -> None:
    """Schedule "nothing happened in this case" from its last activity, unless pending."""
    row = await connection.fetchrow(
        f"SELECT c.status, c.pseudonymised_at, {LAST_ACTIVITY_SQL} AS last_activity"
        " FROM clients c WHERE c.id = $1", client_id)
    if row is None or row["status"] != "open" or row["pseudonymised_at"] is not None:
        return
    sent = await connection.fetch(
        "SELECT coalesce(sent_at, decided_at) AS at FROM reminders WHERE client_id = $1"
        " AND kind = 'case_inactive' AND epoch = $2 AND status IN ('sent', 'skipped')",
        client_id, row["last_activity"])
    step = next_case_reminder(CaseState(False, row["last_activity"],
                                        tuple(r["at"] for r in sent)), not_before=now)
    if step is not None:
        await _insert(connection, step, row["last_activity"], now, client_id=client_id)


async def schedule_digest(connection: asyncpg.Connection, coordinator_id: int, due: datetime,
                          now: datetime) -> None:
    await connection.execute(
        "INSERT INTO reminders (kind, recipient, coordinator_id, sequence, epoch, due_at,"
        " created_at) VALUES ('weekly_digest', 'coordinator', $1, 1, $2, $2, $3)"
        " ON CONFLICT DO NOTHING", coordinator_id, due, now)


async def _insert(
    connection: asyncpg.Connection, step: DueReminder, epoch: datetime, now: datetime, *,
    referral_id: int | None = None, barrier_id: int | None = None, client_id: int | None = None,
) -> None:
    # ON CONFLICT: another instance (or an earlier run) scheduled this very step already.
    await connection.execute(
        """
        INSERT INTO reminders (kind, recipient, referral_id, barrier_id, client_id, sequence,
            epoch, due_at, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT DO NOTHING
        """,
        step.kind.value, step.recipient.value, referral_id, barrier_id, client_id,
        step.sequence, epoch, step.due_at, now)
