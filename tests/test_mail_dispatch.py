"""The outbox and its dispatcher, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
from aiosmtplib.email import quote_address

from network.composition import build_mailer
from network.database import ENGINE
from network.mail import dispatcher, outbox, queries
from network.mail.dispatcher import LEASE, claim, send_all_due, send_due
from network.mail.tables import Outbox
from network.settings import Settings
from tests.support.app import make_settings, serving
from tests.support.polling import until
from tests.support.smtp_server import RecordingHandler, SilentServer, SmtpServer

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)



def settings_for(tmp_path: Path, db: str, smtp_url: str, **env: str) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp_url,
                         MAIL_FROM="Integration Point Heinsberg <ip@kreis-heinsberg.de>", **env)


async def queue(settings: Settings, n: int = 1, **options) -> list[int]:
    """Emails due at the test's clock NOW (not at the database's real now(), which passes
    NOW as the day goes on)."""
    options.setdefault("due_at", NOW)
    return [
        await outbox.enqueue(settings, "test_message", [f"partner{i}@example.org"],
                             {"requested_by": "Frau Özdemir", "recipient": f"partner{i}"},
                             **options)
        for i in range(n)
    ]


async def statuses() -> dict[int, str]:
    rows = await Outbox.select(Outbox.id, Outbox.status).order_by(Outbox.id)
    return {row["id"]: row["status"] for row in rows}


async def test_it_delivers_both_parts_with_the_headers_of_its_row(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    [row_id] = await queue(settings)

    result = await send_due(build_mailer(settings), NOW)

    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    [message] = smtp.messages
    row = await Outbox.select().where(Outbox.id == row_id).first()
    assert message["Message-ID"] == row["message_id"]
    assert row["message_id"].endswith("@kreis-heinsberg.de>")
    assert message["From"] == "Integration Point Heinsberg <ip@kreis-heinsberg.de>"
    assert message["To"] == "partner0@example.org"
    assert message["Subject"] == "Test-E-Mail vom Integration Point Kreis Heinsberg"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Frau Özdemir" in text and "Frau Özdemir" in html
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert row["status"] == "sent" and row["sent_at"] == NOW and row["attempts"] == 1


async def test_nothing_is_lost_or_duplicated_while_the_server_is_down(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    smtp.stop()
    ids = await queue(settings, 3)

    down = await send_due(build_mailer(settings), NOW)
    assert (down.sent, down.retried) == (0, 3)
    assert set((await statuses()).values()) == {"queued"}
    assert (await send_due(build_mailer(settings), NOW)).handled == 0  # backing off, not hammering

    smtp.start()
    later = NOW + timedelta(minutes=5)
    assert (await send_all_due(build_mailer(settings), later)).sent == 3
    assert (await send_all_due(build_mailer(settings), later + timedelta(hours=1))).handled == 0
    assert sorted(m["To"] for m in smtp.messages) == [f"partner{i}@example.org" for i in range(3)]
    assert await statuses() == dict.fromkeys(ids, "sent")


@pytest.mark.parametrize("reply", ["421 Service not available", "451 Try again later"])
async def test_it_retries_transient_refusals(
    tmp_path: Path, pool: str, smtp: SmtpServer, reply: str
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    [row_id] = await queue(settings)
    smtp.handler.replies.append(reply)

    first = await send_due(build_mailer(settings), NOW)
    assert first.retried == 1
    row = await Outbox.select().where(Outbox.id == row_id).first()
    assert row["status"] == "queued" and row["due_at"] > NOW
    assert reply.split()[0] in row["last_error"]

    second = await send_due(build_mailer(settings), row["due_at"])
    assert second.sent == 1 and len(smtp.messages) == 1


async def test_a_permanent_refusal_marks_the_email_failed_for_a_coordinator(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    failing, fine = await queue(settings, 2)
    smtp.handler.replies.append("550 No such user here")

    result = await send_due(build_mailer(settings), NOW)

    assert (result.sent, result.failed) == (1, 1)
    assert await statuses() == {failing: "failed", fine: "sent"}
    [shown] = await queries.failed_emails()
    assert shown["id"] == failing and "550" in shown["last_error"]
    assert (await queries.status_counts())["failed"] == 1
    assert (await send_all_due(build_mailer(settings), NOW + timedelta(days=2))).handled == 0


async def test_a_non_ascii_address_goes_under_smtputf8_or_fails_alone(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    """The address rule lets a partner's address hold umlauts: a server without SMTPUTF8
    cannot take it, so that email fails for a coordinator to see while the others go (it
    used to stop every batch it was claimed in); a server with SMTPUTF8 gets it as it is."""
    settings = settings_for(tmp_path, pool, smtp.url)
    context = {"requested_by": "Frau Özdemir", "recipient": "Jürgen"}
    umlaut, fine = [await outbox.enqueue(settings, "test_message", [to], context, due_at=NOW)
                    for to in ("jürgen.müller@beispiel.de", "partner@example.org")]

    result = await send_all_due(build_mailer(settings), NOW)

    assert (result.sent, result.failed) == (1, 1)
    assert await statuses() == {umlaut: "failed", fine: "sent"}
    [shown] = await queries.failed_emails()
    assert "SMTPUTF8" in shown["last_error"] and "jürgen" not in shown["last_error"]

    offering = SmtpServer(smtputf8=True).start()
    try:
        settings = settings_for(tmp_path, pool, offering.url)
        [again] = [await outbox.enqueue(settings, "test_message", ["jürgen.müller@beispiel.de"],
                                        context, due_at=NOW)]
        assert (await send_all_due(build_mailer(settings), NOW)).sent == 1
    finally:
        offering.stop()
    [envelope] = offering.handler.envelopes
    assert envelope.rcpt_tos == ["jürgen.müller@beispiel.de"]
    assert "SMTPUTF8" in envelope.mail_options
    assert (await statuses())[again] == "sent"


async def test_a_hung_server_is_cut_off_by_the_timeout_while_health_answers(
    tmp_path: Path, db: str
) -> None:
    silent = SilentServer()
    settings = settings_for(tmp_path, db, f"smtp://127.0.0.1:{silent.port}",
                            SMTP_TIMEOUT_SECONDS="2")
    try:
        async with serving(settings) as client:
            await queue(settings)
            dispatch = asyncio.create_task(send_due(build_mailer(settings), NOW))
            health = await client.get("/health")
            assert health.status_code == 200
            assert not dispatch.done()
            async with asyncio.timeout(15):
                result = await dispatch
    finally:
        silent.close()
    assert result.retried == 1
    assert set((await statuses()).values()) == {"queued"}


async def test_required_starttls_is_never_skipped_when_the_server_does_not_offer_it(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, f"smtp+starttls://localhost:{smtp.port}")
    await queue(settings)

    result = await send_due(build_mailer(settings), NOW)

    assert result.sent == 0 and smtp.messages == []
    row = await Outbox.select().first()
    assert row["status"] == "queued" and "STARTTLS" in row["last_error"].upper()


async def test_it_sends_over_starttls_when_the_server_offers_it(
    tmp_path: Path, pool: str
) -> None:
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    server = SmtpServer(tls_context=server_context, require_starttls=True).start()
    try:
        settings = settings_for(tmp_path, pool, server.url)
        await queue(settings)
        result = await send_due(build_mailer(settings), NOW, tls_context=client_context)
    finally:
        server.stop()
    assert result.sent == 1 and server.handler.tls_used == [True]


async def test_concurrent_dispatchers_send_each_email_exactly_once(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    await queue(settings, 30)

    results = await asyncio.gather(
        *(send_all_due(build_mailer(settings), NOW, batch_size=4) for _ in range(3)))

    assert sum(result.sent for result in results) == 30
    recipients = [m["To"] for m in smtp.messages]
    assert len(recipients) == len(set(recipients)) == 30


async def test_rows_of_a_dispatcher_that_died_are_sent_once_its_lease_runs_out(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    await queue(settings, 2)
    assert len(await claim(NOW, 10)) == 2  # claimed, then the process died

    assert (await send_due(build_mailer(settings), NOW + LEASE - timedelta(seconds=1))).handled == 0
    assert (await send_due(build_mailer(settings), NOW + LEASE)).sent == 2
    assert len(smtp.messages) == 2


async def test_an_email_is_queued_only_with_the_change_that_caused_it(
    tmp_path: Path, pool: str
) -> None:
    settings = settings_for(tmp_path, pool, "smtp://localhost:25")
    with pytest.raises(RuntimeError):
        async with ENGINE.transaction():
            await queue(settings)
            raise RuntimeError("the change failed")
    assert await statuses() == {}


async def test_a_dedupe_key_queues_an_email_only_once(tmp_path: Path, pool: str) -> None:
    settings = settings_for(tmp_path, pool, "smtp://localhost:25")
    first = await queue(settings, dedupe_key="report:2026-10")
    second = await queue(settings, dedupe_key="report:2026-10")
    assert first[0] is not None and second == [None]
    assert len(await statuses()) == 1



async def test_the_service_scheduler_dispatches_queued_email_by_itself(
    tmp_path: Path, db: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, db, smtp.url, SCHEDULER_ENABLED="true",
                            MAIL_DISPATCH_SECONDS="1")
    async with serving(settings):
        await queue(settings)
        await until(lambda: bool(smtp.messages), what="the scheduled dispatch")
    assert len(smtp.messages) == 1


async def test_the_dispatcher_sends_what_its_resolver_makes_of_each_queued_body(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    """The dispatcher knows nothing of links: what a queued body holds is resolved by the
    function it was built with (at composition: the sealed partner links)."""
    settings = settings_for(tmp_path, pool, smtp.url)
    await queue(settings)
    mailer = replace(build_mailer(settings), resolve=lambda text: text.replace(
        "Frau Özdemir", "[resolved]"))

    assert (await send_due(mailer, NOW)).sent == 1

    [message] = smtp.messages
    assert "[resolved]" in message.get_body(preferencelist=("plain",)).get_content()
    stored = await Outbox.select(Outbox.body_text).first()
    assert "Frau Özdemir" in stored["body_text"] and "[resolved]" not in stored["body_text"]


def test_the_dispatcher_does_not_import_partner_links() -> None:
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, network.mail.dispatcher;"
         " print(sorted(m for m in sys.modules if m.startswith('network.links')))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


async def test_all_due_emails_go_out_over_one_connection_across_passes(
    tmp_path: Path, pool: str, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    await queue(settings, 5)
    opened: list[object] = []
    client = dispatcher.smtp_client
    monkeypatch.setattr(dispatcher, "smtp_client",
                        lambda *args: opened.append(args) or client(*args))

    assert (await send_all_due(build_mailer(settings), NOW, batch_size=2)).sent == 5

    assert len(opened) == 1 and len(smtp.messages) == 5
    assert set((await statuses()).values()) == {"sent"}


class RefusingHandler(RecordingHandler):
    """Refuses every recipient whose address starts with "gone"."""

    async def handle_RCPT(self, server, session, envelope, address: str, options) -> str:
        if address.startswith("gone"):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


async def test_refused_recipients_are_left_out_and_the_next_email_still_goes(
    tmp_path: Path, pool: str
) -> None:
    """As aiosmtplib's `sendmail`: a refused recipient beside an accepted one is left out;
    an email all of whose recipients are refused fails, and the envelope is reset for the
    next email on the same connection."""
    server = SmtpServer()
    server.handler = RefusingHandler()
    server.start()
    try:
        settings = settings_for(tmp_path, pool, server.url)
        context = {"requested_by": "Frau Özdemir", "recipient": "partner"}
        mixed, refused, fine = [
            await outbox.enqueue(settings, "test_message", recipients, context, due_at=NOW)
            for recipients in (["gone@example.org", "partner1@example.org"],
                               ["gone@example.org"], ["partner3@example.org"])]

        result = await send_all_due(build_mailer(settings), NOW)
    finally:
        server.stop()

    assert (result.sent, result.failed) == (2, 1)
    assert await statuses() == {mixed: "sent", refused: "failed", fine: "sent"}
    assert [envelope.rcpt_tos for envelope in server.handler.envelopes] == [
        ["partner1@example.org"], ["partner3@example.org"]]
    [shown] = await queries.failed_emails()
    assert shown["id"] == refused and "550" in shown["last_error"]


async def test_a_batch_claimed_ahead_goes_back_untried_when_the_pass_before_sent_nothing(
    tmp_path: Path, pool: str, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    ids = await queue(settings, 4)
    tried, ahead = ids[:2], ids[2:]
    smtp.handler.replies.extend(["451 Try again later"] * 2)

    result = await send_all_due(build_mailer(settings), NOW, batch_size=2)

    assert (result.sent, result.retried) == (0, 2) and smtp.messages == []
    rows = {row["id"]: row for row in await Outbox.select()}
    assert [rows[row_id]["attempts"] for row_id in tried] == [1, 1]
    untried = [rows[row_id] for row_id in ahead]
    assert [(row["status"], row["attempts"], row["lease_until"], row["due_at"],
             row["last_error"]) for row in untried] == [("queued", 0, None, NOW, None)] * 2
    assert (await send_all_due(build_mailer(settings), NOW, batch_size=2)).sent == 2


async def test_an_error_while_sending_gives_back_the_batch_claimed_ahead(
    tmp_path: Path, pool: str, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    ids = await queue(settings, 4)

    async def broken(*args, **kwargs) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(dispatcher, "deliver", broken)
    with pytest.raises(RuntimeError):
        await send_all_due(build_mailer(settings), NOW, batch_size=2)

    rows = {row["id"]: row for row in await Outbox.select()}
    assert [rows[row_id]["status"] for row_id in ids] == ["sending"] * 2 + ["queued"] * 2
    assert [rows[row_id]["attempts"] for row_id in ids] == [1, 1, 0, 0]


@pytest.mark.parametrize("address", [
    "partner@example.org", "a.b+c@x-y.example.org", "o'brien@example.org",
    "{x}|~#$%&*/=?^_`@e.example", "Partner <p@example.org>", '"a b"@example.org',
    "p@example.org\nBcc: x@example.org", "p@[127.0.0.1]", "a..b@example.org", "<p@x.org>"])
def test_an_envelope_address_is_written_as_aiosmtplib_writes_it(address: str) -> None:
    try:
        expected = quote_address(address).encode("ascii")
    except ValueError:
        with pytest.raises(ValueError):
            dispatcher.mailbox(address)
    else:
        assert dispatcher.mailbox(address) == expected


class StallingHandler(RecordingHandler):
    """Takes a message and never answers it."""

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.Event().wait()
        return "250 OK"


async def test_a_server_that_stops_answering_is_cut_off_and_the_batch_queued_again(
    tmp_path: Path, pool: str
) -> None:
    server = SmtpServer()
    server.handler = StallingHandler()
    server.start()
    try:
        settings = settings_for(tmp_path, pool, server.url, SMTP_TIMEOUT_SECONDS="2")
        ids = await queue(settings, 2)
        async with asyncio.timeout(15):
            result = await send_all_due(build_mailer(settings), NOW)
    finally:
        server.stop()

    assert (result.sent, result.retried) == (0, 2)
    rows = await Outbox.select().order_by(Outbox.id)
    assert [row["id"] for row in rows] == ids
    assert {(row["status"], row["attempts"], row["last_error"]) for row in rows} == {
        ("queued", 1, "SMTPReadTimeoutError: Timed out waiting for server response")}
