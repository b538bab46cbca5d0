"""APScheduler only ticks: each job claims its work in PostgreSQL, so any number of service
instances can tick side by side and every email still goes out once. SCHEDULER_ENABLED=false
turns ticking off for instances that should only serve HTTP."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from network.actors import Actor
from network.cases.actions import pseudonymise_due
from network.clock import SYSTEM_CLOCK, Clock
from network.composition import build_mailer
from network.mail.dispatcher import Mailer, send_all_due
from network.outreach import retention as prospect_retention
from network.reminders import actions as reminders
from network.reminders import planning
from network.reports import actions as reports
from network.settings import Settings

REPORT_CHECK_SECONDS = 300
REPORT_FIRST_CHECK = timedelta(seconds=30)  # let a starting instance settle first
log = logging.getLogger(__name__)


def build_scheduler(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> AsyncIOScheduler:
    """The jobs read the time from `clock` (APScheduler's own timing stays real time)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    mailer = build_mailer(settings)
    scheduler.add_job(
        dispatch_outbox, "interval", seconds=settings.mail_dispatch_seconds, args=[mailer, clock],
        id="mail.dispatch", max_instances=1, coalesce=True, next_run_time=_real_now(),
    )
    scheduler.add_job(
        pseudonymise_expired_cases, "interval", hours=6, args=[settings, clock],
        id="cases.retention", max_instances=1, coalesce=True, next_run_time=_real_now(),
    )
    # Every few minutes rather than a cron at 07:00: the step itself knows whether last
    # month's report is due (from 07:00 Berlin on the month's first working day) and finds it
    # done on later ticks, so an instance that was down at 07:00 still issues it.
    scheduler.add_job(
        issue_monthly_report, "interval", seconds=REPORT_CHECK_SECONDS, args=[settings, clock],
        id="reports.monthly", max_instances=1, coalesce=True,
        next_run_time=_real_now() + REPORT_FIRST_CHECK,
    )
    scheduler.add_job(
        tick_reminders, "interval", seconds=settings.reminder_tick_seconds, args=[settings, clock],
        id="reminders.tick", max_instances=1, coalesce=True, next_run_time=_real_now(),
    )
    scheduler.add_job(
        plan_reminders, "interval", minutes=settings.reminder_plan_minutes, args=[clock],
        id="reminders.plan", max_instances=1, coalesce=True, next_run_time=_real_now(),
    )
    return scheduler


async def issue_monthly_report(settings: Settings, clock: Clock) -> None:
    try:
        await reports.issue_due(Actor.system("reports.monthly"), clock, settings)
    except asyncio.CancelledError:
        # Shutdown in the middle of a build: its transaction rolled back, and the next tick
        # (here or on another instance) builds it again. Not an error worth a traceback.
        log.info("monthly report interrupted by shutdown")


async def tick_reminders(settings: Settings, clock: Clock) -> None:
    """Turn due reminders into outbox rows (the dispatch job sends them)."""
    await reminders.tick(reminders.TICK, clock, settings)


async def plan_reminders(clock: Clock) -> None:
    await planning.plan(clock.now())


async def dispatch_outbox(mailer: Mailer, clock: Clock) -> None:
    await send_all_due(mailer, clock.now())


async def pseudonymise_expired_cases(settings: Settings, clock: Clock) -> None:
    """Closed cases past RETENTION_YEARS lose their personal data, and prospects who never
    became clients are erased after PROSPECT_RETENTION_MONTHS (both claimed with SKIP
    LOCKED, so instances ticking together share the work)."""
    await pseudonymise_due(Actor.system("retention"), clock, settings.retention_years)
    await prospect_retention.erase_due(Actor.system("retention"), clock,
                                       settings.prospect_retention_months)


def _real_now() -> datetime:
    """When APScheduler first runs a job: real time, not business time."""
    return datetime.now(UTC)
