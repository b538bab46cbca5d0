"""Send due outbox rows over one reused SMTP connection.

The dispatcher is a `Mailer` built once where the program is composed
(`network.composition.build_mailer`): the SMTP server, the sender, and `resolve`, which turns
what a queued email holds into what is sent (the partner links' sealed placeholders into their
URLs). The dispatcher itself knows nothing of links.

Claiming is a committed `UPDATE ... FOR UPDATE SKIP LOCKED` that gives each row a lease, so any
number of dispatchers (service instances, `network mail send-due`) can run side by side and
each row goes to exactly one of them. A row is marked sent right after the server accepted it
(the mark's round trip overlaps building and sending the next message, and is awaited before
the one after that starts): the only window for a duplicate is a crash between those steps,
at most two messages wide, and then the resent copy carries the same Message-ID. Each message
is serialised once, here (`as_bytes`), and handed to the server as bytes. A dispatcher that
dies leaves its rows leased; once the lease runs out another dispatcher takes them.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

import aiosmtplib

from network.mail import queries, retry
from network.mail.headers import header_text
from network.mail.outbox import Attachment, attachments_of
from network.mail.tables import Outbox
from network.settings import SmtpConfig

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH_SIZE = 50
CONNECTION_ERRORS = (
    aiosmtplib.SMTPServerDisconnected,
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPTimeoutError,
    OSError,
    TimeoutError,
)


class Unbuildable(Exception):
    """A queued row that cannot become an email message (a header the email library
    refuses, a placeholder that does not resolve): permanent, unlike SMTP trouble."""

    def __init__(self, kind: str):
        super().__init__(f"message could not be built ({kind})")


def unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class Mailer:
    """How emails leave: configured once at composition, so no send can lack its settings."""

    smtp: SmtpConfig
    mail_from: str
    timeout: float
    resolve: Callable[[str], str] = field(default=unchanged)  # a queued body -> the sent one


@dataclass
class DispatchResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


async def send_due(
    mailer: Mailer,
    now: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    tls_context: ssl.SSLContext | None = None,
) -> DispatchResult:
    """One pass: claim up to `batch_size` due rows and try to send them. `now` is the clock."""
    rows = await queries.claim(now, LEASE, batch_size)
    result = DispatchResult()
    if not rows:
        return result
    attachments = await attachments_of([row["id"] for row in rows])
    smtp = smtp_client(mailer.smtp, mailer.timeout, tls_context)
    try:
        await smtp.connect()
        if mailer.smtp.username:
            await smtp.login(mailer.smtp.username, mailer.smtp.password or "")
    except (aiosmtplib.SMTPException, *CONNECTION_ERRORS) as error:
        log.warning("smtp connection failed", extra={"error": describe(error),
                                                     "emails": len(rows)})
        for row in rows:
            await give_back(row, now, error, result)
        return result
    envelope_from = parseaddr(mailer.mail_from)[1]
    marking: asyncio.Task[None] | None = None  # the last accepted row's mark-sent
    try:
        for position, row in enumerate(rows):
            try:
                message = build_message(resolved(row, mailer.resolve), mailer.mail_from, now,
                                        attachments.get(row["id"], ()))
                raw = message.as_bytes(policy=policy.SMTP)
            except Exception as error:  # noqa: BLE001 (any: the same row fails the same way)
                # A message that cannot be built never will be: failed at once, with the
                # kind of error only (its text may quote the email's data); never retried.
                await give_back(row, now, Unbuildable(type(error).__name__), result,
                                permanent=True)
                continue
            if marking is not None:
                await marking
                marking = None
            try:
                await smtp.sendmail(envelope_from, row["recipients"], raw)
            except aiosmtplib.SMTPRecipientsRefused as error:
                permanent = all(retry.is_permanent(refusal.code) for refusal in error.recipients)
                await give_back(row, now, error, result, permanent=permanent)
            except aiosmtplib.SMTPResponseException as error:
                await give_back(row, now, error, result, permanent=retry.is_permanent(error.code))
            except CONNECTION_ERRORS as error:
                for unsent in rows[position:]:
                    await give_back(unsent, now, error, result)
                break
            else:
                marking = asyncio.create_task(mark_sent(row["id"], now))
                result.sent += 1
    finally:
        if marking is not None:
            await marking
        if smtp.is_connected:
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, *CONNECTION_ERRORS):
                smtp.close()
    log.info("outbox dispatched", extra={"sent": result.sent, "retried": result.retried,
                                         "failed": result.failed})
    return result


async def send_all_due(mailer: Mailer, now: datetime, **options: Any) -> DispatchResult:
    """Passes until nothing due is left (or nothing could be sent)."""
    total = DispatchResult()
    while True:
        result = await send_due(mailer, now, **options)
        total.sent += result.sent
        total.retried += result.retried
        total.failed += result.failed
        if result.handled == 0 or result.sent == 0:
            return total


def smtp_client(config: SmtpConfig, timeout: float,
                tls_context: ssl.SSLContext | None) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=config.host,
        port=config.port,
        use_tls=config.security == "tls",
        start_tls=config.security == "starttls",  # required when asked for: never falls back
        tls_context=tls_context,
        timeout=timeout,
    )


async def claim(now: datetime, batch_size: int) -> list[dict[str, Any]]:
    return await queries.claim(now, LEASE, batch_size)


async def mark_sent(row_id: int, now: datetime) -> None:
    await Outbox.update({Outbox.status: "sent", Outbox.sent_at: now, Outbox.lease_until: None,
                         Outbox.last_error: None}).where(
        (Outbox.id == row_id) & (Outbox.status == "sending"))


async def give_back(row: dict[str, Any], now: datetime, error: BaseException,
                    result: DispatchResult, permanent: bool = False) -> None:
    """Queue the row again after a backoff, or mark it failed for a coordinator to see."""
    reason = describe(error)
    if permanent or retry.gives_up(row["attempts"]):
        await Outbox.update({Outbox.status: "failed", Outbox.lease_until: None,
                             Outbox.last_error: reason}).where(
            (Outbox.id == row["id"]) & (Outbox.status == "sending"))
        result.failed += 1
        log.warning("email failed", extra={"outbox_id": row["id"], "error": reason})
        return
    await Outbox.update({Outbox.status: "queued", Outbox.lease_until: None,
                         Outbox.due_at: now + retry.retry_delay(row["attempts"]),
                         Outbox.last_error: reason}).where(
        (Outbox.id == row["id"]) & (Outbox.status == "sending"))
    result.retried += 1


def resolved(row: dict[str, Any], resolve: Callable[[str], str]) -> dict[str, Any]:
    """The bodies as sent: what only sending may know (partner links) is filled in now."""
    return {**row, **{part: resolve(row[part]) for part in ("body_text", "body_html")}}


def build_message(row: dict[str, Any], mail_from: str, now: datetime,
                  attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """The email as sent. Every header is set here, each through `header_text`: data in a
    subject or name can never add a header or break a line."""
    message = EmailMessage()
    message["From"] = header_text(mail_from)
    message["To"] = ", ".join(header_text(recipient) for recipient in row["recipients"])
    message["Subject"] = header_text(row["subject"])
    message["Date"] = format_datetime(now)
    message["Message-ID"] = header_text(row["message_id"])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row["body_text"])
    message.add_alternative(row["body_html"], subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                               filename=header_text(attachment.filename))
    return message


def describe(error: BaseException) -> str:
    code = getattr(error, "code", None)
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{code} {text}" if code else f"{type(error).__name__}: {text}"
