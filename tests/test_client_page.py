"""The client's own status page (issue 17): created and revoked from the case page, printed on
the slip as a QR code and short link, opened at /k/{token} without an account. The token is
stored only as a hash; the page shows the first name and the open referrals and nothing else;
a revoked link or a closed case answers the same neutral 404; every view is audited; the
page is rate-limited and its token never reaches the log."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import asyncpg
import httpx

from network.accounts import audit
from network.cases import actions as case_actions
from network.cases import client_page
from network.clock import FixedClock
from network.links import ratelimit
from network.log_redaction import redact_text
from network.request_log import redacted_path
from network.settings import Settings
from network.web.security_headers import security_headers
from tests.support.app import MakeUser, login_browser, serving
from tests.support.factories import SYSTEM_ACTOR
from tests.support.pages import sent, signed_in
from tests.support.referral_world import make_world

LINK = re.compile(r'class="client-page-link">https?://[^<]*/k/([0-9a-f]{40})<')
SLIP_LINK = re.compile(r'class="own-page-link">https?://[^<]*/k/([0-9a-f]{40})<')


async def created_link(client: httpx.AsyncClient, csrf: str, client_id: int) -> str:
    made = await client.post(f"/clients/{client_id}/client-page",
                             headers={"X-CSRF-Token": csrf})
    assert made.status_code == 303, made.text
    case_page = await client.get(f"/clients/{client_id}")
    return LINK.search(case_page.text).group(1)


async def test_the_page_shows_the_first_name_and_open_referrals_and_nothing_else(
        client: httpx.AsyncClient, make_user: MakeUser, database_url: str) -> None:
    made, csrf = await signed_in(client, make_user)
    world = await make_world()  # Amal Haddad, Arabic first; housing: "Wohnung zu klein"
    await case_actions.update_client(SYSTEM_ACTOR, FixedClock(datetime.now(UTC)),
                                     world.client_id, {"notes": "Vertrauliche Notiz"})
    referral_id = await sent(world, made)
    token = await created_link(client, csrf, world.client_id)

    # stored only as a hash: no column holds the token
    connection = await asyncpg.connect(database_url)
    try:
        dump = str([dict(r) for r in await connection.fetch("SELECT * FROM client_page_links")])
    finally:
        await connection.close()
    assert token not in dump and client_page.digest(token) in dump

    page = await client.get(f"/k/{token}")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "Amal" in html and world.caritas.name in html and "02452 1234-0" in html
    assert "السكن" in html and "عقد الإيجار" in html  # housing; what to bring: rental contract
    assert "تم الطلب" in html  # status "sent" in Arabic
    for private in ("Haddad", "Wohnung zu klein", "Vertrauliche Notiz", "amal.haddad",
                    "Apfelstraße"):
        assert private not in html
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in page.headers["content-security-policy"]
    assert "style-src 'self'" in page.headers["content-security-policy"]
    assert "<script" not in html and "style=" not in html

    # the slip prints the same link and its QR code
    slip = (await client.get(f"/referrals/{referral_id}/slip")).text
    assert SLIP_LINK.search(slip).group(1) == token
    assert re.search(r'<div class="qr"><svg role="img"[^>]*>', slip)

    peeked = await client.head(f"/k/{token}")  # a mail scanner's HEAD: shows nothing
    assert peeked.status_code == 200 and peeked.content == b""
    assert (await client.head("/k/" + "1" * 40)).status_code == 404
    views, _ = await audit.entries(audit.AuditFilter(action="client.viewed"), 50, 0)
    by_page = [e for e in views if (e["details"] or {}).get("by") == "client page"]
    assert len(by_page) == 1 and by_page[0]["entity_id"] == str(world.client_id)
    assert by_page[0]["client_address"] is None and by_page[0]["actor_kind"] == "system"
    created, _ = await audit.entries(audit.AuditFilter(action="client_page.created"), 10, 0)
    assert len(created) == 1


async def test_revoking_or_a_new_link_or_closing_the_case_ends_the_link(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    world = await make_world()
    await sent(world, made)
    first = await created_link(client, csrf, world.client_id)
    second = await created_link(client, csrf, world.client_id)  # a new one revokes the old
    assert first != second
    not_valid = await client.get(f"/k/{first}")
    assert not_valid.status_code == 404 and "Amal" not in not_valid.text
    assert (await client.get(f"/k/{second}")).status_code == 200

    revoked = await client.post(f"/clients/{world.client_id}/client-page/revoke",
                                headers={"X-CSRF-Token": csrf})
    assert revoked.status_code == 303
    gone = await client.get(f"/k/{second}")
    assert gone.status_code == 404 and gone.text == not_valid.text
    assert "client-page-link" not in (await client.get(f"/clients/{world.client_id}")).text
    entries, _ = await audit.entries(audit.AuditFilter(action="client_page.revoked"), 10, 0)
    assert len(entries) == 2  # by the new link, then by the revoke action
    unknown = await client.get("/k/" + "0" * 40)
    assert unknown.status_code == 404 and unknown.text == not_valid.text



async def test_a_closed_case_ends_the_link(client: httpx.AsyncClient,
                                           make_user: MakeUser) -> None:
    _made, csrf = await signed_in(client, make_user)
    world = await make_world()
    token = await created_link(client, csrf, world.client_id)
    assert (await client.get(f"/k/{token}")).status_code == 200
    clock = FixedClock(datetime.now(UTC))
    await case_actions.resolve_barrier(SYSTEM_ACTOR, clock, world.barrier_id)
    await case_actions.close_case(SYSTEM_ACTOR, clock, world.client_id, "employment")
    closed = await client.get(f"/k/{token}")
    assert closed.status_code == 404 and "Amal" not in closed.text


async def test_the_page_is_rate_limited_per_link(settings: Settings, make_user: MakeUser
                                                 ) -> None:
    clock = FixedClock(datetime(2026, 12, 1, 10, 0, 5, tzinfo=UTC))
    async with serving(settings, clock) as client:
        made = await make_user(role="coordinator")
        csrf = await login_browser(client, made.email, made.password)
        world = await make_world()
        token = await created_link(client, csrf, world.client_id)
        answers = [(await client.get(f"/k/{token}")).status_code
                   for _ in range(ratelimit.PER_TOKEN + 1)]
    assert answers[:-1] == [200] * ratelimit.PER_TOKEN and answers[-1] == 429


def test_the_token_never_reaches_a_log_and_the_answer_has_no_referrer() -> None:
    token = "ab" * 20
    assert redacted_path(f"/k/{token}") == "/k/…"
    assert token not in redact_text(f"GET https://ip.example/k/{token} 200")
    headers = dict(security_headers(f"/k/{token}", [(b"content-type", b"text/html")]))
    assert headers[b"referrer-policy"] == b"no-referrer"


def test_every_slip_language_has_the_pages_own_texts() -> None:
    """The page speaks each language the slip has; only the not-valid and too-many pages stay
    German (they cannot know the client's language)."""
    from network.web import slip
    from network.words import client_page as words

    german_only = {"not_valid_title", "not_valid", "too_many"}
    for code in slip.languages():
        assert set(words.TEXTS.get(code, {})) >= set(words.TEXTS["de"]) - german_only, code
        assert set(words.STATUSES.get(code, {})) == set(words.STATUSES["de"]), code
