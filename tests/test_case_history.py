"""Issue 15: editing a case keeps its history. Every edit of a client or a barrier is stored
with the values before and after and listed in the case's one history with its events and
the dated consultation notes (Beratungsvermerke); the audit entry names the fields and the
stored change, never the values. Languages keep their order (the first is the main one).
Pseudonymisation takes the values and the notes' texts; the history tables are append-only."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import asyncpg
import pytest

from network.accounts.tables import AuditLog
from network.actors import Actor
from network.cases import actions, barriers, history
from network.cases import service as cases
from network.cases.service import LanguageSkill
from network.cases.values import CefrLevel
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import NotFound, RuleViolation
from network.referrals import service as referral_service
from network.referrals.service import NewReferral, ReferralFilter
from network.transactions import transaction
from network.web.case_history import section
from tests.support import referral_world as acting
from tests.support.factories import NOW, client_data
from tests.support.pages import field_error, signed_in
from tests.support.referral_world import make_world


def skills(*pairs: tuple[str, str]) -> tuple[LanguageSkill, ...]:
    return tuple(LanguageSkill(code, CefrLevel(level)) for code, level in pairs)


async def test_an_edit_is_kept_with_before_and_after_and_the_audit_names_only_fields(
        pool, make_user):
    user = Actor.of_user((await make_user()).user)
    clock = FixedClock(NOW)
    client = await actions.create_client(user, clock, client_data(), barrier_kinds=[])
    clock.advance(timedelta(hours=1))
    await actions.update_client(user, clock, client.id, {
        "last_name": "Haddat", "date_of_birth": date(1990, 5, 18), "phone": "+49 2452 555 01",
        "languages": skills(("de", "B1"), ("ar", "C2"))})

    entries = await history.history_of(client.id)
    change = next(e for e in entries if e.kind == history.CHANGE)
    assert change.actor_id == user.user_id and change.at == NOW + timedelta(hours=1)
    assert [(c.field, c.before, c.after) for c in change.changes] == [
        ("last_name", "Haddad", "Haddat"),
        ("date_of_birth", "1990-05-17", "1990-05-18"),
        ("languages", [["ar", "C2"], ["de", "A2"]], [["de", "B1"], ["ar", "C2"]])]
    entry = await AuditLog.select(AuditLog.details).where(
        AuditLog.action == "client.changed").first()
    details = json.loads(entry["details"])
    assert details["change_id"] and "Haddat" not in entry["details"]
    rows = [r for r in await section(client.id) if r.kind == history.CHANGE]
    assert [(c.field, c.before, c.after) for c in rows[0].changes] == [
        ("Nachname", "Haddad", "Haddat"), ("Geburtsdatum", "17.05.1990", "18.05.1990"),
        ("Sprachen", "Arabisch (C2), Deutsch (A2)", "Deutsch (B1), Arabisch (C2)")]


async def test_languages_keep_their_order_the_first_is_the_main_one(pool):
    clock = FixedClock(NOW)
    actor = Actor.system("tests")
    client = await actions.create_client(actor, clock, client_data(
        languages=skills(("ti", "C2"), ("de", "A1"), ("ar", "B1"))), barrier_kinds=[])
    assert [s.language for s in client.languages] == ["ti", "de", "ar"]
    changed = await actions.update_client(actor, clock, client.id, {
        "languages": skills(("fa", "C1"), ("ti", "C2"))})
    assert [s.language for s in changed.languages] == ["fa", "ti"]
    listed = (await cases.list_clients(actor, text="Haddad")).items
    assert [s.language for s in listed[0].languages] == ["fa", "ti"]


async def test_a_barrier_edit_is_kept_with_before_and_after(pool):
    clock = FixedClock(NOW)
    actor = Actor.system("tests")
    client = await actions.create_client(actor, clock, client_data(), barrier_kinds=[])
    barrier = await actions.add_barrier(actor, clock, client.id, "housing", "Wohnung zu klein")
    await actions.update_barrier(actor, clock, barrier.id, {
        "kind": "language", "description": "Wohnung zu klein"})
    change = next(e for e in await history.history_of(client.id) if e.kind == history.CHANGE)
    assert change.barrier_id == barrier.id
    assert [(c.field, c.before, c.after) for c in change.changes] == [
        ("kind", "housing", "language")]
    shown = next(r for r in await section(client.id) if r.kind == history.CHANGE)
    assert shown.title == "Hindernis geändert: Sprache"
    assert (shown.changes[0].before, shown.changes[0].after) == ("Wohnen", "Sprache")


async def test_an_edit_that_changes_nothing_keeps_no_change(pool):
    clock = FixedClock(NOW)
    actor = Actor.system("tests")
    client = await actions.create_client(actor, clock, client_data(), barrier_kinds=[])
    await actions.update_client(actor, clock, client.id, {"last_name": "Haddad"})
    assert [e.kind for e in await history.history_of(client.id)] == [history.EVENT]


async def test_notes_are_dated_with_their_author_in_one_history_with_the_events(
        pool, make_user):
    made = await make_user()
    user = Actor.of_user(made.user)
    clock = FixedClock(NOW)  # 26.11.2026
    client = await actions.create_client(user, clock, client_data(), barrier_kinds=["housing"])
    clock.advance(timedelta(days=2))
    await actions.add_case_note(user, clock, client.id, date(2026, 11, 27),
                                "Wohnungsamt angerufen, Termin folgt.")
    await actions.add_case_note(user, clock, client.id, None, "Beratung zu Sprachkursen.")
    entries = await history.history_of(client.id)
    assert [(e.kind, e.day) for e in entries] == [
        (history.NOTE, date(2026, 11, 28)), (history.NOTE, date(2026, 11, 27)),
        (history.BARRIER_STATUS, date(2026, 11, 26)), (history.EVENT, date(2026, 11, 26))]
    assert entries[0].actor_name == made.user.display_name
    assert entries[1].note == "Wohnungsamt angerufen, Termin folgt."
    audit = await AuditLog.select(AuditLog.action, AuditLog.details).where(
        AuditLog.action == "case_note.added")
    assert len(audit) == 2 and "Wohnungsamt" not in audit[0]["details"]


async def test_a_note_is_refused_in_the_future_empty_or_outside_the_circle(pool, make_user):
    clock = FixedClock(NOW)
    mine = Actor.of_user((await make_user()).user)
    other = Actor.of_user((await make_user(legal_circle="sgb3")).user)
    client = await actions.create_client(mine, clock, client_data(), barrier_kinds=[])
    with pytest.raises(RuleViolation) as future:
        await actions.add_case_note(mine, clock, client.id, date(2026, 11, 27), "morgen")
    assert future.value.field == "noted_on"
    with pytest.raises(RuleViolation) as empty:
        await actions.add_case_note(mine, clock, client.id, None, "  ")
    assert empty.value.field == "body"
    with pytest.raises(NotFound):
        await actions.add_case_note(other, clock, client.id, None, "fremd")
    await actions.close_case(mine, clock, client.id, "employment")
    with pytest.raises(RuleViolation):
        await actions.add_case_note(mine, clock, client.id, None, "zu spät")
    assert await history.history_of(client.id) and not [
        e for e in await history.history_of(client.id) if e.kind == history.NOTE]


async def test_pseudonymisation_takes_the_values_and_the_notes_texts(pool):
    clock = FixedClock(NOW)
    actor = Actor.system("tests")
    client = await actions.create_client(actor, clock, client_data(), barrier_kinds=[])
    await actions.update_client(actor, clock, client.id, {"last_name": "Quellfeldt"})
    await actions.add_case_note(actor, clock, client.id, None, "Quellfeldt kam pünktlich.")
    await actions.close_case(actor, clock, client.id, "employment")
    await actions.pseudonymise_client(actor, clock, client.id)
    async with transaction() as connection:
        texts = await connection.fetchval(
            "SELECT string_agg(coalesce(changes::text, '') || coalesce(array_to_string(fields,"
            " ','), ''), ' ') FROM case_changes WHERE client_id = $1", client.id)
        notes = await connection.fetch("SELECT body FROM case_notes WHERE client_id = $1",
                                       client.id)
    assert "Quellfeldt" not in texts and "Haddad" not in texts and "last_name" in texts
    assert [n["body"] for n in notes] == [None]
    shown = {r.kind: r for r in await section(client.id)}
    assert shown[history.CHANGE].removed and shown[history.NOTE].text == "(Text pseudonymisiert)"


@pytest.mark.parametrize("statement", [
    "UPDATE case_changes SET at = at + interval '1 day'",
    "UPDATE case_changes SET changes = '[]'",
    "DELETE FROM case_changes",
    "UPDATE case_notes SET body = 'anders'",
    "DELETE FROM case_notes",
    "TRUNCATE case_notes",
    "TRUNCATE case_changes",
])
async def test_the_history_tables_are_append_only(pool, statement):
    clock = FixedClock(NOW)
    actor = Actor.system("tests")
    client = await actions.create_client(actor, clock, client_data(), barrier_kinds=[])
    await actions.update_client(actor, clock, client.id, {"last_name": "Anders"})
    await actions.add_case_note(actor, clock, client.id, None, "Vermerk")
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        async with transaction() as connection:
            await connection.execute(statement)


# --- the pages ---------------------------------------------------------------------------


async def test_the_edit_page_refuses_bad_input_naming_the_field_and_writes_nothing(
        client, make_user):
    user, csrf = await signed_in(client, make_user)
    case = await actions.create_client(Actor.of_user(user.user), FixedClock(NOW), client_data(
        coordinator_id=user.user.id), barrier_kinds=[])
    form = (await client.get(f"/clients/{case.id}/edit")).text
    assert 'value="Haddad"' in form and "Sprache 1 (Hauptsprache)" in form
    body = {"csrf_token": csrf, "first_name": "Amal", "last_name": "", "gender": "female",
            "date_of_birth": "17.05.1990", "country_of_origin": "SY",
            "residence_status": "residence_permit", "email": "kein-at",
            "languages[0].language": "de", "languages[0].level": "", "language_rows": "3"}
    refused = await client.post(f"/clients/{case.id}/edit", data=body)
    assert refused.status_code == 422
    for field in ("last_name", "date_of_birth", "languages-0-level"):
        assert field_error(refused.text, field), field
    body |= {"last_name": "Haddad", "date_of_birth": "1990-05-17", "languages[0].level": "B2"}
    refused = await client.post(f"/clients/{case.id}/edit", data=body)
    assert refused.status_code == 422 and field_error(refused.text, "email")
    assert await history.history_of(case.id) == [
        e for e in await history.history_of(case.id) if e.kind == history.EVENT]

    body |= {"email": "", "languages[1].language": "ar", "languages[1].level": "C2"}
    done = await client.post(f"/clients/{case.id}/edit", data=body)
    assert done.status_code == 303 and done.headers["location"].endswith("hinweis=angaben#verlauf")
    page = (await client.get(f"/clients/{case.id}")).text
    assert "Deutsch (B2, Hauptsprache), Arabisch (C2)" in page
    assert "amal.haddad@example.org</del>" in page


async def test_a_note_from_the_case_page_and_its_refusal(client, make_user):
    user, csrf = await signed_in(client, make_user)
    case = await actions.create_client(Actor.of_user(user.user), FixedClock(NOW), client_data(
        coordinator_id=user.user.id), barrier_kinds=[])
    refused = await client.post(f"/clients/{case.id}/notes", data={
        "csrf_token": csrf, "noted_on": "2099-01-01", "body": ""})
    assert refused.status_code == 422 and field_error(refused.text, "body")
    done = await client.post(f"/clients/{case.id}/notes", data={
        "csrf_token": csrf, "noted_on": "2026-11-25", "body": "Erstgespräch mit Dolmetscher."})
    assert done.status_code == 303
    page = (await client.get(f"/clients/{case.id}")).text
    assert "Erstgespräch mit Dolmetscher." in page and "25.11.2026" in page


async def test_an_edit_over_a_colleagues_newer_one_is_refused_and_keeps_what_was_typed(
        client, make_user):
    user, csrf = await signed_in(client, make_user)
    colleague = Actor.of_user((await make_user()).user)
    case = await actions.create_client(Actor.of_user(user.user), FixedClock(NOW), client_data(
        coordinator_id=user.user.id), barrier_kinds=[])
    form = (await client.get(f"/clients/{case.id}/edit")).text
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)
    await actions.update_client(colleague, FixedClock(NOW + timedelta(minutes=5)), case.id,
                                {"phone": "+49 2452 555 77"})
    body = {"csrf_token": csrf, "version": version, "first_name": "Amal",
            "last_name": "Haddat", "gender": "female", "date_of_birth": "1990-05-17",
            "country_of_origin": "SY", "residence_status": "residence_permit",
            "phone": "+49 2452 555 01"}
    refused = await client.post(f"/clients/{case.id}/edit", data=body)
    assert refused.status_code == 409 and "inzwischen geändert" in refused.text
    assert 'value="Haddat"' in refused.text
    assert (await cases.load_client(case.id)).last_name == "Haddad"
    newer = re.search(r'name="version" value="([^"]+)"', refused.text).group(1)
    assert newer != version
    saved = await client.post(f"/clients/{case.id}/edit", data=body | {"version": newer})
    assert saved.status_code == 303
    assert (await cases.load_client(case.id)).last_name == "Haddat"


async def test_the_edit_pages_answer_4xx_for_a_closed_case_another_circle_or_case(
        client, make_user):
    user, csrf = await signed_in(client, make_user)
    mine = Actor.of_user(user.user)
    other = Actor.of_user((await make_user(legal_circle="sgb3")).user)
    theirs = await actions.create_client(other, FixedClock(NOW), client_data(
        legal_circle="sgb3"), barrier_kinds=["housing"])
    case = await actions.create_client(mine, FixedClock(NOW), client_data(),
                                       barrier_kinds=["housing"])
    own_barrier = (await barriers.list_barriers(mine, case.id))[0]
    their_barrier = (await barriers.list_barriers(other, theirs.id))[0]
    assert (await client.get(f"/clients/{theirs.id}/edit")).status_code == 404
    assert (await client.get(
        f"/clients/{theirs.id}/barriers/{their_barrier.id}/edit")).status_code == 404
    assert (await client.get(
        f"/clients/{theirs.id}/barriers/{own_barrier.id}/edit")).status_code in (404, 422)
    assert (await client.post(f"/clients/{theirs.id}/notes", data={
        "csrf_token": csrf, "body": "fremd"})).status_code == 404
    await actions.change_barrier_status(mine, FixedClock(NOW), own_barrier.id, "resolved")
    await actions.close_case(mine, FixedClock(NOW), case.id, "employment")
    closed = await client.get(f"/clients/{case.id}/edit")
    assert 400 <= closed.status_code < 500
    refused = await client.post(f"/clients/{case.id}/barriers/{own_barrier.id}/edit", data={
        "csrf_token": csrf, "kind": "language", "description": ""})
    assert refused.status_code == 422 and "abgeschlossen" in refused.text
    assert [e.kind for e in await history.history_of(case.id)
            if e.kind == history.CHANGE] == []


async def test_the_referrals_status_changes_are_in_the_same_history(pool, make_user):
    made = await make_user()
    world = await make_world()
    created = await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id, "sent"), made.user.id)
    await acting.transition(created.referral.id, "accepted", "partner", None)
    await actions.add_case_note(Actor.of_user(made.user), SYSTEM_CLOCK, world.client_id, None,
                                "Partner hat angenommen, Termin folgt.")
    referrals = (await referral_service.list_referrals(
        Actor.of_user(made.user), ReferralFilter(client_id=world.client_id))).items
    rows = await section(world.client_id, referrals)
    assert [r.kind for r in rows][:3] == [history.NOTE, "referral", "referral"]
    accepted, sent = rows[1], rows[2]
    assert accepted.title.endswith(": angenommen") and accepted.who == world.caritas.name
    assert sent.who == made.user.display_name
    assert sent.href == f"/referrals/{created.referral.id}"
    assert rows[-1].title == "Fall eröffnet"


async def test_the_data_report_lists_each_change_and_note(client, make_user):
    user = await make_user()
    case = await actions.create_client(Actor.of_user(user.user), FixedClock(NOW), client_data(
        coordinator_id=user.user.id), barrier_kinds=[])
    await actions.update_client(Actor.of_user(user.user), FixedClock(NOW), case.id,
                                {"last_name": "Haddat", "phone": None})
    await actions.add_case_note(Actor.of_user(user.user), FixedClock(NOW), case.id, None,
                                "Erstgespräch.")
    answer = await client.post(f"/api/v1/clients/{case.id}/data-report", headers=user.headers,
                               json={"request_received": "2026-11-26"})
    assert answer.status_code == 200, answer.text
    sections = answer.json()["sections"]
    assert [(r["field"], r["before"], r["after"]) for r in sections["case_changes"]] == [
        ("last_name", "Haddad", "Haddat"), ("phone", "+49 2452 555 01", None)]
    assert [r["body"] for r in sections["case_notes"]] == ["Erstgespräch."]
    pdf = await client.post(f"/api/v1/clients/{case.id}/data-report?format=pdf",
                            headers=user.headers, json={"request_received": "2026-11-26"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
