"""The reminders' hand-written SQL, where the query builder cannot say it: the tick's claim
(`FOR UPDATE SKIP LOCKED`) and subject locks (`FOR SHARE SKIP LOCKED`), and the joins that
read how a barrier, a case or a coordinator's week stands in one round trip. Every function
runs in the caller's transaction (`transaction()` joins it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from network.referrals.lifecycle import OPEN_STATUSES
from network.transactions import transaction

OPEN_SQL = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
DONE = ("sent", "skipped", "failed")  # steps a chain counts as taken
SUBJECTS = (("referrals", "referral_id"), ("barriers", "barrier_id"), ("clients", "client_id"))

LAST_ACTIVITY_SQL = """
    greatest(c.updated_at,
             (SELECT max(at) FROM case_events e WHERE e.client_id = c.id),
             (SELECT max(e.at) FROM barrier_events e JOIN barriers b ON b.id = e.barrier_id
              WHERE b.client_id = c.id),
             (SELECT max(e.at) FROM referral_events e JOIN referrals r ON r.id = e.referral_id
              WHERE r.client_id = c.id))
"""


def _dicts(rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


async def _row(sql: str, *args: Any) -> dict[str, Any] | None:
    async with transaction() as connection:
        row = await connection.fetchrow(sql, *args)
    return None if row is None else dict(row)


async def claim_due(now: datetime, batch_size: int, day: str) -> list[dict[str, Any]]:
    """Due pending reminders, locked for this tick (rows another tick holds are skipped),
    each with whose digest it goes into (`digest_key`) and whether that digest went out on
    `day` already (`digest_mailed`): one statement."""
    async with transaction() as connection:
        return _dicts(await connection.fetch(
            f"""
            WITH m AS MATERIALIZED (
                SELECT * FROM reminders WHERE status = 'pending' AND due_at <= $1
                ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
            SELECT m.*, {DIGEST_KEY_SQL} AS digest_key,
                {MAILED_ON_SQL.format(key=DIGEST_KEY_SQL, day='$3')} AS digest_mailed
            FROM m {DIGEST_SUBJECTS} ORDER BY m.due_at, m.id
            """, now, batch_size, day))


async def lock_subjects(rows: list[dict[str, Any]]) -> dict[str, set[int]]:
    """Share-lock the rows each reminder is about, skipping those a change holds right now:
    that change commits first, and its cancellations then see our committed next steps.
    Returns, per table, the ids locked (one statement, the tables in a fixed order)."""
    ids = [sorted({row[column] for row in rows if row[column] is not None})
           for _table, column in SUBJECTS]
    locks = ",\n".join(
        f"locked_{table} AS (SELECT id FROM {table} WHERE id = ANY (${n}::bigint[])"
        " ORDER BY id FOR SHARE SKIP LOCKED)"
        for n, (table, _column) in enumerate(SUBJECTS, start=1))
    arrays = ", ".join(f"ARRAY(SELECT id FROM locked_{table}) AS {table}"
                       for table, _column in SUBJECTS)
    async with transaction() as connection:
        row = await connection.fetchrow(f"WITH {locks}\nSELECT {arrays}", *ids)
    return {table: set(row[table]) for table, _column in SUBJECTS}


async def barrier_spell(barrier_id: int) -> dict[str, Any] | None:
    """How a barrier stands for the "no open referral" reminder: since when it is uncovered
    (opened, or its last referral closed) and whether an open referral covers it."""
    return await _row(
        f"""
        SELECT b.client_id, b.kind, b.status, c.status AS case_status, c.pseudonymised_at,
            greatest(b.opened_at, (SELECT max(closed_at) FROM referrals r
                                   WHERE r.barrier_id = b.id)) AS since,
            EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                    AND r.status IN ({OPEN_SQL})) AS covered
        FROM barriers b JOIN clients c ON c.id = b.client_id WHERE b.id = $1
        """, barrier_id)


async def case_activity(client_id: int) -> dict[str, Any] | None:
    """A case's status and its last activity (any event of it, its barriers or referrals)."""
    return await _row(
        f"SELECT c.status, c.pseudonymised_at, {LAST_ACTIVITY_SQL} AS last_activity"
        " FROM clients c WHERE c.id = $1", client_id)


