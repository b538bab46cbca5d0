"""The partner picker ranks by evidence (issue 16): two partners of the same fit whose recorded
answers differ stand in the order of their figures, each with its reason line; fewer than five
referrals read "noch wenig Erfahrung"; the client's municipality and main language outrank any
figures; a partner on a capacity pause comes last with its warning; referrals older than 12
months do not count; the page reads candidates and evidence in one statement.

The histories are made with the referral actions on fixed clocks (sent on a working day,
answered some working days later), the page is served on a fixed clock too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from bench.statements import recorded_statements
from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import FixedClock
from network.partners import actions as partner_actions
from network.partners.service import Partner
from network.partners.tables import Partner as PartnerRow
from network.referrals import actions
from network.referrals.service import NewReferral
from network.reminders.calendar import WorkingCalendar
from network.settings import Settings
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser, login_browser, serving
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday
OPENED = NOW - timedelta(days=500)
CALENDAR = WorkingCalendar()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(settings, FixedClock(NOW)) as client:
        yield client


async def partner(name: str, **changes) -> Partner:
    return await partner_actions.create_partner(SYSTEM_ACTOR, FixedClock(OPENED),
                                                partner_data(name=name, **changes))


async def history_client(case_number: str) -> int:
    """A client whose barriers the histories are made of (one barrier per referral)."""
    made = await case_actions.create_client(SYSTEM_ACTOR, FixedClock(OPENED), client_data(
        case_number=case_number), barrier_kinds=[])
    await case_actions.give_consent(SYSTEM_ACTOR, FixedClock(OPENED), made.id, ["association"])
    return made.id


async def record(coordinator: Actor, client_id: int, to: Partner, *, sent: datetime,
                 answer_days: int, accept: bool, complete: bool = False) -> None:
    """One referral sent at `sent`, answered by the partner `answer_days` working days later
    (accepted or declined), and completed with the barrier removed a day after if asked."""
    barrier = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(OPENED), client_id,
                                             "housing", None)
    created = await actions.create(coordinator, FixedClock(sent),
                                   NewReferral(barrier.id, to.id, "sent"))
    answered = CALENDAR.add_working_days(sent, answer_days)
    referral_id = created.referral.id
    if accept:
        await actions.transition(Actor.of_partner(to.id), FixedClock(answered), referral_id,
                                 "accepted")
        if complete:
            await actions.transition(Actor.of_partner(to.id),
                                     FixedClock(answered + timedelta(days=1)), referral_id,
                                     "completed", outcome="yes")
    else:
        await actions.transition(Actor.of_partner(to.id), FixedClock(answered), referral_id,
                                 "declined", reason_code="no_capacity")


def working_morning(days_ago: int) -> datetime:
    """A working day's 10:00 (Berlin, in winter 09:00 UTC) about `days_ago` days back."""
    return CALENDAR.next_office_moment((NOW - timedelta(days=days_ago)).replace(hour=9))


async def answers(coordinator: Actor, client_id: int, to: Partner, *, count: int,
                  accepted: int, days: int, first_days_ago: int = 20, completed: int = 0
                  ) -> None:
    for i in range(count):
        await record(coordinator, client_id, to, sent=working_morning(first_days_ago + 7 * i),
                     answer_days=days, accept=i < accepted, complete=i < completed)


def picker_order(html: str) -> list[str]:
    return re.findall(r'<li class="choice[^"]*" data-partner="\d+">.*?<strong>([^<]+)</strong>',
                      html, re.S)


def entry(html: str, name: str) -> str:
    found = re.search(rf'<li class="choice[^"]*" data-partner="\d+">(?:(?!</li>).)*?'
                      rf"<strong>{re.escape(name)}</strong>(?:(?!</li>).)*</li>", html, re.S)
    assert found, name
    return " ".join(found.group(0).split())


async def signed_in_coordinator(app: httpx.AsyncClient, make_user: MakeUser) -> MadeUser:
    made = await make_user(role="coordinator")
    await login_browser(app, made.email, made.password)
    return made


