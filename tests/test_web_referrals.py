"""The referral pages over HTTP (in process, no browser): the partner picker and its consent
rule, creating from a barrier, the detail page with its timeline and transitions, a stale
version, handoffs, the list with filters, the dashboard, the slip and the partner's
response times. Every form keeps what was typed and shows the error next to the field."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx

from network.accounts import audit
from network.actors import Actor
from network.cases import actions, barriers
from network.cases.values import BarrierKind
from network.clock import SYSTEM_CLOCK, FixedClock
from network.partners import actions as partner_actions
from network.referrals import service as referrals
from network.referrals.service import NewReferral
from network.web import slip
from network.words import duration as _duration
from tests.support import referral_world as acting
from tests.support.app import MakeUser
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data
from tests.support.pages import field_error, sent, signed_in
from tests.support.referral_world import World, make_world


def refer_path(world: World) -> str:
    return f"/clients/{world.client_id}/barriers/{world.barrier_id}/refer"


async def test_it_offers_fitting_partners_first_and_blocks_those_without_consent(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(client, make_user)
    world = await make_world()
    other_language = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(
        name="Wohnhilfe Tigrinya", languages=("ti",)))
    page = await client.get(refer_path(world))
    assert page.status_code == 200
    html = page.text
    order = [html.index(name) for name in (world.caritas.name, other_language.name,
                                           world.vhs.name)]
    assert order == sorted(order)  # fits best, then the kind, then the others
    school = re.search(rf'value="{world.school.id}"[^>]*>', html).group(0)
    assert "disabled" in school
    assert "Keine Einwilligung für „Schule“" in html
    assert f'href="/clients/{world.client_id}#einwilligung"' in html
    assert 'data-other="ja"' in re.search(rf'value="{world.vhs.id}"[^>]*>', html).group(0)
    entries, _ = await audit.entries(audit.AuditFilter(action="client.viewed"), 10, 0)
    assert len(entries) == 1


async def test_it_refers_a_barrier_keeping_what_was_typed_and_asking_for_a_reason(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    world = await make_world()
    key = re.search(r'name="form_key" value="([^"]+)"',
                    (await client.get(refer_path(world))).text).group(1)
    form = {"csrf_token": csrf, "form_key": key, "note": "Bitte bald melden", "status": "sent"}
    refused = await client.post(refer_path(world), data=form)
    assert refused.status_code == 422
    assert field_error(refused.text, "partner_id") == "Bitte einen Partner wählen."
    assert "Bitte bald melden" in refused.text

    refused = await client.post(refer_path(world), data={**form, "partner_id": world.vhs.id})
    assert "bietet diese Hilfe nicht an" in field_error(refused.text, "override_reason")
    assert 'class="override shown"' in refused.text and "Bitte bald melden" in refused.text

    refused = await client.post(refer_path(world), data={**form,
                                                         "partner_id": world.school.id})
    assert "Einwilligung deckt" in field_error(refused.text, "partner_id")

    form |= {"partner_id": world.vhs.id, "override_reason": "Hat auch Wohnungsberatung"}
    created = await client.post(refer_path(world), data=form)
    assert created.status_code == 303
    stored = (await referrals.list_referrals(SYSTEM_ACTOR)).items
    assert [(r.partner_id, r.status, r.override_reason, r.coordinator_id) for r in stored] == [
        (world.vhs.id, "sent", "Hat auch Wohnungsberatung", made.user.id)]
    assert created.headers["location"] == f"/referrals/{stored[0].id}?hinweis=vermittelt"
    again = await client.post(refer_path(world), data=form)  # a double click
    assert again.headers["location"] == created.headers["location"]
    assert (await referrals.list_referrals(SYSTEM_ACTOR)).total == 1

    draft = await client.post(refer_path(world), data={
        "csrf_token": csrf, "form_key": "other", "partner_id": world.caritas.id,
        "status": "draft"})
    assert draft.status_code == 303 and "hinweis=entwurf" in draft.headers["location"]
    taken = await client.get(refer_path(world))
    assert re.search(r"Schon vermittelt: <a href=\"/referrals/\d+\">", taken.text)


async def test_it_shows_the_timeline_and_records_the_partners_answer(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    world = await make_world()
    at = datetime(2026, 11, 20, 8, 5, tzinfo=UTC)  # 09:05 in Berlin
    referral_id = await sent(world, made, now=at)
    page = await client.get(f"/referrals/{referral_id}")
    assert page.status_code == 200
    assert "20.11.2026, 09:05" in page.text and "angelegt" in page.text
    assert made.user.display_name in page.text
    assert "Annahme durch den Partner erfassen" in page.text
    assert "Ablehnung durch den Partner erfassen" in page.text
    assert "An einen anderen Partner übergeben" in page.text
    entries, _ = await audit.entries(audit.AuditFilter(action="referral.read"), 10, 0)
    assert [e["entity_id"] for e in entries] == [str(referral_id)]

    path = f"/referrals/{referral_id}/status"
    system_only = await client.post(path, data={"csrf_token": csrf, "version": "1",
                                                "status": "expired"})
    assert system_only.status_code == 422
    assert "nur der Partner oder das System" in system_only.text
    bogus = await client.post(path, data={"csrf_token": csrf, "version": "1", "status": "x"})
    assert bogus.status_code == 422 and "angebotenen Schritte" in bogus.text
    refused = await client.post(path, data={"csrf_token": csrf, "version": "1",
                                            "status": "declined", "note": "Telefonat"})
    assert refused.status_code == 422
    assert field_error(refused.text, "reason_code") == "Bitte einen Ablehnungsgrund wählen."
    assert "Telefonat" in refused.text
    refused = await client.post(path, data={"csrf_token": csrf, "version": "1",
                                            "status": "declined", "reason_code": "other"})
    assert field_error(refused.text, "reason_text") == "Bitte den Grund in Worten angeben."
    accepted = await client.post(path, data={"csrf_token": csrf, "version": "1",
                                             "status": "accepted", "note": "per Telefon"})
    assert accepted.status_code == 303
    page = await client.get(f"/referrals/{referral_id}")
    assert "angenommen" in page.text and "Notiz: per Telefon" in page.text
    assert "Abschließen" in page.text
    no_outcome = await client.post(path, data={"csrf_token": csrf, "version": "2",
                                               "status": "completed"})
    assert "Hindernis behoben" in field_error(no_outcome.text, "outcome")
    done = await client.post(path, data={"csrf_token": csrf, "version": "2",
                                         "status": "completed", "outcome": "yes"})
    assert done.status_code == 303
    assert (await barriers.get_barrier(SYSTEM_ACTOR, world.barrier_id)).status == "resolved"


async def test_it_shows_the_current_state_when_the_referral_changed_meanwhile(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    world = await make_world()
    referral_id = await sent(world, made)
    await acting.transition(referral_id, "accepted", "partner", None)  # meanwhile
    stale = await client.post(f"/referrals/{referral_id}/status", data={
        "csrf_token": csrf, "version": "1", "status": "declined",
        "reason_code": "no_capacity", "reason_text": "voll bis März"})
    assert stale.status_code == 409
    assert "inzwischen geändert" in stale.text and "„angenommen“" in stale.text
    assert "voll bis März" in stale.text  # what was typed stays
    assert 'name="version" value="2"' in stale.text  # the next try sends the current one
    assert (await referrals.get_referral(SYSTEM_ACTOR, referral_id)).referral.status == "accepted"
    missing = await client.post(f"/referrals/{referral_id}/status",
                                data={"csrf_token": csrf, "status": "in_progress"})
    assert missing.status_code == 422 and "neu laden" in missing.text


async def test_it_hands_off_to_another_partner_and_to_another_coordinator(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    colleague = await make_user(role="coordinator")
    world = await make_world()
    referral_id = await sent(world, made)
    path = f"/referrals/{referral_id}/handoff"
    form = {"csrf_token": csrf, "version": "1", "closing_status": "declined",
            "reason_code": "no_capacity", "note": "Bitte übernehmen"}
    refused = await client.post(path, data=form)
    assert field_error(refused.text, "to_partner_id") == "Bitte einen Partner wählen."
    assert "Bitte übernehmen" in refused.text
    refused = await client.post(path, data={**form, "to_partner_id": world.caritas.id})
    assert "bisherige Partner" in field_error(refused.text, "to_partner_id")
    moved = await client.post(path, data={**form, "to_partner_id": world.tafel.id})
    assert moved.status_code == 303
    old = (await referrals.get_referral(SYSTEM_ACTOR, referral_id)).referral
    assert old.status == "declined" and old.handed_off_to is not None
    assert moved.headers["location"] == f"/referrals/{old.handed_off_to}?hinweis=uebergeben"
    new_page = await client.get(f"/referrals/{old.handed_off_to}")
    assert f"Vermittlung {referral_id}" in new_page.text  # taken over from

    path = f"/referrals/{old.handed_off_to}/coordinator"
    refused = await client.post(path, data={"csrf_token": csrf, "version": "1"})
    assert field_error(refused.text, "to_coordinator_id") == "Bitte eine Person wählen."
    handed = await client.post(path, data={"csrf_token": csrf, "version": "1",
                                           "to_coordinator_id": colleague.user.id,
                                           "note": "Urlaub"})
    assert handed.status_code == 303
    page = await client.get(f"/referrals/{old.handed_off_to}")
    assert "an eine andere Koordination übergeben" in page.text
    assert f"{made.user.display_name} → {colleague.user.display_name}" in page.text


async def test_it_lists_referrals_with_filters_and_pages(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _csrf = await signed_in(client, make_user)
    world = await make_world()
    old = datetime.now(UTC) - timedelta(days=20)
    await sent(world, made, now=old)  # overdue
    for _ in range(26):
        barrier = await actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id,
                                            "financial", None)
        await sent(world, made, world.tafel.id, barrier.id)
    first = await client.get("/referrals")
    assert first.status_code == 200 and "Seite 1 von 2 (27 Einträge)" in first.text
    overdue = await client.get("/referrals?overdue=ja")
    assert "1 Vermittlung<" in overdue.text and "überfällig</span>" in overdue.text
    by_partner = await client.get(f"/referrals?partner={world.caritas.id}")
    assert "1 Vermittlung<" in by_partner.text
    by_kind = await client.get("/referrals?barrier_kind=financial&status=offen")
    assert "26 Vermittlungen" in by_kind.text
    none = await client.get("/referrals?status=completed&q=REF")
    assert "Keine Vermittlung passt" in none.text
    text = await client.get(f"/referrals?q={world.caritas.name}")
    assert "1 Vermittlung<" in text.text
    ignored = await client.get("/referrals?partner=abc&status=nonsense&seite=x")
    assert ignored.status_code == 200 and "27 Einträge" in ignored.text


async def test_it_fills_the_dashboard_with_my_referrals_and_unreferred_barriers(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _csrf = await signed_in(client, make_user)
    world = await make_world()
    opened = datetime.now(UTC) - timedelta(days=30)
    mine = await actions.create_client(Actor.of_user(made.user), FixedClock(opened),
                                       client_data(first_name="Dawit", last_name="Tekle",
                                                 coordinator_id=made.user.id),
                                                 barrier_kinds=["housing", "language"])
    await actions.give_consent(Actor.of_user(made.user), FixedClock(opened), mine.id,
                               ["association"])
    housing, language = await barriers.list_barriers(SYSTEM_ACTOR, mine.id)
    overdue_id = (await acting.create_referral(NewReferral(
        housing.id, world.caritas.id, "sent"), made.user.id,
        now=datetime.now(UTC) - timedelta(days=20))).referral.id
    waiting_id = await sent(world, made)
    page = await client.get("/")
    html = page.text
    overdue_part = html[html.index('id="ueberfaellig"'):html.index('id="wartend"')]
    waiting_part = html[html.index('id="wartend"'):html.index('id="ohne-vermittlung"')]
    unreferred_part = html[html.index('id="ohne-vermittlung"'):]
    assert f"Vermittlung {overdue_id}" in overdue_part and "Dawit Tekle" in overdue_part
    assert f"Vermittlung {waiting_id}" in waiting_part
    assert f"Vermittlung {overdue_id}" not in waiting_part
    assert f"/barriers/{language.id}/refer" in unreferred_part
    assert f"/barriers/{housing.id}/refer" not in unreferred_part


async def test_it_prints_the_slip_in_the_clients_language_right_to_left(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _csrf = await signed_in(client, make_user)
    world = await make_world()  # the client speaks Arabic first, then German
    referral_id = await sent(world, made)
    page = await client.get(f"/referrals/{referral_id}/slip")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "السكن" in html and "عقد الإيجار" in html  # housing; the rental contract
    assert world.caritas.name in html and "Kirchstraße 1" in html and "Mo–Do 9–12 Uhr" in html
    assert "Petra Lenzen" in html and made.email in html
    assert "Hauptnavigation" not in html and "slip.css" in html
    tigrinya = await client.get(f"/referrals/{referral_id}/slip?sprache=ti")
    assert "<html lang=\"ti\" dir=\"ltr\">" in tigrinya.text and "መንበሪ ገዛ" in tigrinya.text
    unknown = await client.get(f"/referrals/{referral_id}/slip?sprache=xx")
    assert '<html lang="ar" dir="rtl">' in unknown.text
    entries, _ = await audit.entries(audit.AuditFilter(action="referral.slip"), 10, 0)
    assert len(entries) == 3


def test_every_slip_language_says_everything_german_says() -> None:
    german = slip.data("de")
    assert set(slip.languages()) >= {"de", "en", "ar", "fa", "ti"}
    assert set(german["barrier_kinds"]) == {k.value for k in BarrierKind}
    needed = set(slip.ALWAYS) | {item for items in slip.BRING.values() for item in items}
    assert needed <= set(german["items"])
    for code in slip.languages():
        own = slip.data(code)
        for part in ("text", "barrier_kinds", "items"):
            assert set(own[part]) == set(german[part]), (code, part)
            assert all(value.strip() for value in own[part].values()), (code, part)
        assert own["dir"] == ("rtl" if code in ("ar", "fa") else "ltr"), code
    assert slip.language_for(["ku", "fa", "ar"]) == "fa"
    assert slip.language_for(["ku"]) == "de" and slip.language_for([], "en") == "en"


async def test_it_shows_a_partners_response_times_and_open_referrals(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _csrf = await signed_in(client, make_user)
    world = await make_world()
    start = datetime.now(UTC) - timedelta(days=5)
    first = await sent(world, made, now=start)
    await acting.transition(first, "accepted", "partner", None,
                               now=start + timedelta(hours=2))
    second_barrier = await actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id,
                                               "financial", None)
    second = await sent(world, made, barrier_id=second_barrier.id, now=start)
    await acting.transition(second, "declined", "partner", None, reason_code="no_capacity",
                               now=start + timedelta(hours=4))
    third_barrier = await actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id,
                                              "financial", None)
    unanswered = await sent(world, made, barrier_id=third_barrier.id, now=start)
    page = await client.get(f"/partners/{world.caritas.id}")
    assert page.status_code == 200
    assert "3 Std." in page.text and "über 2 beantwortete von 3 gesendeten" in page.text
    open_part = page.text[page.text.index('id="offene-vermittlungen"'):]
    assert f"/referrals/{first}\"" in open_part and f"/referrals/{unanswered}\"" in open_part
    assert f"/referrals/{second}\"" not in open_part
    quiet = await client.get(f"/partners/{world.vhs.id}")
    assert "Noch keine Vermittlung an diesen Partner gesendet" in quiet.text
    assert _duration(timedelta(days=1, hours=3, minutes=5)) == "1 Tag 3 Std."
    assert _duration(timedelta(minutes=12)) == "12 Min."
    assert _duration(timedelta(seconds=20)) == "unter 1 Min."


async def test_it_keeps_viewers_out_of_the_referral_pages(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(client, make_user, role="viewer")
    for path in ("/referrals", "/referrals/1", "/referrals/1/slip",
                 "/clients/1/barriers/1/refer"):
        response = await client.get(path)
        assert response.status_code == 403, path
