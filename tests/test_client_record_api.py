"""A client's record over HTTP: barriers, consents and the potential analysis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.api import field_of, open_case

ANALYSIS = {
    "schooling_years": 12, "work_experience_years": 6,
    "work_experience": "Elektrikerin in Aleppo", "skills": "Schaltschränke",
    "qualifications": [{"kind": "vocational", "title": "Elektrikerin", "has_documents": True,
                        "country_code": "SY"}],
    "languages": [{"language": "ar", "level": "C2"}, {"language": "de", "level": "B1"}],
}


async def staff_and_case(client: httpx.AsyncClient, make_user, **changes):
    staff = (await make_user()).headers
    return staff, await open_case(client, staff, **changes)


async def test_it_adds_changes_and_moves_barriers(client, make_user):
    staff, case = await staff_and_case(client, make_user, barrier_kinds=[])
    added = await client.post(f"/api/v1/clients/{case['id']}/barriers", headers=staff,
                              json={"kind": "language", "description": "B1 fehlt"})
    assert added.status_code == 201, added.text
    barrier = added.json()
    assert barrier["status"] == "open" and barrier["client_id"] == case["id"]
    path = f"/api/v1/barriers/{barrier['id']}"
    assert (await client.get(path, headers=staff)).json() == barrier
    changed = await client.patch(path, headers=staff, json={"description": "B2 fehlt"})
    assert changed.json()["description"] == "B2 fehlt" and changed.json()["kind"] == "language"
    moved = await client.post(f"{path}/status", headers=staff, json={"status": "in_progress"})
    assert moved.json()["status"] == "in_progress"
    refused = await client.post(f"{path}/status", headers=staff,
                                json={"status": "unresolvable"})
    assert refused.status_code == 422 and field_of(refused) == "unresolvable_reason"
    done = await client.post(f"{path}/status", headers=staff, json={"status": "resolved"})
    assert done.json()["resolved_at"] is not None
    refused = await client.post(f"{path}/status", headers=staff,
                                json={"status": "in_progress"})
    assert refused.status_code == 422 and field_of(refused) == "status"
    work = (await client.get("/api/v1/barriers", headers=staff)).json()
    assert work["total"] == 0


@pytest.mark.parametrize("body, status, field", [
    ({"kind": "luck"}, 400, "kind"),
    ({}, 400, "kind"),
    ({"kind": "health", "description": "x" * 5001}, 422, "description"),
    ({"kind": "health", "description": 5}, 400, "description"),
])
async def test_it_refuses_bad_barriers_naming_the_field(client, make_user, body, status,
                                                        field):
    staff, case = await staff_and_case(client, make_user)
    response = await client.post(f"/api/v1/clients/{case['id']}/barriers", headers=staff,
                                 json=body)
    assert response.status_code == status, response.text
    assert field_of(response) == field


async def test_barriers_of_a_closed_case_do_not_change(client, make_user):
    staff, case = await staff_and_case(client, make_user, barrier_kinds=[])
    await client.post(f"/api/v1/clients/{case['id']}/close", headers=staff,
                      json={"outcome": "employment"})
    response = await client.post(f"/api/v1/clients/{case['id']}/barriers", headers=staff,
                                 json={"kind": "housing"})
    assert response.status_code == 422 and field_of(response) == "status"


async def test_it_pages_a_cases_barriers(client, make_user):
    staff, case = await staff_and_case(
        client, make_user, barrier_kinds=["language", "housing", "documents"])
    page = (await client.get(f"/api/v1/clients/{case['id']}/barriers", headers=staff,
                             params={"limit": 2, "offset": 1})).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [b["kind"] for b in page["items"]] == ["housing", "documents"]


async def test_it_records_and_withdraws_consents(client, make_user):
    staff, case = await staff_and_case(client, make_user)
    signed = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    given = await client.post(f"/api/v1/clients/{case['id']}/consents", headers=staff,
                              json={"partner_kinds": ["school", "youth_office"],
                                    "given_at": signed})
    assert given.status_code == 201, given.text
    consent = given.json()
    assert sorted(consent["partner_kinds"]) == ["school", "youth_office"]
    listed = (await client.get(f"/api/v1/clients/{case['id']}/consents", headers=staff)).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == consent["id"]
    withdrawn = await client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=staff,
                                  json={})
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"] is not None
    again = await client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=staff,
                              json={})
    assert again.status_code == 422 and field_of(again) == "withdrawn_at"
    missing = await client.post("/api/v1/consents/999/withdraw", headers=staff, json={})
    assert missing.status_code == 404


@pytest.mark.parametrize("body, status, field", [
    ({"partner_kinds": []}, 422, "partner_kinds"),
    ({"partner_kinds": ["bakery"]}, 400, "partner_kinds[0]"),
    ({"partner_kinds": "school"}, 400, "partner_kinds"),
    ({"partner_kinds": ["school"], "given_at": "yesterday"}, 400, "given_at"),
    ({"partner_kinds": ["school"], "given_at": "2026-01-01T10:00:00"}, 422, "given_at"),
    ({"partner_kinds": ["school"], "given_at": "2999-01-01T10:00:00Z"}, 422, "given_at"),
    ({"partner_kinds": ["school"], "given_at": "0001-01-01T00:00:00+01:00"}, 422, "given_at"),
])
async def test_it_refuses_bad_consents_naming_the_field(client, make_user, body, status,
                                                        field):
    staff, case = await staff_and_case(client, make_user)
    response = await client.post(f"/api/v1/clients/{case['id']}/consents", headers=staff,
                                 json=body)
    assert response.status_code == status, response.text
    assert field_of(response) == field


async def test_it_records_and_replaces_the_potential_analysis(client, make_user):
    staff, case = await staff_and_case(client, make_user)
    path = f"/api/v1/clients/{case['id']}/potential-analysis"
    assert (await client.get(path, headers=staff)).status_code == 404
    recorded = await client.put(path, headers=staff, json=ANALYSIS)
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["qualifications"] == ANALYSIS["qualifications"]
    assert (await client.get(path, headers=staff)).json() == recorded.json()
    client_now = (await client.get(f"/api/v1/clients/{case['id']}", headers=staff)).json()
    assert client_now["languages"] == ANALYSIS["languages"]
    replaced = await client.put(path, headers=staff, json={"schooling_years": 10})
    assert replaced.json()["qualifications"] == []
    assert replaced.json()["languages"] == ANALYSIS["languages"]


@pytest.mark.parametrize("changes, status, field", [
    ({"schooling_years": 31}, 422, "schooling_years"),
    ({"schooling_years": -1}, 422, "schooling_years"),
    ({"schooling_years": "many"}, 400, "schooling_years"),
    ({"work_experience_years": 2**70}, 422, "work_experience_years"),
    ({"qualifications": [{"kind": "phd", "title": "x", "has_documents": True}]}, 400,
     "qualifications[0].kind"),
    ({"qualifications": [{"kind": "academic", "title": "", "has_documents": True}]}, 422,
     "qualifications[0].title"),
    ({"qualifications": [{"kind": "academic", "title": "BA"}]}, 400,
     "qualifications[0].has_documents"),
    ({"qualifications": [{"kind": "academic", "title": "BA", "has_documents": "ja"}]}, 400,
     "qualifications[0].has_documents"),
    ({"languages": [{"language": "de", "level": "B1"}, {"language": "de", "level": "B2"}]},
     422, "languages[1].language"),
])
async def test_it_refuses_a_bad_analysis_naming_the_field(client, make_user, changes, status,
                                                          field):
    staff, case = await staff_and_case(client, make_user)
    response = await client.put(f"/api/v1/clients/{case['id']}/potential-analysis",
                                headers=staff, json={**ANALYSIS, **changes})
    assert response.status_code == status, response.text
    assert field_of(response) == field