async def test_the_picker_orders_partners_of_the_same_fit_by_their_recorded_answers(
        app: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await signed_in_coordinator(app, make_user)
    coordinator = await acting.actor_for("coordinator", made.user.id)
    history = await history_client("PICK-HIST-1")
    # Named so that the alphabet would put them the other way round.
    quick = await partner("Zeta Wohnhilfe")
    slow = await partner("Alpha Wohnhilfe")
    fresh = await partner("Mitte Wohnhilfe")
    paused = await partner("Aaa Wohnhilfe mit Pause")
    await answers(coordinator, history, quick, count=10, accepted=8, days=1, completed=5)
    await answers(coordinator, history, slow, count=10, accepted=3, days=6)
    # a year and more ago, slow was a quick partner that took everybody: that does not count
    await answers(coordinator, history, slow, count=10, accepted=10, days=0,
                  first_days_ago=370, completed=10)
    await answers(coordinator, history, fresh, count=4, accepted=4, days=0)
    await answers(coordinator, history, paused, count=10, accepted=10, days=0)
    await PartnerRow.update({PartnerRow.paused_until: date(2026, 12, 18),
                             PartnerRow.pause_note: "Urlaubszeit"}).where(
        PartnerRow.id == paused.id)
    client = await history_client("PICK-0001")
    barrier = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(OPENED), client,
                                             "housing", "Wohnung zu klein")

    path = f"/clients/{client}/barriers/{barrier.id}/refer"
    with recorded_statements() as seen:
        page = await app.get(path)
    assert page.status_code == 200, page.text
    html = page.text
    assert picker_order(html) == ["Zeta Wohnhilfe", "Alpha Wohnhilfe", "Mitte Wohnhilfe",
                                  "Aaa Wohnhilfe mit Pause"]
    assert ("antwortet meist in 1 Arbeitstag, nimmt 8 von 10 an, 5 von 5 mit behobenem"
            " Hindernis abgeschlossen, 3 offen") in entry(html, "Zeta Wohnhilfe")
    assert "antwortet meist in 6 Arbeitstagen, nimmt 3 von 10 an, 3 offen" in entry(
        html, "Alpha Wohnhilfe")
    thin = entry(html, "Mitte Wohnhilfe")
    assert "noch wenig Erfahrung (4 Vermittlungen in 12 Monaten), 4 offen" in thin
    assert "von" not in thin.split("noch wenig Erfahrung")[1].split("</span>")[0]
    paused_entry = entry(html, "Aaa Wohnhilfe mit Pause")
    assert "keine Aufnahme bis 18.12.2026: Urlaubszeit" in paused_entry
    assert "Zurzeit keine Aufnahme" in html
    # candidates and evidence in one statement
    picker = [query for _name, query, _args in seen if "referral_events" in query]
    assert len(picker) == 1, picker
    print(f"picker page: {len(seen)} statements")


async def test_municipality_and_language_outrank_the_evidence(
        app: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await signed_in_coordinator(app, make_user)
    coordinator = await acting.actor_for("coordinator", made.user.id)
    history = await history_client("PICK-HIST-2")
    elsewhere = await partner("Erkelenzer Wohnhilfe", served_municipalities=("Erkelenz",))
    german_only = await partner("Deutsche Wohnhilfe", languages=("de",))
    nearby = await partner("Wegberger Wohnhilfe", served_municipalities=("Wegberg", "Erkelenz"))
    await partner("Kreisweite Wohnhilfe")
    for best in (elsewhere, german_only):
        await answers(coordinator, history, best, count=10, accepted=10, days=0)
    await answers(coordinator, history, nearby, count=10, accepted=2, days=8)
    client = await history_client("PICK-0002")
    barrier = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(OPENED), client,
                                             "housing", None)
    path = f"/clients/{client}/barriers/{barrier.id}/refer"
    before = (await app.get(path)).text
    assert picker_order(before)[:2] == ["Erkelenzer Wohnhilfe", "Wegberger Wohnhilfe"]

    page = await app.get(f"/clients/{client}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    saved = await app.post(f"/clients/{client}/municipality",
                           data={"csrf_token": csrf, "municipality": "Wegberg"})
    assert saved.status_code == 303, saved.text
    html = (await app.get(path)).text
    assert "<dt>Gemeinde</dt><dd>Wegberg</dd>" in html
    # serves Wegberg and speaks Arabic first (figures: poor, none), then the ones that do not
    # serve Wegberg, then the one that does not speak the client's main language
    assert picker_order(html) == ["Wegberger Wohnhilfe", "Kreisweite Wohnhilfe",
                                  "Erkelenzer Wohnhilfe", "Deutsche Wohnhilfe"]
    assert "nicht zuständig für Wegberg" in entry(html, "Erkelenzer Wohnhilfe")
    assert "spricht nicht Arabisch" in entry(html, "Deutsche Wohnhilfe")
    assert "nimmt 2 von 10 an" in entry(html, "Wegberger Wohnhilfe")

    refused = await app.post(f"/clients/{client}/municipality",
                             data={"csrf_token": csrf, "municipality": "Aachen"})
    assert refused.status_code == 422
    assert "Bitte eine Gemeinde des Kreises Heinsberg wählen." in refused.text


async def test_a_partner_with_only_old_referrals_has_little_experience(
        app: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await signed_in_coordinator(app, make_user)
    coordinator = await acting.actor_for("coordinator", made.user.id)
    history = await history_client("PICK-HIST-3")
    old = await partner("Alte Wohnhilfe")
    await answers(coordinator, history, old, count=6, accepted=6, days=1,
                  first_days_ago=368, completed=6)
    client = await history_client("PICK-0003")
    barrier = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(OPENED), client,
                                             "housing", None)
    html = (await app.get(f"/clients/{client}/barriers/{barrier.id}/refer")).text
    assert "noch wenig Erfahrung (keine Vermittlung in 12 Monaten), nichts offen" in entry(
        html, "Alte Wohnhilfe")
