"""Every response carries the security headers: no framing, no sniffing, a referrer policy
(none at all under /p/, where the path is a partner's key), `Cache-Control: no-store` on
everything that may hold personal data (API JSON, pages, report downloads, errors), a
Content-Security-Policy without inline script; and no header carries a control character."""

from __future__ import annotations

import httpx
import pytest
from litestar import Response, get
from litestar.params import FromQuery

from network.accounts.access import PUBLIC
from network.actors import Actor
from network.app import create_app
from network.clock import SYSTEM_CLOCK
from network.reports import actions
from network.reports.period import ReportMonth
from network.settings import Settings
from network.web.security_headers import security_headers
from tests.support.app import MakeUser, login_browser
from tests.support.report_world import build_october


def assert_protected(response: httpx.Response, *, cacheable: bool = False) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", response.url
    assert headers["x-frame-options"] == "DENY", response.url
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, response.url
    assert "unsafe-eval" not in policy and "*" not in policy, response.url
    if response.url.path.startswith("/p/"):
        assert headers["referrer-policy"] == "no-referrer"
    else:
        assert headers["referrer-policy"] in ("same-origin", "no-referrer")
    if cacheable:
        assert "no-store" not in headers.get("cache-control", "")
    else:
        assert headers.get("cache-control") == "no-store", response.url


async def test_every_kind_of_response_carries_the_security_headers(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser) -> None:
    await build_october(settings.database_url)
    await actions.build_version(Actor.system("tests"), SYSTEM_CLOCK, settings,
                                ReportMonth(2026, 10))
    coordinator = await make_user()
    api = coordinator.headers
    answers = [
        await client.get("/api/v1/clients", headers=api),
        await client.get("/api/v1/auth/me", headers=api),
        await client.get("/api/v1/reports/2026-10", headers=api),
        await client.get("/api/v1/reports/2026-10/pdf", headers=api),
        await client.get("/api/v1/reports/2026-10/csv", headers=api),
        await client.get("/api/v1/clients/999999", headers=api),  # a problem answer
        await client.get("/api/v1/clients"),  # signed out: 401
        await client.get("/no/such/path"),
        await client.get("/health"),
        await client.get("/login"),
        await client.get("/p/" + "x" * 43),
        await client.post("/p/" + "x" * 43, data={}),
    ]
    await login_browser(client, coordinator.email, coordinator.password)
    pages = [await client.get(path) for path in (
        "/", "/clients", "/referrals", "/partners", "/reports", "/reports/2026-10",
        "/password", "/mail/failed")]
    assert [page.status_code for page in pages] == [200] * len(pages)
    for response in answers + pages:
        assert_protected(response)
    for page in pages:  # staff pages: scripts, styles, XHR and forms from this origin only
        policy = page.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy
        assert "form-action 'self'" in policy and "connect-src 'self'" in policy
    assert "img-src 'self' data:" in pages[5].headers["content-security-policy"]  # charts
    assert "img-src 'self';" in pages[1].headers["content-security-policy"]

    static = await client.get("/static/htmx.min.js")
    assert static.status_code == 200
    assert_protected(static, cacheable=True)


@get("/test/named", opt=PUBLIC, include_in_schema=False)
async def named(name: FromQuery[str]) -> Response[str]:
    """A download named after input, as a report's file name is named after its data."""
    return Response("x", media_type="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{name}.txt"', "X-Name": name})


async def test_no_header_carries_a_control_character(settings: Settings) -> None:
    app = create_app(settings)
    app.register(named)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url=settings.base_url) as http:
        response = await http.get("/test/named", params={
            "name": "bericht\r\nSet-Cookie: x=1\x00\x1b\x7f"})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    for name, value in response.headers.raw:
        assert not any(byte < 0x20 and byte != 0x09 or byte == 0x7f for byte in name + value)
    assert response.headers["x-name"] == "berichtSet-Cookie: x=1"


@pytest.mark.parametrize(("path", "referrer"), [("/p/abc/neu", b"no-referrer"),
                                                 ("/clients", b"same-origin")])
def test_partner_link_paths_send_no_referrer(path: str, referrer: bytes) -> None:
    headers = dict(security_headers(path, [(b"content-type", b"text/html; charset=utf-8"),
                                           (b"referrer-policy", b"unsafe-url")]))
    assert headers[b"referrer-policy"] == referrer
