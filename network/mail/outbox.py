"""Queue emails: render a template and write an outbox row, in the caller's transaction.

Call `enqueue` inside the same `ENGINE.transaction()` as the change that causes the email:
if the change rolls back, no email goes out; if it commits, the email is certain to.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from network.database import ENGINE
from network.errors import Conflict, NotFound
from network.mail.tables import Outbox
from network.mail.templates import RenderedEmail, render
from network.settings import Settings


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email (the monthly report's PDF), stored beside the outbox row."""

    filename: str
    content_type: str
    content: bytes


def message_domain(mail_from: str) -> str:
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"


async def enqueue(
    settings: Settings,
    template: str,
    recipients: list[str],
    context: dict[str, Any],
    *,
    due_at: datetime | None = None,
    dedupe_key: str | None = None,
    client_id: int | None = None,
    referral_id: int | None = None,
    attachments: Sequence[Attachment] = (),
) -> int | None:
    """Render `template` and queue it; return the row id, or None when a row with the same
    `dedupe_key` exists already (that email is queued or sent: nothing new to do)."""
    if not recipients:
        raise ValueError("an email needs at least one recipient")
    email = render(template, {
        "integration_point": settings.integration_point,
        "base_url": settings.base_url,
        **context,
    })
    message_id = f"<{uuid.uuid4().hex}@{message_domain(settings.mail_from)}>"
    async with ENGINE.transaction():  # the row and its attachments, or nothing
        return await _insert(template, recipients, email, message_id, due_at, dedupe_key,
                             client_id, referral_id, attachments)


async def _insert(template: str, recipients: list[str], email: RenderedEmail, message_id: str,
                  due_at: datetime | None, dedupe_key: str | None, client_id: int | None,
                  referral_id: int | None, attachments: Sequence[Attachment]) -> int | None:
    rows = await Outbox.raw(
        """
        INSERT INTO outbox (message_id, template, recipients, subject, body_text, body_html,
                            due_at, dedupe_key, client_id, referral_id)
        VALUES ({}, {}, {}, {}, {}, {}, coalesce({}, now()), {}, {}, {})
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id
        """,
        message_id, template, recipients, email.subject, email.text, email.html,
        due_at, dedupe_key, client_id, referral_id,
    )
    if not rows:
        return None
    for position, attachment in enumerate(attachments):
        await Outbox.raw(
            "INSERT INTO outbox_attachment (outbox_id, position, filename, content_type, content)"
            " VALUES ({}, {}, {}, {}, {})",
            rows[0]["id"], position, attachment.filename, attachment.content_type,
            attachment.content,
        )
    return rows[0]["id"]


async def attachments_of(outbox_ids: Sequence[int]) -> dict[int, list[Attachment]]:
    """The attachments of these outbox rows, in order (rows without any are left out)."""
    if not outbox_ids:
        return {}
    rows = await Outbox.raw(
        "SELECT outbox_id, filename, content_type, content FROM outbox_attachment"
        " WHERE outbox_id = ANY({}) ORDER BY outbox_id, position",
        list(outbox_ids),
    )
    found: dict[int, list[Attachment]] = {}
    for row in rows:
        found.setdefault(row["outbox_id"], []).append(
            Attachment(row["filename"], row["content_type"], bytes(row["content"])))
    return found


async def status_counts() -> dict[str, int]:
    rows = await Outbox.raw("SELECT status, count(*) AS n FROM outbox GROUP BY status")
    counts = {"queued": 0, "sending": 0, "sent": 0, "failed": 0}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


LISTED_COLUMNS = (
    "id, template, recipients, subject, status, attempts, last_error, due_at, created_at,"
    " sent_at, referral_id"
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


async def retry_failed(email_id: int,
                       after_change: Callable[[], Awaitable[None]]) -> dict[str, Any]:
    """Queue a failed email again, due now; `after_change` runs in the same transaction
    (the caller's audit entry). Refuses emails that are not failed."""
    async with ENGINE.transaction():
        rows = await Outbox.raw(
            "UPDATE outbox SET status = 'queued', due_at = now(), attempts = 0"
            f" WHERE id = {{}} AND status = 'failed' RETURNING {LISTED_COLUMNS}",
            email_id,
        )
        if not rows:
            exists = await Outbox.exists().where(Outbox.id == email_id)
            if not exists:
                raise NotFound("email", email_id)
            raise Conflict("status", "only a failed email can be sent again")
        await after_change()
    return rows[0]


async def failed_emails(limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    return await Outbox.select(
        Outbox.id, Outbox.template, Outbox.recipients, Outbox.subject, Outbox.attempts,
        Outbox.last_error, Outbox.created_at, Outbox.referral_id,
    ).where(Outbox.status == "failed").order_by(Outbox.id, ascending=False).limit(limit).offset(
        offset
    )
