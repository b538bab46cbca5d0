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

`send_all_due` sends pass after pass over one connection (a new one only after a pass lost
it), claiming each next batch while the one before goes out. Each message is one MAIL, RCPT
and DATA exchange through aiosmtplib's commands (`deliver`: what `sendmail` sends, with less
work around it), each reply awaited at most SMTP_TIMEOUT_SECONDS.

Marking sent is a group commit (`SentMarks`): a row the server accepted waits for the next
`UPDATE ... WHERE id = ANY(...)`, which starts once MARK_GROUP (5) rows wait and none runs, or
when a batch ends; the next messages go out meanwhile. At most MAX_UNMARKED (10) accepted rows
are unmarked at any moment: before the next message goes out beyond that, the dispatcher
waits for the marks. So the one window for a duplicate, a crash between the server accepting
a message and its row being marked, holds at most 10 messages, and a resent copy carries the
same Message-ID (and, being the stored bytes, the same Date). A dispatcher that dies leaves
its rows leased; once the lease runs out another dispatcher takes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import Any

import aiosmtplib
from aiosmtplib import SMTPStatus
from aiosmtplib.email import quote_address
from aiosmtplib.protocol import normalize_message_line_endings

from network.mail import queries, retry
from network.mail.message import filled, sendable
from network.mail.mime import PLAIN_ADDRESS
from network.mail.outbox import attachments_of
from network.mail.tables import Outbox
from network.settings import SmtpConfig

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH_SIZE = 50
MAX_UNMARKED = 10  # accepted by the server, not yet marked sent: the duplicate window
# Accepted rows marked by one statement at least (but the last of a batch): half the limit,
# so that the next half goes out while they are marked. A statement (and its commit) for
# every row or two cost the database 0.2-0.3 ms a message, beside the sending.
MARK_GROUP = MAX_UNMARKED // 2
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


class Unsendable(Exception):
    """An envelope address this server cannot take: one with non-ASCII characters when the
    server does not offer SMTPUTF8, or one that would add to the command. Permanent: the
    row fails for a coordinator to see instead of stopping every batch it is claimed in."""

    def __init__(self, why: str):
        super().__init__(f"address cannot be sent ({why})")


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
    if not rows:
        return DispatchResult()
    session = Session(mailer, now, tls_context)
    try:
        return await session.send(rows)
    finally:
        await session.close()


async def send_all_due(mailer: Mailer, now: datetime, *, batch_size: int = BATCH_SIZE,
                       tls_context: ssl.SSLContext | None = None) -> DispatchResult:
    """Passes until nothing due is left (or nothing could be sent), over one SMTP
    connection (opened again only after a pass lost it) and one group commit of marks. Each
    next batch is claimed while the one before goes out; when that one sends nothing, the
    next goes back untried (`queries.unclaim`), as if this pass had not claimed it."""
    total = DispatchResult()
    session = Session(mailer, now, tls_context)
    upcoming: asyncio.Task[list[Any]] | None = None
    try:
        rows = await queries.claim(now, LEASE, batch_size)
        while rows:
            upcoming = asyncio.create_task(queries.claim(now, LEASE, batch_size))
            result = await session.send(rows)
            total.sent += result.sent
            total.retried += result.retried
            total.failed += result.failed
            rows, upcoming = await upcoming, None
            if result.sent == 0:
                await queries.unclaim([row["id"] for row in rows])
                break
    finally:
        if upcoming is not None:  # sending raised: the claimed next batch goes back untried
            await unclaimed(upcoming)
        await session.close()
    return total


async def unclaimed(claiming: asyncio.Task[list[Any]]) -> None:
    """Give back what a claim under way takes, after an error that it must not hide."""
    with contextlib.suppress(Exception):
        await queries.unclaim([row["id"] for row in await claiming])


