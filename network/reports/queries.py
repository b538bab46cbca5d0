"""The reports' hand-written SQL: what Piccolo's query builder cannot say. The month's
advisory lock, the read-only snapshot the sections count in, and the sections' aggregates
(`network.reports.sections` turns their rows into tables), run through `rows` and `value` in
the report's snapshot (the caller's transaction, and a second one on the same snapshot).
Plain reads and writes of stored reports use the `Report` table class
(`network.reports.service`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import asyncpg

from network.database import ENGINE
from network.reports.period import ReportMonth
from network.reports.tables import Report

LOCK_CLASS = 0x7265  # "re": advisory locks on (LOCK_CLASS, yyyymm) guard a month's versions


async def lock_month(month: ReportMonth) -> None:
    """Until the transaction ends, nobody else numbers or issues a version of `month`."""
    await Report.raw("SELECT pg_advisory_xact_lock({}, {})", LOCK_CLASS, month.lock_id)


# The report's aggregates group a few hundred combinations of 200,000 cases (national scale),
# which the planner cannot foresee from the columns: with the default 4 MB it expects too many
# groups to hash and sorts them on disk instead (0.46 s of CPU against 0.18 s).
REPORT_WORK_MEM = "32MB"
READ_ONLY_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
# How long `snapshot` waits for the pool's second connection before it reads on one alone.
SPARE_CONNECTION_SECONDS = 1.0

# The connections the current report reads on (set by `snapshot` for its tasks): a query
# takes whichever is free, so two of the sections' queries run at once.
_LANES: ContextVar[asyncio.Queue[asyncpg.Connection] | None] = ContextVar(
    "report_lanes", default=None)


@asynccontextmanager
async def snapshot() -> AsyncIterator[None]:
    """Inside it, every section counts from one consistent, read-only view of the database:
    the caller's transaction (this is its first statement) and, when the pool has a
    connection to spare, a second transaction that imports the first one's snapshot
    (`pg_export_snapshot`, `SET TRANSACTION SNAPSHOT`): both see exactly the same rows, and
    the sections' queries run two at a time on the server's cores. Both have memory to hash
    the report's groups."""
    main = _connection()
    await main.execute(f"{READ_ONLY_SNAPSHOT}; SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
    lanes: asyncio.Queue[asyncpg.Connection] = asyncio.Queue()
    lanes.put_nowait(main)
    async with _same_snapshot(main) as second:
        if second is not None:
            lanes.put_nowait(second)
        token = _LANES.set(lanes)
        try:
            yield
        finally:
            _LANES.reset(token)


@asynccontextmanager
async def _same_snapshot(main: asyncpg.Connection
                         ) -> AsyncIterator[asyncpg.Connection | None]:
    """A second pool connection in a read-only transaction on `main`'s snapshot, or None
    when the pool has none to spare (a pool of one; every connection busy)."""
    pool = ENGINE.pool
    if pool is None or pool.get_size() - pool.get_idle_size() >= pool.get_max_size():
        yield None
        return
    exported = await main.fetchval("SELECT pg_export_snapshot()")
    try:
        connection = await pool.acquire(timeout=SPARE_CONNECTION_SECONDS)
    except TimeoutError:
        yield None
        return
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            await connection.execute(f"SET TRANSACTION SNAPSHOT '{exported}';"
                                     f" SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
            yield connection
    finally:
        await pool.release(connection)


def _connection() -> asyncpg.Connection:
    unit = ENGINE.current_transaction.get()
    if unit is None:
        raise RuntimeError("report aggregates run inside the report's transaction")
    return unit.connection


async def rows(sql: str, *args: Any) -> list[asyncpg.Record]:
    """An aggregate's rows (`$1`-style parameters), in the report's snapshot."""
    async with _lane() as connection:
        return await connection.fetch(sql, *args)


async def value(sql: str, *args: Any) -> Any:
    """An aggregate's single value, in the report's snapshot."""
    async with _lane() as connection:
        return await connection.fetchval(sql, *args)


@asynccontextmanager
async def _lane() -> AsyncIterator[asyncpg.Connection]:
    """A free connection of the report's snapshot (the caller's transaction outside one)."""
    lanes = _LANES.get()
    if lanes is None:
        yield _connection()
        return
    connection = await lanes.get()
    try:
        yield connection
    finally:
        lanes.put_nowait(connection)


# --- the sections' aggregates -------------------------------------------------------------

# One pass over the cases touching the month, counted at once by every combination of the
# breakdowns (a few hundred groups, not 200,000 rows kept and sorted); GROUPING SETS then give
# every breakdown from those groups.
CASELOAD_BREAKDOWNS = """
WITH facts AS (
    SELECT
        CASE WHEN enrolled_at < $2 THEN 'enrolled' ELSE 'first_consultation' END AS kind,
        legal_circle,
        country_of_origin AS country,
        gender,
        CASE WHEN coalesce(extract(year FROM age($3::date, date_of_birth)),
                           extract(year FROM $3::date) - birth_year) < 25
             THEN 'under_25' ELSE 'from_25' END AS age_group,
        count(*) AS cases,
        count(*) FILTER (WHERE opened_at >= $1 AND opened_at < $2) AS new,
        count(*) FILTER (WHERE closed_at >= $1 AND closed_at < $2) AS closed,
        count(*) FILTER (WHERE closed_at IS NULL OR closed_at >= $2) AS open
    FROM clients
    WHERE opened_at < $2 AND (closed_at IS NULL OR closed_at >= $1)
    GROUP BY 1, 2, 3, 4, 5
),
ranked AS (
    SELECT country,
           row_number() OVER (ORDER BY sum(open) DESC, sum(cases) DESC, country) AS rank
    FROM facts GROUP BY country
),
grouped AS (
    SELECT f.*, CASE WHEN r.rank <= $4 THEN f.country ELSE '' END AS country_group
    FROM facts f JOIN ranked r USING (country)
)
SELECT
    CASE WHEN grouping(kind) = 0 THEN 'kind'
         WHEN grouping(legal_circle) = 0 THEN 'legal_circle'
         WHEN grouping(country_group) = 0 THEN 'country'
         WHEN grouping(age_group) = 0 THEN 'age_group'
         ELSE 'gender' END AS dimension,
    coalesce(kind, legal_circle, country_group, age_group, gender) AS value,
    sum(new)::bigint AS new,
    sum(closed)::bigint AS closed,
    sum(open)::bigint AS open
FROM grouped
GROUP BY GROUPING SETS ((kind), (legal_circle), (country_group), (age_group), (gender))
"""

CASELOAD_OUTCOMES = """
SELECT outcome, count(*) AS n FROM clients
WHERE closed_at >= $1 AND closed_at < $2
GROUP BY outcome
"""

# One pass over the barriers and one over the month's events, grouped by kind. (A correlated
# "last event" subquery per barrier, evaluated twice, took 2.3 s at 600,000 barriers; this
# form hash-joins each barrier's last event before the month end: bench/README.md, 5.)
BARRIER_COUNTS = """
WITH last_event AS (
    SELECT DISTINCT ON (e.barrier_id) e.barrier_id, e.to_status
    FROM barrier_events e WHERE e.at < $2
    ORDER BY e.barrier_id, e.at DESC, e.id DESC
),
at_end AS (
    SELECT b.kind,
           count(*) FILTER (WHERE b.opened_at >= $1) AS opened,
           count(*) FILTER (
               WHERE coalesce(l.to_status, 'open') IN ('open', 'in_progress')) AS open_at_end
    FROM barriers b LEFT JOIN last_event l ON l.barrier_id = b.id
    WHERE b.opened_at < $2
    GROUP BY b.kind
),
finished AS (
    SELECT b.kind,
           count(DISTINCT e.barrier_id) FILTER (WHERE e.to_status = 'resolved') AS resolved,
           count(DISTINCT e.barrier_id) FILTER (
               WHERE e.to_status = 'unresolvable') AS unresolvable
    FROM barrier_events e JOIN barriers b ON b.id = e.barrier_id
    WHERE e.at >= $1 AND e.at < $2 AND e.to_status IN ('resolved', 'unresolvable')
    GROUP BY b.kind
)
SELECT k.kind, coalesce(a.opened, 0) AS opened, coalesce(f.resolved, 0) AS resolved,
       coalesce(f.unresolvable, 0) AS unresolvable, coalesce(a.open_at_end, 0) AS open_at_end
FROM unnest($3::text[]) AS k(kind)
LEFT JOIN at_end a ON a.kind = k.kind LEFT JOIN finished f ON f.kind = k.kind
"""

# Days from opening to each resolution in the month; GROUPING SETS add the overall median.
BARRIER_MEDIANS = """
SELECT b.kind, grouping(b.kind) = 1 AS overall,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM e.at - b.opened_at) / 86400.0) AS median_days,
       count(*) AS cases
FROM barrier_events e JOIN barriers b ON b.id = e.barrier_id
WHERE e.at >= $1 AND e.at < $2 AND e.to_status = 'resolved'
GROUP BY GROUPING SETS ((b.kind), ())
"""

PARTNER_COUNTS = """
SELECT k.kind,
       count(p.id) FILTER (WHERE p.active AND p.created_at < $2) AS active,
       count(p.id) FILTER (WHERE p.created_at >= $1 AND p.created_at < $2) AS new
FROM unnest($3::text[]) AS k(kind) LEFT JOIN partners p ON p.kind = k.kind
GROUP BY k.kind
"""

REFERRAL_ANSWERS = "('accepted', 'declined')"
# The moves out of 'sent' (network.referrals.lifecycle.TRANSITIONS): 'sent' is entered once,
# from a draft (sent_at is then that event's time), and left only by one of these, so a
# referral was still 'sent' at a moment when it was sent before it and left it by none of
# these before it. They are what the partial index referral_events_exits holds.
SENT_EXITS = "('accepted', 'declined', 'expired', 'cancelled')"

# One row per partner kind; each measure is an aggregate over the month's rows only, read from
# indexes alone (migration m2026_11_30_0640): referrals_sent_at, referral_events_decisions with
# referrals_partner_of, reminders_sent_at, referrals_closed_at with referral_events_exits, and
# referrals_partner.
REFERRAL_COUNTS = f"""
WITH sent AS (
    SELECT p.kind, count(*) AS n
    FROM referrals r JOIN partners p ON p.id = r.partner_id
    WHERE r.sent_at >= $1 AND r.sent_at < $2
    GROUP BY p.kind
),
changed AS (
    SELECT p.kind,
           count(DISTINCT e.referral_id) FILTER (WHERE e.to_status = 'accepted') AS accepted,
           count(DISTINCT e.referral_id) FILTER (WHERE e.to_status = 'declined') AS declined,
           count(DISTINCT e.referral_id) FILTER (WHERE e.to_status = 'expired') AS expired
    FROM referral_events e
    JOIN referrals r ON r.id = e.referral_id JOIN partners p ON p.id = r.partner_id
    WHERE e.at >= $1 AND e.at < $2 AND e.to_status IN ('accepted', 'declined', 'expired')
    GROUP BY p.kind
),
reminded AS (
    SELECT p.kind,
           count(*) FILTER (WHERE m.recipient = 'partner') AS reminders,
           count(*) FILTER (WHERE m.kind = 'escalation') AS escalations
    FROM reminders m
    JOIN referrals r ON r.id = m.referral_id JOIN partners p ON p.id = r.partner_id
    WHERE m.status = 'sent' AND m.sent_at >= $1 AND m.sent_at < $2
    GROUP BY p.kind
),
overdue_per_partner AS MATERIALIZED (
    -- Sent before the end and not closed before it (open now, or closed since: ranges of
    -- referrals_closed_at) and still 'sent' then: still 'sent' now, or no move out of it
    -- before the end (SENT_EXITS); sent early enough to be overdue at the end (the window of
    -- the referral list). Counted per partner first (MATERIALIZED), so the planner cannot
    -- loop over the partners.
    SELECT r.partner_id, count(*) AS n
    FROM (SELECT partner_id, sent_at FROM referrals WHERE closed_at IS NULL AND status = 'sent'
          UNION ALL
          SELECT moved.partner_id, moved.sent_at
          FROM (SELECT id, partner_id, sent_at FROM referrals
                WHERE closed_at IS NULL AND status <> 'sent'
                UNION ALL
                SELECT id, partner_id, sent_at FROM referrals WHERE closed_at >= $2) AS moved
          WHERE NOT EXISTS (SELECT 1 FROM referral_events e
                            WHERE e.referral_id = moved.id AND e.at < $2
                              AND e.to_status IN {SENT_EXITS})) AS r
    WHERE r.sent_at < $2
      AND ((r.sent_at AT TIME ZONE 'Europe/Berlin')::date <= $4::date
           OR ((r.sent_at AT TIME ZONE 'Europe/Berlin')::date <= $5::date
               AND (r.sent_at AT TIME ZONE 'Europe/Berlin')::time < $6::time))
    GROUP BY r.partner_id
),
overdue AS (
    SELECT p.kind, sum(o.n)::bigint AS n
    FROM overdue_per_partner o JOIN partners p ON p.id = o.partner_id
    GROUP BY p.kind
),
silent AS (
    SELECT p.kind, count(*) AS n
    FROM partners p
    WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.partner_id = p.id AND r.sent_at < $2)
      AND NOT EXISTS (SELECT 1 FROM referrals r JOIN referral_events e ON e.referral_id = r.id
                      WHERE r.partner_id = p.id AND e.to_status IN {REFERRAL_ANSWERS} AND e.at < $2)
    GROUP BY p.kind
)
SELECT k.kind,
       coalesce(s.n, 0) AS sent, coalesce(c.accepted, 0) AS accepted,
       coalesce(c.declined, 0) AS declined, coalesce(c.expired, 0) AS expired,
       coalesce(m.reminders, 0) AS reminders, coalesce(m.escalations, 0) AS escalations,
       coalesce(o.n, 0) AS overdue, coalesce(q.n, 0) AS silent
FROM unnest($3::text[]) AS k(kind)
LEFT JOIN sent s USING (kind) LEFT JOIN changed c USING (kind)
LEFT JOIN reminded m USING (kind) LEFT JOIN overdue o USING (kind)
LEFT JOIN silent q USING (kind)
"""

# The reason is the one given with the decline event in the month.
REFERRAL_REASONS = """
SELECT e.reason_code, count(DISTINCT e.referral_id) AS n
FROM referral_events e
WHERE e.at >= $1 AND e.at < $2 AND e.to_status = 'declined'
GROUP BY e.reason_code
"""

# Referrals whose first answer (accepted or declined) falls in the month, counted by partner
# kind and the Berlin dates of sending and of that answer (the section counts the working days
# between them in Python, with the calendar's own rule): answered in the month
# (referral_events_decisions), and not before it (referral_events_exits).
REFERRAL_FIRST_ANSWERS = f"""
WITH answered AS (
    SELECT e.referral_id, min(e.at) AS answered_at
    FROM referral_events e
    WHERE e.at >= $1 AND e.at < $2 AND e.to_status IN {REFERRAL_ANSWERS}
    GROUP BY e.referral_id
)
SELECT p.kind,
       (r.sent_at AT TIME ZONE 'Europe/Berlin')::date AS sent_on,
       (a.answered_at AT TIME ZONE 'Europe/Berlin')::date AS answered_on,
       count(*) AS n
FROM answered a JOIN referrals r ON r.id = a.referral_id JOIN partners p ON p.id = r.partner_id
WHERE NOT EXISTS (SELECT 1 FROM referral_events e
                  WHERE e.referral_id = a.referral_id AND e.at < $1
                    AND e.to_status IN {REFERRAL_ANSWERS})
GROUP BY p.kind, sent_on, answered_on
"""

TREND_COUNTS = """
SELECT m.position,
       (SELECT count(*) FROM clients c
        WHERE c.opened_at >= m.starts AND c.opened_at < m.ends) AS intakes,
       (SELECT count(*) FROM referrals r
        WHERE r.sent_at >= m.starts AND r.sent_at < m.ends) AS referrals,
       (SELECT count(DISTINCT e.barrier_id) FROM barrier_events e
        WHERE e.to_status = 'resolved' AND e.at >= m.starts AND e.at < m.ends) AS resolved
FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS m(starts, ends, position)
ORDER BY m.position
"""

# Outreach (network.reports.sections.outreach): prospects added, first contacted, converted
# and parked in the month, by legal circle; erased prospects keep their dates and count.
OUTREACH_COUNTS = """
SELECT legal_circle,
       count(*) FILTER (WHERE added_at >= $1 AND added_at < $2) AS added,
       count(*) FILTER (WHERE first_contact_at >= $1 AND first_contact_at < $2) AS contacted,
       count(*) FILTER (WHERE converted_at >= $1 AND converted_at < $2) AS converted,
       count(*) FILTER (WHERE parked_at >= $1 AND parked_at < $2) AS parked
FROM prospects
GROUP BY legal_circle
"""

# The Berlin days a prospect was added and first contacted, counted by legal circle and by
# both days, for prospects first contacted in the month: the working days between them and
# their median come from `sections.referrals.answer_medians` (named as it reads them: the
# day of adding stands for the sending, the first contact for the answer).
OUTREACH_FIRST_CONTACTS = """
SELECT p.legal_circle AS kind,
       (p.added_at AT TIME ZONE 'Europe/Berlin')::date AS sent_on,
       (p.first_contact_at AT TIME ZONE 'Europe/Berlin')::date AS answered_on,
       count(*) AS n
FROM prospects p
WHERE p.first_contact_at >= $1 AND p.first_contact_at < $2
GROUP BY 1, 2, 3
"""
