"""The partner inbox without passwords, over HTTP: the sign-in link by email (the same answer
for every address, scanner-safe, single use, short-lived), the partner session (its own
cookie, never a staff session, idle and absolute limits, sign-out, audited), the inbox (own
referrals only, least data, due answers first, the link page's actions with the session as
actor) and the partner's own entry and capacity pause."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from network.accounts.tables import AuditLog
from network.cases import actions as case_actions
from network.clock import SYSTEM_CLOCK, FixedClock
from network.links.partner_sessions import COOKIE_PATH, SESSION_COOKIE, fill_sign_in_links
from network.links.tables import PartnerSession, PartnerSignInLink
from network.log_redaction import redact_text
from network.mail.tables import Outbox
from network.partners import actions as partner_actions
from network.partners.tables import Partner
from network.referrals.service import NewReferral, load
from network.request_log import redacted_path
from network.settings import Settings
from tests.support.app import MadeUser, MakeUser, make_settings, serving
from tests.support.factories import SYSTEM_ACTOR
from tests.support.partner_link import proof_of
from tests.support.referral_world import (
    World,
    create_referral,
    housing_helpers,
    make_world,
    transition,
)

CARITAS_MAIL = "migration@caritas-hs.example"
CONTACT_MAIL = "p.lenzen@caritas-hs.example"


@dataclass
class Setup:
    client: httpx.AsyncClient
    clock: FixedClock
    settings: Settings
    world: World
    coordinator: MadeUser
    sent: int  # caritas, sent yesterday: answer due
    sent_later: int  # caritas, sent now
    accepted: int  # caritas, accepted (in the inbox below the due ones)
    tafels: int  # another partner's


@pytest.fixture
async def setup(tmp_path: Path, db: str, make_user: MakeUser) -> AsyncIterator[Setup]:
    settings = make_settings(tmp_path, DATABASE_URL=db)
    clock = FixedClock(datetime.now(UTC))
    async with serving(settings, clock) as client:
        world = await make_world()
        for other in (world.tafel, world.vhs, world.school):  # caritas alone has these addresses
            await partner_actions.update_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, other.id, {
                "referral_emails": (f"info@partner-{other.id}.example",), "contacts": ()})
        coordinator = await make_user(role="coordinator")
        barriers = [world.barrier_id]
        for kind in ("financial", "housing"):
            barrier = await case_actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id,
                                                     kind, f"Anliegen {kind}")
            barriers.append(barrier.id)
        earlier = clock.now() - timedelta(days=1)
        sent = (await create_referral(NewReferral(barriers[0], world.caritas.id, "sent"),
                                      coordinator.user.id, now=earlier)).referral.id
        later = (await create_referral(NewReferral(barriers[1], world.caritas.id, "sent",
                                                   note="Bitte vormittags"),
                                       coordinator.user.id)).referral.id
        accepted = (await create_referral(NewReferral(barriers[2], world.caritas.id, "sent"),
                                          coordinator.user.id, now=earlier)).referral.id
        await transition(accepted, "accepted", "partner", None)
        tafels = (await create_referral(NewReferral(barriers[0], world.tafel.id, "sent"),
                                        coordinator.user.id)).referral.id
        yield Setup(client, clock, settings, world, coordinator, sent, later, accepted, tafels)


async def sign_in_links(settings: Settings, address: str) -> list[str]:
    rows = await Outbox.select(Outbox.body_text, Outbox.recipients).where(
        Outbox.template == "partner_sign_in").order_by(Outbox.id)
    found = []
    for row in rows:
        if address in row["recipients"]:
            text = fill_sign_in_links(row["body_text"], settings.base_url, settings.secret_key)
            found += re.findall(r"http://localhost:8000(/partner/anmelden/[A-Za-z0-9_-]+)", text)
    return found


async def signed_in(s: Setup, address: str = CARITAS_MAIL) -> None:
    response = await s.client.post("/partner/anmelden", data={"email": address})
    assert response.status_code == 200
    link = (await sign_in_links(s.settings, address))[-1]  # the newest
    response = await s.client.post(link)
    assert response.status_code == 303 and response.headers["location"] == "/partner"


async def test_the_sign_in_page_answers_the_same_whether_or_not_the_address_is_known(
        setup: Setup) -> None:
    s = setup
    known = await s.client.post("/partner/anmelden", data={"email": CARITAS_MAIL})
    unknown = await s.client.post("/partner/anmelden", data={"email": "nobody@else.example"})
    contact = await s.client.post("/partner/anmelden", data={"email": CONTACT_MAIL.upper()})
    assert known.status_code == unknown.status_code == contact.status_code == 200, known.text
    assert known.text == unknown.text == contact.text
    assert "Anmeldelink" in known.text
    assert len(await sign_in_links(s.settings, CARITAS_MAIL)) == 1
    assert len(await sign_in_links(s.settings, CONTACT_MAIL.upper())) == 1
    assert await Outbox.count().where(Outbox.template == "partner_sign_in") == 2
    # only a hash is stored, and the queued email holds no token either
    [row] = await PartnerSignInLink.select().where(
        PartnerSignInLink.partner_id == s.world.caritas.id).limit(1)
    [link] = await sign_in_links(s.settings, CARITAS_MAIL)
    token = link.rsplit("/", 1)[1]
    stored = await Outbox.select(Outbox.body_text, Outbox.body_html)
    assert all(token not in r["body_text"] and token not in r["body_html"] for r in stored)
    assert row["token_hash"] != token


async def test_sign_in_requests_are_rate_limited_per_address(setup: Setup) -> None:
    answers = [(await setup.client.post("/partner/anmelden",
                                        data={"email": "nobody@else.example"})).status_code
               for _ in range(4)]
    assert answers == [200, 200, 200, 429]


async def test_the_link_shows_a_button_to_a_scanner_and_signs_in_once_by_post(
        setup: Setup) -> None:
    s = setup
    await s.client.post("/partner/anmelden", data={"email": CARITAS_MAIL})
    [link] = await sign_in_links(s.settings, CARITAS_MAIL)
    for _ in range(2):  # a scanner's GET changes nothing
        shown = await s.client.get(link)
        assert shown.status_code == 200 and "Jetzt anmelden" in shown.text
        assert SESSION_COOKIE not in shown.headers.get("set-cookie", "")
    assert await PartnerSession.count() == 0
    used = await s.client.post(link)
    assert used.status_code == 303
    cookie = used.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and f"Path={COOKIE_PATH}" in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # BASE_URL is http here
    s.client.cookies.clear()
    again = await s.client.post(link)
    assert again.status_code == 404  # single use
    assert (await s.client.get(link)).status_code == 404


async def test_the_link_expires_after_thirty_minutes(setup: Setup) -> None:
    s = setup
    await s.client.post("/partner/anmelden", data={"email": CARITAS_MAIL})
    [link] = await sign_in_links(s.settings, CARITAS_MAIL)
    s.clock.advance(timedelta(minutes=31))
    assert (await s.client.post(link)).status_code == 404
    assert await PartnerSession.count() == 0


async def test_the_inbox_shows_the_partners_own_referrals_due_answers_first(
        setup: Setup) -> None:
    s = setup
    await signed_in(s)
    page = (await s.client.get("/partner")).text
    positions = [page.find(f'id="vermittlung-{n}"') for n in (s.sent, s.sent_later, s.accepted)]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert f'id="vermittlung-{s.tafels}"' not in page
    assert "Antwort erbeten bis" in page and "Bitte vormittags" in page
    client = await case_actions.get_client(SYSTEM_ACTOR, s.world.client_id) \
        if hasattr(case_actions, "get_client") else None
    assert client is None or client.last_name not in page  # first name and initial only
    # another partner's referral: 404, unchanged
    refused = await s.client.post(f"/partner/vermittlungen/{s.tafels}",
                                  data={"aktion": "accept", **proof_of(page)})
    assert refused.status_code == 404
    assert (await load(s.tafels)).status == "sent"


async def test_an_inbox_action_is_the_referral_action_with_the_session_as_actor(
        setup: Setup) -> None:
    s = setup
    await signed_in(s)
    page = (await s.client.get("/partner")).text
    forged = await s.client.post(f"/partner/vermittlungen/{s.sent}", data={"aktion": "accept"})
    assert forged.status_code == 403 and (await load(s.sent)).status == "sent"
    accepted = await s.client.post(f"/partner/vermittlungen/{s.sent}",
                                   data={"aktion": "accept", **proof_of(page)})
    assert accepted.status_code == 303
    assert (await load(s.sent)).status == "accepted"
    declined = await s.client.post(f"/partner/vermittlungen/{s.sent_later}", data={
        "aktion": "decline", **proof_of(page)})
    assert declined.status_code == 422  # no reason: the link page's refusal
    assert "Bitte einen Grund wählen." in declined.text
    declined = await s.client.post(f"/partner/vermittlungen/{s.sent_later}", data={
        "aktion": "decline", "reason_code": "no_capacity", **proof_of(page)})
    assert declined.status_code == 303 and (await load(s.sent_later)).status == "declined"
    page = (await s.client.get(declined.headers["location"])).text
    assert "abgelehnt" in page and "Abgeschlossen (letzte 90 Tage)" in page
    [session] = await PartnerSession.select(PartnerSession.id)
    rows = await AuditLog.select(AuditLog.action, AuditLog.partner_session_id,
                                 AuditLog.partner_id, AuditLog.link_id).where(
        AuditLog.partner_session_id == session["id"]).order_by(AuditLog.id)
    assert [r["action"] for r in rows] == ["partner.signed_in", "referral.transition",
                                           "referral.transition"]
    assert all(r["partner_id"] == s.world.caritas.id and r["link_id"] is None for r in rows)


async def test_a_partner_session_is_no_staff_session_and_the_other_way_round(
        setup: Setup) -> None:
    s = setup
    await signed_in(s)
    secret = s.client.cookies.get(SESSION_COOKIE)
    assert secret
    s.client.cookies.set("network_session", secret)
    staff_page = await s.client.get("/api/v1/referrals")
    assert staff_page.status_code == 401
    s.client.cookies.clear()
    login = await s.client.post("/api/v1/auth/login", json={
        "email": s.coordinator.email, "password": s.coordinator.password})
    assert login.status_code == 200
    staff_secret = s.client.cookies.get("network_session")
    s.client.cookies.clear()
    s.client.cookies.set(SESSION_COOKIE, staff_secret)
    response = await s.client.get("/partner")
    assert response.status_code == 303 and response.headers["location"].startswith(
        "/partner/anmelden")


async def test_a_session_ends_when_idle_at_its_limit_and_on_sign_out(setup: Setup) -> None:
    s = setup
    await signed_in(s)
    s.clock.advance(timedelta(minutes=29))
    assert (await s.client.get("/partner")).status_code == 200
    s.clock.advance(timedelta(minutes=31))  # idle longer than 30 minutes
    assert (await s.client.get("/partner")).status_code == 303

    s.client.cookies.clear()
    await signed_in(s)
    for _ in range(8 * 3 - 1):  # busy all day: every 20 minutes, for 7 h 40 min
        s.clock.advance(timedelta(minutes=20))
        assert (await s.client.get("/partner")).status_code == 200
    s.clock.advance(timedelta(minutes=20))  # 8 hours
    assert (await s.client.get("/partner")).status_code == 303

    s.client.cookies.clear()
    await signed_in(s)
    page = (await s.client.get("/partner")).text
    secret = s.client.cookies.get(SESSION_COOKIE)
    out = await s.client.post("/partner/abmelden", data=proof_of(page))
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    s.client.cookies.set(SESSION_COOKIE, secret)  # the old cookie kept: ended on the server
    assert (await s.client.get("/partner")).status_code == 303
    assert await AuditLog.count().where(AuditLog.action == "partner.signed_out") == 1


async def test_the_partner_keeps_its_own_entry_and_sets_and_ends_a_pause(setup: Setup) -> None:
    s = setup
    await signed_in(s)
    page = (await s.client.get("/partner/eintrag")).text
    assert "Unser Eintrag" in page and "Mo–Do 9–12 Uhr" in page
    saved = await s.client.post("/partner/eintrag", data={
        "opening_hours": "Di und Do 14–17 Uhr", "phone": "02452 999",
        "languages": ["de", "ti"], "barrier_kinds": ["housing", "language"],
        **proof_of(page)})
    assert saved.status_code == 200 and "gespeichert" in saved.text
    row = await Partner.select().where(Partner.id == s.world.caritas.id).first()
    assert row["opening_hours"] == "Di und Do 14–17 Uhr" and row["phone"] == "02452 999"
    assert sorted(row["languages"]) == ["de", "ti"]
    assert sorted(row["barrier_kinds"]) == ["housing", "language"]
    forged = await s.client.post("/partner/eintrag", data={"phone": "0"})
    assert forged.status_code == 403
    await Partner.update({Partner.confirmed_at: None}).where(Partner.id == s.world.caritas.id)
    confirmed = await s.client.post("/partner/eintrag/bestaetigen", data=proof_of(saved.text))
    assert confirmed.status_code == 200 and "als aktuell bestätigt" in confirmed.text
    row = await Partner.select().where(Partner.id == s.world.caritas.id).first()
    assert row["confirmed_at"] == s.clock.now()

    page = (await s.client.get("/partner")).text
    until = (s.clock.now() + timedelta(days=20)).date()
    paused = await s.client.post("/partner/pause", data={
        "until": until.isoformat(), "note": "Kurs voll", **proof_of(page)})
    assert paused.status_code == 200, paused.text
    assert "keine aufnahme bis" in paused.text.lower()
    row = await Partner.select().where(Partner.id == s.world.caritas.id).first()
    assert row["paused_until"] == until and row["pause_note"] == "Kurs voll"
    past = await s.client.post("/partner/pause", data={
        "until": date(2020, 1, 1).isoformat(), **proof_of(paused.text)})
    assert past.status_code == 422
    ended = await s.client.post("/partner/pause", data={"aktion": "ende",
                                                        **proof_of(paused.text)})
    assert ended.status_code == 303
    row = await Partner.select().where(Partner.id == s.world.caritas.id).first()
    assert row["paused_until"] is None


def test_a_sign_in_token_never_reaches_a_log() -> None:
    token = "Ab3_-" * 9
    assert token not in redacted_path(f"/partner/anmelden/{token}")
    assert token not in redact_text(f"POST http://ip.example/partner/anmelden/{token} 303")


def card_options(page: str, referral_id: int) -> list[str]:
    """The ids a card's handoff select offers."""
    select = re.search(rf'<select id="r{referral_id}-handoff-partner".*?</select>', page, re.S)
    assert select, page
    return [value for value in re.findall(r'<option value="(\d*)"', select.group(0)) if value]


