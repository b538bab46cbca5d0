"""Municipalities (issue 16): a client lives in one of Kreis Heinsberg's ten, a partner serves
some of them (none: the whole district). Through the API, the intake form and the staff
partner form; anything else is refused naming the field."""

from __future__ import annotations

import httpx

from network.cases import service as cases
from network.partners import service as partners
from network.words import MUNICIPALITIES
from tests.support.api import open_case
from tests.support.app import MakeUser
from tests.support.factories import SYSTEM_ACTOR
from tests.support.pages import signed_in


def test_the_district_has_its_ten_municipalities() -> None:
    assert MUNICIPALITIES == (
        "Erkelenz", "Gangelt", "Geilenkirchen", "Heinsberg", "Hückelhoven", "Selfkant",
        "Übach-Palenberg", "Waldfeucht", "Wassenberg", "Wegberg")


async def test_the_clients_api_keeps_a_municipality_of_the_district(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user()
    created = await open_case(client, coordinator.headers, municipality="Hückelhoven")
    assert created["municipality"] == "Hückelhoven"
    path = f"/api/v1/clients/{created['id']}"
    changed = await client.patch(path, headers=coordinator.headers,
                                 json={"municipality": "Wegberg"})
    assert changed.status_code == 200 and changed.json()["municipality"] == "Wegberg"
    refused = await client.patch(path, headers=coordinator.headers,
                                 json={"municipality": "Aachen"})
    assert refused.status_code == 422, refused.text
    assert "municipality" in refused.text and "Wegberg" in refused.text
    cleared = await client.patch(path, headers=coordinator.headers, json={"municipality": None})
    assert cleared.json()["municipality"] is None
    plain = await open_case(client, coordinator.headers, case_number="IP-2026-0077")
    assert plain["municipality"] is None


async def test_the_partners_api_keeps_the_served_municipalities_in_the_districts_order(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user()
    created = await client.post("/api/v1/partners", headers=coordinator.headers, json={
        "name": "Wohnhilfe West", "kind": "association",
        "served_municipalities": ["Wegberg", "Erkelenz", "Wegberg"]})
    assert created.status_code == 201, created.text
    assert created.json()["served_municipalities"] == ["Erkelenz", "Wegberg"]
    path = f"/api/v1/partners/{created.json()['id']}"
    refused = await client.patch(path, headers=coordinator.headers,
                                 json={"served_municipalities": ["Köln"]})
    assert refused.status_code == 422 and "served_municipalities" in refused.text
    whole = await client.patch(path, headers=coordinator.headers,
                               json={"served_municipalities": []})
    assert whole.status_code == 200 and whole.json()["served_municipalities"] == []
    plain = await client.post("/api/v1/partners", headers=coordinator.headers,
                              json={"name": "Wohnhilfe Kreis", "kind": "association"})
    assert plain.json()["served_municipalities"] == []


async def test_the_intake_and_partner_forms_take_municipalities(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _made, csrf = await signed_in(client, make_user)
    intake = await client.get("/clients/new")
    assert '<option value="Übach-Palenberg">Übach-Palenberg</option>' in intake.text
    created = await client.post("/clients", data={
        "csrf_token": csrf, "first_name": "Yonas", "last_name": "Haile",
        "date_of_birth": "1990-01-31", "gender": "male", "country_of_origin": "ER",
        "residence_status": "toleration", "legal_circle": "sgb2",
        "case_kind": "first_consultation", "municipality": "Gangelt"})
    assert created.status_code == 303, created.text
    stored = (await cases.list_clients(SYSTEM_ACTOR)).items[0]
    assert stored.municipality == "Gangelt"
    assert "<dt>Gemeinde</dt><dd>Gangelt</dd>" in (await client.get(f"/clients/{stored.id}")).text

    form = {"csrf_token": csrf, "name": "Wohnhilfe Selfkant", "kind": "association",
            "served_municipalities": ["Selfkant", "Gangelt"], "active": "ja"}
    assert (await client.post("/partners", data=form)).status_code == 303
    partner = await partners.find_partner_by_name("Wohnhilfe Selfkant")
    assert partner.served_municipalities == ("Gangelt", "Selfkant")
    edit = (await client.get(f"/partners/{partner.id}/edit")).text
    assert 'name="served_municipalities" value="Gangelt" checked' in edit
    assert 'name="served_municipalities" value="Wegberg">' in edit
    shown = (await client.get(f"/partners/{partner.id}")).text
    assert "Gangelt, Selfkant" in shown
    await client.post(f"/partners/{partner.id}", data={**form, "served_municipalities": []})
    assert (await partners.get_partner(partner.id)).served_municipalities == ()
    assert "ganzer Kreis Heinsberg" in (await client.get(f"/partners/{partner.id}")).text
