"""APScheduler only ticks: each job claims its work in PostgreSQL, so any number of service
instances can tick side by side and every email still goes out once. SCHEDULER_ENABLED=false
turns ticking off for instances that should only serve HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from network.cases.erasure import pseudonymise_due
from network.mail.dispatcher import send_all_due
from network.settings import Settings


def build_scheduler(settings: Settings) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        dispatch_outbox, "interval", seconds=settings.mail_dispatch_seconds, args=[settings],
        id="mail.dispatch", max_instances=1, coalesce=True, next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        pseudonymise_expired_cases, "interval", hours=6, args=[settings],
        id="cases.retention", max_instances=1, coalesce=True, next_run_time=datetime.now(UTC),
    )
    return scheduler


async def dispatch_outbox(settings: Settings) -> None:
    await send_all_due(settings, datetime.now(UTC))


async def pseudonymise_expired_cases(settings: Settings) -> None:
    """Closed cases past RETENTION_YEARS lose their personal data (claimed with SKIP
    LOCKED, so instances ticking together share the work)."""
    await pseudonymise_due(datetime.now(UTC), settings.retention_years)
