"""The referral queries the query builder cannot say, in hand-written SQL (Piccolo `raw`, or
`transactions.fetch` on the write paths; both run in the caller's transaction): the advisory
lock of an idempotent create, the checks of a new referral in one round trip (barrier locked,
partner, coordinator), a referral written with its history row (and its audit entry) in one
statement (a new one, a status change), the filtered list with its free text and overdue
window, and the barriers still to refer. Everything else goes through the table classes in
`tables`.

The writes are here, not in the query builder, also for their cost in Python: building the
referral's insert with the builder took 2.3 ms of CPU (a select with three joins 6.9 ms)
against 0.07 ms for the same SQL written out (bench/README.md, issue 18)."""

from __future__ import annotations

from typing import Any

from network.accounts import audit
from network.cases.consent import ConsentTerms
from network.partners.kinds import PartnerKind
from network.referrals.lifecycle import OPEN_STATUSES
from network.referrals.tables import Referral
from network.transactions import GENERIC_PLANS, fetch

OPEN_SQL = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
COORDINATOR_SQL = "u.active AND u.role = 'coordinator'"  # who may own a referral


REFERRAL_COLUMNS = ("client_id", "barrier_id", "partner_id", "coordinator_id", "created_by",
                    "status", "note", "override_reason", "handed_off_from", "idempotency_key",
                    "version", "created_at", "updated_at", "sent_at")
CHANGED_COLUMNS = ("status", "reason_code", "reason_text", "outcome", "sent_at", "closed_at",
                   "handed_off_to", "updated_at", "version", "hold_until")
EVENT_COLUMNS = ("at", "event", "actor_kind", "actor_user_id", "from_status", "to_status",
                 "reason_code", "reason_text", "outcome", "note", "linked_referral_id",
                 "from_coordinator_id", "to_coordinator_id")


def _names(columns: tuple[str, ...]) -> str:
    return ", ".join(columns)


def _slots(count: int) -> str:
    return ", ".join(["{}"] * count)


EVENT_OF = (f"INSERT INTO referral_events (referral_id, {_names(EVENT_COLUMNS)})"
            f" SELECT {{}}, {_slots(len(EVENT_COLUMNS))} FROM")
WRITE_REFERRAL = f"""
    WITH r AS (INSERT INTO referrals ({_names(REFERRAL_COLUMNS)})
               VALUES ({_slots(len(REFERRAL_COLUMNS))}) ON CONFLICT DO NOTHING RETURNING *),
         e AS ({EVENT_OF.replace("SELECT {}", "SELECT r.id")} r RETURNING id)
"""
WRITE_STATUS = f"""
    WITH u AS (UPDATE referrals SET {", ".join(f"{c} = {{}}" for c in CHANGED_COLUMNS)}
               WHERE id = {{}} RETURNING id),
         e AS ({EVENT_OF.replace("SELECT {}", "SELECT u.id")} u RETURNING id)
"""


def _audited(source: str) -> str:
    """One more CTE: the audit entry of the referral that CTE `source` wrote, with the values
    of `audit.entry` (its details, then who, when, what)."""
    return (f", a AS (INSERT INTO audit_log ({audit.COLUMNS})"
            f" SELECT {source}.id::text, {{}}::jsonb, {_slots(AUDIT_VALUES - 1)} FROM {source})")


AUDIT_VALUES = len(audit.COLUMNS.split(",")) - 1  # audit.entry's: every column but entity_id
REFERRAL_ROW = " SELECT r.*, e.id AS event_id FROM r, e"
INSERT_REFERRAL = WRITE_REFERRAL + REFERRAL_ROW
INSERT_REFERRAL_AUDITED = WRITE_REFERRAL + _audited("r") + REFERRAL_ROW
EVENT_ID = " SELECT e.id AS event_id FROM e"
CHANGE_STATUS = WRITE_STATUS + EVENT_ID
CHANGE_STATUS_AUDITED = WRITE_STATUS + _audited("u") + EVENT_ID
INSERT_EVENT = (f"INSERT INTO referral_events (referral_id, {_names(EVENT_COLUMNS)})"
                f" VALUES ({_slots(1 + len(EVENT_COLUMNS))}) RETURNING id")


async def insert_referral(referral: dict[str, Any], event: dict[str, Any],
                          entry: tuple[Any, ...] | None = None) -> dict[str, Any] | None:
    """A new referral (`REFERRAL_COLUMNS`) with its first history row (`EVENT_COLUMNS`) and,
    given its `audit.entry`, its audit entry, in one statement: the referral's row with
    `event_id`. None: a unique key held it back (the open pair of barrier and partner), and
    nothing was written."""
    values = (*(referral[c] for c in REFERRAL_COLUMNS), *(event[c] for c in EVENT_COLUMNS))
    rows = await (fetch(INSERT_REFERRAL, *values) if entry is None
                  else fetch(INSERT_REFERRAL_AUDITED, *values, *_checked(entry)))
    return rows[0] if rows else None