async def coordinator_of_client(client_id: int) -> dict[str, Any] | None:
    """The case's coordinator (if active) and the case number."""
    return await _row(
        "SELECT u.email, u.display_name, c.case_number FROM clients c"
        " JOIN app_user u ON u.id = c.coordinator_id WHERE c.id = $1 AND u.active", client_id)


async def rule_for_referral(referral_id: int) -> dict[str, Any] | None:
    """The stored reminder rule for the kind of partner the referral went to, if any."""
    return await _row(
        "SELECT rr.* FROM referrals r JOIN partners p ON p.id = r.partner_id"
        " JOIN reminder_rules rr ON rr.partner_kind = p.kind WHERE r.id = $1", referral_id)


async def overdue_of(coordinator_id: int) -> tuple[list[dict[str, Any]], ...]:
    """What the weekly digest may list for a coordinator: sent referrals, barriers without
    an open referral (with since when), open cases (with their last activity)."""
    async with transaction() as connection:
        referrals = await connection.fetch(
            """
            SELECT r.id, r.sent_at, p.name, b.kind, c.case_number FROM referrals r
            JOIN partners p ON p.id = r.partner_id JOIN barriers b ON b.id = r.barrier_id
            JOIN clients c ON c.id = r.client_id
            WHERE r.coordinator_id = $1 AND r.status = 'sent' ORDER BY r.sent_at, r.id
            """, coordinator_id)
        barriers = await connection.fetch(
            f"""
            SELECT b.kind, c.case_number, greatest(b.opened_at, (SELECT max(closed_at)
                FROM referrals r WHERE r.barrier_id = b.id)) AS since
            FROM barriers b JOIN clients c ON c.id = b.client_id
            WHERE c.coordinator_id = $1 AND c.status = 'open'
              AND b.status IN ('open', 'in_progress')
              AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                              AND r.status IN ({OPEN_SQL}))
            ORDER BY since
            """, coordinator_id)
        cases = await connection.fetch(
            f"SELECT c.case_number, {LAST_ACTIVITY_SQL} AS since FROM clients c"
            " WHERE c.coordinator_id = $1 AND c.status = 'open' ORDER BY since",
            coordinator_id)
    return _dicts(referrals), _dicts(barriers), _dicts(cases)


async def unplanned(limit: int) -> dict[str, list[dict[str, Any]]]:
    """What planning gives a pending reminder: uncovered barriers, open cases and active
    coordinators without one, and open referrals from before reminders existed."""
    async with transaction() as connection:
        barriers = await connection.fetch(
            f"""
            SELECT b.id FROM barriers b JOIN clients c ON c.id = b.client_id
            WHERE b.status IN ('open', 'in_progress') AND c.status = 'open'
              AND c.pseudonymised_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                              AND r.status IN ({OPEN_SQL}))
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.barrier_id = b.id
                              AND m.kind = 'barrier_uncovered' AND m.status = 'pending')
            ORDER BY b.id LIMIT $1
            """, limit)
        cases = await connection.fetch(
            """
            SELECT c.id FROM clients c WHERE c.status = 'open' AND c.pseudonymised_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.client_id = c.id
                              AND m.kind = 'case_inactive' AND m.status = 'pending')
            ORDER BY c.id LIMIT $1
            """, limit)
        coordinators = await connection.fetch(
            """
            SELECT u.id FROM app_user u WHERE u.active AND u.role = 'coordinator'
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.coordinator_id = u.id
                              AND m.kind = 'weekly_digest' AND m.status = 'pending')
            ORDER BY u.id LIMIT $1
            """, limit)
        referrals = await connection.fetch(
            """
            SELECT r.id, r.barrier_id, r.client_id, r.status,
                (SELECT max(at) FROM referral_events e WHERE e.referral_id = r.id
                 AND e.to_status = r.status AND e.from_status IS DISTINCT FROM e.to_status)
                AS since
            FROM referrals r
            WHERE r.status IN ('sent', 'accepted', 'in_progress', 'on_hold')
              AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.referral_id = r.id)
            ORDER BY r.id LIMIT $1
            """, limit)
    return {"barriers": _dicts(barriers), "cases": _dicts(cases),
            "coordinators": _dicts(coordinators), "referrals": _dicts(referrals)}


