"""Queue emails: render a template and write an outbox row, in the caller's transaction.

Call `enqueue` inside the transaction of the change that causes the email: if the change rolls
back, no email goes out; if it commits, the email is certain to. The row is due at the change's
clock reading (`due_at`), never at the database's `now()`. The message is built here, once,
and stored with the row (`network.mail.message`), so sending is handing over bytes. A
partner's action link goes into the row only as a sealed placeholder
(`network.links.tokens.issue_sealed_link`); the dispatcher fills it in when it sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from email.utils import parseaddr
from functools import cache
from typing import Any

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError

from network import fields
from network.errors import Conflict, NotFound
from network.mail import queries
from network.mail.message import Attachment, storable
from network.mail.tables import Outbox, OutboxAttachment
from network.mail.templates import RenderedEmail, render
from network.settings import Settings
from network.transactions import transaction


class RenderFailed(Exception):
    """An email that cannot be rendered from its template and data: trying again renders it
    the same way, so it is a permanent failure (unlike a mail server that is down). `reason`
    names the template and what went wrong, never the data."""

    def __init__(self, template: str, reason: str):
        super().__init__(reason)
        self.template = template
        self.reason = reason


def render_failure(template: str, error: BaseException) -> str:
    """Why `template` did not render, without any of the email's data: Jinja's messages name
    templates, lines and missing names only; any other error shows only its type."""
    if isinstance(error, TemplateNotFound):
        return f"{template}: template {error.name} not found"
    if isinstance(error, TemplateSyntaxError):
        return f"{template}: syntax error in {error.name or template}, line {error.lineno}"
    if isinstance(error, UndefinedError):
        return f"{template}: {error.message or 'a value is missing'}"[:300]
    return f"{template}: {type(error).__name__}"


@cache
def message_domain(mail_from: str) -> str:
    """The domain of the Message-IDs (one sender per program: parsed once, not per email)."""
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"


async def enqueue(
    settings: Settings,
    template: str,
    recipients: list[str],
    context: dict[str, Any],
    *,
    due_at: datetime,
    dedupe_key: str | None = None,
    client_id: int | None = None,
    referral_id: int | None = None,
    attachments: Sequence[Attachment] = (),
) -> int | None:
    """Render `template` and queue it, due at `due_at` (the clock reading of the change that
    causes it); return the row id, or None when a row with the same `dedupe_key` exists
    already (that email is queued or sent: nothing new to do). Raises RenderFailed when the
    template cannot be rendered with this context."""
    if not recipients:
        raise ValueError("an email needs at least one recipient")
    for recipient in recipients:  # one plain address each: never a second header
        fields.email("recipients", recipient)
    try:
        email = render(template, {
            "integration_point": settings.integration_point,
            "base_url": settings.base_url,
            **context,
        })
    except Exception as error:
        raise RenderFailed(template, render_failure(template, error)) from None
    message_id = f"<{uuid.uuid4().hex}@{message_domain(settings.mail_from)}>"
    raw = message_bytes(settings.mail_from, recipients, email, message_id, due_at, attachments)
    async with transaction():  # the row and its attachments, or nothing
        return await _insert(template, recipients, email, message_id, due_at, dedupe_key,
                             client_id, referral_id, attachments, raw)


def message_bytes(mail_from: str, recipients: list[str], email: RenderedEmail, message_id: str,
                  created_at: datetime, attachments: Sequence[Attachment]) -> bytes | None:
    """The message to store with the row (dated `created_at`, as the dispatcher would date
    it), or None: then the dispatcher builds it when it sends, and a message that cannot be
    built fails there, as a failed email a coordinator sees, not as the change queueing it."""
    row = {"recipients": recipients, "subject": email.subject, "message_id": message_id,
           "body_text": email.text, "body_html": email.html}
    try:
        return storable(row, mail_from, created_at, attachments)
    except Exception:  # noqa: BLE001 (the dispatcher fails it, naming the kind of error)
        return None


async def _insert(template: str, recipients: list[str], email: RenderedEmail, message_id: str,
                  due_at: datetime, dedupe_key: str | None, client_id: int | None,
                  referral_id: int | None, attachments: Sequence[Attachment],
                  raw: bytes | None) -> int | None:
    outbox_id = await queries.insert_email(
        message_id, template, recipients, email.subject, email.text, email.html, due_at,
        dedupe_key, client_id, referral_id, raw)
    if outbox_id is None:
        return None
    if attachments:
        await OutboxAttachment.insert(*(
            OutboxAttachment(outbox_id=outbox_id, position=position,
                             filename=attachment.filename,
                             content_type=attachment.content_type,
                             content=attachment.content)
            for position, attachment in enumerate(attachments)))
    return outbox_id


async def attachments_of(outbox_ids: Sequence[int]) -> dict[int, list[Attachment]]:
    """The attachments of these outbox rows, in order (rows without any are left out)."""
    if not outbox_ids:
        return {}
    rows = await OutboxAttachment.select(
        OutboxAttachment.outbox_id, OutboxAttachment.filename, OutboxAttachment.content_type,
        OutboxAttachment.content,
    ).where(OutboxAttachment.outbox_id.is_in(list(outbox_ids))).order_by(
        OutboxAttachment.outbox_id, OutboxAttachment.position)
    found: dict[int, list[Attachment]] = {}
    for row in rows:
        found.setdefault(row["outbox_id"], []).append(
            Attachment(row["filename"], row["content_type"], bytes(row["content"])))
    return found


LISTED = (Outbox.id, Outbox.template, Outbox.recipients, Outbox.subject, Outbox.status,
          Outbox.attempts, Outbox.last_error, Outbox.due_at, Outbox.created_at, Outbox.sent_at,
          Outbox.referral_id)


async def list_emails(status: str | None, limit: int, offset: int
                      ) -> tuple[list[dict[str, Any]], int]:
    return await queries.list_emails(status, limit, offset)


async def retry_failed(email_id: int, now: datetime,
                       after_change: Callable[[], Awaitable[None]]) -> dict[str, Any]:
    """Queue a failed email again, due `now` (the clock's reading); `after_change` runs in
    the same transaction (the caller's audit entry). Refuses emails that are not failed."""
    async with transaction():
        rows = await Outbox.update(
            {Outbox.status: "queued", Outbox.due_at: now, Outbox.attempts: 0},
        ).where((Outbox.id == email_id) & (Outbox.status == "failed")).returning(*LISTED)
        if not rows:
            if not await Outbox.exists().where(Outbox.id == email_id):
                raise NotFound("email", email_id)
            raise Conflict("status", "mail_not_failed")
        await after_change()
    return rows[0]


NEW_REFERRAL_TEMPLATES = ("referral_new", "referral_handed_over")


async def withdraw_history(client_ids: Sequence[int], before: datetime,
                           waiting_referral_ids: Sequence[int]) -> int:
    """The demo's made-up history queued emails about changes long past: withdraw those not
    sent yet (about these clients, due before `before`), except the new-referral emails of
    referrals still waiting for their partner (a tester clicks through those). Returns how
    many."""
    if not client_ids:
        return 0
    where = ((Outbox.status == "queued") & Outbox.client_id.is_in(list(client_ids))
             & (Outbox.due_at < before))
    if waiting_referral_ids:
        where = where & (Outbox.referral_id.is_null()
                         | Outbox.referral_id.not_in(list(waiting_referral_ids))
                         | Outbox.template.not_in(list(NEW_REFERRAL_TEMPLATES)))
    return len(await Outbox.delete().where(where).returning(Outbox.id))


REMOVED = "[removed]"
# An erased email's words; the message stored with the row goes with them (the outbox's
# trigger drops it whenever the words change: migrations/m2026_11_30_0430_outbox_message_bytes).
WORDS_REMOVED = {Outbox.subject: REMOVED, Outbox.body_text: REMOVED, Outbox.body_html: REMOVED}


async def forget_client(client_id: int) -> None:
    """Erasure: the emails about a client keep their facts (template, recipients, times) but
    lose their words; those not sent yet are not sent any more."""
    await Outbox.update({Outbox.status: "failed", Outbox.last_error: "client erased"}).where(
        (Outbox.client_id == client_id) & (Outbox.status == "queued"))
    await Outbox.update(WORDS_REMOVED).where(Outbox.client_id == client_id)


async def forget_emails(outbox_ids: Sequence[int]) -> None:
    """Erasure, for emails about several clients (a reminder digest): as `forget_client`."""
    if not outbox_ids:
        return
    ids = list(outbox_ids)
    await Outbox.update({Outbox.status: "failed", Outbox.last_error: "client erased"}).where(
        Outbox.id.is_in(ids) & (Outbox.status == "queued"))
    await Outbox.update(WORDS_REMOVED).where(Outbox.id.is_in(ids))
