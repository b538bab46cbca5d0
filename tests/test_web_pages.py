"""The web pages over HTTP (in process, no browser): access rules, CSRF on every form, the
audit of case views, server-side validation that keeps what was typed, and each form's
happy path."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx

from network.accounts import audit
from network.actors import Actor
from network.cases import actions, barriers
from network.cases import service as cases
from network.clock import SYSTEM_CLOCK
from network.partners import actions as partner_actions
from network.partners import service as partners
from tests.support.app import MakeUser, login_browser
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data


async def signed_in(client: httpx.AsyncClient, make_user: MakeUser, role: str = "coordinator"):
    made = await make_user(role=role)
    return made, await login_browser(client, made.email, made.password)


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-fehler">([^<]*)<', html)
    return found.group(1) if found else ""


async def test_it_sends_visitors_without_a_session_to_the_sign_in_page(
        client: httpx.AsyncClient) -> None:
    browser = await client.get("/clients?q=x", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 303
    assert browser.headers["location"] == "/login?weiter=%2Fclients"
    script = await client.get("/clients")
    assert script.status_code == 401 and "Bitte anmelden" in script.text
    htmx = await client.get("/partners", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")
    login = await client.get("/login")
    assert login.status_code == 200 and 'lang="de"' in login.text and "Anmelden" in login.text
    assert (await client.get("/static/style.css")).status_code == 200
    assert "htmx" in (await client.get("/static/htmx.min.js")).text[:200]


async def test_it_signs_in_returns_to_the_page_asked_for_and_signs_out(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    wrong = await client.post("/login", data={"email": alice.email, "password": "nope",
                                              "weiter": "/partners"})
    assert wrong.status_code == 401 and "falsch" in wrong.text and alice.email in wrong.text
    right = await client.post("/login", data={"email": alice.email, "password": alice.password,
                                              "weiter": "//evil.example/"})
    assert right.status_code == 303 and right.headers["location"] == "/"
    again = await client.post("/login", data={"email": alice.email, "password": alice.password,
                                              "weiter": "/partners"})
    assert again.headers["location"] == "/partners"
    page = await client.get("/")
    assert page.status_code == 200 and "Übersicht" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert (await client.post("/logout")).status_code == 403  # no CSRF token
    out = await client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303
    assert (await client.get("/")).status_code == 401


async def test_it_refuses_form_posts_without_the_csrf_token(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _made, csrf = await signed_in(client, make_user)
    body = {"name": "Neuer Verein", "kind": "association"}
    refused = await client.post("/partners", data=body)
    assert refused.status_code == 403 and "Kein Zugriff" in refused.text
    assert (await partners.search_partners()).total == 0
    accepted = await client.post("/partners", data={**body, "csrf_token": csrf})
    assert accepted.status_code == 303


async def test_it_keeps_viewers_out_of_casework_and_coordinators_out_of_administration(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(client, make_user, role="viewer")
    assert (await client.get("/")).headers["location"] == "/reports"  # all a viewer sees
    for path in ("/clients", "/clients/new", "/partners", "/admin/users"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "text/html" in response.headers["content-type"]
    await signed_in(client, make_user, role="coordinator")
    assert (await client.get("/clients")).status_code == 200
    assert (await client.get("/admin/audit")).status_code == 403


async def test_it_takes_in_a_client_and_refuses_enrolment_without_a_reason(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    form = {"csrf_token": csrf, "first_name": "Yonas", "last_name": "Haile",
            "date_of_birth": "1990-01-31", "gender": "male", "country_of_origin": "GN",
            "residence_status": "toleration", "legal_circle": "sgb2", "case_kind": "enrolled",
            "languages[0].language": "ti", "languages[0].level": ""}
    refused = await client.post("/clients", data=form)
    assert refused.status_code == 422
    assert field_error(refused.text, "languages-0-level") == "Bitte ausfüllen."
    assert 'value="Haile"' in refused.text
    form["languages[0].level"] = "B1"
    refused = await client.post("/clients", data=form)
    assert "Begründung" in field_error(refused.text, "enrolment_reason")
    form["enrolment_reason"] = "Familie lebt mit Aufenthaltserlaubnis hier"
    created = await client.post("/clients", data=form)
    assert created.status_code == 303
    stored = (await cases.list_clients(SYSTEM_ACTOR)).items[0]
    assert stored.case_kind == "enrolled" and stored.coordinator_id == made.user.id
    assert created.headers["location"] == f"/clients/{stored.id}?hinweis=aufgenommen"


async def test_it_shows_a_case_and_writes_the_view_to_the_audit_log(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _csrf = await signed_in(client, make_user)
    stored = await actions.create_client(Actor.of_user(made.user), SYSTEM_CLOCK, client_data())
    page = await client.get(f"/clients/{stored.id}")
    assert page.status_code == 200 and "Amal Haddad" in page.text and "Syrien" in page.text
    entries, _ = await audit.entries(audit.AuditFilter(action="client.viewed"), 10, 0)
    assert [(e["actor_id"], e["entity_id"]) for e in entries] == [(made.user.id, str(stored.id))]
    missing = await client.get("/clients/999999")
    assert missing.status_code == 404 and "Nicht gefunden" in missing.text


async def test_it_changes_barrier_status_and_refuses_closing_with_open_barriers(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    stored = await actions.create_client(Actor.of_user(made.user), SYSTEM_CLOCK, client_data(),
                                         barrier_kinds=["housing"])
    barrier = (await barriers.list_barriers(SYSTEM_ACTOR, stored.id))[0]
    close = await client.post(f"/clients/{stored.id}/close",
                              data={"csrf_token": csrf, "outcome": "employment"})
    assert close.status_code == 422 and "noch offen" in close.text
    no_reason = await client.post(f"/clients/{stored.id}/barriers/{barrier.id}/status",
                                  data={"csrf_token": csrf, "status": "unresolvable"})
    assert no_reason.status_code == 422 and "begründen" in no_reason.text
    done = await client.post(f"/clients/{stored.id}/barriers/{barrier.id}/status",
                             data={"csrf_token": csrf, "status": "unresolvable",
                                   "unresolvable_reason": "Kein Wohnraum im Kreis"})
    assert done.status_code == 303
    no_outcome = await client.post(f"/clients/{stored.id}/close", data={"csrf_token": csrf})
    assert field_error(no_outcome.text, "outcome") == "Bitte das Ergebnis des Falls wählen."
    closed = await client.post(f"/clients/{stored.id}/close",
                               data={"csrf_token": csrf, "outcome": "employment"})
    assert closed.status_code == 303
    assert (await cases.get_client(SYSTEM_ACTOR, stored.id)).status == "closed"


async def test_it_records_the_potential_analysis_naming_the_bad_qualification_row(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    stored = await actions.create_client(Actor.of_user(made.user), SYSTEM_CLOCK, client_data())
    form = {"csrf_token": csrf, "schooling_years": "zwölf", "skills": "Schweißen",
            "qualifications[1].kind": "vocational", "qualifications[1].title": "Elektriker",
            "qualifications[1].country_code": "SY", "qualifications[2].title": "Abitur"}
    refused = await client.post(f"/clients/{stored.id}/analysis", data=form)
    assert refused.status_code == 422
    assert field_error(refused.text, "schooling_years") == "Bitte eine ganze Zahl eingeben."
    assert field_error(refused.text, "qualifications-2-kind") == "Bitte ausfüllen."
    assert "Schweißen" in refused.text
    form |= {"schooling_years": "12", "qualifications[2].kind": "school",
             "qualifications[2].has_documents": "ja"}
    assert (await client.post(f"/clients/{stored.id}/analysis", data=form)).status_code == 303
    analysis = await cases.get_potential_analysis(SYSTEM_ACTOR, stored.id)
    assert analysis.schooling_years == 12
    assert [(q.title, q.has_documents) for q in analysis.qualifications] == [
        ("Elektriker", False), ("Abitur", True)]


async def test_it_gives_and_withdraws_consent(client: httpx.AsyncClient,
                                              make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    stored = await actions.create_client(Actor.of_user(made.user), SYSTEM_CLOCK, client_data())
    future = await client.post(f"/clients/{stored.id}/consents",
                               data={"csrf_token": csrf, "partner_kinds": "school",
                                     "given_on": str(date.today() + timedelta(days=30))})
    assert field_error(future.text, "given_on") == "Darf nicht in der Zukunft liegen."
    given = await client.post(f"/clients/{stored.id}/consents", data={
        "csrf_token": csrf, "partner_kinds": ["school", "association"], "given_on": ""})
    assert given.status_code == 303
    consent = (await cases.list_consents(SYSTEM_ACTOR, stored.id))[0]
    assert consent.partner_kinds == {"school", "association"}
    withdrawn = await client.post(f"/clients/{stored.id}/consents/{consent.id}/withdraw",
                                  data={"csrf_token": csrf})
    assert withdrawn.status_code == 303
    assert (await cases.list_consents(SYSTEM_ACTOR, stored.id))[0].withdrawn_at is not None


async def test_it_lists_clients_by_name_with_pages(client: httpx.AsyncClient,
                                                    make_user: MakeUser) -> None:
    made, _csrf = await signed_in(client, make_user)
    for number in range(27):
        await actions.create_client(Actor.of_user(made.user), SYSTEM_CLOCK,
                                    client_data(last_name=f"Haddad{number:02}",
                                              case_number=f"IP-2026-{number:04}",
                                              coordinator_id=made.user.id))
    await actions.create_client(Actor.of_user(made.user), SYSTEM_CLOCK,
                                client_data(first_name="Reza", last_name="Karimi",
                                            coordinator_id=made.user.id))
    first = await client.get("/clients?q=haddad")
    assert "Seite 1 von 2 (27 Einträge)" in first.text and "Karimi" not in first.text
    second = await client.get("/clients?q=haddad&seite=2")
    assert second.text.count("/clients/") - second.text.count('href="/clients/new"') >= 2
    by_number = await client.get("/clients?q=IP-2026-0003")
    assert "Haddad03" in by_number.text and "Haddad04" not in by_number.text
    nothing = await client.get("/clients?q=Nobody")
    assert "In Ihren Fällen nichts gefunden" in nothing.text


async def test_it_filters_creates_and_edits_partners(client: httpx.AsyncClient,
                                                     make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    await partner_actions.create_partner(Actor.of_user(made.user), SYSTEM_CLOCK, partner_data())
    listed = await client.get("/partners?barrier_kind=housing&language=fa")
    assert "Caritasverband" in listed.text
    assert "Kein Partner passt" in (await client.get("/partners?kind=bamf")).text
    form = {"csrf_token": csrf, "name": "Tafel Heinsberg", "kind": "association",
            "referral_emails": "tafel@example.org\nkein-email", "languages": ["de", "ar"],
            "contacts[1].email": "x@example.org", "active": "ja"}
    refused = await client.post("/partners", data=form)
    assert refused.status_code == 422
    assert field_error(refused.text, "contacts-1-name") == "Bitte ausfüllen."
    form["contacts[1].name"] = "Jana Peters"
    refused = await client.post("/partners", data=form)
    assert "Ungültige Angabe" in field_error(refused.text, "referral_emails")
    assert "kein-email" in refused.text
    form["referral_emails"] = "tafel@example.org"
    created = await client.post("/partners", data=form)
    assert created.status_code == 303
    partner = await partners.find_partner_by_name("Tafel Heinsberg")
    assert partner.contacts[0].name == "Jana Peters" and partner.languages == ("de", "ar")
    edit = await client.get(f"/partners/{partner.id}/edit")
    assert 'value="Jana Peters"' in edit.text
    await client.post(f"/partners/{partner.id}", data={**form, "active": ""})
    assert (await partners.get_partner(partner.id)).active is False


async def test_it_lets_administrators_create_users_and_read_the_audit_log(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _admin, csrf = await signed_in(client, make_user, role="admin")
    form = {"csrf_token": csrf, "email": "neu@jobcenter.example", "display_name": "Neu",
            "role": "coordinator", "legal_circle": "sgb3", "password": "kurz"}
    refused = await client.post("/admin/users", data=form)
    assert refused.status_code == 422 and "Mindestens" in field_error(refused.text, "password")
    assert 'value="neu@jobcenter.example"' in refused.text and "kurz" not in refused.text
    form["password"] = "ein-langes-gutes-Passwort-42"
    assert (await client.post("/admin/users", data=form)).status_code == 303
    duplicate = await client.post("/admin/users", data=form)
    assert "schon ein Konto" in field_error(duplicate.text, "email")
    log = await client.get("/admin/audit?action=user.created")
    assert log.status_code == 200 and "Konto angelegt" in log.text


async def test_it_changes_the_own_password(client: httpx.AsyncClient,
                                           make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    wrong = await client.post("/password", data={
        "csrf_token": csrf, "current_password": "falsch", "new_password": "x" * 20,
        "new_password_repeat": "y" * 20})
    assert "stimmen nicht" in field_error(wrong.text, "new_password_repeat")
    new = "ein-neues-gutes-Passwort-7"
    changed = await client.post("/password", data={
        "csrf_token": csrf, "current_password": made.password, "new_password": new,
        "new_password_repeat": new})
    assert changed.status_code == 303
    assert (await client.get("/")).status_code == 200  # this session stays
