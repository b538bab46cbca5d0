"""Messages built when queued (issue 18): the row stores the bytes, the dispatcher fills in the
sealed links and sends them; what cannot be stored verbatim is built at sending time. Sent rows
are marked in groups of MARK_GROUP, never more than MAX_UNMARKED accepted and unmarked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from network.composition import build_mailer
from network.links.tokens import fill_links
from network.mail import dispatcher, outbox
from network.mail.dispatcher import MARK_GROUP, MAX_UNMARKED, SentMarks, send_due
from network.mail.message import SMTP_LINE_LIMIT, as_bytes, build_message, filled, prerendered
from network.mail.tables import Outbox
from network.settings import Settings
from tests.support.app import make_settings
from tests.support.smtp_server import SmtpServer

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SEED = "S" * 43
PLACEHOLDER = f"[[partner-link:{SEED}]]"
ROW = {"recipients": ["partner@example.org"], "subject": "Neue Vermittlung für Sie",
       "message_id": "<1@kreis-heinsberg.de>", "body_text": f"Bitte öffnen: {PLACEHOLDER}\n",
       "body_html": f'<p>Bitte öffnen: <a href="{PLACEHOLDER}">Link</a></p>\n'}


def settings_for(tmp_path: Path, db: str, smtp_url: str) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp_url,
                         MAIL_FROM="Integration Point Heinsberg <ip@kreis-heinsberg.de>")


def link_of(settings: Settings) -> str:
    return fill_links(PLACEHOLDER, settings.base_url, settings.secret_key)


async def queue(settings: Settings, requested_by: str, **options) -> int:
    return await outbox.enqueue(settings, "test_message", ["partner@example.org"],
                                {"requested_by": requested_by, "recipient": "partner"},
                                due_at=NOW, **options)


async def stored(row_id: int) -> bytes | None:
    row = await Outbox.select(Outbox.message_bytes).where(Outbox.id == row_id).first()
    return row["message_bytes"]


def test_stored_bytes_filled_in_are_the_message_built_at_sending_time(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    resolve = build_mailer(settings).resolve
    raw = prerendered(build_message(ROW, "IP <ip@kreis-heinsberg.de>", NOW))
    assert raw is not None and raw.count(PLACEHOLDER.encode()) == 2  # 8bit: verbatim

    sent = message_from_bytes(filled(raw, resolve), policy=policy.default)
    built = message_from_bytes(as_bytes(build_message(
        {**ROW, **{part: resolve(ROW[part]) for part in ("body_text", "body_html")}},
        "IP <ip@kreis-heinsberg.de>", NOW)), policy=policy.default)
    for header in ("From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted"):
        assert sent[header] == built[header]
    for kind in ("plain", "html"):
        assert sent.get_body((kind,)).get_content() == built.get_body((kind,)).get_content()
    assert link_of(settings) in sent.get_body(("plain",)).get_content()
    assert PLACEHOLDER not in sent.get_body(("html",)).get_content()


def test_a_body_that_must_be_quoted_printable_is_not_stored() -> None:
    long_line = {**ROW, "body_text": "x" * SMTP_LINE_LIMIT + PLACEHOLDER + "\n"}
    message = build_message(long_line, "ip@kreis-heinsberg.de", NOW)
    assert message.get_body(("plain",))["Content-Transfer-Encoding"] == "quoted-printable"
    assert prerendered(message) is None


def test_stored_bytes_whose_filled_lines_pass_the_limit_are_built_again() -> None:
    near_limit = {**ROW, "body_text": "x" * (SMTP_LINE_LIMIT - len(PLACEHOLDER)) + PLACEHOLDER}
    raw = prerendered(build_message(near_limit, "ip@kreis-heinsberg.de", NOW))
    assert raw is not None
    assert filled(raw, lambda text: text) == raw
    assert filled(raw, lambda text: text.replace(PLACEHOLDER, "https://" + "y" * 80)) is None


async def test_a_queued_email_goes_out_as_its_stored_bytes_with_its_link_filled_in(
        tmp_path: Path, pool: str, smtp: SmtpServer) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    row_id = await queue(settings, PLACEHOLDER)
    raw = await stored(row_id)
    assert raw is not None and PLACEHOLDER.encode() in raw

    assert (await send_due(build_mailer(settings), NOW + timedelta(minutes=3))).sent == 1

    [envelope] = smtp.handler.envelopes
    assert envelope.original_content == filled(raw, build_mailer(settings).resolve)
    [message] = smtp.messages
    assert message["Date"] == "Thu, 26 Nov 2026 09:00:00 +0000"  # queued at NOW, not sent then
    assert link_of(settings) in message.get_body(("plain",)).get_content()
    assert link_of(settings) in message.get_body(("html",)).get_content()
    row = await Outbox.select(Outbox.status, Outbox.sent_at).where(Outbox.id == row_id).first()
    assert row == {"status": "sent", "sent_at": NOW + timedelta(minutes=3)}


@pytest.mark.parametrize("case", ["queued before the column", "body quoted-printable"])
async def test_rows_without_stored_bytes_are_built_when_sent(
        tmp_path: Path, pool: str, smtp: SmtpServer, case: str) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    if case == "queued before the column":
        row_id = await queue(settings, PLACEHOLDER)
        await Outbox.update({Outbox.message_bytes: None}).where(Outbox.id == row_id)
    else:
        row_id = await queue(settings, "x" * SMTP_LINE_LIMIT + PLACEHOLDER)
    assert await stored(row_id) is None

    assert (await send_due(build_mailer(settings), NOW)).sent == 1

    [message] = smtp.messages
    assert message["Date"] == "Thu, 26 Nov 2026 09:00:00 +0000"
    for kind in ("plain", "html"):
        body = message.get_body((kind,)).get_content()
        assert link_of(settings) in body and PLACEHOLDER not in body


async def test_erasing_a_client_drops_the_stored_message_with_the_words(
        tmp_path: Path, pool: str) -> None:
    settings = settings_for(tmp_path, pool, "smtp://127.0.0.1:1")
    about_client = await queue(settings, "Amina K.", client_id=41)
    in_digest = await queue(settings, "Amina K.")
    kept = await queue(settings, "Amina K.", client_id=42)

    await outbox.forget_client(41)
    await outbox.forget_emails([in_digest])

    for row_id in (about_client, in_digest):
        row = await Outbox.select().where(Outbox.id == row_id).first()
        assert row["message_bytes"] is None and row["body_text"] == outbox.REMOVED
    assert b"Amina K." in await stored(kept)
    # Any other change of the words drops it as well (a repair, a future erasure).
    await Outbox.update({Outbox.subject: "Neu"}).where(Outbox.id == kept)
    assert await stored(kept) is None


async def test_a_batch_is_marked_in_groups_never_more_than_the_limit_unmarked(
        tmp_path: Path, pool: str, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    ids = [await queue(settings, f"Person {i}") for i in range(3 * MAX_UNMARKED)]
    accepted: list[int] = []
    marked: list[list[int]] = []
    mark_sent, deliver = dispatcher.mark_sent, dispatcher.deliver

    async def counting_mark(row_ids: list[int], now: datetime) -> None:
        await mark_sent(row_ids, now)
        marked.append(list(row_ids))

    async def checked_send(*args, **kwargs) -> None:
        assert len(accepted) - sum(map(len, marked)) < MAX_UNMARKED
        await deliver(*args, **kwargs)
        accepted.append(1)

    monkeypatch.setattr(dispatcher, "mark_sent", counting_mark)
    monkeypatch.setattr(dispatcher, "deliver", checked_send)

    assert (await send_due(build_mailer(settings), NOW)).sent == len(ids)

    assert sorted(row_id for group in marked for row_id in group) == ids
    assert len(marked) <= len(ids) // MARK_GROUP
    rows = await Outbox.select(Outbox.status).where(Outbox.status == "sent")
    assert len(rows) == len(ids)


async def test_the_next_message_waits_while_the_limit_is_unmarked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    release = asyncio.Event()
    calls: list[list[int]] = []

    async def slow_mark(row_ids: list[int], now: datetime) -> None:
        calls.append(list(row_ids))
        await release.wait()

    monkeypatch.setattr(dispatcher, "mark_sent", slow_mark)
    marks = SentMarks(NOW)
    for row_id in range(1, MAX_UNMARKED):
        await marks.accepted(row_id)  # the first group is being marked, the others wait for it
    await asyncio.sleep(0)  # only lets the marking task start
    assert calls == [list(range(1, MARK_GROUP + 1))]

    last = asyncio.create_task(marks.accepted(MAX_UNMARKED))
    for _ in range(5):
        await asyncio.sleep(0)  # only lets the task run: it must be waiting on the mark
    assert not last.done()

    release.set()
    await last
    await marks.close()
    assert calls == [list(range(1, MARK_GROUP + 1)),
                     list(range(MARK_GROUP + 1, MAX_UNMARKED + 1))]


async def test_fewer_than_a_group_are_marked_when_the_batch_ends(
        tmp_path: Path, pool: str, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path, pool, smtp.url)
    ids = [await queue(settings, f"Person {i}") for i in range(MARK_GROUP + 2)]
    marked: list[list[int]] = []
    mark_sent = dispatcher.mark_sent

    async def counting_mark(row_ids: list[int], now: datetime) -> None:
        marked.append(list(row_ids))
        await mark_sent(row_ids, now)

    monkeypatch.setattr(dispatcher, "mark_sent", counting_mark)

    assert (await send_due(build_mailer(settings), NOW)).sent == len(ids)

    assert marked == [ids[:MARK_GROUP], ids[MARK_GROUP:]]
    assert await Outbox.count().where(Outbox.status == "sent") == len(ids)
