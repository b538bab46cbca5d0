"""Partners keep their own entry (issue 16): the partner-side actions, the staleness flag,
the reminder email that asks once, the scanner-safe confirm link, and what the coordinators
see on the partner's page. Real PostgreSQL, real SMTP, an injected clock."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from network.accounts.tables import AuditLog
from network.actors import Actor
from network.clock import FixedClock
from network.composition import build_mailer
from network.errors import NotPermitted, RuleViolation
from network.mail.dispatcher import send_all_due
from network.partners import actions, service
from network.partners.service import OwnEntry
from network.partners.staleness import is_stale, months_before
from network.partners.tables import Partner as PartnerRow
from network.referrals.service import NewReferral
from network.reminders import service as reminders
from network.settings import Settings
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MakeUser, login_browser, make_settings, serving
from tests.support.factories import SYSTEM_ACTOR, partner_data
from tests.support.referral_world import make_world
from tests.support.smtp_server import SmtpServer

CREATED = datetime(2026, 5, 10, 8, 0, tzinfo=UTC)  # 10:00 in Berlin
LATER = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)
ENTRY = OwnEntry(opening_hours="Mo–Do 9–12 Uhr", phone="02452 1234",
                 languages=("ar", "tr"), barrier_kinds=("housing",))


async def a_partner(name: str, at: datetime = CREATED) -> service.Partner:
    return await actions.create_partner(SYSTEM_ACTOR, FixedClock(at), partner_data(
        name=name, opening_hours="Mo–Fr 9–12 Uhr", languages=("de",),
        barrier_kinds=("housing", "financial")))


async def audit_of(partner_id: int, action: str) -> list[dict]:
    return await AuditLog.select().where(
        (AuditLog.entity == "partner") & (AuditLog.entity_id == str(partner_id))
        & (AuditLog.action == action)).order_by(AuditLog.id)


# --- the actions --------------------------------------------------------------------------


async def test_a_partner_keeps_its_own_entry_and_the_audit_has_before_and_after(pool):
    partner = await a_partner("Caritas Entry 1")
    me = Actor.of_partner(partner.id, None)

    kept = await actions.update_own_entry(me, FixedClock(LATER), partner.id, ENTRY)

    assert (kept.opening_hours, kept.phone, kept.languages) == (
        "Mo–Do 9–12 Uhr", "02452 1234", ("ar", "tr"))
    assert [k.value for k in kept.barrier_kinds] == ["housing"]
    assert kept.confirmed_at == LATER and kept.updated_at == LATER
    assert kept.name == partner.name and kept.referral_emails == partner.referral_emails
    [entry] = await audit_of(partner.id, "partner.entry_updated")
    details = json.loads(entry["details"])
    assert details["fields"] == ["barrier_kinds", "languages", "opening_hours", "phone"]
    assert details["before"]["opening_hours"] == "Mo–Fr 9–12 Uhr"
    assert details["after"]["opening_hours"] == "Mo–Do 9–12 Uhr"
    assert details["before"]["barrier_kinds"] == ["housing", "financial"]
    assert details["after"]["languages"] == ["ar", "tr"]
    assert (entry["actor_kind"], entry["partner_id"], entry["at"]) == (
        "partner", partner.id, LATER)

    confirmed = await actions.confirm_entry(me, FixedClock(LATER + timedelta(days=3)),
                                            partner.id)
    assert confirmed.confirmed_at == LATER + timedelta(days=3)


async def test_the_entry_is_checked_by_the_coordinators_form_rules(pool):
    partner = await a_partner("Caritas Entry 2")
    me = Actor.of_partner(partner.id)
    for bad, field in [(OwnEntry(languages=("arabisch",)), "languages"),
                       (OwnEntry(barrier_kinds=("flying",)), "barrier_kinds"),
                       (OwnEntry(phone="call me maybe"), "phone")]:
        with pytest.raises(RuleViolation) as refused:
            await actions.update_own_entry(me, FixedClock(LATER), partner.id, bad)
        assert refused.value.field == field
    assert (await service.get_partner(partner.id)).confirmed_at == CREATED


async def test_another_partner_a_viewer_and_a_job_are_refused_staff_may_act(
        pool, make_user: MakeUser):
    partner = await a_partner("Caritas Entry 3")
    other = await a_partner("Tafel Entry 3")
    viewer = Actor.of_user((await make_user(role="viewer")).user)
    coordinator = Actor.of_user((await make_user(role="coordinator")).user)
    clock = FixedClock(LATER)
    for stranger in (Actor.of_partner(other.id, 7), viewer, SYSTEM_ACTOR):
        with pytest.raises(NotPermitted):
            await actions.update_own_entry(stranger, clock, partner.id, ENTRY)
        with pytest.raises(NotPermitted):
            await actions.set_pause(stranger, clock, partner.id, date(2026, 7, 1), None)
        with pytest.raises(NotPermitted):
            await actions.confirm_entry(stranger, clock, partner.id)
    assert await service.get_partner(partner.id) == partner

    paused = await actions.set_pause(coordinator, clock, partner.id, date(2026, 7, 1),
                                     "Urlaub")
    assert (paused.paused_until, paused.pause_note) == (date(2026, 7, 1), "Urlaub")
    [entry] = await audit_of(partner.id, "partner.pause_set")
    assert entry["actor_kind"] == "user"


async def test_a_pause_must_end_from_today_to_a_year_ahead_and_none_ends_it(pool):
    partner = await a_partner("Caritas Entry 4")
    me = Actor.of_partner(partner.id)
    clock = FixedClock(LATER)  # 2 June 2026
    with pytest.raises(RuleViolation) as past:
        await actions.set_pause(me, clock, partner.id, date(2026, 6, 1), None)
    assert (past.value.field, past.value.code) == ("until", "pause.in_the_past")
    with pytest.raises(RuleViolation) as far:
        await actions.set_pause(me, clock, partner.id, date(2027, 6, 3), None)
    assert far.value.code == "pause.too_long"
    assert (await service.get_partner(partner.id)).paused_until is None

    paused = await actions.set_pause(me, clock, partner.id, date(2027, 6, 2), "Warteliste voll")
    assert paused.paused_until == date(2027, 6, 2)
    ended = await actions.set_pause(me, clock, partner.id, None, "ignored")
    assert (ended.paused_until, ended.pause_note) == (None, None)
    entries = await audit_of(partner.id, "partner.pause_set")
    assert len(entries) == 2


# --- staleness ----------------------------------------------------------------------------


def test_an_entry_is_stale_six_calendar_months_after_its_confirmation() -> None:
    confirmed = datetime(2026, 3, 15, 9, tzinfo=UTC)
    assert not is_stale(confirmed, datetime(2026, 9, 14, 21, 59, tzinfo=UTC))
    assert is_stale(confirmed, datetime(2026, 9, 14, 22, 0, tzinfo=UTC))  # 15 Sep, Berlin
    month_end = datetime(2026, 8, 31, 9, tzinfo=UTC)
    assert not is_stale(month_end, datetime(2027, 2, 28, 12, tzinfo=UTC))
    assert is_stale(month_end, datetime(2027, 3, 1, 12, tzinfo=UTC))
    assert is_stale(None, confirmed)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)


def settings_for(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url,
                         MAIL_FROM="Integration Point <ip@kreis-heinsberg.example>")


async def test_the_directory_flags_an_entry_unconfirmed_for_six_months(
        tmp_path: Path, db: str, smtp: SmtpServer, make_user: MakeUser):
    settings = settings_for(tmp_path, db, smtp)
    clock = FixedClock(datetime(2026, 11, 9, 12, tzinfo=UTC))
    async with serving(settings, clock) as client:
        partner = await a_partner("Caritas Entry 5")  # confirmed on 10 May 2026
        coordinator = await make_user(role="coordinator")

        async def flagged() -> tuple[bool, bool]:
            api = await client.get(f"/api/v1/partners/{partner.id}",
                                   headers=coordinator.headers)
            listed = await client.get("/api/v1/partners", headers=coordinator.headers,
                                      params={"text": "Caritas Entry 5"})
            [item] = listed.json()["items"]
            assert item["stale"] == api.json()["stale"]
            return api.json()["stale"], "nicht bestätigt" in (await directory()).text

        async def directory() -> httpx.Response:
            await login_browser(client, coordinator.email, coordinator.password)  # a new day
            page = await client.get("/partners", params={"q": "Caritas Entry 5"})
            assert page.status_code == 200 and "Caritas Entry 5" in page.text
            return page

        assert await flagged() == (False, False)
        clock.set(datetime(2026, 11, 10, 12, tzinfo=UTC))
        assert await flagged() == (True, True)

        confirmed = await client.post(f"/api/v1/partners/{partner.id}/confirm",
                                      headers=coordinator.headers)
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["confirmed_at"].startswith("2026-11-10T12:00")
        assert await flagged() == (False, False)

        paused = await client.post(f"/api/v1/partners/{partner.id}/pause",
                                   headers=coordinator.headers,
                                   json={"until": "2026-11-01", "note": None})
        assert paused.status_code == 422
        paused = await client.post(f"/api/v1/partners/{partner.id}/pause",
                                   headers=coordinator.headers,
                                   json={"until": "2026-12-24", "note": "Weihnachten"})
        assert paused.status_code == 200, paused.text
        assert (paused.json()["paused_until"], paused.json()["pause_note"]) == (
            "2026-12-24", "Weihnachten")


# --- the reminder asks once; the link confirms on POST only ---------------------------------

SENT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
ASK = "Bitte prüfen Sie Ihren Eintrag"


def twice_a_day(start: datetime, end: datetime):
    day = start
    while day <= end:
        yield day
        yield day + timedelta(hours=6)
        day += timedelta(days=1)


async def partner_reminders(settings: Settings, smtp: SmtpServer, until: datetime
                            ) -> list[str]:
    """The plain-text bodies of the partner reminders the clock's ticks send, in order."""
    bodies: list[str] = []
    for now in twice_a_day(SENT, until):
        seen = len(smtp.messages)
        await reminders.tick(settings, now)
        await send_all_due(build_mailer(settings), now)
        for message in smtp.messages[seen:]:
            body = message.get_body(preferencelist=("plain",)).get_content()
            if "Erinnerung" in body or "erinnern" in body:
                bodies.append(body)
    return bodies