# Whose digest a reminder goes into: the referral addresses of its partner (partners that
# share their addresses share the email; the key holds their hash, not the addresses), or the
# coordinator of its referral, case or (weekly overview) its own. The expiry step tells the
# coordinator.
DIGEST_KEY_SQL = """
    CASE WHEN m.recipient = 'partner' THEN 'partner:' || md5((
            SELECT string_agg(lower(e), ',' ORDER BY lower(e))
            FROM unnest(p.referral_emails) e))
         ELSE 'coordinator:' || coalesce(r.coordinator_id, c.coordinator_id, m.coordinator_id)
    END
"""
DIGEST_SUBJECTS = """
    LEFT JOIN referrals r ON r.id = m.referral_id
    LEFT JOIN partners p ON p.id = r.partner_id LEFT JOIN clients c ON c.id = m.client_id
"""
DIGEST_JOINS = "FROM reminders m" + DIGEST_SUBJECTS
MAILED_ON_SQL = ("EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key ="
                 " 'reminders:' || ({key}) || ':' || {day})")


async def settle(outcomes: list[tuple[int, str, bool, str | None]],
                 now: datetime | None = None) -> None:
    """Settle taken reminders in one statement: each (id, "sent" or "cancelled", unmailed,
    why cancelled). A sent one counts for its chain at `now` (only cancelling: no time
    needed); `unmailed`, it waits for its recipient's digest."""
    if not outcomes:
        return
    ids, statuses, unmailed, because = (list(column) for column in zip(*outcomes, strict=True))
    async with transaction() as connection:
        await connection.execute(
            """
            UPDATE reminders m SET status = t.status,
                sent_at = CASE WHEN t.status = 'sent' THEN $5 ELSE m.sent_at END,
                unmailed = CASE WHEN t.status = 'sent' THEN t.unmailed ELSE m.unmailed END,
                cancelled_because = CASE WHEN t.status = 'cancelled' THEN t.because
                                         ELSE m.cancelled_because END
            FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::text[])
                 AS t(id, status, unmailed, because)
            WHERE m.id = t.id
            """, ids, statuses, unmailed, because, now)


async def cancel_pending(
    because: str, column: str, subject_id: int, *, kinds: Iterable[str] | None = None,
    because_of_kinds: tuple[str, Iterable[str]] | None = None,
) -> int:
    """Cancel the pending reminders of one subject (`column` is referral_id, barrier_id or
    client_id), of `kinds` or all, in one statement; `because_of_kinds` gives those of some
    kinds another reason (a referral's answer ends its no-answer steps as "answered", the
    rest of its chain as "status_changed"). How many were cancelled."""
    if column not in {column for _table, column in SUBJECTS}:  # never from input: a bug
        raise ValueError(f"not a reminder's subject: {column}")
    other, other_kinds = because_of_kinds or (because, ())
    async with transaction() as connection:
        rows = await connection.fetch(
            f"""
            UPDATE reminders SET status = 'cancelled',
                cancelled_because = CASE WHEN kind = ANY ($4::text[]) THEN $3 ELSE $1 END
            WHERE status = 'pending' AND {column} = $2
              AND ($5::text[] IS NULL OR kind = ANY ($5::text[]))
            RETURNING id
            """, because, subject_id, other, list(other_kinds),
            None if kinds is None else list(kinds))
    return len(rows)


INSERT_STEPS = """
    INSERT INTO reminders (kind, recipient, referral_id, barrier_id, client_id,
                           sequence, epoch, due_at, status, unmailed, created_at)
    SELECT t.*, 'pending', false, $9
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[],
                $6::int[], $7::timestamptz[], $8::timestamptz[])
         AS t(kind, recipient, referral_id, barrier_id, client_id, sequence, epoch, due_at)
    ON CONFLICT DO NOTHING
"""
# The same, with a barrier's ($10) pending "no open referral" reminder cancelled (the rows
# differ in kind, so the statement's single snapshot changes nothing).
COVER_AND_INSERT_STEPS = """
    WITH covered AS (
        UPDATE reminders SET status = 'cancelled', cancelled_because = 'barrier_covered'
        WHERE status = 'pending' AND barrier_id = $10 AND kind = 'barrier_uncovered')
""" + INSERT_STEPS
STEP_COLUMNS = 8  # kind, recipient, referral, barrier, client, sequence, epoch, due


