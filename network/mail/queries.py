"""The outbox's hand-written SQL: what the query builder cannot say (the SKIP LOCKED claim,
a page with its total from one window function), the dispatcher's marking of sent rows (run
for about every message on a fast server: the query builder's 0.08 ms of CPU a statement
counts there), and the reads of `network mail status` (here, so that command starts without
the query builder and Jinja of `network.mail.outbox`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from network.mail.tables import Outbox
from network.transactions import fetch

LISTED_COLUMNS = (
    "id, template, recipients, subject, status, attempts, last_error, due_at, created_at,"
    " sent_at, referral_id"
)


async def claim(now: datetime, lease: timedelta, batch_size: int) -> list[dict[str, Any]]:
    """Lease up to `batch_size` due rows to this dispatcher (committed at once), in id order:
    rows another dispatcher holds are skipped, expired leases are taken over."""
    rows = await Outbox.raw(
        """
        UPDATE outbox SET status = 'sending', lease_until = {}, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM outbox
            WHERE (status = 'queued' AND due_at <= {}) OR (status = 'sending' AND lease_until <= {})
            ORDER BY due_at, id
            LIMIT {}
            FOR UPDATE SKIP LOCKED
        )
        RETURNING id, message_id, recipients, subject, body_text, body_html, attempts, created_at,
                  message_bytes
        """,
        now + lease, now, now, batch_size,
    )
    return sorted(rows, key=lambda row: row["id"])


async def unclaim(row_ids: list[int]) -> None:
    """Claimed rows given back untried, as they were before `claim` (queued, the attempt not
    counted): the dispatcher claimed them ahead and then could send nothing."""
    if row_ids:
        await fetch(
            "UPDATE outbox SET status = 'queued', lease_until = NULL, attempts = attempts - 1"
            " WHERE id = ANY({}) AND status = 'sending'",
            row_ids,
        )


# A new row, as the table class would write it (queued, no attempt yet); a row with the same
# dedupe key is left as it is (that email is queued or sent already).
INSERT_EMAIL = """
    INSERT INTO outbox (message_id, template, recipients, subject, body_text, body_html,
                        status, due_at, attempts, dedupe_key, client_id, referral_id,
                        created_at, message_bytes)
    VALUES ({}, {}, {}, {}, {}, {}, 'queued', {}, 0, {}, {}, {}, {}, {})
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"""


async def insert_email(message_id: str, template: str, recipients: list[str], subject: str,
                       body_text: str, body_html: str, due_at: datetime,
                       dedupe_key: str | None, client_id: int | None, referral_id: int | None,
                       message_bytes: bytes | None) -> int | None:
    """Queue one email (created when it is due); None when its dedupe key is taken. Written
    out: it runs inside every change that tells someone (the query builder spent ~0.5 ms of
    CPU building it, a tenth of a referral's creation)."""
    rows = await fetch(INSERT_EMAIL, message_id, template, recipients, subject, body_text,
                       body_html, due_at, dedupe_key, client_id, referral_id, due_at,
                       message_bytes)
    return rows[0]["id"] if rows else None


async def mark_sent(row_ids: list[int], now: datetime) -> None:
    """Rows the server accepted: sent at `now`, their lease and last error cleared (only
    rows still leased as sending: a row another dispatcher took over is not touched)."""
    await fetch(
        "UPDATE outbox SET status = 'sent', sent_at = {}, lease_until = NULL, last_error = NULL"
        " WHERE id = ANY({}) AND status = 'sending'",
        now, row_ids,
    )


async def list_emails(status: str | None, limit: int, offset: int
                      ) -> tuple[list[dict[str, Any]], int]:
    rows = await Outbox.raw(
        f"SELECT {LISTED_COLUMNS}, count(*) OVER () AS total FROM outbox"
        " WHERE {}::text IS NULL OR status = {} ORDER BY id DESC LIMIT {} OFFSET {}",
        status, status, limit, offset,
    )
    total = rows[0].pop("total") if rows else 0
    for row in rows[1:]:
        row.pop("total")
    return rows, total


async def status_counts() -> dict[str, int]:
    """How many emails are in each status (every status, 0 when none)."""
    rows = await Outbox.raw("SELECT status, count(*) AS n FROM outbox GROUP BY status")
    counts = {"queued": 0, "sending": 0, "sent": 0, "failed": 0}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


async def failed_emails(limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The failed emails, newest first."""
    return await Outbox.raw(
        "SELECT id, template, recipients, subject, attempts, last_error, created_at, referral_id"
        " FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT {} OFFSET {}",
        limit, offset,
    )
