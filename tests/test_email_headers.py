"""Data in an email header cannot add a header or break a line: a partner's name with
"\\r\\nBcc: ..." and other control characters ends up in a subject, and the message a real
SMTP server (aiosmtpd) receives has one Subject line, no Bcc, no control character, and goes
to its one recipient only. A row stored with a raw line break in its subject is sent the same
way instead of failing the whole dispatch."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from network.composition import build_mailer
from network.mail import outbox
from network.mail.dispatcher import send_due
from network.mail.headers import header_text
from network.mail.tables import Outbox
from tests.support.app import make_settings
from tests.support.smtp_server import SmtpServer

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
EVIL_NAME = "Caritas\r\nBcc: x@evil.example\r\n\x1b[31m\x07\u0085\u2028\u2029\x9b\x7f Ende"



def header_lines(raw: bytes) -> list[str]:
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("utf-8", "replace")
    return head.split("\n")


def no_control_character(text: str) -> bool:
    return not any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text)


async def test_a_name_with_line_breaks_stays_inside_one_subject(
        tmp_path: Path, pool: str, smtp: SmtpServer) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url)
    await outbox.enqueue(settings, "partner_message", ["koordination@jobcenter.example"], {
        "partner_name": EVIL_NAME, "referral_id": 7, "coordinator_name": "Frau K",
        "client": "Fall 12", "barrier": "Sprache", "status": "angenommen",
        "message": "Hallo", "url": "http://localhost:8000/referrals/7"}, due_at=NOW)
    [second] = [await outbox.enqueue(settings, "test_message", ["it@jobcenter.example"], {
        "requested_by": "IT", "recipient": "it"}, due_at=NOW)]
    # A row written before names were cleaned, its subject with raw line breaks.
    await Outbox.update({Outbox.subject: "Vermittlung 7\r\nBcc: y@evil.example\r\nX-Evil: 1"}
                        ).where(Outbox.id == second)

    result = await send_due(build_mailer(settings), NOW)

    assert (result.sent, result.retried, result.failed) == (2, 0, 0)
    assert sorted(rcpt for envelope in smtp.handler.envelopes
                  for rcpt in envelope.rcpt_tos) == ["it@jobcenter.example",
                                                     "koordination@jobcenter.example"]
    for envelope, message in zip(smtp.handler.envelopes, smtp.messages, strict=True):
        lines = header_lines(envelope.original_content or envelope.content)
        assert sum(line.lower().startswith("subject:") for line in lines) == 1, lines
        assert not any(line.lower().startswith(("bcc:", "x-evil:")) for line in lines), lines
        assert message["Bcc"] is None and message["X-Evil"] is None
        assert no_control_character(str(message["Subject"])), repr(message["Subject"])
    subjects = sorted(str(message["Subject"]) for message in smtp.messages)
    assert subjects == ["Nachricht von Caritas Bcc: x@evil.example [31m Ende zur Vermittlung 7",
                        "Vermittlung 7 Bcc: y@evil.example X-Evil: 1"]


@pytest.mark.parametrize(("value", "expected"), [
    ("Neue Anfrage\r\nBcc: a@b", "Neue Anfrage Bcc: a@b"),
    ("Name\x00\x1b\x7f\x85\x9b", "Name"),
    ("zwei\u2028Zeilen\u2029", "zwei Zeilen"),
    ("  ሰላም  مرحبا\t", "ሰላም مرحبا"),
])
def test_header_text_is_one_clean_line(value: str, expected: str) -> None:
    assert header_text(value) == expected
