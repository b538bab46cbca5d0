"""APScheduler only ticks: each job claims its work in PostgreSQL, so any number of service
instances can tick side by side and every email still goes out once. SCHEDULER_ENABLED=false
turns ticking off for instances that should only serve HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from network.mail.dispatcher import send_all_due
from network.reminders import planning
from network.reminders import service as reminders
from network.settings import Settings


def build_scheduler(settings: Settings) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        dispatch_outbox, "interval", seconds=settings.mail_dispatch_seconds, args=[settings],
        id="mail.dispatch", max_instances=1, coalesce=True, next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        tick_reminders, "interval", seconds=settings.reminder_tick_seconds, args=[settings],
        id="reminders.tick", max_instances=1, coalesce=True, next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        plan_reminders, "interval", minutes=settings.reminder_plan_minutes,
        id="reminders.plan", max_instances=1, coalesce=True, next_run_time=datetime.now(UTC),
    )
    return scheduler


async def tick_reminders(settings: Settings) -> None:
    """Turn due reminders into outbox rows (the dispatch job sends them)."""
    await reminders.tick(settings, datetime.now(UTC))


async def plan_reminders() -> None:
    await planning.plan(datetime.now(UTC))


async def dispatch_outbox(settings: Settings) -> None:
    await send_all_due(settings, datetime.now(UTC))
