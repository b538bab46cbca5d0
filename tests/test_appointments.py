"""Appointments: the partner tells the day, time and place when it accepts through its link
(or the coordinator records them on the referral page); they show on the referral, on the
coordinator's dashboard, on the client's slip (in the slip's language) and on the client's own
page; half an appointment refuses the acceptance too; the place goes when the client's data go."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import BERLIN, SYSTEM_CLOCK, FixedClock
from network.errors import NotFound, RuleViolation
from network.referrals import actions, appointments
from network.referrals.lifecycle import Status
from network.referrals.service import load
from network.referrals.tables import ReferralAppointment
from network.settings import Settings
from tests.support.app import MakeUser, login_browser, make_settings
from tests.support.factories import SYSTEM_ACTOR
from tests.support.pages import field_error, sent
from tests.support.partner_link_pages import form_of, sent_with_link
from tests.support.referral_world import make_world, transition
from tests.support.smtp_server import SmtpServer

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Berlin
PLACE = "Caritas, Westpromenade 12, Raum 2"


@pytest.fixture
def settings(tmp_path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


def next_week() -> date:
    return datetime.now(BERLIN).date() + timedelta(days=7)


# --- the rule ------------------------------------------------------------------------------


def test_day_and_time_are_a_moment_in_berlin() -> None:
    winter = appointments.starts_at("2026-12-07", "10:00", NOW)
    assert winter == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    summer = appointments.starts_at(date(2027, 7, 1), "8:05", NOW)
    assert summer == datetime(2027, 7, 1, 6, 5, tzinfo=UTC)
    assert appointments.starts_at("2026-11-30", "08:00", NOW)  # earlier today is still today


@pytest.mark.parametrize(("day", "at", "field"), [
    ("2026-11-29", "10:00", "appointment_day"),  # yesterday
    ("2028-01-01", "10:00", "appointment_day"),  # more than a year ahead
    ("30.11.2026", "10:00", "appointment_day"),
    ("", "10:00", "appointment_day"),
    ("2026-12-07", "25:00", "appointment_time"),
    ("2026-12-07", "", "appointment_time"),
    ("2026-12-07", None, "appointment_time"),
])
def test_what_is_no_appointment_is_refused_naming_the_field(day, at, field) -> None:
    with pytest.raises(RuleViolation) as refused:
        appointments.starts_at(day, at, NOW)
    assert refused.value.field == field


def test_the_place_is_required_and_short() -> None:
    assert appointments.place("  Raum 2 ") == "Raum 2"
    for bad in ("", "   ", None, "x" * 301):
        with pytest.raises(RuleViolation) as refused:
            appointments.place(bad)
        assert refused.value.field == "appointment_place"


# --- the partner, when accepting -----------------------------------------------------------


async def accept(client: httpx.AsyncClient, link: str, **fields: str) -> httpx.Response:
    page = await client.get(link)
    return await client.post(link, data={**form_of(page.text), "aktion": "accept", **fields})


async def test_the_partner_gives_the_appointment_when_accepting_and_it_shows_everywhere(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    world = await make_world()  # Amal Haddad: Arabic first
    referral_id, link = await sent_with_link(client, settings, smtp, coordinator, world)
    page = await client.get(link)
    assert "Termin für die Person gleich mitteilen (optional)" in page.text
    day = next_week()
    answered = await accept(client, link, appointment_day=day.isoformat(),
                            appointment_time="10:30", appointment_place=PLACE)
    assert answered.status_code == 200, answered.text
    assert (await load(referral_id)).status is Status.ACCEPTED
    row = await ReferralAppointment.select().where(
        ReferralAppointment.referral_id == referral_id).first()
    assert row["starts_at"] == datetime.combine(day, datetime.min.time().replace(
        hour=10, minute=30), BERLIN)
    assert row["place"] == PLACE
    assert row["recorded_by_partner"] == world.caritas.id and row["recorded_by_user"] is None
    audited = await ReferralAppointment.raw(
        "SELECT details FROM audit_log WHERE action = 'referral.appointment'"
        " AND entity_id = {}", str(referral_id))
    assert [json.loads(r["details"]) for r in audited] == [{"by": "partner"}]
    assert f"{day:%d.%m.%Y}, 10:30 Uhr, {PLACE}" in answered.text  # the partner sees it

    await login_browser(client, coordinator.email, coordinator.password)
    shown = f"{day:%d.%m.%Y}, 10:30"
    detail = await client.get(f"/referrals/{referral_id}")
    assert "Termin beim Partner" in detail.text and shown in detail.text
    assert PLACE in detail.text and "vom Partner" in detail.text
    dashboard = await client.get("/")
    upcoming = dashboard.text.split('id="termine"')[1].split("</table>")[0]
    assert shown in upcoming and "Amal Haddad" in upcoming and PLACE in upcoming
    slip = await client.get(f"/referrals/{referral_id}/slip")  # Arabic, the first language
    assert "موعدك" in slip.text and "10:30" in slip.text and PLACE in slip.text
    german = await client.get(f"/referrals/{referral_id}/slip?sprache=de")
    assert "Ihr Termin" in german.text
    weekday = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
               "Sonntag"][day.weekday()]
    assert f"{weekday}, {day.day}." in german.text

    made = await client.post(f"/clients/{world.client_id}/client-page",
                             headers={"X-CSRF-Token": await login_browser(
                                 client, coordinator.email, coordinator.password)})
    assert made.status_code == 303
    case_page = await client.get(f"/clients/{world.client_id}")
    token = re.search(r"/k/([0-9a-f]{40})<", case_page.text).group(1)
    own = await client.get(f"/k/{token}")
    assert "موعدك" in own.text and "10:30" in own.text and PLACE in own.text


async def test_half_an_appointment_refuses_the_acceptance_and_keeps_what_was_typed(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    world = await make_world()
    referral_id, link = await sent_with_link(client, settings, smtp, coordinator, world)
    refused = await accept(client, link, appointment_day=next_week().isoformat(),
                           appointment_place=PLACE)
    assert refused.status_code == 422
    assert "Bitte die Uhrzeit angeben" in refused.text
    assert PLACE in refused.text  # what the partner typed stays in the form
    assert (await load(referral_id)).status is Status.SENT  # nothing half written
    assert await ReferralAppointment.count().where(
        ReferralAppointment.referral_id == referral_id) == 0
    plain = await accept(client, link)  # accepting without an appointment stays possible
    assert plain.status_code == 200
    assert (await load(referral_id)).status is Status.ACCEPTED
    assert await ReferralAppointment.count().where(
        ReferralAppointment.referral_id == referral_id) == 0


# --- the coordinator, on the referral page -------------------------------------------------


async def test_the_coordinator_records_it_once_accepted_and_may_change_it(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user()
    world = await make_world()
    referral_id = await sent(world, coordinator)
    csrf = await login_browser(client, coordinator.email, coordinator.password)
    form = {"csrf_token": csrf, "appointment_day": next_week().isoformat(),
            "appointment_time": "09:00", "appointment_place": PLACE}
    early = await client.post(f"/referrals/{referral_id}/termin", data=form)
    assert early.status_code == 422  # the partner has not accepted yet
    assert "erst, wenn der Partner angenommen hat" in early.text
    assert "Termin eintragen" not in early.text  # no form offered while it is only sent

    await transition(referral_id, "accepted", "partner", None)
    page = await client.get(f"/referrals/{referral_id}")
    assert "Noch kein Termin eingetragen." in page.text and "Termin eintragen" in page.text
    bad = await client.post(f"/referrals/{referral_id}/termin",
                            data={**form, "appointment_time": "9 Uhr"})
    assert bad.status_code == 422
    assert "14:30" in field_error(bad.text, "appointment_time")
    saved = await client.post(f"/referrals/{referral_id}/termin", data=form)
    assert saved.status_code == 303
    changed = await client.post(f"/referrals/{referral_id}/termin",
                                data={**form, "appointment_time": "11:15"})
    assert changed.status_code == 303
    rows = await ReferralAppointment.select().where(
        ReferralAppointment.referral_id == referral_id)
    assert len(rows) == 1 and rows[0]["recorded_by_user"] == coordinator.user.id
    assert rows[0]["starts_at"].astimezone(BERLIN).strftime("%H:%M") == "11:15"
    page = await client.get(f"/referrals/{referral_id}")
    assert "von der Koordination" in page.text and "Termin ändern" in page.text

    other = await make_user(legal_circle="sgb3")
    with pytest.raises(NotFound):
        await actions.record_appointment(Actor.of_user(other.user), SYSTEM_CLOCK, referral_id,
                                         day=next_week(), at="12:00", place="Anderswo")
    stranger = Actor.of_partner(world.tafel.id)
    with pytest.raises(Exception) as refused:  # another partner's referral
        await actions.record_appointment(stranger, SYSTEM_CLOCK, referral_id,
                                         day=next_week(), at="12:00", place="Anderswo")
    assert type(refused.value).__name__ == "NotPermitted"


async def test_the_dashboard_lists_only_upcoming_appointments_of_open_referrals(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user()
    world = await make_world()
    soon, later = await sent(world, coordinator), await sent(
        world, coordinator, partner_id=world.tafel.id)
    for referral_id in (soon, later):
        await transition(referral_id, "accepted", "partner", None)
    actor = Actor.of_user(coordinator.user)
    await actions.record_appointment(actor, SYSTEM_CLOCK, later,
                                     day=next_week() + timedelta(days=2), at="14:00",
                                     place="Tafel")
    await actions.record_appointment(actor, SYSTEM_CLOCK, soon, day=next_week(), at="09:00",
                                     place="Caritas")
    await login_browser(client, coordinator.email, coordinator.password)
    upcoming = (await client.get("/")).text.split('id="termine"')[1].split("</table>")[0]
    assert upcoming.index("Caritas") < upcoming.index("Tafel")  # soonest first
    await transition(later, "cancelled", "coordinator", coordinator.user.id,
                     reason_text="Nicht mehr nötig")
    upcoming = (await client.get("/")).text.split('id="termine"')[1].split("</table>")[0]
    assert "Tafel" not in upcoming and "Caritas" in upcoming


async def test_the_place_goes_when_the_clients_data_go(make_user: MakeUser, pool: str) -> None:
    coordinator = await make_user()
    world = await make_world()
    referral_id = await sent(world, coordinator)
    await transition(referral_id, "accepted", "partner", None)
    await actions.record_appointment(Actor.of_user(coordinator.user), SYSTEM_CLOCK,
                                     referral_id, day=next_week(), at="10:00", place=PLACE)
    await case_actions.erase_client(SYSTEM_ACTOR, FixedClock(datetime.now(UTC)),
                                    world.client_id)
    row = await ReferralAppointment.select().where(
        ReferralAppointment.referral_id == referral_id).first()
    assert row["place"] == "[removed]" and row["starts_at"] is not None
