"""Nothing a person typed is dropped silently: a change sent with a version the referral no
longer has is refused with 409 and the current state, also when it asks for the status the
referral has by now; the same change with the current version is a harmless repeat."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.app import MadeUser, MakeUser
from tests.support.referral_world import World, make_world

BASE = "/api/v1/referrals"


async def sent_referral(client: httpx.AsyncClient, coordinator: MadeUser, world: World) -> dict:
    response = await client.post(BASE, headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": world.caritas.id, "status": "sent"})
    assert response.status_code == 201, response.text
    return response.json()


async def test_ten_coordinators_cancelling_at_once_get_one_yes_and_nine_refusals(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinators = [await make_user(role="coordinator") for _ in range(10)]
    world = await make_world()
    referral = await sent_referral(client, coordinators[0], world)

    answers = await asyncio.gather(*(
        client.post(f"{BASE}/{referral['id']}/transitions", headers=made.headers, json={
            "status": "cancelled", "version": referral["version"],
            "reason_text": f"Grund von Person {number}"})
        for number, made in enumerate(coordinators)))

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200] + [409] * 9, [a.text for a in answers]
    [winner] = [a for a in answers if a.status_code == 200]
    kept = winner.json()["reason_text"]
    for refused in (a for a in answers if a.status_code == 409):
        body = refused.json()
        assert refused.headers["content-type"] == "application/problem+json"
        assert body["current_status"] == "cancelled"
        assert body["current_version"] == referral["version"] + 1
        assert body["referral"]["reason_text"] == kept  # what stands, to show the person
        assert body["errors"][0]["field"] == "version"

    shown = (await client.get(f"{BASE}/{referral['id']}",
                              headers=coordinators[0].headers)).json()
    cancels = [e for e in shown["history"] if e["to_status"] == "cancelled"]
    assert len(cancels) == 1 and cancels[0]["reason_text"] == kept


async def test_asking_for_the_current_status_with_a_stale_version_is_refused(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral = await sent_referral(client, coordinator, world)
    path = f"{BASE}/{referral['id']}/transitions"
    first = await client.post(path, headers=coordinator.headers, json={
        "status": "accepted", "version": referral["version"]})
    assert first.status_code == 200, first.text

    stale = await client.post(path, headers=coordinator.headers, json={
        "status": "accepted", "version": referral["version"], "note": "Termin am Montag"})
    assert stale.status_code == 409, stale.text
    assert (stale.json()["current_status"], stale.json()["current_version"]) == (
        "accepted", referral["version"] + 1)

    # The identical repeat with the version the referral has now: harmless, 200, no change.
    repeat = await client.post(path, headers=coordinator.headers, json={
        "status": "accepted", "version": referral["version"] + 1})
    assert repeat.status_code == 200, repeat.text
    assert repeat.json()["version"] == referral["version"] + 1
    assert [e["to_status"] for e in repeat.json()["history"]] == ["sent", "accepted"]