async def test_a_cards_long_handoff_directory_is_searched_in_the_inbox(setup: Setup) -> None:
    s = setup
    helpers = await housing_helpers()
    in_dueren = sorted(str(p.id) for p in helpers[1::2])
    await signed_in(s)
    page = (await s.client.get("/partner")).text
    assert card_options(page, s.sent) == [] and card_options(page, s.accepted) == []
    assert (f'action="/partner#r{s.sent}-weitergabe"' in page
            and f'name="weitergabe" value="{s.sent}"' in page)

    searched = (await s.client.get("/partner", params={"weitergabe": s.sent,
                                                       "suche": "Düren"})).text
    assert sorted(card_options(searched, s.sent)) == in_dueren
    assert card_options(searched, s.accepted) == []  # only the card searched
    for odd in ({"weitergabe": "9" * 30, "suche": "x"}, {"weitergabe": "-1", "suche": "x"}):
        assert (await s.client.get("/partner", params=odd)).status_code == 200

    # a refused handoff shows its card again with its search and the partner chosen
    chosen = helpers[1].id
    refused = await s.client.post(f"/partner/vermittlungen/{s.sent}", data={
        **proof_of(searched), "aktion": "handoff", "to_partner_id": str(chosen),
        "suche": "Düren"})
    assert refused.status_code == 422
    assert sorted(card_options(refused.text, s.sent)) == in_dueren
    assert f'<option value="{chosen}" selected>' in refused.text
    handed = await s.client.post(f"/partner/vermittlungen/{s.sent}", data={
        **proof_of(searched), "aktion": "handoff", "to_partner_id": str(chosen),
        "reason_code": "not_our_service"})
    assert handed.status_code in (200, 303) and (await load(s.sent)).status == "declined"
