"""An address is one plain address from the queue to the wire: the outbox refuses a
recipient that carries a second header, and a row queued before that rule (a raw line
break in its recipient) goes out to the one intended address, never to a smuggled Bcc."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from network.composition import build_mailer
from network.errors import RuleViolation
from network.mail import outbox
from network.mail.dispatcher import send_all_due
from network.mail.tables import Outbox
from tests.support.app import make_settings
from tests.support.smtp_server import SmtpServer

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SMUGGLED = "partner@example.org\nBcc: someone@elsewhere.example"
CONTEXT = {"requested_by": "Frau Özdemir", "recipient": "Partner"}



async def test_the_outbox_refuses_a_recipient_that_is_not_one_address(
        tmp_path: Path, pool: str) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool)
    with pytest.raises(RuleViolation) as refused:
        await outbox.enqueue(settings, "test_message", [SMUGGLED], CONTEXT, due_at=NOW)
    assert refused.value.field == "recipients"
    assert await Outbox.count() == 0


async def test_an_old_row_with_a_line_break_in_its_recipient_reaches_only_that_address(
        tmp_path: Path, pool: str, smtp: SmtpServer) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url)
    good = await outbox.enqueue(settings, "test_message", ["partner@example.org"], CONTEXT,
                                due_at=NOW)
    await Outbox.update({Outbox.recipients: [SMUGGLED]}).where(Outbox.id == good)

    result = await send_all_due(build_mailer(settings), NOW)
    assert (result.sent, result.failed) == (1, 0)
    [message] = smtp.messages
    [envelope] = smtp.handler.envelopes
    assert envelope.rcpt_tos == ["partner@example.org"]
    assert message["Bcc"] is None
    assert [a.addr_spec for a in message["To"].addresses] == ["partner@example.org"]
