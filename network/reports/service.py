"""Monthly reports: gather the figures, freeze them with the PDF and the CSV files as a new
version, issue one version per month to the committee by email, read stored versions back.

Concurrency: versions of a month are numbered under a per-month advisory lock; the issued
report of a month is unique (partial unique index), and its email has the outbox dedupe key
`report:YYYY-MM`, so any number of instances ticking at once, and a rerun after a crash
between building and queueing, still send the committee exactly one email per month.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from network.errors import NotFound
from network.mail import outbox
from network.reminders.calendar import WorkingCalendar
from network.reports import csv_export, document, pdf
from network.reports.document import ReportDocument
from network.reports.period import ReportMonth, due_month
from network.reports.sections import Scope, builders
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

LOCK_CLASS = 0x7265  # "re": advisory locks on (LOCK_CLASS, yyyymm) guard a month's versions
EMAIL_TEMPLATE = "monthly_report"
META_COLUMNS = ("id, month, version, issued, generated_at, generated_by, generated_by_user_id,"
                " min_cell")


@dataclass(frozen=True)
class StoredReport:
    id: int
    month: ReportMonth
    version: int
    issued: bool
    generated_at: datetime
    generated_by: str  # "scheduler", "command" or "user"
    generated_by_user_id: int | None
    min_cell: int


@dataclass(frozen=True)
class Built:
    document: ReportDocument
    pdf: bytes
    csv_zip: bytes


def dedupe_key(month: ReportMonth) -> str:
    return f"report:{month}"


def pdf_filename(month: ReportMonth) -> str:
    return f"monatsbericht_{month}.pdf"


async def gather(settings: Settings, month: ReportMonth) -> ReportDocument:
    """Every section's figures from one consistent snapshot of the database."""
    scope = Scope.of(month, settings.report_min_cell)
    async with transaction() as connection:
        await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        sections = [await build(connection, scope) for build in builders()]
    return ReportDocument(
        integration_point=settings.integration_point, month=str(month),
        month_label=month.label, period_start=scope.start, period_end=scope.end,
        min_cell=scope.min_cell, sections=sections,
    )


def render(report: ReportDocument, version: int, generated_at: datetime) -> Built:
    return Built(report, pdf.render_pdf(report, version, generated_at),
                 csv_export.csv_zip(report))


async def build_version(
    settings: Settings, month: ReportMonth, *, generated_by: str = "command",
    user_id: int | None = None, now: datetime | None = None,
) -> StoredReport:
    """Gather, render and store a new version of `month` (never the issued one)."""
    return await _build_and_store(settings, month, generated_by, user_id, now, issued=False)


async def issue(settings: Settings, month: ReportMonth, *, generated_by: str = "scheduler",
                now: datetime | None = None) -> StoredReport:
    """The month's issued report: the stored one when it exists, else a new version built and
    marked issued. Two instances may both build; the first to store wins, the other's build
    is dropped and it returns the winner."""
    existing = await issued_report(month)
    if existing is not None:
        return existing
    return await _build_and_store(settings, month, generated_by, None, now, issued=True)


async def _build_and_store(settings: Settings, month: ReportMonth, generated_by: str,
                           user_id: int | None, now: datetime | None,
                           issued: bool) -> StoredReport:
    report = await gather(settings, month)
    generated_at = now or datetime.now(UTC)
    async with transaction() as connection:
        await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", LOCK_CLASS,
                                 month.lock_id)
        if issued:
            existing = await _issued(connection, month)
            if existing is not None:
                return existing
        version = await connection.fetchval(
            "SELECT coalesce(max(version), 0) + 1 FROM reports WHERE month = $1",
            month.first_day)
        # Drawing charts and the PDF takes a moment of CPU: off the event loop.
        built = await asyncio.to_thread(render, report, version, generated_at)
        row = await connection.fetchrow(
            f"""
            INSERT INTO reports (month, version, issued, generated_at, generated_by,
                                 generated_by_user_id, min_cell, figures, pdf, csv_zip)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
            RETURNING {META_COLUMNS}
            """,
            month.first_day, version, issued, generated_at, generated_by, user_id,
            report.min_cell, document.encode(report).decode(), built.pdf, built.csv_zip,
        )
    stored = _stored(row)
    log.info("report built", extra={"month": str(month), "version": version, "issued": issued,
                                    "generated_by": generated_by})
    return stored


