"""The referrals API: every refusal with its status code and message, idempotent creation,
handoffs, history, filters, access and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from network.cases import actions, barriers
from network.clock import SYSTEM_CLOCK
from network.partners import actions as partner_actions
from network.referrals import service as referrals
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import make_world

BASE = "/api/v1/referrals"


@pytest.fixture
async def staff(client, make_user):
    return await make_user()


@pytest.fixture
async def world(client):
    return await make_world()


async def create(client, staff, world, **body):
    payload = {"barrier_id": world.barrier_id, "partner_id": world.caritas.id, **body}
    return await client.post(BASE, json=payload, headers=staff.headers)


async def move(client, staff, referral, status, **body):
    return await client.post(f"{BASE}/{referral['id']}/transitions", headers=staff.headers,
                             json={"status": status, "version": referral["version"], **body})


def refused(response, status_code: int, field: str, words: str) -> dict:
    assert response.status_code == status_code, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["errors"][0]["field"] == field, body
    assert words in body["detail"], body
    return body


async def test_it_creates_a_draft_with_its_first_event(client, staff, world):
    response = await create(client, staff, world, note="Bitte bis Freitag melden")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["version"], body["coordinator_id"]) == ("draft", 1,
                                                                         staff.user.id)
    assert body["barrier_kind"] == "housing" and body["partner_name"] == world.caritas.name
    assert body["allowed_transitions"] == ["cancelled", "sent"]
    assert [(e["event"], e["from_status"], e["to_status"], e["actor_kind"])
            for e in body["history"]] == [("created", None, "draft", "user")]


async def test_it_refuses_a_partner_kind_the_consent_does_not_cover(client, staff, world):
    response = await create(client, staff, world, partner_id=world.school.id)
    refused(response, 422, "partner_id", "consent does not cover partners of kind school")


async def test_it_warns_when_the_partner_does_not_handle_the_barrier_kind(client, staff, world):
    response = await create(client, staff, world, partner_id=world.vhs.id)
    refused(response, 422, "override_reason", "does not list housing barriers")
    response = await create(client, staff, world, partner_id=world.vhs.id,
                            override_reason="VHS hilft hier ausnahmsweise")
    assert response.status_code == 201, response.text
    assert response.json()["override_reason"] == "VHS hilft hier ausnahmsweise"


async def test_it_refuses_an_inactive_partner(client, staff, world):
    await partner_actions.update_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, world.caritas.id,
                                         {"active": False})
    refused(await create(client, staff, world), 422, "partner_id", "inactive")


async def test_it_refuses_a_barrier_of_a_closed_case(client, staff, world):
    await actions.resolve_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, world.barrier_id)
    refused(await create(client, staff, world), 422, "barrier_id", "the barrier is resolved")
    await actions.close_case(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id, "moved_away")
    refused(await create(client, staff, world), 422, "barrier_id", "case is closed")


async def test_it_refuses_unknown_references_and_statuses(client, staff, world):
    refused(await create(client, staff, world, barrier_id=999999), 422, "barrier_id",
            "no barrier 999999")
    refused(await create(client, staff, world, partner_id=999999), 422, "partner_id",
            "no partner 999999")
    refused(await create(client, staff, world, status="accepted"), 422, "status",
            "created as draft or sent")
    refused(await create(client, staff, world, coordinator_id=999999), 422, "coordinator_id",
            "not an active coordinator")
    response = await client.post(BASE, json={"partner_id": 1}, headers=staff.headers)
    assert response.status_code == 400 and "barrier_id" in response.json()["detail"]


async def test_it_refuses_a_second_open_referral_to_the_same_partner(client, staff, world):
    first = (await create(client, staff, world, status="sent")).json()
    body = refused(await create(client, staff, world), 409, "partner_id",
                   f"referral {first['id']} of this barrier to this partner is still open")
    assert body["status"] == 409
    assert (await create(client, staff, world, partner_id=world.tafel.id)).status_code == 201


async def test_the_same_idempotency_key_returns_the_first_referral(client, staff, world):
    headers = {**staff.headers, "Idempotency-Key": "7f7c1f0e-retry"}
    payload = {"barrier_id": world.barrier_id, "partner_id": world.caritas.id,
               "status": "sent"}
    first = await client.post(BASE, json=payload, headers=headers)
    again = await client.post(BASE, json=payload, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    page = (await client.get(BASE, headers=staff.headers)).json()
    assert page["total"] == 1
    other = {**payload, "partner_id": world.tafel.id}
    refused(await client.post(BASE, json=other, headers=headers), 422, "Idempotency-Key",
            "was used before for another referral")


async def test_the_lifecycle_refusals_map_to_their_status_codes(client, staff, world):
    draft = (await create(client, staff, world)).json()

    body = refused(await move(client, staff, draft, "completed", outcome="yes"), 409,
                   "status", "cannot go from draft to completed")
    assert body["current_status"] == "draft" and body["referral"]["version"] == 1

    refused(await move(client, staff, draft, "expired"), 409, "status",
            "cannot go from draft to expired")
    refused(await move(client, staff, draft, "sideways"), 422, "status",
            "'sideways' is not a referral status")

    sent = (await move(client, staff, draft, "sent")).json()
    assert (sent["status"], sent["version"]) == ("sent", 2)
    refused(await move(client, staff, sent, "expired"), 403, "actor",
            "The coordinator may not move a referral from sent to expired")
    refused(await move(client, staff, sent, "declined"), 422, "reason_code",
            "A decline needs a reason code")
    refused(await move(client, staff, sent, "declined", reason_code="other"), 422,
            "reason_text", "needs the reason in words")
    refused(await move(client, staff, sent, "cancelled"), 422, "reason_text", "needs a reason")

    accepted = (await move(client, staff, sent, "accepted")).json()
    refused(await move(client, staff, accepted, "completed"), 422, "outcome",
            "needs an outcome")
    refused(await move(client, staff, accepted, "completed", outcome="maybe"), 422, "outcome",
            "'maybe' is not an outcome")

    again = await move(client, staff, accepted, "accepted")
    assert again.status_code == 200 and again.json()["version"] == accepted["version"]

    stale = await move(client, staff, sent, "in_progress")  # carries the old version
    body = refused(stale, 409, "version", "changed in the meantime")
    assert body["current_status"] == "accepted"
    assert body["current_version"] == accepted["version"]

    cancelled = (await move(client, staff, accepted, "cancelled",
                            reason_text="Kundin ist verzogen")).json()
    assert cancelled["closed_at"] is not None and cancelled["allowed_transitions"] == []
    refused(await move(client, staff, cancelled, "in_progress"), 409, "status",
            "closed; it cannot change any more")
    missing = await client.post(f"{BASE}/999999/transitions", headers=staff.headers,
                                json={"status": "sent", "version": 1})
    assert missing.status_code == 404 and "referral 999999" in missing.json()["detail"]


async def test_completing_with_the_barrier_removed_resolves_the_barrier(client, staff, world):
    referral = (await create(client, staff, world, status="sent")).json()
    referral = (await move(client, staff, referral, "accepted")).json()
    done = (await move(client, staff, referral, "completed", outcome="yes",
                       note="Wohnung gefunden")).json()
    assert done["status"] == "completed" and done["outcome"] == "yes"
    assert (await barriers.get_barrier(SYSTEM_ACTOR, world.barrier_id)).status == "resolved"
    assert [e["to_status"] for e in done["history"]] == ["sent", "accepted", "completed"]
    assert done["history"][-1]["note"] == "Wohnung gefunden"


async def test_a_handoff_to_another_partner_closes_one_and_opens_a_linked_one(
        client, staff, world):
    referral = (await create(client, staff, world, status="sent")).json()
    response = await client.post(f"{BASE}/{referral['id']}/handoff", headers=staff.headers, json={
        "version": referral["version"], "to_partner_id": world.tafel.id,
        "closing_status": "declined", "reason_code": "not_our_service",
        "note": "Die Tafel hilft mit Möbeln"})
    assert response.status_code == 200, response.text
    closed, opened = response.json()["referral"], response.json()["new_referral"]
    assert (closed["status"], closed["reason_code"]) == ("declined", "not_our_service")
    assert closed["handed_off_to"] == opened["id"]
    assert opened["handed_off_from"] == closed["id"]
    assert (opened["status"], opened["partner_id"], opened["barrier_id"]) == (
        "sent", world.tafel.id, world.barrier_id)
    assert opened["note"] == "Die Tafel hilft mit Möbeln"
    assert closed["history"][-1]["event"] == "handed_off"
    assert closed["history"][-1]["linked_referral_id"] == opened["id"]
    assert opened["history"][0]["linked_referral_id"] == closed["id"]


async def test_handoff_refusals(client, staff, world):
    referral = (await create(client, staff, world, status="sent")).json()
    url = f"{BASE}/{referral['id']}/handoff"
    version = referral["version"]

    async def handoff(**body):
        return await client.post(url, headers=staff.headers, json={"version": version, **body})

    refused(await handoff(), 422, "to_partner_id", "give either to_partner_id")
    refused(await handoff(to_partner_id=world.tafel.id, to_coordinator_id=staff.user.id), 422,
            "to_partner_id", "give either")
    refused(await handoff(to_partner_id=world.tafel.id), 422, "closing_status",
            "give declined or completed")
    refused(await handoff(to_partner_id=world.tafel.id, closing_status="cancelled",
                          reason_text="x"), 422, "closing_status",
            "A handoff closes the referral as completed, declined")
    refused(await handoff(to_partner_id=world.tafel.id, closing_status="completed",
                          outcome="partly"), 409, "status", "cannot go from sent to completed")
    refused(await handoff(to_partner_id=world.caritas.id, closing_status="declined",
                          reason_code="no_capacity"), 422, "to_partner_id",
            "own partner")
    refused(await handoff(to_partner_id=world.school.id, closing_status="declined",
                          reason_code="no_capacity"), 422, "to_partner_id",
            "consent does not cover")
    refused(await handoff(to_partner_id=world.vhs.id, closing_status="declined",
                          reason_code="no_capacity"), 422, "override_reason", "does not list")
    body = refused(await client.post(url, headers=staff.headers, json={
        "version": version + 5, "to_partner_id": world.tafel.id, "closing_status": "declined",
        "reason_code": "no_capacity"}), 409, "version", "changed in the meantime")
    assert body["current_status"] == "sent"
    detail = (await client.get(f"{BASE}/{referral['id']}", headers=staff.headers)).json()
    assert (detail["status"], detail["version"], len(detail["history"])) == ("sent", 1, 1)

    accepted = (await move(client, staff, referral, "accepted")).json()
    version = accepted["version"]
    refused(await handoff(to_partner_id=world.tafel.id, closing_status="completed",
                          outcome="yes"), 422, "outcome", "nothing to hand off")
    cancelled = (await move(client, staff, accepted, "cancelled", reason_text="Fehler")).json()
    version = cancelled["version"]
    refused(await handoff(to_partner_id=world.tafel.id, closing_status="declined",
                          reason_code="no_capacity"), 409, "status",
            "cancelled and therefore closed")
    refused(await handoff(to_coordinator_id=staff.user.id), 409, "status",
            "keeps its coordinator")


async def test_a_handoff_to_another_coordinator_moves_ownership(client, staff, world,
                                                                make_user):
    colleague = await make_user()
    other_circle = await make_user(legal_circle="sgb3")
    viewer = await make_user(role="viewer")
    referral = (await create(client, staff, world, status="sent")).json()
    url = f"{BASE}/{referral['id']}/handoff"
    refused(await client.post(url, headers=staff.headers, json={
        "version": 1, "to_coordinator_id": other_circle.user.id}), 422, "to_coordinator_id",
        "not an active coordinator")  # the client changes circle by a handover of its own
    refused(await client.post(url, headers=staff.headers, json={
        "version": 1, "to_coordinator_id": viewer.user.id}), 422, "to_coordinator_id",
        "not an active coordinator")
    refused(await client.post(url, headers=staff.headers, json={
        "version": 1, "to_coordinator_id": staff.user.id}), 422, "to_coordinator_id",
        "already owns")
    response = await client.post(url, headers=staff.headers, json={
        "version": 1, "to_coordinator_id": colleague.user.id, "note": "Urlaub"})
    assert response.status_code == 200, response.text
    moved = response.json()["referral"]
    assert response.json()["new_referral"] is None
    assert (moved["coordinator_id"], moved["status"], moved["version"]) == (
        colleague.user.id, "sent", 2)
    event = moved["history"][-1]
    assert (event["event"], event["from_coordinator_id"], event["to_coordinator_id"],
            event["note"]) == ("reassigned", staff.user.id, colleague.user.id, "Urlaub")
    mine = (await client.get(BASE, params={"coordinator_id": colleague.user.id},
                             headers=colleague.headers)).json()
    assert [r["id"] for r in mine["items"]] == [referral["id"]]


async def test_the_list_filters_and_pages(client, staff, world, make_user):
    sent = (await create(client, staff, world, status="sent")).json()
    draft = (await create(client, staff, world, partner_id=world.tafel.id)).json()
    other = await make_world()
    language = await acting.create_referral(referrals.NewReferral(
        other.barrier_id, other.tafel.id), staff.user.id)

    async def ids(**params):
        response = await client.get(BASE, params=params, headers=staff.headers)
        assert response.status_code == 200, response.text
        return sorted(r["id"] for r in response.json()["items"])

    assert await ids() == sorted([sent["id"], draft["id"], language.referral.id])
    assert await ids(status="sent") == [sent["id"]]
    assert await ids(status=["sent", "draft"]) == sorted([sent["id"], draft["id"],
                                                          language.referral.id])
    assert await ids(partner_id=world.tafel.id) == [draft["id"]]
    assert await ids(client_id=other.client_id) == [language.referral.id]
    assert await ids(barrier_kind="housing", partner_id=world.caritas.id) == [sent["id"]]
    assert await ids(text=world.caritas.name.split()[0] + " " + world.caritas.name.split()[1]
                     ) == [sent["id"]]
    assert await ids(overdue="true") == []  # sent just now
    assert sorted(await ids(overdue="false")) == await ids()
    page = (await client.get(BASE, params={"limit": 2, "offset": 2},
                             headers=staff.headers)).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 2, 1)
    bad = await client.get(BASE, params={"status": "lost"}, headers=staff.headers)
    refused(bad, 422, "status", "must be one of draft, sent")
    bad = await client.get(BASE, params={"barrier_kind": "weather"}, headers=staff.headers)
    refused(bad, 422, "barrier_kind", "must be one of")


async def test_overdue_lists_referrals_sent_more_than_three_working_days_ago(
        client, staff, world):
    # Ten calendar days always hold more than three working days, even around Christmas.
    created = await acting.create_referral(referrals.NewReferral(
        world.barrier_id, world.caritas.id, "sent"), staff.user.id,
        now=datetime.now(UTC) - timedelta(days=10))
    fresh = await acting.create_referral(referrals.NewReferral(
        world.barrier_id, world.tafel.id, "sent"), staff.user.id)
    response = await client.get(BASE, params={"overdue": "true"}, headers=staff.headers)
    items = response.json()["items"]
    assert [r["id"] for r in items] == [created.referral.id]
    assert items[0]["overdue"] is True
    detail = (await client.get(f"{BASE}/{fresh.referral.id}", headers=staff.headers)).json()
    assert detail["overdue"] is False


async def test_only_staff_may_use_referrals(client, make_user, world):
    viewer = await make_user(role="viewer")
    assert (await client.get(BASE)).status_code == 401
    assert (await client.get(BASE, headers=viewer.headers)).status_code == 403
    response = await client.post(BASE, headers=viewer.headers,
                                 json={"barrier_id": world.barrier_id, "partner_id": 1})
    assert response.status_code == 403


async def test_every_read_and_write_is_audited(client, staff, world):
    referral = (await create(client, staff, world)).json()
    await move(client, staff, referral, "sent")
    await client.get(f"{BASE}/{referral['id']}", headers=staff.headers)
    await client.get(BASE, params={"text": "Haddad"}, headers=staff.headers)
    refused(await move(client, staff, referral, "cancelled", reason_text="Irrtum"), 409,
            "version", "changed")  # refused: rolled back, so not audited as a change
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT action, entity_id, details::text AS details FROM audit_log"
            " WHERE entity = 'referral' ORDER BY id")
    assert [(r["action"], r["entity_id"]) for r in rows] == [
        ("referral.create", str(referral["id"])), ("referral.transition", str(referral["id"])),
        ("referral.read", str(referral["id"])), ("referral.list", None)]
    assert "Haddad" not in rows[-1]["details"]  # the free text itself is not kept
