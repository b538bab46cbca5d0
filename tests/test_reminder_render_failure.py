"""A reminder whose email cannot be rendered (here: a template that names a value nobody
gives it, as an edited template on a server might) is marked failed for good, with a reason
that names the template and never the data, and shown to the coordinators; it is not tried
again every hour. Its chain goes on, so the escalation still reaches the coordinator."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from network.clock import FixedClock
from network.composition import build_mailer
from network.mail import templates
from network.mail.dispatcher import send_all_due
from network.referrals.service import NewReferral
from network.reminders import service as reminders
from network.settings import Settings
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MakeUser, login_browser, make_settings
from tests.support.referral_world import make_world
from tests.support.smtp_server import SmtpServer

SENT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Berlin
FIRST_DUE = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # the first "no answer" reminder
PERSONAL = ("Amal", "Haddad", "Caritas", "Wohnung zu klein", "migration@caritas")



@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


@pytest.fixture
def broken_reminder_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The real templates, with the partner's "no answer" reminder edited to use a value the
    program does not give it."""
    folder = tmp_path / "email_templates"
    shutil.copytree(templates.TEMPLATES_FOLDER, folder)
    text = folder / "reminder_no_answer.txt"
    text.write_text(text.read_text().replace("{{ referral_number }}",
                                             "{{ referral_number }} ({{ aktenzeichen }})"))
    monkeypatch.setattr(templates, "TEMPLATES_FOLDER", folder)
    templates._environment.cache_clear()
    yield
    templates._environment.cache_clear()


async def reminder_rows(referral_id: int) -> list[dict]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT id, kind, status, failure, due_at, outbox_id FROM reminders"
            " WHERE referral_id = $1 ORDER BY id", referral_id)
    return [dict(row) for row in rows]


async def outbox_templates() -> list[str]:
    async with transaction() as connection:
        rows = await connection.fetch("SELECT template FROM outbox ORDER BY id")
    return [row["template"] for row in rows]


async def test_a_reminder_that_cannot_be_rendered_fails_for_good_and_is_shown(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer, make_user: MakeUser,
        broken_reminder_template: None, caplog: pytest.LogCaptureFixture) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world(SENT - timedelta(days=20))
    created = await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                       "sent"), coordinator.user.id, now=SENT)
    referral_id = created.referral.id

    with caplog.at_level(logging.INFO):
        result = await reminders.tick(settings, FIRST_DUE)
    assert result.failed == 1 and result.sent == 0
    [failed, following] = await reminder_rows(referral_id)
    assert failed["status"] == "failed" and failed["outbox_id"] is None
    assert "reminder_no_answer" in failed["failure"] and "aktenzeichen" in failed["failure"]
    assert following["status"] == "pending" and following["due_at"] > FIRST_DUE  # chain goes on
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "could not be rendered" in logged
    for word in PERSONAL:
        assert word not in failed["failure"] and word not in logged, word

    # Not tried again: an hour, a day later the failed one stays failed, with no email.
    for later in (FIRST_DUE + timedelta(hours=1, minutes=5), FIRST_DUE + timedelta(hours=30)):
        await reminders.tick(settings, later)
    rows = await reminder_rows(referral_id)
    assert rows[0] == failed
    assert "reminder_no_answer" not in await outbox_templates()

    # The escalation to the coordinator renders: the coordinator hears of the referral.
    for day in range(14):
        await reminders.tick(settings, FIRST_DUE + timedelta(days=day, hours=2))
    await send_all_due(build_mailer(settings), FIRST_DUE + timedelta(days=14))
    assert "escalation_no_answer" in await outbox_templates()
    assert coordinator.email in [m["To"] for m in smtp.messages]

    # Shown: on the referral page (state and reason) and on the mail page.
    await login_browser(client, coordinator.email, coordinator.password)
    page = await client.get(f"/referrals/{referral_id}")
    assert page.status_code == 200
    assert "fehlgeschlagen" in page.text and "aktenzeichen" in page.text
    mail_page = await client.get("/mail/failed")
    assert mail_page.status_code == 200
    assert f"erinnerung-{failed['id']}" in mail_page.text and "aktenzeichen" in mail_page.text
    api = await client.get(f"/api/v1/referrals/{referral_id}/reminders",
                           headers=coordinator.headers)
    shown = [r for r in api.json() if r["status"] == "failed"]
    assert failed["id"] in [r["id"] for r in shown]
    assert {r["failure"] for r in shown} == {failed["failure"]}  # the second "no answer" too


async def test_a_mail_server_that_is_down_is_still_tried_again(
        settings: Settings, smtp: SmtpServer, make_user: MakeUser, pool: str) -> None:
    """The other kind of trouble: the reminder's email is made, SMTP refuses for now (4xx),
    and the outbox tries again later; the reminder itself counts as sent."""
    coordinator = await make_user(role="coordinator")
    world = await make_world(SENT - timedelta(days=20))
    created = await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                       "sent"), coordinator.user.id, now=SENT)
    await send_all_due(build_mailer(settings), SENT)
    await reminders.tick(settings, FIRST_DUE)
    smtp.handler.replies.append("451 try again later")
    await send_all_due(build_mailer(settings), FIRST_DUE)
    [first, _next] = await reminder_rows(created.referral.id)
    assert first["status"] == "sent" and first["failure"] is None
    async with transaction() as connection:
        row = await connection.fetchrow("SELECT status, attempts, due_at FROM outbox"
                                        " WHERE id = $1", first["outbox_id"])
    assert row["status"] == "queued" and row["attempts"] == 1 and row["due_at"] > FIRST_DUE
    await send_all_due(build_mailer(settings), FixedClock(row["due_at"]).now())
    async with transaction() as connection:
        assert await connection.fetchval("SELECT status FROM outbox WHERE id = $1",
                                         first["outbox_id"]) == "sent"