async def issued_report(month: ReportMonth) -> StoredReport | None:
    async with transaction() as connection:
        return await _issued(connection, month)


async def _issued(connection: asyncpg.Connection, month: ReportMonth) -> StoredReport | None:
    row = await connection.fetchrow(
        f"SELECT {META_COLUMNS} FROM reports WHERE month = $1 AND issued", month.first_day)
    return _stored(row) if row else None


async def queue_email(settings: Settings, report: StoredReport,
                      now: datetime | None = None) -> int | None:
    """Queue the report's PDF to REPORT_RECIPIENTS, once per month: the id of the new outbox
    row, or None when it was queued before (or nobody is configured to get it)."""
    if not settings.report_recipients:
        log.warning("no REPORT_RECIPIENTS: the monthly report is stored but not emailed",
                    extra={"month": str(report.month)})
        return None
    async with transaction() as connection:
        if await connection.fetchval("SELECT 1 FROM outbox WHERE dedupe_key = $1",
                                     dedupe_key(report.month)):
            return None
        pdf_bytes = await connection.fetchval("SELECT pdf FROM reports WHERE id = $1",
                                              report.id)
        return await outbox.enqueue(
            settings, EMAIL_TEMPLATE, list(settings.report_recipients),
            {"month_label": report.month.label, "month": str(report.month),
             "version": report.version, "report_url": f"{settings.base_url}/reports/"
                                                       f"{report.month}"},
            dedupe_key=dedupe_key(report.month), due_at=now,
            attachments=[outbox.Attachment(pdf_filename(report.month), "application/pdf",
                                           bytes(pdf_bytes))],
        )


async def issue_and_queue(settings: Settings, month: ReportMonth, *,
                          generated_by: str = "scheduler",
                          now: datetime | None = None) -> tuple[StoredReport, int | None]:
    """Both steps of sending a month's report; safe to repeat: after a crash in between, the
    next call finds the issued report and queues its email."""
    report = await issue(settings, month, generated_by=generated_by, now=now)
    return report, await queue_email(settings, report, now)


async def issue_due(settings: Settings, now: datetime,
                    calendar: WorkingCalendar | None = None) -> StoredReport | None:
    """The scheduler's step: from 07:00 on the first working day of a month, last month's
    report is issued and queued (once; later ticks find both done)."""
    month = due_month(now, calendar or WorkingCalendar())
    if month is None:
        return None
    report, _queued = await issue_and_queue(settings, month, now=now)
    return report


# --- reading stored reports ----------------------------------------------------------------


async def list_reports(limit: int, offset: int) -> tuple[list[StoredReport], int]:
    async with transaction() as connection:
        rows = await connection.fetch(
            f"SELECT {META_COLUMNS} FROM reports ORDER BY month DESC, version DESC"
            " LIMIT $1 OFFSET $2", limit, offset)
        total = await connection.fetchval("SELECT count(*) FROM reports")
    return [_stored(row) for row in rows], total


async def find(month: ReportMonth, version: int | None = None) -> StoredReport:
    """The given version of a month, or its latest."""
    async with transaction() as connection:
        row = await connection.fetchrow(
            f"SELECT {META_COLUMNS} FROM reports WHERE month = $1"
            " AND ($2::integer IS NULL OR version = $2) ORDER BY version DESC LIMIT 1",
            month.first_day, version)
    if row is None:
        raise NotFound("report", f"{month}" + (f" version {version}" if version else ""))
    return _stored(row)


async def figures(report: StoredReport) -> ReportDocument:
    return document.decode(await _column(report, "figures"))


async def pdf_bytes(report: StoredReport) -> bytes:
    return bytes(await _column(report, "pdf"))


async def csv_zip_bytes(report: StoredReport) -> bytes:
    return bytes(await _column(report, "csv_zip"))


async def _column(report: StoredReport, column: str) -> Any:
    assert column in ("figures", "pdf", "csv_zip")
    async with transaction() as connection:
        return await connection.fetchval(
            f"SELECT {column}{'::text' if column == 'figures' else ''} FROM reports"
            " WHERE id = $1", report.id)


def _stored(row: asyncpg.Record) -> StoredReport:
    return StoredReport(
        id=row["id"], month=ReportMonth.of_date(row["month"]), version=row["version"],
        issued=row["issued"], generated_at=row["generated_at"],
        generated_by=row["generated_by"], generated_by_user_id=row["generated_by_user_id"],
        min_cell=row["min_cell"],
    )
