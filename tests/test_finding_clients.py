"""Finding people (issue 15): the client search folds umlauts and accents and matches common
transliterations; at intake a possible duplicate is shown before a second case is opened, and
opening it anyway takes a confirmation; the client list shows "Meine Fälle" first, with who is
responsible; a case is handed to a colleague of the same circle from the case page, audited,
its open referrals following."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date

import httpx
import pytest

from network.accounts.tables import AuditLog
from network.actors import Actor
from network.cases import actions, finding
from network.cases import service as cases
from network.cases.tables import CaseEvent
from network.cases.tables import Client as ClientRow
from network.clock import SYSTEM_CLOCK
from network.errors import Conflict, NotFound, RuleViolation
from network.referrals.service import NewReferral
from network.transactions import transaction
from network.web import queries
from tests.support import referral_world as acting
from tests.support.app import MakeUser, login_browser
from tests.support.factories import SYSTEM_ACTOR, client_data
from tests.support.referral_world import make_world

BORN = date(1991, 3, 4)


async def take_in(actor: Actor, first: str, last: str, born: date = BORN, **changes):
    return await actions.create_client(actor, SYSTEM_CLOCK, client_data(
        first_name=first, last_name=last, date_of_birth=born, **changes), barrier_kinds=[])


async def found(actor: Actor, text: str, **options) -> list[str]:
    page = await queries.search_clients(actor, text, None, 50, 0, **options)
    return sorted(f"{c.first_name} {c.last_name}" for c in page.items)


async def test_the_search_folds_umlauts_and_accents_and_hears_transliterations(
        pool, make_user: MakeUser) -> None:
    me = Actor.of_user((await make_user()).user)
    for first, last in (("Ayşe", "Öztürk"), ("Muhammad", "Diallo"), ("Amal", "Haddad"),
                        ("José", "Núñez"), ("Yohannes", "Tesfaye")):
        await take_in(me, first, last)
    assert await found(me, "oeztuerk") == ["Ayşe Öztürk"]
    assert await found(me, "Ozturk") == ["Ayşe Öztürk"]
    assert await found(me, "öz") == ["Ayşe Öztürk"]
    assert await found(me, "Mohammed") == ["Muhammad Diallo"]
    assert await found(me, "mohamed diallo") == ["Muhammad Diallo"]
    assert await found(me, "jose nunez") == ["José Núñez"]
    assert await found(me, "Johannes Tesfay") == ["Yohannes Tesfaye"]
    assert await found(me, "mohammed haddad") == []  # every word must find the name
    assert await found(me, "") == sorted(["Ayşe Öztürk", "Muhammad Diallo", "Amal Haddad",
                                          "José Núñez", "Yohannes Tesfaye"])
    # The API's text filter finds the same way.
    listed = await cases.list_clients(me, text="oeztuerk")
    assert [c.last_name for c in listed.items] == ["Öztürk"]


async def test_names_found_by_their_letters_come_before_those_found_by_sound(
        pool, make_user) -> None:
    me = Actor.of_user((await make_user()).user)
    await take_in(me, "Mohammed", "Haddad")
    await take_in(me, "Mahmoud", "Karimi")  # newer, same sound
    page = await queries.search_clients(me, "mohammed", None, 50, 0)
    assert [c.first_name for c in page.items] == ["Mohammed", "Mahmoud"]
    page = await queries.search_clients(me, "", None, 50, 0)
    assert [c.first_name for c in page.items] == ["Mahmoud", "Mohammed"]  # newest first


async def test_the_search_keeps_to_the_circle_and_finds_case_numbers(pool, make_user) -> None:
    mine = Actor.of_user((await make_user(legal_circle="sgb2")).user)
    theirs = Actor.of_user((await make_user(legal_circle="sgb3")).user)
    await take_in(mine, "Ayşe", "Öztürk", case_number="IP-2026-0042")
    await take_in(theirs, "Ayse", "Ozturk", legal_circle="sgb3")
    assert await found(mine, "ozturk") == ["Ayşe Öztürk"]
    assert await found(theirs, "öztürk") == ["Ayse Ozturk"]
    assert await found(mine, "IP-2026-0042") == ["Ayşe Öztürk"]
    assert await found(mine, "0042") == ["Ayşe Öztürk"]
    assert await found(mine, "100%_") == []  # LIKE's wildcards are letters here


async def test_renaming_rekeys_and_pseudonymising_removes_the_keys(pool, make_user) -> None:
    me = Actor.of_user((await make_user()).user)
    client = await take_in(me, "Amal", "Haddad")
    await actions.update_client(me, SYSTEM_CLOCK, client.id, {"last_name": "Müller"})
    assert await found(me, "mueller") == ["Amal Müller"]
    assert await found(me, "haddad") == []
    await actions.close_case(me, SYSTEM_CLOCK, client.id, "other")
    await actions.pseudonymise_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id)
    row = await ClientRow.select(ClientRow.name_words, ClientRow.name_codes).where(
        ClientRow.id == client.id).first()
    assert row == {"name_words": None, "name_codes": None}
    assert await found(me, "amal") == []


async def test_the_migration_gives_the_clients_taken_in_before_it_their_keys(pool,
                                                                             make_user) -> None:
    import importlib

    me = Actor.of_user((await make_user()).user)
    client = await take_in(me, "Ayşe", "Öztürk")
    await ClientRow.update({ClientRow.name_words: None, ClientRow.name_codes: None}).where(
        ClientRow.id == client.id)
    assert await found(me, "ozturk") == []
    migration = importlib.import_module("migrations.m2026_11_30_0110_client_name_keys")
    await migration._fill_existing()
    assert await found(me, "ozturk") == ["Ayşe Öztürk"]


async def test_a_possible_duplicate_is_refused_until_confirmed(pool, make_user) -> None:
    me = Actor.of_user((await make_user()).user)
    other_circle = Actor.of_user((await make_user(legal_circle="sgb3")).user)
    first = await take_in(me, "Mohammed", "Al-Hassan")
    await take_in(other_circle, "Mohammed", "Al-Hassan", legal_circle="sgb3")
    await take_in(me, "Mohammed", "Al-Hassan", born=date(1992, 3, 4))  # another birthday
    with pytest.raises(Conflict) as refused:
        await actions.create_client(me, SYSTEM_CLOCK, client_data(
            first_name="Muhammad", last_name="Hassan", date_of_birth=BORN),
            on_duplicate="refuse")
    assert (refused.value.field, refused.value.code) == ("duplicate_confirmed",
                                                         "possible_duplicate")
    assert refused.value.params == {"client_ids": str(first.id)}  # own circle, same day
    assert [r["id"] for r in await finding.possible_duplicates(
        me, "Muhammad", "Hassan", BORN)] == [first.id]
    assert await finding.possible_duplicates(me, "Amadou", "Hassan", BORN) == []
    opened = await actions.create_client(me, SYSTEM_CLOCK, client_data(
        first_name="Muhammad", last_name="Hassan", date_of_birth=BORN),
        on_duplicate="confirmed")
    details = await AuditLog.select(AuditLog.details).where(
        (AuditLog.action == "client.created") & (AuditLog.entity_id == str(opened.id))).first()
    assert json.loads(details["details"])["possible_duplicates"] == [first.id]
    # Nobody asked (imports, the API): no look.
    await take_in(me, "Muhammad", "Hassan")


async def test_two_intakes_of_the_same_person_at_once_open_one_case(pool, make_user) -> None:
    me = Actor.of_user((await make_user()).user)

    async def submit() -> str:
        try:
            await actions.create_client(me, SYSTEM_CLOCK, client_data(date_of_birth=BORN),
                                        barrier_kinds=[], on_duplicate="refuse")
        except Conflict:
            return "warned"
        return "opened"

    assert sorted(await asyncio.gather(submit(), submit(), submit())) == [
        "opened", "warned", "warned"]


def intake_form(csrf: str, **changes: str) -> dict[str, str]:
    return {"csrf_token": csrf, "first_name": "Ibrahima", "last_name": "Diallo",
            "date_of_birth": "1999-02-01", "gender": "male", "country_of_origin": "GN",
            "residence_status": "toleration", "legal_circle": "sgb2",
            "case_kind": "first_consultation", **changes}


async def test_the_intake_page_warns_of_a_duplicate_and_opens_only_when_confirmed(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await make_user()
    csrf = await login_browser(client, made.email, made.password)
    assert (await client.post("/clients", data=intake_form(csrf))).status_code == 303
    [existing] = (await cases.list_clients(SYSTEM_ACTOR)).items
    again = await client.post("/clients", data=intake_form(csrf, first_name="IBRAHIMA"))
    assert again.status_code == 409
    assert "Diese Person gibt es vielleicht schon" in again.text
    assert f'href="/clients/{existing.id}"' in again.text
    assert 'value="IBRAHIMA"' in again.text  # what was typed stays
    assert (await cases.list_clients(SYSTEM_ACTOR)).total == 1
    confirmed = await client.post("/clients", data=intake_form(
        csrf, first_name="IBRAHIMA", duplicate_confirmed="ja"))
    assert confirmed.status_code == 303
    assert (await cases.list_clients(SYSTEM_ACTOR)).total == 2
    other_day = await client.post("/clients", data=intake_form(csrf, date_of_birth="1999-02-02",
                                                               case_number="IP-2026-0001"))
    assert other_day.status_code == 303
    # Another refusal of the intake still shows next to its field.
    taken = await client.post("/clients", data=intake_form(csrf, date_of_birth="1999-02-03",
                                                           case_number="IP-2026-0001"))
    assert taken.status_code == 422 and 'id="case_number-fehler"' in taken.text


async def test_the_client_list_shows_my_cases_first_with_who_is_responsible(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await make_user()
    colleague = await make_user()
    me = Actor.of_user(made.user)
    await take_in(me, "Amal", "Haddad", coordinator_id=made.user.id)
    await take_in(me, "Reza", "Karimi", coordinator_id=colleague.user.id)
    await login_browser(client, made.email, made.password)
    mine = (await client.get("/clients")).text
    assert "Haddad, Amal" in mine and "Karimi" not in mine
    assert "Meine Fälle: 1 Fall" in mine and made.user.display_name in mine
    assert "04.03.1991" in mine  # the birth date tells namesakes apart
    every = (await client.get("/clients?ansicht=all")).text
    assert "Haddad, Amal" in every and "Karimi, Reza" in every
    assert colleague.user.display_name in every
    searched = (await client.get("/clients?q=karimi")).text
    assert "In Ihren Fällen nichts gefunden" in searched and "ansicht=all" in searched


async def test_a_case_is_handed_to_a_colleague_of_the_circle_with_its_referrals(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await make_user()
    colleague = await make_user()
    stranger = await make_user(legal_circle="sgb3")
    world = await make_world()
    me = Actor.of_user(made.user)
    await actions.hand_case_to_colleague(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id,
                                         made.user.id)
    referral = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                         "sent"), made.user.id)).referral
    csrf = await login_browser(client, made.email, made.password)
    case = await client.get(f"/clients/{world.client_id}")
    assert re.search(rf"<strong>{re.escape(made.user.display_name)}</strong>", case.text)
    assert f'<option value="{colleague.user.id}"' in case.text
    assert f'<option value="{stranger.user.id}"' not in case.text
    assert f'<option value="{made.user.id}"' not in case.text

    empty = await client.post(f"/clients/{world.client_id}/coordinator",
                              data={"csrf_token": csrf, "coordinator_id": ""})
    assert empty.status_code == 422 and "coordinator_id-fehler" in empty.text
    other_circle = await client.post(f"/clients/{world.client_id}/coordinator",
                                     data={"csrf_token": csrf,
                                           "coordinator_id": str(stranger.user.id)})
    assert other_circle.status_code == 422
    handed = await client.post(f"/clients/{world.client_id}/coordinator",
                               data={"csrf_token": csrf, "coordinator_id": str(colleague.user.id)})
    assert handed.status_code == 303
    assert handed.headers["location"].endswith("hinweis=fall-uebergeben#zustaendig")
    moved = await cases.get_client(me, world.client_id)
    assert moved.coordinator_id == colleague.user.id
    moved_referral = await client.get(f"/api/v1/referrals/{referral.id}",
                                      headers=made.headers)
    assert moved_referral.json()["coordinator_id"] == colleague.user.id
    entry = await AuditLog.select(AuditLog.actor_id, AuditLog.details).where(
        AuditLog.action == "client.handed_over").order_by(AuditLog.id, ascending=False).first()
    assert (entry["actor_id"], json.loads(entry["details"])) == (
        made.user.id, {"from": made.user.id, "to": colleague.user.id})
    events = await CaseEvent.select(CaseEvent.event).where(
        CaseEvent.client_id == world.client_id)
    assert {"event": "handed_over"} in events
    with pytest.raises(RuleViolation) as same:
        await actions.hand_case_to_colleague(me, SYSTEM_CLOCK, world.client_id,
                                             colleague.user.id)
    assert same.value.code == "responsible_already"
    with pytest.raises(NotFound):  # the other circle's coordinator does not reach the case
        await actions.hand_case_to_colleague(Actor.of_user(stranger.user), SYSTEM_CLOCK,
                                             world.client_id, stranger.user.id)


async def test_a_closed_case_is_not_handed_over(pool, make_user) -> None:
    made = await make_user()
    colleague = await make_user()
    me = Actor.of_user(made.user)
    client = await take_in(me, "Amal", "Haddad", coordinator_id=made.user.id)
    await actions.close_case(me, SYSTEM_CLOCK, client.id, "other")
    with pytest.raises(RuleViolation):
        await actions.hand_case_to_colleague(me, SYSTEM_CLOCK, client.id, colleague.user.id)
    async with transaction() as connection:
        assert await connection.fetchval(
            "SELECT coordinator_id FROM clients WHERE id = $1", client.id) == made.user.id


async def test_changing_the_coordinator_through_the_api_is_the_same_handover(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    """A PATCH of coordinator_id hands the case over like the case page does: the case
    history says so and the open referrals follow."""
    made = await make_user()
    colleague = await make_user()
    world = await make_world()
    await actions.hand_case_to_colleague(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id,
                                         made.user.id)
    referral = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                         "sent"), made.user.id)).referral
    changed = await client.patch(f"/api/v1/clients/{world.client_id}", headers=made.headers,
                                 json={"coordinator_id": colleague.user.id})
    assert changed.status_code == 200, changed.text
    moved = await client.get(f"/api/v1/referrals/{referral.id}", headers=colleague.headers)
    assert moved.json()["coordinator_id"] == colleague.user.id
    events = await CaseEvent.select(CaseEvent.event).where(
        CaseEvent.client_id == world.client_id)
    assert events.count({"event": "handed_over"}) == 2  # the set-up's and the PATCH's
