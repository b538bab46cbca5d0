"""What changes reports: building a new version of a month (a user on the page or the API,
an operator with `network report build`) and issuing the month's report to the committee by
email (the scheduler, or `network report send`). Each takes the Actor and the Clock, writes in
one transaction with its audit entry, and returns the stored version.

Concurrency: versions of a month are numbered under a per-month advisory lock; the issued
report of a month is unique (partial unique index), and its email has the outbox dedupe key
`report:YYYY-MM`, so any number of instances ticking at once, and a rerun after a crash
between building and queueing, still send the committee exactly one email per month.
"""

from __future__ import annotations

import asyncio
import logging

from network.accounts import audit
from network.actors import Actor, ActorKind
from network.clock import Clock
from network.mail import outbox
from network.mail.tables import Outbox
from network.reminders.calendar import WorkingCalendar
from network.reports import queries, service
from network.reports.period import ReportMonth, due_month, refuse_future, refuse_unfinished
from network.reports.service import StoredReport
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)


def generated_by(actor: Actor) -> tuple[str, int | None]:
    """How a version records who built it: a user (and which), a command or the scheduler."""
    if actor.kind is ActorKind.USER:
        return "user", actor.user_id
    if actor.job is not None and actor.job.startswith("cli."):
        return "command", None
    return "scheduler", None


async def build_version(actor: Actor, clock: Clock, settings: Settings,
                        month: ReportMonth) -> StoredReport:
    """Gather, render and store a new version of `month` (never the issued one). The current
    month's version is provisional; a future month is refused."""
    refuse_future(month, clock.now())
    return await _build(actor, clock, settings, month, issued=False)


async def issue(actor: Actor, clock: Clock, settings: Settings,
                month: ReportMonth) -> StoredReport:
    """The month's issued report: the stored one when it exists, else a new version built and
    marked issued. Two instances may both build; the first to store wins, the other's build
    is dropped and it returns the winner. Only a month that is over is issued."""
    refuse_unfinished(month, clock.now())
    existing = await service.issued_report(month)
    if existing is not None:
        return existing
    return await _build(actor, clock, settings, month, issued=True)


async def _build(actor: Actor, clock: Clock, settings: Settings, month: ReportMonth, *,
                 issued: bool) -> StoredReport:
    report = await service.gather(settings, month)
    at = clock.now()
    by, user_id = generated_by(actor)
    async with transaction():
        await queries.lock_month(month)
        if issued:
            existing = await service.issued_report(month)
            if existing is not None:
                return existing
        version = await service.next_version(month)
        # Drawing charts and the PDF takes a moment of CPU: off the event loop.
        built = await asyncio.to_thread(service.render, report, version, at, month)
        stored = await service.store(report, built, month, version, issued=issued,
                                     generated_at=at, generated_by=by, user_id=user_id)
        details: dict[str, object] = {"month": str(month), "version": version}
        if issued:
            details["issued"] = True
        await audit.record(actor, "report.built", "report", stored.id, details, at=at)
    return stored


async def issue_monthly(actor: Actor, clock: Clock, settings: Settings,
                        month: ReportMonth) -> tuple[StoredReport, int | None]:
    """Issue the month's report and queue its email to REPORT_RECIPIENTS: the report and the
    id of the new outbox row (None when it was queued before, or nobody gets it). Safe to
    repeat: after a crash in between, the next call finds the issued report and queues."""
    report = await issue(actor, clock, settings, month)
    return report, await _queue_email(settings, report, clock)


async def issue_due(actor: Actor, clock: Clock, settings: Settings,
                    calendar: WorkingCalendar | None = None) -> StoredReport | None:
    """The scheduler's step: from 07:00 on the first working day of a month, last month's
    report is issued and queued (once; later ticks find both done)."""
    month = due_month(clock.now(), calendar or WorkingCalendar())
    if month is None:
        return None
    report, _queued = await issue_monthly(actor, clock, settings, month)
    return report


async def _queue_email(settings: Settings, report: StoredReport, clock: Clock) -> int | None:
    if not settings.report_recipients:
        log.warning("no REPORT_RECIPIENTS: the monthly report is stored but not emailed",
                    extra={"month": str(report.month)})
        return None
    key = service.dedupe_key(report.month)
    async with transaction():
        if await Outbox.exists().where(Outbox.dedupe_key == key):
            return None
        pdf = await service.pdf_bytes(report)
        return await outbox.enqueue(
            settings, service.EMAIL_TEMPLATE, list(settings.report_recipients),
            {"month_label": report.month.label, "month": str(report.month),
             "version": report.version,
             "report_url": f"{settings.base_url}/reports/{report.month}"},
            dedupe_key=key, due_at=clock.now(),
            attachments=[outbox.Attachment(service.pdf_filename(report.month),
                                           "application/pdf", pdf)],
        )
