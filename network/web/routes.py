"""Every route of the web interface in one router, with HTML error pages and the static files
(stylesheet and the vendored htmx)."""

from __future__ import annotations

from pathlib import Path

from litestar import Router, get
from litestar.response import File
from litestar.static_files import create_static_files_router

from network.accounts.access import PUBLIC
from network.web import (
    admin_views,
    appointment_views,
    case_edit_views,
    client_views,
    consent_views,
    dashboard,
    data_request_views,
    material_views,
    outreach_letter_views,
    outreach_views,
    partner_views,
    referral_views,
    report_views,
    session_views,
    user_admin_views,
)
from network.web.render import EXCEPTION_HANDLERS

STATIC = Path(__file__).with_name("static")


@get("/favicon.ico", opt=PUBLIC, include_in_schema=False)
async def favicon() -> File:
    """Where browsers look for the icon on their own (the pages link the SVG)."""
    return File(STATIC / "favicon.ico", media_type="image/x-icon",
                content_disposition_type="inline")


def web_router() -> Router:
    return Router("/", route_handlers=[
        *session_views.ROUTE_HANDLERS, *dashboard.ROUTE_HANDLERS, client_views.ROUTER,
        partner_views.ROUTER, referral_views.ROUTER, report_views.ROUTER, admin_views.ROUTER,
        material_views.ROUTER, data_request_views.ROUTER, case_edit_views.ROUTER,
        outreach_letter_views.ROUTER, consent_views.ROUTER, appointment_views.ROUTER,
        outreach_views.ROUTER, favicon,
        user_admin_views.ROUTER, *user_admin_views.ROUTE_HANDLERS,
        create_static_files_router("/static", directories=[STATIC], opt=PUBLIC,
                                   include_in_schema=False, send_as_attachment=False),
    ], exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
