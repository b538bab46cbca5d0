"""Fewer emails (issue 15): each coordinator and each partner address gets at most one
reminder email per working day, listing everything due for them, and nothing due is left out.
Two simulated working weeks on the demo network, on an injected clock, through a real SMTP
server; and the rules of the day one by one."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from network.cases import actions as case_actions
from network.clock import FixedClock
from network.composition import build_mailer
from network.demo_seed import seed_demo
from network.mail.dispatcher import send_all_due
from network.mail.templates import render
from network.referrals.service import NewReferral
from network.reminders import controls, digest, mailing_days, planning
from network.reminders import emails as reminder_templates
from network.reminders import service as reminders
from network.reminders.calendar import BERLIN
from network.settings import Settings
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MakeUser, make_settings
from tests.support.browser import ARTIFACTS
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import World, make_world
from tests.support.smtp_server import SmtpServer

START = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)  # Monday 07:30 in Berlin, before opening
HOURS = (7, 8, 10, 12, 14, 16)  # Berlin hours the scheduler ticks in this simulation
REMINDER_EMAIL = "dedupe_key LIKE 'reminders:%'"


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.fixture
def settings(tmp_path: Path, pool: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url)


async def reminder_emails() -> list[dict]:
    async with transaction() as connection:
        rows = await connection.fetch(
            f"SELECT id, template, recipients, body_text, due_at, status, message_id"
            f" FROM outbox WHERE {REMINDER_EMAIL} ORDER BY id")
    return [dict(row) for row in rows]


async def taken_reminders() -> list[dict]:
    """Every reminder the tick took, with what its email must mention."""
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT m.id, m.kind, m.recipient, m.referral_id, m.outbox_id, m.unmailed,"
            " c.case_number, cardinality(p.referral_emails) AS addresses"
            " FROM reminders m LEFT JOIN clients c ON c.id = m.client_id"
            " LEFT JOIN referrals r ON r.id = m.referral_id"
            " LEFT JOIN partners p ON p.id = r.partner_id"
            " WHERE m.status = 'sent' ORDER BY m.id")
    return [dict(row) for row in rows]


async def test_two_working_weeks_of_the_demo_bring_one_reminder_email_per_address_and_day(
        settings: Settings, smtp: SmtpServer) -> None:
    await seed_demo(FixedClock(START - timedelta(hours=1)))
    async with transaction() as connection:  # the demo's own (immediate) emails: not counted
        await connection.execute("DELETE FROM outbox")
    mailer = build_mailer(settings)
    postponed = 0
    day = START.astimezone(BERLIN).date()
    for _ in range(14):
        for hour in HOURS:
            now = berlin(day, hour, 5)
            await planning.plan(now)
            postponed += (await reminders.tick(settings, now)).postponed
            await send_all_due(mailer, now)
        day += timedelta(days=1)
    final = berlin(day, 8, 5)  # the next working day's first tick mails what waited
    await reminders.tick(settings, final)
    await send_all_due(mailer, final)

    emails = await reminder_emails()
    taken = await taken_reminders()
    assert emails and taken

    # At most one reminder email per address and Berlin day.
    per_day = Counter((address, row["due_at"].astimezone(BERLIN).date())
                      for row in emails for address in row["recipients"])
    assert max(per_day.values()) == 1, [k for k, n in per_day.items() if n > 1][:5]
    assert all(row["due_at"].astimezone(BERLIN).weekday() < 5 for row in emails)
    # ... and so at the SMTP server, each sent once.
    assert {row["status"] for row in emails} == {"sent"}
    arrived = Counter(m["Message-ID"] for m in smtp.messages)
    assert all(arrived[row["message_id"]] == 1 for row in emails)

    # Nothing due left out: every reminder taken is in its recipient's email, by number.
    by_id = {row["id"]: row for row in emails}
    for reminder in taken:
        if reminder["recipient"] == "partner" and not reminder["addresses"]:
            continue  # a partner without an address: no email (the chain goes on)
        assert not reminder["unmailed"] and reminder["outbox_id"] in by_id, reminder
        body = by_id[reminder["outbox_id"]]["body_text"]
        if reminder["referral_id"] is not None:
            assert re.search(rf"Vermittlung {reminder['referral_id']}\b", body), reminder
        elif reminder["kind"] != "weekly_digest":
            assert reminder["case_number"] in body, reminder
    async with transaction() as connection:
        assert await connection.fetchval(
            "SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= $1",
            final) == 0

    # Far fewer emails than reminders; the coordinators' digests link to the cases and the
    # overview. (Waiting for the next day's email: test_a_reminder_due_after_...)
    kinds = Counter(row["template"] for row in emails)
    assert len(emails) * 3 < len(taken), (len(emails), len(taken), kinds)
    assert kinds["reminder_digest_coordinator"] and kinds["reminder_digest_partner"]
    for row in emails:
        if row["template"] == "reminder_digest_coordinator":
            assert f"{settings.base_url}/clients/" in row["body_text"]
            assert f"Zur Übersicht: {settings.base_url}/" in row["body_text"]
        if row["template"] == "reminder_digest_partner":
            assert row["body_text"].count("[[partner-link:") >= 2  # a link per referral
    print(f"two weeks: {len(taken)} reminders in {len(emails)} emails {dict(kinds)},"
          f" {postponed} waited for the next day")


async def test_the_preview_counts_emails_not_reminders(pool: str) -> None:
    await seed_demo(FixedClock(START - timedelta(hours=1)))
    await planning.plan(START)
    due = await controls.due_by(START + timedelta(days=5))
    emails = await mailing_days.emails_for(due, START)
    # the demo's three coordinators and its partners with waiting referrals, five days
    assert 0 < emails <= (3 + 43) * 5 and emails * 3 < len(due), (len(due), emails)
    print(f"preview of five days: {len(due)} reminders in {emails} emails")


async def test_the_demos_first_start_sends_one_reminder_email_per_recipient(
        settings: Settings) -> None:
    await seed_demo(FixedClock(START - timedelta(hours=1)))
    # The made-up history's emails are withdrawn, but for the new referrals still waiting
    # for their partner (a tester clicks through those).
    async with transaction() as connection:
        kept = await connection.fetch(
            "SELECT o.template, r.status FROM outbox o JOIN referrals r ON r.id = o.referral_id")
        seeded = await connection.fetchval("SELECT count(*) FROM outbox")
    assert seeded == len(kept) > 0
    assert {(row["template"], row["status"]) for row in kept} <= {
        ("referral_new", "sent"), ("referral_handed_over", "sent")}

    first = START + timedelta(hours=2)  # Monday 09:30 in Berlin
    await planning.plan(first)
    result = await reminders.tick(settings, first)
    emails = await reminder_emails()
    recipients = [tuple(row["recipients"]) for row in emails]
    assert len(recipients) == len(set(recipients)) == result.emails
    assert result.sent > 3 * len(emails)
    print(f"first start: {seeded} emails from the seed, {result.sent} reminders in"
          f" {len(emails)} emails")


def test_the_day_of_an_email_is_the_berlin_date_and_waiting_means_the_next_working_day(
) -> None:
    late = datetime(2026, 12, 18, 23, 30, tzinfo=UTC)  # Saturday 00:30 in Berlin
    assert mailing_days.digest_day(late) == "2026-12-19"
    friday = datetime(2026, 12, 18, 14, 0, tzinfo=UTC)
    assert mailing_days.postponed_to(friday) == datetime(2026, 12, 21, 7, 0, tzinfo=UTC)
    christmas_eve = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)  # then 25th, 26th, Sunday
    assert mailing_days.postponed_to(christmas_eve) == datetime(2026, 12, 28, 7, 0, tzinfo=UTC)
    assert not mailing_days.mailing_time(late)  # Saturday: what waits goes on Monday
    assert not mailing_days.mailing_time(datetime(2026, 12, 21, 6, 59, tzinfo=UTC))  # 07:59
    assert mailing_days.mailing_time(datetime(2026, 12, 21, 7, 0, tzinfo=UTC))  # opening
    assert mailing_days.mailing_time(datetime(2026, 12, 21, 17, 0, tzinfo=UTC))  # that evening
    assert not mailing_days.mailing_time(christmas_eve + timedelta(days=1))
    assert mailing_days.dedupe_key("coordinator:7", "2026-12-21") == (
        "reminders:coordinator:7:2026-12-21")
    rows = [{"id": 3, "key": "partner:a"}, {"id": 1, "key": "coordinator:7"},
            {"id": 2, "key": "partner:a"}]
    assert digest.grouped(rows) == {"coordinator:7": [rows[1]], "partner:a": [rows[2], rows[0]]}


@pytest.mark.parametrize("template", ["reminder_digest_coordinator", "reminder_digest_partner"])
async def test_the_digests_read_well_on_a_desk_and_on_a_phone(browser, template: str) -> None:
    email = render(template, {"integration_point": "Integration Point Kreis Heinsberg",
                              "base_url": "https://ip.example",
                              **reminder_templates.SAMPLE_CONTEXTS[template]})
    assert "4 Vermittlungen" in email.subject or "07.12.2026" in email.subject
    ARTIFACTS.mkdir(exist_ok=True)
    for width, name in ((1280, "desktop"), (360, "360")):
        page = await browser.new_page(viewport={"width": width, "height": 900})
        await page.set_content(email.html)
        assert await page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        await page.screenshot(path=str(ARTIFACTS / f"15-{template}-{name}.png"),
                              full_page=True)
        await page.close()


async def partner_reminder_world(make_user: MakeUser) -> tuple[World, int, int]:
    """Two referrals to one partner: one sent Tuesday 10:00, one 14:00 (Berlin), so their
    first reminders fall due at those times three working days later, on Friday."""
    coordinator = await make_user()
    world = await make_world(datetime(2026, 12, 1, 9, tzinfo=UTC))
    second = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(TUESDAY),
                                            world.client_id, "financial", None)
    ids = []
    for barrier_id, sent in ((world.barrier_id, TUESDAY),
                             (second.id, TUESDAY + timedelta(hours=4))):
        ids.append((await acting.create_referral(NewReferral(
            barrier_id, world.caritas.id, "sent"), coordinator.user.id, now=sent)).referral.id)
    async with transaction() as connection:
        await connection.execute("DELETE FROM outbox")  # the new referrals' own emails
    return world, ids[0], ids[1]


TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
FRIDAY = datetime(2026, 12, 11, 9, 5, tzinfo=UTC)


async def test_a_reminder_due_after_its_recipients_email_of_the_day_waits_for_the_next(
        settings: Settings, smtp: SmtpServer, make_user: MakeUser) -> None:
    world, morning, afternoon = await partner_reminder_world(make_user)
    mailer = build_mailer(settings)

    first = await reminders.tick(settings, FRIDAY)
    await send_all_due(mailer, FRIDAY)
    assert (first.sent, first.emails) == (1, 1)
    later = await reminders.tick(settings, FRIDAY + timedelta(hours=5))  # 15:05: due at 14:00
    assert (later.sent, later.postponed, later.emails) == (0, 1, 0)
    monday = datetime(2026, 12, 14, 7, 5, tzinfo=UTC)
    async with transaction() as connection:
        waiting = await connection.fetchval(
            "SELECT due_at FROM reminders WHERE referral_id = $1 AND status = 'pending'",
            afternoon)
    assert waiting == datetime(2026, 12, 14, 7, 0, tzinfo=UTC)  # Monday's opening
    following = await reminders.tick(settings, monday)
    await send_all_due(mailer, monday)
    assert (following.sent, following.emails) == (1, 1)

    assert [m["To"] for m in smtp.messages] == list(world.caritas.referral_emails) * 2
    bodies = [m.get_body(preferencelist=("plain",)).get_content() for m in smtp.messages]
    assert f"Vermittlung {morning} " in bodies[0] and f"Vermittlung {afternoon} " in bodies[1]


async def test_an_erased_clients_reminder_waiting_for_its_email_is_not_mailed(
        settings: Settings, smtp: SmtpServer, make_user: MakeUser,
        monkeypatch: pytest.MonkeyPatch) -> None:
    world, _morning, _afternoon = await partner_reminder_world(make_user)

    async def broken(*args, **kwargs):
        raise RuntimeError("mail server configuration broke")

    monkeypatch.setattr(reminder_templates, "partner_digest", broken)
    taken = await reminders.tick(settings, FRIDAY + timedelta(hours=5))
    assert (taken.sent, taken.emails) == (2, 0)  # taken, their email waits
    monkeypatch.undo()
    await case_actions.erase_client(SYSTEM_ACTOR, FixedClock(FRIDAY + timedelta(hours=6)),
                                    world.client_id)
    after = await reminders.tick(settings, FRIDAY + timedelta(hours=7))
    await send_all_due(build_mailer(settings), FRIDAY + timedelta(hours=7))
    assert after.emails == 0 and smtp.messages == []
    async with transaction() as connection:
        assert await connection.fetchval("SELECT count(*) FROM reminders WHERE unmailed") == 0


async def test_erasing_a_client_removes_the_words_of_the_digests_that_listed_them(
        settings: Settings, make_user: MakeUser) -> None:
    world, _morning, _afternoon = await partner_reminder_world(make_user)
    taken = await reminders.tick(settings, FRIDAY + timedelta(hours=5))
    assert (taken.sent, taken.emails) == (2, 1)  # one digest, about the client's two barriers
    [email] = await reminder_emails()
    assert email["template"] == "reminder_digest_partner" and "Wohnen" in email["body_text"]

    await case_actions.erase_client(SYSTEM_ACTOR, FixedClock(FRIDAY + timedelta(hours=6)),
                                    world.client_id)

    [email] = await reminder_emails()
    assert email["body_text"] == "[removed]" and email["status"] == "failed"
