"""HTTP: the reports list, a month's figures as JSON, PDF and CSV downloads, the HTML page,
and building a new version. Staff and viewers read reports (the viewer role sees nothing
else); staff build them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, JSONBody, QueryParameter

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.errors import NotFound, RuleViolation
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page
from network.reports import actions, service
from network.reports.csv_export import csv_name
from network.reports.html import render_html
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
    issued: bool  # the version emailed to the committee
    generated_at: datetime
    generated_by: str
    generated_by_user_id: int | None
    min_cell: int


@dataclass
class MonthFigures:
    report: ReportInfo
    figures: dict[str, Any]


@dataclass
class BuildRequest:
    month: str


def _info(report: service.StoredReport) -> ReportInfo:
    return ReportInfo(report.id, str(report.month), report.version, report.issued,
                      report.generated_at, report.generated_by, report.generated_by_user_id,
                      report.min_cell)


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
        return Page([_info(report) for report in reports], total, limit, offset)

    @post("/", opt=BUILDERS, summary="Build a new version of a month's report")
    async def build(self, data: JSONBody[BuildRequest], settings: NamedDependency[Settings],
                    clock: ClockDep, actor: ActorDep) -> ReportInfo:
        month = _month(data.month, "month")
        return _info(await actions.build_version(actor, clock, settings, month))

    @get("/{month:str}", summary="A month's figures as shown in the report")
    async def month_figures(self, month: FromPath[str], version: Version = None) -> MonthFigures:
        report = await _find(month, version)
        figures = await service.figures(report)
        return MonthFigures(_info(report), service.document.as_builtins(figures))

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


@get("/reports/{month:str}", opt=READERS, include_in_schema=False)
async def report_page(month: FromPath[str], version: Version = None) -> Response[str]:
    report = await _find(month, version)
    figures = await service.figures(report)
    base = f"/api/v1/reports/{report.month}"
    query = f"?version={report.version}"
    downloads = {"PDF herunterladen": f"{base}/pdf{query}",
                 "Tabellen als CSV (zip)": f"{base}/csv{query}"}
    html = render_html(figures, report.version, report.generated_at, downloads)
    return Response(html, media_type=MediaType.HTML, headers={"Cache-Control": "private"})


ROUTE_HANDLERS = [ReportsController, report_page]