class Session:
    """The sending of claimed batches: one SMTP connection, opened for the first and kept
    for the next, and the accepted rows' marks (`SentMarks`), which all run out in `close`."""

    def __init__(self, mailer: Mailer, now: datetime, tls_context: ssl.SSLContext | None):
        self.mailer = mailer
        self.now = now
        self.tls_context = tls_context
        self.envelope_from = parseaddr(mailer.mail_from)[1]
        self.smtp: aiosmtplib.SMTP | None = None
        self.marks = SentMarks(now)

    async def send(self, rows: list[Any]) -> DispatchResult:
        """Send claimed rows; each is marked sent, queued again or failed."""
        now, resolve, result = self.now, self.mailer.resolve, DispatchResult()
        stored = {row["id"]: filled(bytes(row["message_bytes"]), resolve)
                  for row in rows if row["message_bytes"] is not None}
        attachments = await attachments_of([row["id"] for row in rows
                                            if stored.get(row["id"]) is None])
        try:
            smtp = await self.connected()
        except (aiosmtplib.SMTPException, *CONNECTION_ERRORS) as error:
            log.warning("smtp connection failed", extra={"error": describe(error),
                                                         "emails": len(rows)})
            for row in rows:
                await give_back(row, now, error, result)
            return result
        for position, row in enumerate(rows):
            try:
                raw = stored.get(row["id"]) or sendable(
                    resolved(row, resolve), self.mailer.mail_from, row["created_at"],
                    attachments.get(row["id"], ()))
            except Exception as error:  # noqa: BLE001 (any: the same row fails the same way)
                # A message that cannot be built never will be: failed at once, with the
                # kind of error only (its text may quote the email's data); never retried.
                await give_back(row, now, Unbuildable(type(error).__name__), result,
                                permanent=True)
                continue
            try:
                await deliver(smtp, self.envelope_from, row["recipients"], raw,
                              self.mailer.timeout)
            except Unsendable as error:
                await give_back(row, now, error, result, permanent=True)
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
                await self.marks.accepted(row["id"])
        self.marks.flush()  # the batch's last rows are marked while the next is claimed
        log.info("outbox dispatched", extra={"sent": result.sent, "retried": result.retried,
                                             "failed": result.failed})
        return result

    async def connected(self) -> aiosmtplib.SMTP:
        """The session's connection: the one kept from the batch before, or a new one."""
        if self.smtp is not None and self.smtp.is_connected:
            return self.smtp
        smtp = smtp_client(self.mailer.smtp, self.mailer.timeout, self.tls_context)
        try:
            await smtp.connect()
            if self.mailer.smtp.username:
                await smtp.login(self.mailer.smtp.username, self.mailer.smtp.password or "")
            if smtp.is_ehlo_or_helo_needed:  # as `sendmail` would before its first MAIL
                try:
                    await smtp.ehlo()
                except aiosmtplib.SMTPHeloError:
                    if not smtp.is_connected:
                        raise
                    await smtp.helo()
        except BaseException:
            smtp.close()  # half set up (refused STARTTLS, a failed login): never used again
            raise
        self.smtp = smtp
        return smtp

    async def close(self) -> None:
        """Wait until every accepted row is marked, then say goodbye to the server."""
        try:
            await self.marks.close()
        finally:
            if self.smtp is not None and self.smtp.is_connected:
                try:
                    await self.smtp.quit()
                except (aiosmtplib.SMTPException, *CONNECTION_ERRORS):
                    self.smtp.close()


def mailbox(address: str, encoding: str = "ascii") -> bytes:
    """An address as MAIL and RCPT carry it (`<local@domain>`), as aiosmtplib quotes it, in
    `encoding` (utf-8 under SMTPUTF8); Unsendable for one that could add to the command
    (aiosmtplib's check). A plain address (dot-atom@domain) is what aiosmtplib's parse
    (0.03-0.1 ms, the email library's) makes of it and passes its check: written as it is."""
    if PLAIN_ADDRESS.match(address):
        return b"<" + address.encode("ascii") + b">"
    try:
        return quote_address(address).encode(encoding)
    except ValueError as error:  # UnicodeError is one
        raise Unsendable(type(error).__name__) from None


@lru_cache(maxsize=16)
def envelope_address(sender: str, encoding: str) -> bytes:
    """The configured sender's `mailbox`, worked out once."""
    return mailbox(sender, encoding)


