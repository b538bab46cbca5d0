"""Send due outbox rows over one reused SMTP connection.

The dispatcher is a `Mailer` built once where the program is composed
(`network.composition.build_mailer`): the SMTP server, the sender, and `resolve`, which turns
what a queued email holds into what is sent (the partner links' sealed placeholders into their
URLs). The dispatcher itself knows nothing of links.

Claiming is a committed `UPDATE ... FOR UPDATE SKIP LOCKED` that gives each row a lease, so any
number of dispatchers (service instances, `network mail send-due`) can run side by side and
each row goes to exactly one of them. A message was built when its row was queued
(`network.mail.message`): sending hands the stored bytes, its links filled in, to the server;
only rows without them (queued before they were stored, or with a body that could not be
stored verbatim) are built here.

Marking sent is a group commit (`SentMarks`): a row the server accepted waits for the next
`UPDATE ... WHERE id IN (...)`, which marks every row that waited while the one before it ran;
the next messages go out meanwhile. At most MAX_UNMARKED (10) accepted rows are unmarked at any
moment: before the next message goes out beyond that, the dispatcher waits for the marks. So
the one window for a duplicate, a crash between the server accepting a message and its row
being marked, holds at most 10 messages, and a resent copy carries the same Message-ID (and,
being the stored bytes, the same Date). A dispatcher that dies leaves its rows leased; once the
lease runs out another dispatcher takes them.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

import aiosmtplib

from network.mail import queries, retry
from network.mail.message import filled, sendable
from network.mail.outbox import attachments_of
from network.mail.tables import Outbox
from network.settings import SmtpConfig

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH_SIZE = 50
MAX_UNMARKED = 10  # accepted by the server, not yet marked sent: the duplicate window
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
    stored = {row["id"]: filled(bytes(row["message_bytes"]), mailer.resolve)
              for row in rows if row["message_bytes"] is not None}
    attachments = await attachments_of([row["id"] for row in rows
                                        if stored.get(row["id"]) is None])
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
    marks = SentMarks(now)
    try:
        for position, row in enumerate(rows):
            try:
                raw = stored.get(row["id"]) or sendable(
                    resolved(row, mailer.resolve), mailer.mail_from, row["created_at"],
                    attachments.get(row["id"], ()))
            except Exception as error:  # noqa: BLE001 (any: the same row fails the same way)
                # A message that cannot be built never will be: failed at once, with the
                # kind of error only (its text may quote the email's data); never retried.
                await give_back(row, now, Unbuildable(type(error).__name__), result,
                                permanent=True)
                continue
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
                result.sent += 1
                await marks.accepted(row["id"])
    finally:
        await marks.close()
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


async def mark_sent(row_ids: list[int], now: datetime) -> None:
    await queries.mark_sent(row_ids, now)


class SentMarks:
    """Accepted rows marked sent as a group commit: one `mark_sent` runs at a time, in the
    background, for every row accepted while the one before it ran; never more than
    MAX_UNMARKED accepted rows wait unmarked (see the module's docstring)."""

    def __init__(self, now: datetime):
        self.now = now
        self.waiting: list[int] = []
        self.marking: list[int] = []
        self.running: asyncio.Task[None] | None = None

    async def accepted(self, row_id: int) -> None:
        self.waiting.append(row_id)
        if self.running is not None and (
                self.running.done()
                or len(self.waiting) + len(self.marking) >= MAX_UNMARKED):
            await self.running  # a failed mark raises here: the rows keep their lease
            self.running = None
        if self.running is None:
            self.marking, self.waiting = self.waiting, []
            self.running = asyncio.create_task(mark_sent(self.marking, self.now))

    async def close(self) -> None:
        """Wait until every accepted row is marked."""
        if self.running is not None:
            running, self.running = self.running, None
            await running
        if self.waiting:
            self.marking, self.waiting = self.waiting, []
            await mark_sent(self.marking, self.now)


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


def describe(error: BaseException) -> str:
    code = getattr(error, "code", None)
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{code} {text}" if code else f"{type(error).__name__}: {text}"