async def test_a_stale_partner_is_asked_once_and_its_link_confirms_on_post_not_on_get(
        tmp_path: Path, db: str, smtp: SmtpServer, make_user: MakeUser):
    settings = settings_for(tmp_path, db, smtp)
    clock = FixedClock(datetime(2026, 12, 28, 12, tzinfo=UTC))
    async with serving(settings, clock) as client:
        coordinator = await make_user()
        world = await make_world(datetime(2026, 12, 1, 9, tzinfo=UTC))
        partner_id = world.caritas.id
        long_ago = datetime(2026, 4, 1, 9, tzinfo=UTC)
        await PartnerRow.update({PartnerRow.confirmed_at: long_ago}).where(
            PartnerRow.id == partner_id)
        await acting.create_referral(NewReferral(world.barrier_id, partner_id, "sent"),
                                     coordinator.user.id, now=SENT)
        async with transaction() as connection:
            await connection.execute("DELETE FROM outbox")  # the referral's own email

        bodies = await partner_reminders(settings, smtp, datetime(2027, 1, 1, 9, tzinfo=UTC))

        assert len(bodies) == 2  # the first and the second reminder
        assert ASK in bodies[0] and ASK not in bodies[1]
        found = re.search(r"http://localhost:8000(/p/[A-Za-z0-9_-]+/eintrag)", bodies[0])
        assert found, bodies[0]
        entry_link = found.group(1)

        for _scanner in range(2):
            assert (await client.head(entry_link)).status_code == 200
            shown = await client.get(entry_link)
            assert shown.status_code == 200 and "Stimmt so" in shown.text
            assert world.caritas.name in shown.text
        assert (await service.get_partner(partner_id)).confirmed_at == long_ago

        refused = await client.post(entry_link, data={"nonce": "1.x", "proof": "x"})
        assert refused.status_code == 403
        assert (await service.get_partner(partner_id)).confirmed_at == long_ago

        nonce = re.search(r'name="nonce" value="([^"]+)"', shown.text).group(1)
        proof = re.search(r'name="proof" value="([^"]+)"', shown.text).group(1)
        confirmed = await client.post(entry_link, data={"nonce": nonce, "proof": proof})
        assert confirmed.status_code == 200 and "bestätigt" in confirmed.text
        assert (await service.get_partner(partner_id)).confirmed_at == clock.now()
        [entry] = await audit_of(partner_id, "partner.entry_confirmed")
        assert (entry["actor_kind"], entry["partner_id"]) == ("partner", partner_id)
        assert entry["link_id"] is not None

        unknown = await client.get("/p/" + "x" * 43 + "/eintrag")
        assert unknown.status_code == 404 and world.caritas.name not in unknown.text