async def insert_steps(steps: list[tuple[Any, ...]], now: datetime, *,
                       covered_barrier_id: int | None = None) -> None:
    """Pending reminders, each (kind, recipient, referral, barrier, client, sequence, epoch,
    due), in one statement. DO NOTHING: another instance (or an earlier run) scheduled this
    very step already. `covered_barrier_id`: in the same statement, that barrier's pending
    "no open referral" reminder is cancelled, because an open referral covers it now."""
    if not steps and covered_barrier_id is None:
        return
    columns = ([list(column) for column in zip(*steps, strict=True)] if steps
               else [[] for _ in range(STEP_COLUMNS)])
    async with transaction() as connection:
        if covered_barrier_id is None:
            await connection.execute(INSERT_STEPS, *columns, now)
        else:
            await connection.execute(COVER_AND_INSERT_STEPS, *columns, now, covered_barrier_id)


async def referral_chains(chains: list[tuple[int, datetime]]) -> list[dict[str, Any]]:
    """For each (referral, epoch): the referral's status, barrier and client, the stored
    reminder rule of its partner's kind (NULLs: none), and the chain's steps taken so far
    (`taken_kinds`, `taken_at`), in one statement."""
    if not chains:
        return []
    referral_ids, epochs = (list(column) for column in zip(*chains, strict=True))
    async with transaction() as connection:
        return _dicts(await connection.fetch(
            """
            SELECT t.referral_id, t.epoch, r.status, r.barrier_id, r.client_id,
                   rr.partner_kind, rr.no_answer_working_days, rr.follow_up_days,
                   rr.hold_check_days, taken.kinds AS taken_kinds, taken.at AS taken_at
            FROM unnest($1::bigint[], $2::timestamptz[]) AS t(referral_id, epoch)
            JOIN referrals r ON r.id = t.referral_id
            JOIN partners p ON p.id = r.partner_id
            LEFT JOIN reminder_rules rr ON rr.partner_kind = p.kind
            CROSS JOIN LATERAL (
                SELECT coalesce(array_agg(m.kind ORDER BY m.id), '{}') AS kinds,
                       coalesce(array_agg(coalesce(m.sent_at, m.decided_at) ORDER BY m.id),
                                '{}') AS at
                FROM reminders m
                WHERE m.referral_id = t.referral_id AND m.epoch = t.epoch
                  AND m.status = ANY ($3::text[])) AS taken
            """, referral_ids, epochs, list(DONE)))


async def digest_keys(reminder_ids: list[int], day: str) -> dict[int, tuple[str | None, bool]]:
    """For each reminder: whose digest it goes into, and whether that digest went out on
    `day` already (one statement for the whole batch)."""
    if not reminder_ids:
        return {}
    async with transaction() as connection:
        rows = await connection.fetch(
            f"SELECT m.id, {DIGEST_KEY_SQL} AS key,"
            f" {MAILED_ON_SQL.format(key=DIGEST_KEY_SQL, day='$2')} AS mailed {DIGEST_JOINS}"
            " WHERE m.id = ANY ($1::bigint[])", reminder_ids, day)
    return {row["id"]: (row["key"], row["mailed"]) for row in rows}


async def claim_unmailed(day: str) -> list[dict[str, Any]]:
    """Reminders taken but not yet in an email, with their digest's key, locked for this
    tick (rows another tick holds are skipped); those whose digest went out on `day` wait
    for the next working day's."""
    async with transaction() as connection:
        return _dicts(await connection.fetch(
            f"SELECT m.*, {DIGEST_KEY_SQL} AS key {DIGEST_JOINS}"
            f" WHERE m.unmailed AND NOT {MAILED_ON_SQL.format(key=DIGEST_KEY_SQL, day='$1')}"
            " ORDER BY m.id FOR UPDATE OF m SKIP LOCKED", day))


async def barrier_items(barrier_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Barrier kind and case number of each barrier (for a coordinator's digest)."""
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT b.id, b.kind, b.client_id, c.case_number FROM barriers b"
            " JOIN clients c ON c.id = b.client_id WHERE b.id = ANY ($1::bigint[])",
            barrier_ids)
    return {row["id"]: dict(row) for row in rows}
