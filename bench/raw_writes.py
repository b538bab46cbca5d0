"""Every write the service makes when it creates a sent referral, in hand-written asyncpg SQL:
the raw side of `bench.referral_create` and the bare handler of `bench.bare_app`. Recorded
from the service with `bench.statements.recorded_statements`: the barrier locked (the service
locks it with its checks), the referral, its event, the audit row, the partner's sealed link,
the partner's email in the outbox (a pre-rendered body of the rendered email's size), the
first "no answer" reminder, and the barrier's "no open referral" reminder cancelled; one
transaction. `CREATE_SQL` and `EVENT_SQL` alone are the old baseline of two inserts.
Light on imports (no Litestar: importing an app sets up logging for the whole process).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

CREATE_SQL = """
    INSERT INTO referrals (client_id, barrier_id, partner_id, coordinator_id, created_by, status,
        note, override_reason, created_at, updated_at, sent_at)
    VALUES ($1, $2, $3, $4, $4, 'sent', $5, $6, now(), now(), now()) RETURNING *
"""
EVENT_SQL = """
    INSERT INTO referral_events (referral_id, at, event, actor_kind, actor_user_id, to_status,
        note) VALUES ($1, now(), 'created', 'user', $2, 'sent', $3)
"""


async def create_with_two_inserts(connection: asyncpg.Connection, client_id: int,
                                  barrier_id: int, partner_id: int, user_id: int, note: str,
                                  override_reason: str | None) -> dict[str, Any]:
    """The old baseline: the referral row and its event, one transaction, without any
    check, audit, email, reminder or reloading."""
    async with connection.transaction():
        row = await connection.fetchrow(CREATE_SQL, client_id, barrier_id, partner_id,
                                        user_id, note, override_reason)
        await connection.execute(EVENT_SQL, row["id"], user_id, note)
    return dict(row)


EMAIL_BODY = "x" * 1500  # about the size of the rendered "new referral" email
LOCK_SQL = """
    SELECT b.client_id, p.referral_emails FROM barriers b JOIN partners p ON p.id = $2
    WHERE b.id = $1 FOR UPDATE OF b
"""
AUDIT_SQL = """
    INSERT INTO audit_log (at, actor_id, action, entity, entity_id, details, actor_kind)
    VALUES ($1, $2, 'referral.create', 'referral', $3, '{"status": "sent"}', 'user')
"""
LINK_SQL = """
    INSERT INTO partner_links (referral_id, partner_id, token_hash, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5)
"""
OUTBOX_SQL = """
    INSERT INTO outbox (message_id, template, recipients, subject, body_text, body_html,
        due_at, client_id, referral_id) VALUES ($1, 'referral_new', $2, $3, $4, $4, $5, $6, $7)
"""
REMINDER_SQL = """
    INSERT INTO reminders (kind, recipient, referral_id, barrier_id, client_id, sequence, epoch,
        due_at, created_at) VALUES ('no_answer', 'partner', $1, $2, $3, 1, $4, $5, $4)
    ON CONFLICT DO NOTHING
"""
UNCOVERED_SQL = """
    UPDATE reminders SET status = 'cancelled', cancelled_because = 'barrier_covered'
    WHERE barrier_id = $1 AND kind = 'barrier_uncovered' AND status = 'pending'
"""
SAME_CREATE_SQL = CREATE_SQL.replace("now(), now(), now()", "$7, $7, $7")
SAME_EVENT_SQL = EVENT_SQL.replace("now()", "$4")


async def create_with_same_writes(connection: asyncpg.Connection, barrier_id: int,
                                  partner_id: int, user_id: int, note: str,
                                  override_reason: str | None) -> dict[str, Any]:
    now = datetime.now(UTC)
    async with connection.transaction():
        locked = await connection.fetchrow(LOCK_SQL, barrier_id, partner_id)
        client_id = locked["client_id"]
        row = await connection.fetchrow(SAME_CREATE_SQL, client_id, barrier_id, partner_id,
                                        user_id, note, override_reason, now)
        referral_id = row["id"]
        await connection.execute(SAME_EVENT_SQL, referral_id, user_id, note, now)
        await connection.execute(AUDIT_SQL, now, user_id, str(referral_id))
        token = secrets.token_urlsafe(32)
        await connection.execute(LINK_SQL, referral_id, partner_id,
                                 hashlib.sha256(token.encode()).hexdigest(), now,
                                 now + timedelta(days=60))
        await connection.execute(
            OUTBOX_SQL, f"<bare-{secrets.token_hex(12)}@bench>", list(locked["referral_emails"]),
            f"Neue Vermittlung {referral_id}", EMAIL_BODY, now, client_id, referral_id)
        await connection.execute(REMINDER_SQL, referral_id, barrier_id, client_id, now,
                                 now + timedelta(days=3))
        await connection.execute(UNCOVERED_SQL, barrier_id)
    return dict(row)
