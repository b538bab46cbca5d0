"""The reminder tick and the coordinators' controls.

`tick(settings, now)`: "turn due reminders into outbox rows". One batch is one transaction:
claim due pending rows with `FOR UPDATE SKIP LOCKED`, lock their subjects (referral, barrier,
case) with `SKIP LOCKED` too, and for each row check it is still due, render its email into the
outbox, mark it sent and schedule the chain's next step. Any number of instances can tick at
once: a row is claimed by one of them, and a status change waiting on a subject lock sees the
committed result. A tick that dies mid-batch rolls back whole; the next tick takes the rows.
A row whose handling raises is put back an hour later (the rest of the batch goes on).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from network.actors import Actor
from network.clock import FixedClock
from network.links.tokens import issue_link
from network.mail.outbox import enqueue
from network.referrals import actions as referrals
from network.referrals.lifecycle import Status
from network.referrals.overdue import is_overdue
from network.reminders import emails, schedule
from network.reminders.policy import NRW, next_weekly_digest
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_BATCHES = 100
RETRY_AFTER = timedelta(hours=1)
REFERRAL_STATUSES = {
    "no_answer": ("sent",), "escalation": ("sent",), "last_warning": ("sent",),
    "expire": ("sent",), "outcome_follow_up": ("accepted", "in_progress"),
    "hold_check": ("on_hold",),
}
STATUS_WORDS = {"accepted": "angenommen", "in_progress": "in Bearbeitung",
                "on_hold": "pausiert"}


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


async def tick(settings: Settings, now: datetime, *, batch_size: int = BATCH_SIZE
               ) -> TickResult:
    """Batches until nothing due is left that this instance can take."""
    total = TickResult()
    for _ in range(MAX_BATCHES):
        result = await tick_batch(settings, now, batch_size=batch_size)
        total.add(result)
        if result.sent + result.cancelled + result.failed == 0:
            break
    if total.sent or total.cancelled or total.failed:
        log.info("reminders ticked", extra={"sent": total.sent, "cancelled": total.cancelled,
                                            "deferred": total.deferred,
                                            "failed": total.failed})
    return total


async def tick_batch(settings: Settings, now: datetime, *, batch_size: int = BATCH_SIZE
                     ) -> TickResult:
    result = TickResult()
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT * FROM reminders WHERE status = 'pending' AND due_at <= $1"
            " ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED", now, batch_size)
        if not rows:
            return result
        free = await _lock_subjects(connection, rows)
        for row in rows:
            subjects = [(t, row[c]) for t, c in SUBJECTS if row[c] is not None]
            if not all(row[c] in free[t] for t, c in SUBJECTS if row[c] is not None):
                result.deferred += 1
                continue
            try:
                async with connection.transaction():  # a savepoint per reminder
                    sent = await _deliver(connection, settings, dict(row), now)
            except Exception:
                log.exception("reminder failed", extra={"reminder_id": row["id"],
                                                        "subjects": subjects})
                await connection.execute(
                    "UPDATE reminders SET due_at = $2 WHERE id = $1", row["id"],
                    NRW.next_office_moment(now + RETRY_AFTER))
                result.failed += 1
                continue
            if sent:
                result.sent += 1
                result.ids.append(row["id"])
            else:
                result.cancelled += 1
    return result


SUBJECTS = (("referrals", "referral_id"), ("barriers", "barrier_id"), ("clients", "client_id"))


async def _lock_subjects(connection: asyncpg.Connection, rows: list[asyncpg.Record]
                         ) -> dict[str, set[int]]:
    """Share-lock the rows each reminder is about, skipping those a change holds right now:
    that change commits first, and its cancellations then see our committed next steps."""
    free: dict[str, set[int]] = {}
    for table, column in SUBJECTS:
        ids = sorted({row[column] for row in rows if row[column] is not None})
        locked = await connection.fetch(
            f"SELECT id FROM {table} WHERE id = ANY ($1::bigint[]) ORDER BY id"
            " FOR SHARE SKIP LOCKED", ids) if ids else []
        free[table] = {r["id"] for r in locked}
    return free


async def _deliver(connection: asyncpg.Connection, settings: Settings, row: dict[str, Any],
                   now: datetime) -> bool:
    """Send one due reminder (True), or cancel it as moot (False)."""
    kind = row["kind"]
    if kind in REFERRAL_STATUSES:
        return await _deliver_referral(connection, settings, row, now)
    if kind == "barrier_uncovered":
        return await _deliver_barrier(connection, settings, row, now)
    if kind == "case_inactive":
        return await _deliver_case(connection, settings, row, now)
    return await _deliver_digest(connection, settings, row, now)


async def _cancel(connection: asyncpg.Connection, row: dict[str, Any], because: str) -> bool:
    await connection.execute(
        "UPDATE reminders SET status = 'cancelled', cancelled_because = $2 WHERE id = $1",
        row["id"], because)
    return False


async def _mark_sent(connection: asyncpg.Connection, row: dict[str, Any], now: datetime
                     ) -> None:
    await connection.execute(
        "UPDATE reminders SET status = 'sent', sent_at = $2 WHERE id = $1", row["id"], now)


async def _queue(connection: asyncpg.Connection, settings: Settings, row: dict[str, Any],
                 recipients: list[str], context: dict[str, Any], now: datetime, **ids: Any
                 ) -> None:
    outbox_id = await enqueue(settings, emails.TEMPLATES[row["kind"]], recipients, context,
                              due_at=now, dedupe_key=f"reminder:{row['id']}", **ids)
    await connection.execute("UPDATE reminders SET outbox_id = $2 WHERE id = $1",
                             row["id"], outbox_id)


REFERRAL_FACTS = """
    SELECT r.id, r.status, r.sent_at, r.partner_id, r.client_id, r.barrier_id,
        b.kind AS barrier_kind, p.name AS partner_name, p.referral_emails,
        u.email AS coordinator_email, u.display_name AS coordinator_name, c.case_number
    FROM referrals r JOIN barriers b ON b.id = r.barrier_id
    JOIN partners p ON p.id = r.partner_id JOIN app_user u ON u.id = r.coordinator_id
    JOIN clients c ON c.id = r.client_id
    WHERE r.id = $1
