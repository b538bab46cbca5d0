"""Dispatching 1,000 due emails to a local aiosmtpd server: the dispatcher (`send_all_due`)
against a naive sender that connects once per message, with the time spent in the database
(claim and mark-sent queries) added up for each.

    uv run python -m bench.mail_dispatch --scale district [--emails 1000] [--starttls]

- ours, `send_all_due`: rows queued as `network.mail.outbox.enqueue` queues them, each with
  its message built and stored at queueing (`outbox.message_bytes`; the time that takes is
  measured while queueing and printed as "pre-render at enqueue"). The dispatcher claims
  batches of 50 (each next one while the one before goes out), sends each stored message (its
  links filled in) over one SMTP connection for all of them and marks the accepted rows sent
  in groups of 5 while the next messages go out.
- the baseline, "connection per message": rows queued without a stored message; for each
  row it builds the message with the same builder (`message.sendable`, as the dispatcher
  does for rows without one), opens a new connection, sends, QUITs and marks that row sent;
  it claims batches of 50 like ours.

The ratio is printed twice: of the dispatching alone, and with our pre-rendering counted in
(the work moved to queueing is still work the service does). The SMTP server (aiosmtpd's Sink
handler, which accepts and discards) runs in its own process on 127.0.0.1, so it does not
share this process's event loop or GIL. `--starttls` makes both sides use STARTTLS, as a
production relay does: then each new connection pays a handshake. The sides alternate,
`--rounds` times each; the best round of each side counts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import ssl
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import aiosmtplib
import asyncpg

from bench import common
from network import database
from network.composition import build_mailer
from network.mail import dispatcher, outbox, queries
from network.mail.message import sendable
from network.mail.templates import RenderedEmail
from network.settings import Settings

RATIO_TARGET = 2.5
BODY = "Guten Tag,\n\nes gibt eine neue Vermittlung für Sie.\n\n" + "Mit freundlichen Grüßen\n" * 3


async def queue_emails(url: str, count: int, due: datetime, mail_from: str | None) -> float:
    """`count` due rows in the outbox (earlier benchmark rows removed first), each with its
    message built and stored as `enqueue` does when `mail_from` is given; returns the seconds
    that building took."""
    rows, building = [], 0.0
    for i in range(count):
        message_id = f"<{uuid.uuid4().hex}@bench.example>"
        recipients = [f"team{i % 300}@partner.example"]
        email = RenderedEmail(f"Neue Vermittlung {i}", BODY, f"<p>{BODY}</p>")
        raw = None
        if mail_from is not None:
            started = time.perf_counter()
            raw = outbox.message_bytes(mail_from, recipients, email, message_id, due, ())
            building += time.perf_counter() - started
        rows.append((message_id, "benchmark", recipients, email.subject, email.text,
                     email.html, due, due, raw))
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DELETE FROM outbox WHERE template = 'benchmark'")
        await connection.copy_records_to_table("outbox", columns=(
            "message_id", "template", "recipients", "subject", "body_text", "body_html",
            "due_at", "created_at", "message_bytes"), records=rows)
        # Every round starts from the same table: the rounds before left thousands of dead
        # row versions (their rows were claimed, marked, deleted), which autovacuum would
        # clear in service but is off on the benchmark server: without this, each claim
        # visited 14,000 heap pages (140 ms) by the fifth run.
        await connection.execute("VACUUM ANALYZE outbox")
    finally:
        await connection.close()
    return building


class DatabaseClock:
    """Wraps the dispatcher's claim and mark-sent queries to add up their time (ours marks
    and claims the next batch in the background, so its figure overlaps the sending)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
        return wrapper


async def reused_connection(settings: Settings, now: datetime, clock: DatabaseClock,
                            tls_context: ssl.SSLContext | None) -> tuple[int, float]:
    originals = queries.claim, dispatcher.mark_sent
    queries.claim, dispatcher.mark_sent = clock.timed(originals[0]), clock.timed(originals[1])
    try:
        started = time.perf_counter()
        result = await dispatcher.send_all_due(build_mailer(settings), now, tls_context=tls_context)
        return result.sent, time.perf_counter() - started
    finally:
        queries.claim, dispatcher.mark_sent = originals