# --- what the coordinators see ------------------------------------------------------------


async def test_the_partner_page_shows_the_pause_the_last_confirmation_and_the_changes(
        tmp_path: Path, db: str, smtp: SmtpServer, make_user: MakeUser):
    settings = settings_for(tmp_path, db, smtp)
    clock = FixedClock(datetime(2026, 6, 2, 12, tzinfo=UTC))
    async with serving(settings, clock) as client:
        partner = await a_partner("Caritas Entry 7")
        coordinator = await make_user(role="coordinator")
        await login_browser(client, coordinator.email, coordinator.password)
        untouched = await client.get(f"/partners/{partner.id}")
        assert "Zuletzt bestätigt: 10.05.2026" in untouched.text
        assert "Keine Aufnahme bis" not in untouched.text

        me = Actor.of_partner(partner.id, None)
        await actions.update_own_entry(me, FixedClock(datetime(2026, 6, 1, 8, tzinfo=UTC)),
                                       partner.id, ENTRY)
        await actions.set_pause(me, clock, partner.id, date(2026, 7, 31),
                                "Beratung voll belegt")
        await actions.update_partner(Actor.of_user(coordinator.user), clock, partner.id,
                                     {"notes": "Staff's own edit, not listed"})

        shown = (await client.get(f"/partners/{partner.id}")).text
        assert "Zuletzt bestätigt: 01.06.2026" in shown
        assert "Keine Aufnahme bis 31.07.2026: Beratung voll belegt" in shown
        changes = shown.split("Änderungen durch den Partner", 1)[1]
        assert "01.06.2026, 10:00 Uhr" in changes and "02.06.2026, 14:00 Uhr" in changes
        for words in ("Öffnungszeiten", "Mo–Fr 9–12 Uhr", "Mo–Do 9–12 Uhr", "Arabisch",
                      "Keine Aufnahme bis", "31.07.2026", "Beratung voll belegt"):
            assert words in changes, words
        assert changes.index("02.06.2026") < changes.index("01.06.2026")  # newest first
        assert "Notizen" not in changes
