"""A queued email that cannot become a message (here: a recipient the email library refuses
as a header) fails at once and for good, with the kind of error and none of its data; the
rest of the batch goes out. Before, the error escaped the dispatcher: the whole batch stayed
leased and was tried again after every lease, forever."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from network.composition import build_mailer
from network.mail import outbox
from network.mail.dispatcher import send_all_due
from network.mail.tables import Outbox
from tests.support.app import make_settings
from tests.support.smtp_server import SmtpServer

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


async def test_an_email_that_cannot_be_built_fails_for_good_and_the_batch_goes_on(
        tmp_path: Path, pool: str, smtp: SmtpServer) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url)
    context = {"requested_by": "Frau Özdemir", "recipient": "Partner"}
    bad = await outbox.enqueue(settings, "test_message",
                               ["partner@example.org\nBcc: someone@elsewhere.example"],
                               context, due_at=NOW)
    good = await outbox.enqueue(settings, "test_message", ["partner@example.org"], context,
                                due_at=NOW)

    result = await send_all_due(build_mailer(settings), NOW)
    assert (result.sent, result.failed) == (1, 1)
    rows = {row["id"]: row for row in await Outbox.select(
        Outbox.id, Outbox.status, Outbox.last_error, Outbox.lease_until)}
    assert rows[good]["status"] == "sent" and len(smtp.messages) == 1
    assert rows[bad]["status"] == "failed" and rows[bad]["lease_until"] is None
    assert "could not be built" in rows[bad]["last_error"]
    assert "example" not in rows[bad]["last_error"]  # no address, no data in the reason

    later = await send_all_due(build_mailer(settings), NOW.replace(year=2027))
    assert later.handled == 0 and len(smtp.messages) == 1