async def connection_per_message(settings: Settings, now: datetime, clock: DatabaseClock,
                                 tls_context: ssl.SSLContext | None) -> tuple[int, float]:
    """The same claim and mark-sent, but the message built now and a new SMTP connection
    (connect, send, QUIT) for each message, each marked on its own: what a naive sender does."""
    claim, mark_sent = clock.timed(dispatcher.claim), clock.timed(dispatcher.mark_sent)
    resolve = build_mailer(settings).resolve
    sent = 0
    started = time.perf_counter()
    while rows := await claim(now, dispatcher.BATCH_SIZE):
        for row in rows:
            smtp = dispatcher.smtp_client(settings.smtp, settings.smtp_timeout_seconds,
                                          tls_context)
            await smtp.connect()
            raw = sendable(dispatcher.resolved(row, resolve), settings.mail_from,
                           row["created_at"])  # as the dispatcher, for a row without one
            await smtp.sendmail(parseaddr(settings.mail_from)[1], row["recipients"], raw)
            await smtp.quit()
            await mark_sent([row["id"]], now)
            sent += 1
    return sent, time.perf_counter() - started


def starttls_files(folder: Path) -> tuple[list[str], ssl.SSLContext]:
    """A throwaway CA and server certificate: the server's STARTTLS options, the client's
    context trusting it."""
    import trustme  # a dev dependency, as in the tests

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    certificate.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return ["--tlscert", str(folder / "server.pem"), "--tlskey", str(folder / "server.pem")], \
        context


def loads(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{average:.2f}" for average in averages)


async def measure(url: str, emails: int, rounds: int, starttls: bool) -> None:
    first_load = os.getloadavg()
    port = common.free_port()
    options, tls_context = starttls_files(Path(tempfile.mkdtemp())) if starttls else ([], None)
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
        "aiosmtpd.handlers.Sink", *options)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                probe = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=2,
                                       start_tls=False)
                await probe.connect()
                await probe.quit()
                break
            except (OSError, aiosmtplib.SMTPException):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
        scheme = "smtp+starttls" if starttls else "smtp"
        settings = Settings.from_env({**common.app_env(url, pool_size=4),
                                      "SMTP_URL": f"{scheme}://127.0.0.1:{port}"})
        await database.start_pool(url, 4)
        try:
            figures = []
            sides = (("send_all_due (reused connection)", reused_connection, True),
                     ("connection per message", connection_per_message, False))
            for name, send, stored in sides * rounds:  # alternate: drift hits both sides
                now = datetime.now(UTC)
                building = await queue_emails(url, emails, now - timedelta(minutes=1),
                                              settings.mail_from if stored else None)
                clock = DatabaseClock()
                sent, seconds = await send(settings, now, clock, tls_context)
                figures.append((name, sent, seconds, clock.seconds, building))
        finally:
            await database.close_pool()
    finally:
        server.terminate()
        await server.wait()
    print(f"load average (1, 5, 15 min): {loads(first_load)} at the start,"
          f" {loads(os.getloadavg())} at the end (the machine is shared: compare ratios)")
    for name, sent, seconds, in_database, building in figures:
        print(f"{name:34} {sent:5} sent in {seconds:6.2f} s = {sent / seconds:7.0f}/s;"
              f" database {in_database:5.2f} s ({in_database / seconds:.0%});"
              f" pre-render at enqueue {building:5.2f} s")
    ours = [figure for figure in figures if figure[0] == sides[0][0]]
    naive = max(sent / seconds for name, sent, seconds, _, _ in figures if name == sides[1][0])
    sending = max(sent / seconds for _, sent, seconds, _, _ in ours) / naive
    with_building = max(sent / (seconds + building) for _, sent, seconds, _, building in ours)
    print(f"best rounds: ratio {sending:.1f}x connecting per message, sending alone;"
          f" {with_building / naive:.1f}x with the pre-rendering at enqueue counted"
          f" (target >= {RATIO_TARGET}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--starttls", action="store_true",
                        help="STARTTLS as in production (a throwaway certificate)")
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    asyncio.run(measure(url, args.emails, args.rounds, args.starttls))


if __name__ == "__main__":
    main()
