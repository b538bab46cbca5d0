"""Monthly reports: gather the figures, render the PDF and the CSV files, read stored
versions back. Building a version and issuing the month's report are actions
(`network.reports.actions`); this module holds the steps they share and the reads.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from network.errors import NotFound
from network.mail.tables import Outbox
from network.reports import csv_export, document, queries
from network.reports.document import ReportDocument, Section
from network.reports.period import ReportMonth, provisional
from network.reports.sections import (
    Scope,
    barriers,
    caseload,
    outreach,
    partners,
    referrals,
    trend,
)
from network.reports.tables import Report
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

EMAIL_TEMPLATE = "monthly_report"
SECTIONS = (caseload, outreach, barriers, partners, referrals, trend)  # in print order
META = (Report.id, Report.month, Report.version, Report.issued, Report.generated_at,
        Report.generated_by, Report.generated_by_user_id, Report.min_cell)


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

    @property
    def provisional(self) -> bool:
        """Built while its month was still running."""
        return provisional(self.month, self.generated_at)


@dataclass(frozen=True)
class Delivery:
    """The email of a month's issued report: issued is not sent. It is sent once the
    committee's server took it; no row at all means nobody was set to receive it."""

    status: str  # the outbox row's: queued, sending, sent, failed
    recipients: int
    sent_at: datetime | None

    @property
    def sent(self) -> bool:
        return self.status == "sent"


@dataclass(frozen=True)
class Built:
    document: ReportDocument
    pdf: bytes
    csv_zip: bytes
    page_html: str  # the page's body, with the same chart pictures as the PDF


def dedupe_key(month: ReportMonth) -> str:
    return f"report:{month}"


def pdf_filename(month: ReportMonth) -> str:
    return f"monatsbericht_{month}.pdf"


async def gather(settings: Settings, month: ReportMonth) -> ReportDocument:
    """Every section's figures from one consistent snapshot of the database; the sections
    are built at once, their queries running two at a time (`queries.snapshot`)."""
    scope = Scope.of(month, settings.report_min_cell)
    async with transaction(), queries.snapshot():
        sections = await _built(scope)
    return ReportDocument(
        integration_point=settings.integration_point, month=str(month),
        month_label=month.label, period_start=scope.start, period_end=scope.end,
        min_cell=scope.min_cell, sections=sections,
    )


async def _built(scope: Scope) -> list[Section]:
    """Every section, built at once. When one fails, the others are cancelled and awaited
    before the error goes on: none is left reading on a connection going back to the pool."""
    builds = [asyncio.ensure_future(section.build(scope)) for section in SECTIONS]
    try:
        return list(await asyncio.gather(*builds))
    except BaseException:
        for build in builds:
            build.cancel()
        await asyncio.gather(*builds, return_exceptions=True)
        raise


def render(report: ReportDocument, version: int, generated_at: datetime,
           month: ReportMonth) -> Built:
    """The PDF, the CSV files and the page, the charts drawn once for both. The PDF and chart
    stack (fpdf2, Pillow) is imported here, on the first render, so that starting the app
    or the CLI does not pay for it."""
    from network.reports import html, pdf
    from network.reports.charts import chart_images

    images = chart_images(report)
    return Built(report, pdf.render_pdf(report, version, generated_at, images),
                 csv_export.csv_zip(report),
                 html.render_body(report, version, generated_at, html.downloads(month, version),
                                  images))


async def next_version(month: ReportMonth) -> int:
    """The number the month's next version gets (call it under `queries.lock_month`)."""
    rows = await Report.select(Report.version).where(Report.month == month.first_day).order_by(
        Report.version, ascending=False).limit(1)
    return rows[0]["version"] + 1 if rows else 1


async def store(report: ReportDocument, built: Built, month: ReportMonth, version: int, *,
                issued: bool, generated_at: datetime, generated_by: str,
                user_id: int | None) -> StoredReport:
    """Write a rendered version (in the caller's transaction)."""
    [row] = await Report.insert(Report(
        month=month.first_day, version=version, issued=issued, generated_at=generated_at,
        generated_by=generated_by, generated_by_user_id=user_id, min_cell=report.min_cell,
        figures=document.encode(report).decode(), pdf=built.pdf, csv_zip=built.csv_zip,
        page_html=built.page_html,
    )).returning(*META)
    log.info("report built", extra={"month": str(month), "version": version, "issued": issued,
                                    "generated_by": generated_by})
    return _stored(row)


# --- reading stored reports ----------------------------------------------------------------


async def issued_report(month: ReportMonth) -> StoredReport | None:
    row = await Report.select(*META).where(
        (Report.month == month.first_day) & (Report.issued == True)  # noqa: E712
    ).first()
    return _stored(row) if row else None


async def deliveries(months: list[ReportMonth]) -> dict[ReportMonth, Delivery]:
    """The committee emails of these months' issued reports (one query)."""
    keys = {dedupe_key(month): month for month in months}
    if not keys:
        return {}
    rows = await Outbox.select(Outbox.dedupe_key, Outbox.status, Outbox.recipients,
                               Outbox.sent_at).where(Outbox.dedupe_key.is_in(list(keys)))
    return {keys[row["dedupe_key"]]: Delivery(row["status"], len(row["recipients"]),
                                              row["sent_at"]) for row in rows}


async def list_reports(limit: int, offset: int) -> tuple[list[StoredReport], int]:
    async with transaction():
        rows = await Report.select(*META).order_by(
            Report.month, Report.version, ascending=False).limit(limit).offset(offset)
        total = await Report.count()
    return [_stored(row) for row in rows], total


async def find(month: ReportMonth, version: int | None = None) -> StoredReport:
    """The given version of a month, or its latest."""
    where = Report.month == month.first_day
    if version is not None:
        where &= Report.version == version
    row = await Report.select(*META).where(where).order_by(
        Report.version, ascending=False).first()
    if row is None:
        raise NotFound("report", f"{month}" + (f" version {version}" if version else ""))
    return _stored(row)


async def figures(report: StoredReport) -> ReportDocument:
    return document.decode(await _column(report, Report.figures))


async def page_html(report: StoredReport) -> str | None:
    """The page body stored with the version (None for versions built before it was)."""
    return await _column(report, Report.page_html)


async def pdf_bytes(report: StoredReport) -> bytes:
    return bytes(await _column(report, Report.pdf))


async def csv_zip_bytes(report: StoredReport) -> bytes:
    return bytes(await _column(report, Report.csv_zip))


async def _column(report: StoredReport, column: Any) -> Any:
    row = await Report.select(column).where(Report.id == report.id).first()
    return row[column._meta.name]


def _stored(row: dict[str, Any]) -> StoredReport:
    return StoredReport(
        id=row["id"], month=ReportMonth.of_date(row["month"]), version=row["version"],
        issued=row["issued"], generated_at=row["generated_at"],
        generated_by=row["generated_by"], generated_by_user_id=row["generated_by_user_id"],
        min_cell=row["min_cell"],
    )
