"""The scheduled monthly report: due from 07:00 Berlin on the first working day, built and
emailed exactly once per month even with several instances and after a crash, with the PDF
attached, through a real SMTP server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import asyncpg

from network.actors import Actor
from network.clock import SYSTEM_CLOCK, FixedClock
from network.composition import build_mailer
from network.mail.dispatcher import send_all_due
from network.reminders.calendar import WorkingCalendar, berlin_moment
from network.reports import actions, service
from network.reports.period import ReportMonth, due_month, issue_moment
from network.reports.service import StoredReport
from network.settings import Settings
from tests.support.app import make_settings
from tests.support.report_world import build_october
from tests.support.smtp_server import SmtpServer

OCTOBER = ReportMonth(2026, 10)
COMMAND = Actor.system("cli.report.build")
SCHEDULER = Actor.system("reports.monthly")


def issue_due(settings: Settings, now: datetime) -> Awaitable[StoredReport | None]:
    """The scheduler's step at `now`."""
    return actions.issue_due(SCHEDULER, FixedClock(now), settings)
# 1 November 2026 is a Sunday and All Saints' Day: the first working day is Monday the 2nd.
DUE = berlin_moment(date(2026, 11, 2), time(7, 0))
RECIPIENTS = "kreisausschuss@kreis-heinsberg.example, sozialamt@kreis-heinsberg.example"



def report_settings(tmp_path: Path, db: str, smtp: SmtpServer, **env: str) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url,
                         REPORT_RECIPIENTS=RECIPIENTS, **env)


async def issued_rows(db: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(db)
    try:
        return await connection.fetch("SELECT month, version FROM reports WHERE issued")
    finally:
        await connection.close()


def test_last_months_report_is_due_from_seven_on_the_first_working_day() -> None:
    calendar = WorkingCalendar()
    assert issue_moment(OCTOBER, calendar) == datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    assert due_month(DUE - timedelta(minutes=1), calendar) is None
    assert due_month(DUE, calendar) == OCTOBER
    assert due_month(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), calendar) == OCTOBER
    # New Year's Day 2027 is a Friday: December's report is due on Monday 4 January, 07:00 CET.
    assert issue_moment(ReportMonth(2026, 12), calendar) == datetime(2027, 1, 4, 6, 0,
                                                                     tzinfo=UTC)
    assert due_month(datetime(2027, 1, 2, 12, 0, tzinfo=UTC), calendar) is None


async def test_nothing_is_built_before_seven(tmp_path, pool, smtp) -> None:
    settings = report_settings(tmp_path, pool, smtp)
    assert await issue_due(settings, DUE - timedelta(seconds=1)) is None
    assert await issued_rows(pool) == []


async def test_two_instances_and_a_rerun_after_a_crash_send_one_report(
    tmp_path, pool, smtp
) -> None:
    await build_october(pool)
    settings = report_settings(tmp_path, pool, smtp)
    # An instance built the report and died before it queued the email.
    crashed = await actions.issue(SCHEDULER, FixedClock(DUE), settings, OCTOBER)
    # Two instances tick at once: both find the report, one queues the email.
    first, second = await asyncio.gather(issue_due(settings, DUE + timedelta(minutes=5)),
                                         issue_due(settings, DUE + timedelta(minutes=5)))
    assert first == second == crashed
    # Both dispatch at once, and later ticks run again.
    await asyncio.gather(send_all_due(build_mailer(settings), DUE + timedelta(minutes=5)),
                         send_all_due(build_mailer(settings), DUE + timedelta(minutes=5)))
    await issue_due(settings, DUE + timedelta(minutes=10))
    await send_all_due(build_mailer(settings), DUE + timedelta(minutes=10))
    assert len(smtp.messages) == 1
    [message] = smtp.messages
    assert message["Subject"] == "Monatsbericht Oktober 2026 – Integration Point Kreis Heinsberg"
    assert message["To"] == ("kreisausschuss@kreis-heinsberg.example,"
                             " sozialamt@kreis-heinsberg.example")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "monatsbericht_2026-10.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == await service.pdf_bytes(crashed)
    body = message.get_body(("plain",)).get_content()
    assert "Oktober 2026" in body and "/reports/2026-10" in body
    assert [tuple(row) for row in await issued_rows(pool)] == [(date(2026, 10, 1), 1)]


async def test_two_instances_building_at_once_store_one_issued_report(
    tmp_path, pool, smtp
) -> None:
    await build_october(pool)
    settings = report_settings(tmp_path, pool, smtp)
    reports = await asyncio.gather(*[issue_due(settings, DUE) for _ in range(3)])
    assert len({report.id for report in reports}) == 1
    await send_all_due(build_mailer(settings), DUE)
    assert len(smtp.messages) == 1
    assert len(await issued_rows(pool)) == 1
    # A version built by hand later does not replace what the committee received.
    manual = await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    assert manual.version == 2 and not manual.issued
    assert (await issue_due(settings, DUE + timedelta(days=1))).version == 1
    await send_all_due(build_mailer(settings), DUE + timedelta(days=1))
    assert len(smtp.messages) == 1


async def test_without_recipients_the_report_is_stored_but_not_emailed(
    tmp_path, pool, smtp
) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url)
    report = await issue_due(settings, DUE)
    assert report is not None and report.issued
    await send_all_due(build_mailer(settings), DUE)
    assert smtp.messages == []


def test_the_scheduler_ticks_the_monthly_report(tmp_path) -> None:
    from network.scheduler import build_scheduler

    job = build_scheduler(make_settings(tmp_path)).get_job("reports.monthly")
    assert job is not None and job.trigger.interval == timedelta(minutes=5)
