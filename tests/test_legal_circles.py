"""Social data kept apart by legal circle: a coordinator of SGB II (Jobcenter) neither sees nor
changes a client of SGB III (employment agency), through the API or the pages, and learns
nothing of its existence (404, never 403); administrators manage accounts, not cases (403);
a client moves between circles only by a handover the receiving circle accepts."""

from __future__ import annotations

import pytest

from network.accounts.tables import AuditLog
from network.cases.tables import CaseEvent
from network.mail.tables import Outbox
from network.referrals.service import NewReferral
from tests.support import referral_world as acting
from tests.support.app import MadeUser, login_browser
from tests.support.referral_world import World, make_world

CLIENTS = "/api/v1/clients"
HANDOVERS = "/api/v1/circle-handovers"


@pytest.fixture
async def sgb2(client, make_user) -> MadeUser:
    return await make_user(legal_circle="sgb2")


@pytest.fixture
async def sgb3(client, make_user) -> MadeUser:
    return await make_user(legal_circle="sgb3")


@pytest.fixture
async def theirs(client) -> World:
    """An SGB III client with a consent and an open housing barrier."""
    return await make_world(legal_circle="sgb3")


async def sent_referral(world: World, owner: MadeUser) -> int:
    created = await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                       "sent"), owner.user.id)
    return created.referral.id


async def test_a_coordinator_reaches_no_client_of_the_other_circle_through_the_api(
        client, sgb2, sgb3, theirs):
    referral_id = await sent_referral(theirs, sgb3)
    consent_id = (await client.get(f"{CLIENTS}/{theirs.client_id}/consents",
                                   headers=sgb3.headers)).json()["items"][0]["id"]
    case = f"{CLIENTS}/{theirs.client_id}"
    for path in (case, f"{case}/barriers", f"{case}/consents", f"{case}/potential-analysis",
                 f"{case}/circle-handovers", f"/api/v1/barriers/{theirs.barrier_id}",
                 f"/api/v1/referrals/{referral_id}",
                 f"/api/v1/referrals/{referral_id}/reminders"):
        mine = await client.get(path, headers=sgb2.headers)
        assert mine.status_code == 404, (path, mine.text)
        assert (await client.get(path, headers=sgb3.headers)).status_code in (200, 404), path
    assert (await client.get(case, headers=sgb3.headers)).status_code == 200
    writes = [
        ("patch", case, {"notes": "x"}), ("post", f"{case}/close", {"outcome": "other"}),
        ("post", f"{case}/erase", None), ("post", f"{case}/barriers", {"kind": "health"}),
        ("post", f"{case}/consents", {"partner_kinds": ["school"]}),
        ("put", f"{case}/potential-analysis", {"skills": "x"}),
        ("post", f"{case}/circle-handovers", {"reason": "x"}),
        ("patch", f"/api/v1/barriers/{theirs.barrier_id}", {"description": "x"}),
        ("post", f"/api/v1/barriers/{theirs.barrier_id}/status", {"status": "in_progress"}),
        ("post", f"/api/v1/consents/{consent_id}/withdraw", {}),
        ("post", f"/api/v1/referrals/{referral_id}/transitions",
         {"status": "cancelled", "version": 1, "reason_text": "x"}),
        ("post", f"/api/v1/referrals/{referral_id}/handoff",
         {"version": 1, "to_coordinator_id": sgb2.user.id}),
    ]
    for method, path, body in writes:
        answer = await client.request(method, path, headers=sgb2.headers,
                                      json=body if body is not None else None)
        assert answer.status_code == 404, (method, path, answer.text)
        # the answer names only what was asked for: a barrier's never leads to its client
        assert "client" not in answer.json()["detail"] or path.startswith(case), path
    created = await client.post("/api/v1/referrals", headers=sgb2.headers, json={
        "barrier_id": theirs.barrier_id, "partner_id": theirs.tafel.id})
    assert created.status_code == 422 and "no barrier" in created.text  # as if none existed
    # Lists and searches: nothing of theirs, not even a count.
    for path, params in ((CLIENTS, {}), (CLIENTS, {"text": "Haddad"}),
                         (CLIENTS, {"legal_circle": "sgb3"}), ("/api/v1/barriers", {}),
                         ("/api/v1/referrals", {}), ("/api/v1/referrals", {"text": "Haddad"}),
                         ("/api/v1/referrals", {"client_id": theirs.client_id})):
        found = (await client.get(path, headers=sgb2.headers, params=params)).json()
        assert (found["total"], found["items"]) == (0, []), (path, params)
        theirs_too = (await client.get(path, headers=sgb3.headers, params=params)).json()
        assert theirs_too["total"] >= 1 or params.get("legal_circle"), (path, params)
    # Unchanged for its own circle.
    stored = (await client.get(case, headers=sgb3.headers)).json()
    assert stored["notes"] is None and stored["status"] == "open"