async def deliver(smtp: aiosmtplib.SMTP, sender: str, recipients: Sequence[str],
                  message: bytes, reply_seconds: float) -> None:
    """One mail transaction as `SMTP.sendmail` makes it (the same MAIL, RCPT and DATA
    commands and bytes, the same errors, RSET after a refusal), through aiosmtplib's
    `execute_command` and `data`. `sendmail` parses every address twice more (0.03-0.1 ms
    each), and waits for each reply under `asyncio.wait_for`, which costs a timer, a future
    and a turn of the event loop more than `asyncio.timeout`: together a third of the
    client's work a message on a fast server. Every address is checked before anything is
    sent; a recipient refused while another is accepted is left out.

    Each command waits `reply_seconds` for its reply (DATA: for both of its replies); a
    server that does not answer in time is cut off as aiosmtplib does it (the connection
    closed, SMTPReadTimeoutError). An address with non-ASCII characters goes under SMTPUTF8
    when the server offers it (RFC 6531), else the row is Unsendable."""
    utf8 = not (sender.isascii() and all(recipient.isascii() for recipient in recipients))
    if utf8 and not smtp.supports_extension("smtputf8"):
        raise Unsendable("the server does not offer SMTPUTF8")
    encoding = "utf-8" if utf8 else "ascii"
    quoted_sender = envelope_address(sender, encoding)
    quoted = [(recipient, mailbox(recipient, encoding)) for recipient in recipients]
    options = ([f"size={len(normalize_message_line_endings(message))}".encode("ascii")]
               if smtp.supports_extension("size") else [])
    if utf8:
        options.append(b"SMTPUTF8")
    clock = asyncio.get_running_loop().time
    try:
        async with asyncio.timeout_at(clock() + reply_seconds) as deadline:
            response = await smtp.execute_command(
                b"MAIL", b"FROM:" + quoted_sender, *options, timeout=None)
            if response.code != SMTPStatus.completed:
                raise aiosmtplib.SMTPSenderRefused(response.code, response.message, sender)
            refused = []
            for recipient, address in quoted:
                deadline.reschedule(clock() + reply_seconds)
                response = await smtp.execute_command(b"RCPT", b"TO:" + address, timeout=None)
                if response.code not in (SMTPStatus.completed, SMTPStatus.will_forward):
                    refused.append(aiosmtplib.SMTPRecipientRefused(
                        response.code, response.message, recipient))
            if len(refused) == len(quoted):
                raise aiosmtplib.SMTPRecipientsRefused(refused)
            deadline.reschedule(clock() + reply_seconds)
            await smtp.data(message, timeout=None)
    except TimeoutError as error:
        smtp.close()  # a reply may still come: it must not be read as the next one's
        raise aiosmtplib.SMTPReadTimeoutError("Timed out waiting for server response") from error
    except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused):
        # As `sendmail`: the envelope is reset; the refusal is what the caller is told.
        with contextlib.suppress(ConnectionError, aiosmtplib.SMTPResponseException):
            await smtp.rset()
        raise


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
    background, for the MARK_GROUP or more rows accepted since the one before it started;
    never more than MAX_UNMARKED accepted rows wait unmarked (see the module's docstring)."""

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
            running, self.running = self.running, None
            await running  # a failed mark raises here: the rows keep their lease
            self.marking = []
        if len(self.waiting) >= MARK_GROUP:
            self.flush()

    def flush(self) -> None:
        """Start marking the rows that wait, unless a mark runs (they go with the next)."""
        if self.running is None and self.waiting:
            self.marking, self.waiting = self.waiting, []
            self.running = asyncio.create_task(mark_sent(self.marking, self.now))

    async def close(self) -> None:
        """Wait until every accepted row is marked."""
        if self.running is not None:
            running, self.running = self.running, None
            await running
            self.marking = []
        if self.waiting:
            self.marking, self.waiting = self.waiting, []
            await mark_sent(self.marking, self.now)
            self.marking = []


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