"""


async def _deliver_referral(connection: asyncpg.Connection, settings: Settings,
                            row: dict[str, Any], now: datetime) -> bool:
    kind = row["kind"]
    facts = await connection.fetchrow(REFERRAL_FACTS, row["referral_id"])
    if facts is None or facts["status"] not in REFERRAL_STATUSES[kind]:
        return await _cancel(connection, row, "moot")
    await _mark_sent(connection, row, now)
    await schedule.next_referral_step(connection, row["referral_id"], row["epoch"], now)
    common = {
        "partner_name": facts["partner_name"],
        "referral_number": emails.referral_number(facts["id"]),
        "barrier_kind": emails.barrier_label(facts["barrier_kind"]),
        "sent_on": emails.day(facts["sent_at"]),
    }
    ids = {"client_id": facts["client_id"], "referral_id": facts["id"]}
    if row["recipient"] == "partner":
        if not facts["referral_emails"]:
            log.warning("partner has no email address", extra={"reminder_id": row["id"]})
            return True  # the chain goes on: escalation reaches the coordinator
        link = await issue_link(connection, settings.base_url, facts["id"], facts["partner_id"],
                                now, timedelta(days=settings.partner_link_days))
        context = {**common, "link_url": link.url,
                   "link_expires_on": emails.day(link.expires_at),
                   "reminder_number": row["sequence"], "since": emails.day(row["epoch"]),
                   "status": STATUS_WORDS.get(facts["status"], facts["status"])}
        if kind == "last_warning":
            following = await connection.fetchval(
                "SELECT due_at FROM reminders WHERE referral_id = $1 AND status = 'pending'",
                facts["id"])
            context["expires_on"] = emails.day(following or now)
        await _queue(connection, settings, row, list(facts["referral_emails"]), context, now,
                     **ids)
        return True
    if kind == "expire":
        await referrals.transition(Actor.system("reminders.expire"), FixedClock(now),
                                   facts["id"], Status.EXPIRED)
    context = {**common, "coordinator_name": facts["coordinator_name"],
               "case_number": facts["case_number"] or "(gelöscht)",
               "case_url": f"{settings.base_url}/clients/{facts['client_id']}"}
    await _queue(connection, settings, row, [facts["coordinator_email"]], context, now, **ids)
    return True


async def _coordinator_of_client(connection: asyncpg.Connection, client_id: int
                                 ) -> asyncpg.Record | None:
    return await connection.fetchrow(
        "SELECT u.email, u.display_name, c.case_number FROM clients c"
        " JOIN app_user u ON u.id = c.coordinator_id WHERE c.id = $1 AND u.active", client_id)


async def _deliver_barrier(connection: asyncpg.Connection, settings: Settings,
                           row: dict[str, Any], now: datetime) -> bool:
    facts = await connection.fetchrow(
        f"""
        SELECT b.kind, b.status, c.status AS case_status,
            EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                    AND r.status IN ({schedule.OPEN_SQL})) AS covered
        FROM barriers b JOIN clients c ON c.id = b.client_id WHERE b.id = $1
        """, row["barrier_id"])
    if (facts is None or facts["covered"] or facts["case_status"] != "open"
            or facts["status"] not in ("open", "in_progress")):
        return await _cancel(connection, row, "moot")
    coordinator = await _coordinator_of_client(connection, row["client_id"])
    if coordinator is None:
        return await _cancel(connection, row, "no_recipient")
    await _mark_sent(connection, row, now)
    await schedule.schedule_barrier(connection, row["barrier_id"], now)
    await _queue(connection, settings, row, [coordinator["email"]], {
        "coordinator_name": coordinator["display_name"],
        "barrier_kind": emails.barrier_label(facts["kind"]),
        "case_number": coordinator["case_number"] or "(gelöscht)",
        "since": emails.day(row["epoch"]),
        "case_url": f"{settings.base_url}/clients/{row['client_id']}",
    }, now, client_id=row["client_id"])
    return True


async def _deliver_case(connection: asyncpg.Connection, settings: Settings,
                        row: dict[str, Any], now: datetime) -> bool:
    facts = await connection.fetchrow(
        f"SELECT c.status, {schedule.LAST_ACTIVITY_SQL} AS last_activity FROM clients c"
        " WHERE c.id = $1", row["client_id"])
    if facts is None or facts["status"] != "open":
        return await _cancel(connection, row, "moot")
    if facts["last_activity"] > row["epoch"]:  # something happened: count from then
        await _cancel(connection, row, "activity")
        await schedule.schedule_case(connection, row["client_id"], now)
        return False
    coordinator = await _coordinator_of_client(connection, row["client_id"])
    if coordinator is None:
        return await _cancel(connection, row, "no_recipient")
    await _mark_sent(connection, row, now)
    await schedule.schedule_case(connection, row["client_id"], now)
    await _queue(connection, settings, row, [coordinator["email"]], {
        "coordinator_name": coordinator["display_name"],
        "case_number": coordinator["case_number"] or "(gelöscht)",
        "since": emails.day(row["epoch"]),
        "case_url": f"{settings.base_url}/clients/{row['client_id']}",
    }, now, client_id=row["client_id"])
    return True


async def _deliver_digest(connection: asyncpg.Connection, settings: Settings,
                          row: dict[str, Any], now: datetime) -> bool:
    user = await connection.fetchrow(
        "SELECT email, display_name, active FROM app_user WHERE id = $1", row["coordinator_id"])
    if user is None or not user["active"]:
        return await _cancel(connection, row, "moot")
    overdue = await overdue_for(connection, row["coordinator_id"], now)
    if any(overdue.values()):
        await _mark_sent(connection, row, now)
        await _queue(connection, settings, row, [user["email"]], {
            "coordinator_name": user["display_name"], "week_of": emails.day(now),
            "dashboard_url": f"{settings.base_url}/", **overdue}, now)
    else:
        await _cancel(connection, row, "nothing_overdue")
    # after this one left "pending": one pending digest per coordinator
    await schedule.schedule_digest(connection, row["coordinator_id"], next_weekly_digest(now),
                                   now)
    return any(overdue.values())


async def overdue_for(connection: asyncpg.Connection, coordinator_id: int, now: datetime
                      ) -> dict[str, list[dict[str, str]]]:
    """What the weekly digest lists: referrals whose partner has not answered in time,
    barriers without an open referral for a week, cases without activity for 30 days."""
    referral_rows = await connection.fetch(
        """
        SELECT r.id, r.sent_at, p.name, b.kind, c.case_number FROM referrals r
        JOIN partners p ON p.id = r.partner_id JOIN barriers b ON b.id = r.barrier_id
        JOIN clients c ON c.id = r.client_id
        WHERE r.coordinator_id = $1 AND r.status = 'sent' ORDER BY r.sent_at, r.id
        """, coordinator_id)
    waiting = [r for r in referral_rows if r["sent_at"] is not None
               and is_overdue(r["sent_at"], now)]
    barrier_rows = await connection.fetch(
        f"""
        SELECT b.kind, c.case_number, greatest(b.opened_at, (SELECT max(closed_at)
            FROM referrals r WHERE r.barrier_id = b.id)) AS since
        FROM barriers b JOIN clients c ON c.id = b.client_id
        WHERE c.coordinator_id = $1 AND c.status = 'open'
          AND b.status IN ('open', 'in_progress')
          AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                          AND r.status IN ({schedule.OPEN_SQL}))
        ORDER BY since
        """, coordinator_id)
    case_rows = await connection.fetch(
        f"SELECT c.case_number, {schedule.LAST_ACTIVITY_SQL} AS since FROM clients c"
        " WHERE c.coordinator_id = $1 AND c.status = 'open' ORDER BY since", coordinator_id)
    return {
        "referrals": [{"referral_number": emails.referral_number(r["id"]),
                       "partner_name": r["name"], "barrier_kind": emails.barrier_label(r["kind"]),
                       "case_number": r["case_number"] or "", "sent_on": emails.day(r["sent_at"])}
                      for r in waiting],
        "barriers": [{"barrier_kind": emails.barrier_label(r["kind"]),
                      "case_number": r["case_number"] or "", "since": emails.day(r["since"])}
                     for r in barrier_rows if r["since"] <= now - timedelta(days=7)],
        "cases": [{"case_number": r["case_number"] or "", "since": emails.day(r["since"])}
                  for r in case_rows if r["since"] <= now - timedelta(days=30)],
    }