async def test_a_coordinator_cannot_open_or_assign_cases_across_circles(client, sgb2, sgb3):
    body = {"first_name": "Amal", "last_name": "Haddad", "date_of_birth": "1990-05-17",
            "gender": "female", "country_of_origin": "SY",
            "residence_status": "residence_permit", "legal_circle": "sgb3"}
    refused = await client.post(CLIENTS, headers=sgb2.headers, json=body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "legal_circle"
    mine = await client.post(CLIENTS, headers=sgb2.headers, json={**body, "legal_circle": "sgb2"})
    assert mine.status_code == 201
    for change in ({"legal_circle": "sgb3"}, {"coordinator_id": sgb3.user.id}):
        answer = await client.patch(f"{CLIENTS}/{mine.json()['id']}", headers=sgb2.headers,
                                    json=change)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == next(iter(change))


@pytest.mark.parametrize("role", ["admin", "viewer"])
async def test_administrators_and_viewers_get_403_on_every_case_route(client, make_user,
                                                                     theirs, role):
    user = await make_user(role=role, legal_circle="sgb3")
    for method, path in (("get", CLIENTS), ("get", f"{CLIENTS}/{theirs.client_id}"),
                         ("post", CLIENTS), ("get", "/api/v1/barriers"),
                         ("get", "/api/v1/referrals"), ("post", "/api/v1/referrals"),
                         ("get", HANDOVERS), ("post", f"{HANDOVERS}/1/accept"),
                         ("post", f"{CLIENTS}/{theirs.client_id}/erase"),
                         ("get", "/api/v1/referrals/1/reminders")):
        answer = await client.request(method, path, headers=user.headers,
                                      json={} if method == "post" else None)
        assert answer.status_code == 403, (role, method, path, answer.text)
    assert (await client.get("/api/v1/reports", headers=user.headers)).status_code == 200


async def test_the_pages_show_nothing_of_the_other_circle(client, make_user, sgb3, theirs):
    referral_id = await sent_referral(theirs, sgb3)
    me = await make_user(legal_circle="sgb2")
    await login_browser(client, me.email, me.password)
    for path in (f"/clients/{theirs.client_id}", f"/referrals/{referral_id}",
                 f"/referrals/{referral_id}/slip",
                 f"/clients/{theirs.client_id}/barriers/{theirs.barrier_id}/refer"):
        page = await client.get(path)
        assert page.status_code == 404, path
        assert "Haddad" not in page.text
    for path in ("/clients?q=hadd", "/clients", "/referrals", "/referrals?q=hadd",
                 f"/partners/{theirs.caritas.id}", "/"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert "Haddad" not in page.text and f"/referrals/{referral_id}\"" not in page.text, path


async def test_an_administrator_manages_accounts_not_cases(client, make_user, sgb3, theirs):
    await sent_referral(theirs, sgb3)
    admin = await make_user(role="admin", legal_circle="sgb3")
    await login_browser(client, admin.email, admin.password)
    start = await client.get("/")
    assert start.status_code in (302, 303) and start.headers["location"] == "/admin/users"
    for path in ("/clients", f"/clients/{theirs.client_id}", "/referrals", "/clients/new"):
        assert (await client.get(path)).status_code == 403, path
    users = await client.get("/admin/users")
    assert users.status_code == 200 and 'href="/clients"' not in users.text
    assert (await client.get("/partners")).status_code == 200  # the shared directory
    partner = await client.get(f"/partners/{theirs.caritas.id}")
    assert partner.status_code == 200 and "Haddad" not in partner.text


async def test_a_handover_proposed_seen_by_both_sides_and_accepted_moves_the_client(
        client, make_user, sgb2, sgb3, theirs):
    referral_id = await sent_referral(theirs, sgb3)
    case = f"{CLIENTS}/{theirs.client_id}"
    proposed = await client.post(f"{case}/circle-handovers", headers=sgb3.headers,
                                 json={"reason": "Asyl anerkannt am 20.11."})
    assert proposed.status_code == 201, proposed.text
    handover = proposed.json()
    assert (handover["from_circle"], handover["to_circle"], handover["status"]) == (
        "sgb3", "sgb2", "pending")
    again = await client.post(f"{case}/circle-handovers", headers=sgb3.headers,
                              json={"reason": "noch einmal"})
    assert again.status_code == 409
    # Both sides see it pending; the receiving side only what it needs to decide.
    for side in (sgb2, sgb3):
        [seen] = (await client.get(HANDOVERS, headers=side.headers)).json()["items"]
        assert (seen["id"], seen["status"], seen["last_name"], seen["date_of_birth"],
                seen["reason"]) == (handover["id"], "pending", "Haddad", "1990-05-17",
                                    "Asyl anerkannt am 20.11.")
    assert (await client.get(case, headers=sgb2.headers)).status_code == 404  # not yet theirs
    assert (await client.get(f"/api/v1/referrals/{referral_id}",
                             headers=sgb2.headers)).status_code == 404
    own_accept = await client.post(f"{HANDOVERS}/{handover['id']}/accept",
                                   headers=sgb3.headers, json={})
    assert own_accept.status_code == 403  # the receiving side decides
    stranger = await make_user(role="admin")
    assert (await client.post(f"{HANDOVERS}/{handover['id']}/accept", headers=stranger.headers,
                              json={})).status_code == 403

    accepted = await client.post(f"{HANDOVERS}/{handover['id']}/accept",
                                 headers=sgb2.headers, json={})
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["to_coordinator_id"]) == (
        "accepted", sgb2.user.id)
    moved = (await client.get(case, headers=sgb2.headers)).json()
    assert (moved["legal_circle"], moved["coordinator_id"]) == ("sgb2", sgb2.user.id)
    assert (await client.get(case, headers=sgb3.headers)).status_code == 404  # gone there
    mine = (await client.get(CLIENTS, headers=sgb2.headers)).json()["items"]
    assert [c["id"] for c in mine] == [theirs.client_id]
    assert (await client.get(CLIENTS, headers=sgb3.headers)).json()["total"] == 0
    # The referral followed the client to its new coordinator.
    referral = (await client.get(f"/api/v1/referrals/{referral_id}",
                                 headers=sgb2.headers)).json()
    assert referral["coordinator_id"] == sgb2.user.id
    assert referral["history"][-1]["event"] == "reassigned"
    assert (await client.get(HANDOVERS, headers=sgb2.headers)).json()["total"] == 0
    # Audited, and in the case history.
    actions = await AuditLog.select(AuditLog.action, AuditLog.actor_id).where(
        (AuditLog.entity == "client") & (AuditLog.entity_id == str(theirs.client_id))
        & AuditLog.action.like("client.handover%")).order_by(AuditLog.id)
    assert [(a["action"], a["actor_id"]) for a in actions] == [
        ("client.handover_proposed", sgb3.user.id), ("client.handover_accepted", sgb2.user.id)]
    events = await CaseEvent.select(CaseEvent.event).where(
        CaseEvent.client_id == theirs.client_id)
    assert "circle_changed" in [e["event"] for e in events]
    # The receiving circle was told that a case waits (no name), the proposer the decision.
    told = {row["template"]: row for row in await Outbox.select().where(
        Outbox.template.like("circle_handover%"))}
    assert told["circle_handover_proposed"]["recipients"] == [sgb2.email]
    assert told["circle_handover_decided"]["recipients"] == [sgb3.email]
    for row in told.values():
        assert "Haddad" not in row["subject"] + row["body_text"] + row["body_html"]
        assert "Asyl" not in row["body_text"]  # the reason stays behind the sign-in
    assert "übernommen" in told["circle_handover_decided"]["body_text"]


async def test_a_declined_handover_leaves_the_client_where_it_was(client, sgb2, sgb3, theirs):
    case = f"{CLIENTS}/{theirs.client_id}"
    handover = (await client.post(f"{case}/circle-handovers", headers=sgb3.headers,
                                  json={"reason": "Asyl anerkannt"})).json()
    no_reason = await client.post(f"{HANDOVERS}/{handover['id']}/decline",
                                  headers=sgb2.headers, json={"reason": " "})
    assert no_reason.status_code == 422
    declined = await client.post(f"{HANDOVERS}/{handover['id']}/decline",
                                 headers=sgb2.headers, json={"reason": "Bescheid fehlt"})
    assert declined.status_code == 200, declined.text
    assert (await client.get(case, headers=sgb3.headers)).json()["legal_circle"] == "sgb3"
    assert (await client.get(case, headers=sgb2.headers)).status_code == 404
    # The receiving side no longer sees what it declined; the sending side sees why.
    assert (await client.get(f"{HANDOVERS}/{handover['id']}",
                             headers=sgb2.headers)).status_code == 404
    [history] = (await client.get(f"{case}/circle-handovers", headers=sgb3.headers)
                 ).json()["items"]
    assert (history["status"], history["decision_reason"]) == ("declined", "Bescheid fehlt")
    late = await client.post(f"{HANDOVERS}/{handover['id']}/accept", headers=sgb2.headers,
                             json={})
    assert late.status_code == 404
    # A new proposal may follow, and the sending side may withdraw it.
    second = (await client.post(f"{case}/circle-handovers", headers=sgb3.headers,
                                json={"reason": "Bescheid liegt jetzt vor"})).json()
    withdrawn = await client.post(f"{HANDOVERS}/{second['id']}/withdraw",
                                  headers=sgb3.headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (await client.get(HANDOVERS, headers=sgb2.headers)).json()["total"] == 0


async def test_the_handover_through_the_pages(client, sgb2, sgb3, theirs):
    csrf = await login_browser(client, sgb3.email, sgb3.password)
    case_page = f"/clients/{theirs.client_id}"
    empty = await client.post(f"{case_page}/circle-handover",
                              data={"csrf_token": csrf, "handover_reason": ""})
    assert empty.status_code == 422 and 'id="handover_reason-fehler"' in empty.text
    proposed = await client.post(f"{case_page}/circle-handover", data={
        "csrf_token": csrf, "handover_reason": "Anerkennung am 20.11."})
    assert proposed.status_code in (302, 303), proposed.text
    page = (await client.get(case_page)).text
    assert "wartet auf Annahme" in page and "Vorschlag zurücknehmen" in page
    [handover_id] = [int(n) for n in __import__("re").findall(
        r'action="/circle-handovers/(\d+)/withdraw"', page)]

    csrf = await login_browser(client, sgb2.email, sgb2.password)
    start = (await client.get("/")).text
    assert "Übergaben zwischen den Rechtskreisen" in start
    assert "Haddad" in start and "17.05.1990" in start and "Anerkennung am 20.11." in start
    assert f'href="{case_page}"' not in start  # no way into the case before accepting
    assert (await client.get(case_page)).status_code == 404
    accepted = await client.post(f"/circle-handovers/{handover_id}/accept",
                                 data={"csrf_token": csrf})
    assert accepted.status_code in (302, 303) and accepted.headers["location"].startswith(
        case_page)
    mine = await client.get(case_page)
    assert mine.status_code == 200 and "Haddad" in mine.text

    await login_browser(client, sgb3.email, sgb3.password)
    assert (await client.get(case_page)).status_code == 404


async def test_erasing_a_client_ends_its_pending_handover_and_removes_the_reason(
        client, sgb2, sgb3, theirs):
    case = f"{CLIENTS}/{theirs.client_id}"
    await client.post(f"{case}/circle-handovers", headers=sgb3.headers,
                      json={"reason": "Frau Haddad ist anerkannt"})
    erased = await client.post(f"{case}/erase", headers=sgb3.headers)
    assert erased.status_code == 200, erased.text
    assert (await client.get(HANDOVERS, headers=sgb2.headers)).json()["total"] == 0
    [handover] = (await client.get(f"{case}/circle-handovers", headers=sgb3.headers)
                  ).json()["items"]
    assert (handover["status"], handover["reason"], handover["last_name"]) == (
        "withdrawn", "[removed]", None)
