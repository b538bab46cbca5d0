"""Every write to and every read of a client's record leaves an audit entry, written in the
same transaction, with ids only: no names, no health details."""

from __future__ import annotations

from network.transactions import transaction
from tests.support.api import CLIENT, open_case


async def audit_rows() -> list[dict]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT actor_id, action, entity, entity_id, details::text AS details"
            " FROM audit_log WHERE action NOT LIKE 'user.%' ORDER BY id")
    return [dict(row) for row in rows]


async def test_reads_and_writes_of_a_client_are_audited_without_personal_data(client,
                                                                              make_user):
    coordinator = await make_user()
    staff = coordinator.headers
    case = await open_case(client, staff, barrier_kinds=["health"],
                           notes="Rückenleiden, Termin beim Orthopäden")
    base = f"/api/v1/clients/{case['id']}"
    (barrier,) = (await client.get(f"{base}/barriers", headers=staff)).json()["items"]
    await client.get(base, headers=staff)
    await client.get(f"{base}/consents", headers=staff)
    await client.put(f"{base}/potential-analysis", headers=staff, json={"skills": "Nähen"})
    await client.get(f"{base}/potential-analysis", headers=staff)
    await client.post(f"{base}/consents", headers=staff, json={"partner_kinds": ["school"]})
    await client.post(f"/api/v1/barriers/{barrier['id']}/status", headers=staff,
                      json={"status": "resolved", "note": "Orthopäde war gut"})
    await client.get(f"/api/v1/barriers/{barrier['id']}", headers=staff)
    await client.patch(base, headers=staff, json={"phone": "+49 2452 1"})
    await client.get("/api/v1/clients", headers=staff)
    await client.post(f"{base}/close", headers=staff, json={"outcome": "employment"})

    rows = await audit_rows()
    assert {row["actor_id"] for row in rows} == {coordinator.user.id}
    assert [row["action"] for row in rows] == [
        "client.created", "barriers.read", "client.read", "consents.read",
        "potential_analysis.recorded", "potential_analysis.read", "consent.given",
        "barrier.status_changed", "barrier.read", "client.changed", "client.listed",
        "client.closed"]
    client_rows = [row for row in rows if row["entity"] == "client"]
    assert all(row["entity_id"] == str(case["id"]) for row in client_rows
               if row["action"] != "client.listed")
    text = " ".join(row["details"] for row in rows)
    for personal in (CLIENT["first_name"], CLIENT["last_name"], "health", "Rücken",
                     "Orthopäde", "Nähen", "+49"):
        assert personal not in text, personal


async def test_a_refused_write_leaves_no_audit_entry(client, make_user):
    staff = (await make_user()).headers
    case = await open_case(client, staff, barrier_kinds=["language"])
    before = await audit_rows()
    refused = await client.post(f"/api/v1/clients/{case['id']}/close", headers=staff,
                                json={"outcome": "employment"})
    assert refused.status_code == 422
    assert await audit_rows() == before


async def test_reading_an_unknown_client_writes_nothing(client, make_user):
    staff = (await make_user()).headers
    assert (await client.get("/api/v1/clients/999", headers=staff)).status_code == 404
    assert await audit_rows() == []
