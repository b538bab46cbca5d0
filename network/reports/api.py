"""HTTP: the reports list, a month's figures as JSON, PDF and CSV downloads, and building a
new version (the HTML page is the site's: `network.web.report_views`). Staff and viewers read
reports (the viewer role sees nothing else); staff build them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, JSONBody, QueryParameter

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.errors import NotFound, RuleViolation
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page
from network.reports import actions, service
from network.reports.csv_export import csv_name
from network.reports.period import ReportMonth
from network.settings import Settings

READERS = allow(Role.ADMIN, Role.COORDINATOR, Role.VIEWER)
BUILDERS = allow(Role.ADMIN, Role.COORDINATOR)
Version = Annotated[int | None, QueryParameter(
    ge=1, le=2**31 - 1, description="A stored version; the latest when left out")]


@dataclass
class ReportInfo:
    id: int
    month: str
    version: int
    issued: bool  # the month's version for the committee (emailed when recipients are set)
    generated_at: datetime
    generated_by: str
    generated_by_user_id: int | None
    min_cell: int
    provisional: bool = False  # built before the month ended
    sent: bool = False  # the issued version's email reached the mail server
    sent_at: datetime | None = None


@dataclass
class MonthFigures:
    report: ReportInfo
    figures: dict[str, Any]


@dataclass
class BuildRequest:
    month: str


def _info(report: service.StoredReport,
          deliveries: dict[ReportMonth, service.Delivery]) -> ReportInfo:
    delivery = deliveries.get(report.month) if report.issued else None
    return ReportInfo(report.id, str(report.month), report.version, report.issued,
                      report.generated_at, report.generated_by, report.generated_by_user_id,
                      report.min_cell, report.provisional,
                      delivery is not None and delivery.sent,
                      delivery.sent_at if delivery else None)


async def _infos(reports: list[service.StoredReport]) -> list[ReportInfo]:
    deliveries = await service.deliveries([report.month for report in reports])
    return [_info(report, deliveries) for report in reports]


def _month(text: str, field: str) -> ReportMonth:
    """A malformed month in the path or body is bad input (400), like any other."""
    try:
        return ReportMonth.parse(text, field)
    except RuleViolation as error:
        raise ValidationException(detail=str(error), extra=[
            {"key": error.field, "message": error.message, "code": error.code}]) from None


async def _find(month: str, version: int | None) -> service.StoredReport:
    try:
        return await service.find(_month(month, "month"), version)
    except NotFound as error:
        raise NotFoundException(detail=str(error)) from None


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    })


class ReportsController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    opt = READERS

    @get("/", summary="Stored reports, newest month and version first")
    async def list_reports(self, limit: Limit = DEFAULT_LIMIT,
                           offset: Offset = 0) -> Page[ReportInfo]:
        reports, total = await service.list_reports(limit, offset)
        return Page(await _infos(reports), total, limit, offset)

    @post("/", opt=BUILDERS, summary="Build a new version of a month's report")
    async def build(self, data: JSONBody[BuildRequest], settings: NamedDependency[Settings],
                    clock: ClockDep, actor: ActorDep) -> ReportInfo:
        month = _month(data.month, "month")
        [info] = await _infos([await actions.build_version(actor, clock, settings, month)])
        return info

    @get("/{month:str}", summary="A month's figures as shown in the report")
    async def month_figures(self, month: FromPath[str], version: Version = None) -> MonthFigures:
        report = await _find(month, version)
        figures = await service.figures(report)
        [info] = await _infos([report])
        return MonthFigures(info, service.document.as_builtins(figures))

    @get("/{month:str}/pdf", summary="The report as PDF, exactly as stored")
    async def pdf(self, month: FromPath[str], version: Version = None) -> Response[bytes]:
        report = await _find(month, version)
        return _download(await service.pdf_bytes(report), "application/pdf",
                         f"monatsbericht_{report.month}_v{report.version}.pdf")

    @get("/{month:str}/csv", summary="Every table as CSV, in one zip file")
    async def csv_zip(self, month: FromPath[str], version: Version = None) -> Response[bytes]:
        report = await _find(month, version)
        return _download(await service.csv_zip_bytes(report), "application/zip",
                         f"monatsbericht_{report.month}_v{report.version}_csv.zip")

    @get("/{month:str}/csv/{table:str}", summary="One table as CSV")
    async def csv_table(self, month: FromPath[str], table: FromPath[str],
                        version: Version = None) -> Response[bytes]:
        report = await _find(month, version)
        figures = await service.figures(report)
        known = {item.key: item for item in figures.all_tables()}
        if table not in known:
            raise NotFoundException(detail=f"report {report.month} has no table {table}")
        name = csv_name(figures, known[table])
        with zipfile.ZipFile(io.BytesIO(await service.csv_zip_bytes(report))) as archive:
            content = archive.read(name)
        return _download(content, "text/csv; charset=utf-8", name)


ROUTE_HANDLERS = [ReportsController]