async def change_status(referral_id: int, changed: dict[str, Any], event: dict[str, Any],
                        entry: tuple[Any, ...] | None = None) -> int:
    """The status columns (`CHANGED_COLUMNS`) of a locked referral and their history row
    (and, given its `audit.entry`, its audit entry), in one statement: the row's id."""
    values = (*(changed[c] for c in CHANGED_COLUMNS), referral_id,
              *(event[c] for c in EVENT_COLUMNS))
    rows = await (fetch(CHANGE_STATUS, *values) if entry is None
                  else fetch(CHANGE_STATUS_AUDITED, *values, *_checked(entry)))
    return rows[0]["event_id"]


def _checked(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(entry) != AUDIT_VALUES:
        raise ValueError(f"an audit entry has {AUDIT_VALUES} values, not {len(entry)}")
    return entry


async def insert_event(referral_id: int, event: dict[str, Any]) -> int:
    rows = await fetch(INSERT_EVENT, referral_id, *(event[c] for c in EVENT_COLUMNS))
    return rows[0]["id"]


async def lock_idempotency_key(key: str) -> None:
    """Two requests with one key wait for each other here, until the first one's transaction
    ends; the second then finds what the first created."""
    await fetch("SELECT pg_advisory_xact_lock(hashtext({}))", key)


async def new_referral_checks(barrier_id: int, partner_id: int, coordinator_id: int
                              ) -> dict[str, Any] | None:
    """What creating a referral checks, in one statement: the barrier (locked, so two
    referrals of one barrier are made one after the other) with its case and the case's legal
    circle, the partner, whether the coordinator is an active coordinator of that circle, and
    the client's consents (`consent_terms`; the rule is network.cases.consent's). And, read
    along for the reminder chain the new referral starts, the stored reminder rule of the
    partner's kind (`reminder_rule`). None: no such barrier.
    The statements after it in the transaction (the referral's writes, its email, its
    reminders) may run on generic plans (`transactions.GENERIC_PLANS`)."""
    rows = await fetch(
        f"""
        SELECT {GENERIC_PLANS} AS generic_plans,
               b.client_id, b.kind, b.status, c.status AS case_status, c.pseudonymised_at,
               c.legal_circle,
               p.id AS partner_id, p.name AS partner_name, p.kind AS partner_kind,
               p.active AS partner_active, p.barrier_kinds,
               EXISTS (SELECT 1 FROM app_user u WHERE u.id = {{}} AND {COORDINATOR_SQL}
                       AND u.legal_circle = c.legal_circle) AS staff,
               ARRAY(SELECT n.given_at FROM consents n WHERE n.client_id = b.client_id
                     ORDER BY n.id) AS consents_given,
               ARRAY(SELECT n.withdrawn_at FROM consents n WHERE n.client_id = b.client_id
                     ORDER BY n.id) AS consents_withdrawn,
               ARRAY(SELECT array_to_string(n.partner_kinds, ' ') FROM consents n
                     WHERE n.client_id = b.client_id ORDER BY n.id) AS consents_kinds,
               rr.partner_kind AS rule_kind, rr.no_answer_working_days, rr.follow_up_days,
               rr.hold_check_days
        FROM barriers b JOIN clients c ON c.id = b.client_id
        LEFT JOIN partners p ON p.id = {{}}
        LEFT JOIN reminder_rules rr ON rr.partner_kind = p.kind
        WHERE b.id = {{}}
        FOR UPDATE OF b
        """, coordinator_id, partner_id, barrier_id)
    return rows[0] if rows else None


def consent_terms(checks: dict[str, Any]) -> list[ConsentTerms]:
    """The client's consents as `new_referral_checks` read them."""
    return [ConsentTerms(given, frozenset(PartnerKind(k) for k in kinds.split()), withdrawn)
            for given, withdrawn, kinds in zip(checks["consents_given"],
                                               checks["consents_withdrawn"],
                                               checks["consents_kinds"], strict=True)]


RULE_COLUMNS = ("no_answer_working_days", "follow_up_days", "hold_check_days")


def reminder_rule(checks: dict[str, Any]) -> dict[str, Any] | None:
    """The stored reminder rule of the partner's kind as `new_referral_checks` read it, as
    a row of `reminder_rules` (None: none stored, the defaults hold)."""
    if checks["rule_kind"] is None:
        return None
    return {"partner_kind": checks["rule_kind"],
            **{column: checks[column] for column in RULE_COLUMNS}}


async def is_staff(user_id: int, client_id: int) -> bool:
    """Whether the user is an active coordinator of the client's legal circle."""
    rows = await fetch(
        f"SELECT true AS staff FROM app_user u JOIN clients c ON c.id = {{}}"
        f" WHERE u.id = {{}} AND {COORDINATOR_SQL} AND u.legal_circle = c.legal_circle",
        client_id, user_id)
    return bool(rows)


async def open_referral_of(barrier_id: int, partner_id: int) -> int | None:
    """The open referral of this barrier to this partner, if any (read after the insert found
    it in the unique index, so it sees a referral committed meanwhile)."""
    rows = await fetch(
        f"SELECT id FROM referrals WHERE barrier_id = {{}} AND partner_id = {{}}"
        f" AND status IN ({OPEN_SQL}) LIMIT 1", barrier_id, partner_id)
    return rows[0]["id"] if rows else None


# The list: join only what a filter needs (the foreign keys guarantee every joined row exists,
# so an unused join only costs time), pick the page from referrals alone (index
# referrals_recent), then join the page's rows for their columns. Joining before the sort made
# the planner hash-join every match: 0.5 s for "all sent" at 1M referrals.
JOINED = """
    FROM referrals r JOIN barriers b ON b.id = r.barrier_id
    JOIN partners p ON p.id = r.partner_id JOIN clients c ON c.id = r.client_id
"""
COLUMNS = "r.*, b.kind AS barrier_kind, p.name AS partner_name"
ORDER = "ORDER BY r.updated_at DESC, r.id DESC"
TEXT_SEARCHED = ("concat_ws(' ', c.first_name, c.last_name, c.case_number, p.name,"
                 " b.description, r.note, r.reason_text, r.override_reason)"
                 " ILIKE {} ESCAPE '\\'")


def list_source(conditions: list[str], *, text: bool, barrier_kind: bool,
                client: bool = False) -> str:
    """`client`: a condition names the client (`c`, e.g. its legal circle)."""
    if text:
        source = JOINED
    else:
        source = "FROM referrals r"
        if barrier_kind:
            source += " JOIN barriers b ON b.id = r.barrier_id"
        if client:
            source += " JOIN clients c ON c.id = r.client_id"
    return source + " WHERE " + (" AND ".join(conditions) or "true")


async def count_and_page(source: str, args: list[Any], limit: int, offset: int
                         ) -> tuple[int, list[dict[str, Any]]]:
    """How many rows match, and the page of them (conditions use `{}` placeholders)."""
    total = await Referral.raw(f"SELECT count(*) AS total {source}", *args)
    rows = await Referral.raw(
        f"SELECT {COLUMNS} FROM (SELECT r.* {source} {ORDER} LIMIT {limit}"
        f" OFFSET {offset}) r JOIN barriers b ON b.id = r.barrier_id"
        f" JOIN partners p ON p.id = r.partner_id {ORDER}", *args)
    return total[0]["total"], rows


async def barriers_without_open_referral(circles: list[str], client_id: int | None,
                                         coordinator_id: int | None, kind: str | None,
                                         limit: int, offset: int
                                         ) -> tuple[int, list[dict[str, Any]]]:
    """`circles`: the legal circles of the clients to look at (the reader's reach)."""
    source = f"""
        FROM barriers b JOIN clients c ON c.id = b.client_id
        WHERE b.status IN ('open', 'in_progress') AND c.status = 'open'
          AND c.legal_circle = ANY ({{}}::text[])
          AND ({{}}::bigint IS NULL OR b.client_id = {{}})
          AND ({{}}::bigint IS NULL OR c.coordinator_id = {{}})
          AND ({{}}::text IS NULL OR b.kind = {{}})
          AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.barrier_id = b.id
                          AND r.status IN ({OPEN_SQL}))
    """
    args = (circles, client_id, client_id, coordinator_id, coordinator_id, kind, kind)
    total = await Referral.raw(f"SELECT count(*) AS total {source}", *args)
    rows = await Referral.raw(
        f"SELECT b.* {source} ORDER BY b.opened_at, b.id LIMIT {limit} OFFSET {offset}",
        *args)
    return total[0]["total"], rows



async def lock_for_change(referral_id: int) -> dict[str, Any] | None:
    """A referral about to change, locked with its barrier and its case for the caller's
    transaction, in one statement: its columns, its barrier's kind and its partner's name (as
    `service.load` gives them), how its case stands (`case_status`, `case_pseudonymised_at`)
    and its client's `legal_circle`.
    The lock order (referral, barrier, case) is the one a barrier's own change follows after
    its referral (barrier, case), so a referral change and the closing of its case never
    overlap: whichever comes second sees the first one's result."""
    rows = await fetch(
        """
        SELECT r.*, b.kind AS barrier_kind, p.name AS partner_name,
               c.status AS case_status, c.pseudonymised_at AS case_pseudonymised_at,
               c.legal_circle
        FROM referrals r JOIN barriers b ON b.id = r.barrier_id
        JOIN partners p ON p.id = r.partner_id JOIN clients c ON c.id = r.client_id
        WHERE r.id = {} FOR UPDATE OF r, b, c
        """, referral_id)
    return rows[0] if rows else None
