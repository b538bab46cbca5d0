"""How many statements (round trips, BEGIN and COMMIT included) and transactions each main
action sends, from the request to the answer: a partner's accept through its link page, a
referral created through the API, a coordinator's transition through the API. Each must stay
at or below the count recorded in bench/README.md; a change that adds round trips fails here
and says which statements it sent."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bench.statements import recorded_statements, transactions_in
from network.links.tokens import fill_links, issue_sealed_link
from network.transactions import transaction
from tests.support.app import MadeUser, MakeUser
from tests.support.pages import sent as sent_as
from tests.support.pages import signed_in
from tests.support.referral_world import World, make_world

BASE = "/api/v1/referrals"
# (statements, transactions) at most; see bench/README.md "Round trips per action".
# Before issue 13: 34 in 4, 26 in 1 (24 without an Idempotency-Key), 17 in 1; before issue 18:
# 22, 22, 16; the create's 18 became 16 when the API token's lookup and its last use were
# one statement on one pooled connection (each checkout adds the pool's reset), and each
# went one lower when a referral's audit entry was written in the statement that writes the
# referral and its history row (create, status change). About half of what remains is the
# email and reminder subscribers' work (and the request's authentication). Then the create's
# 15 became 12: the reminder rule is read with the referral's checks, the email's facts with
# its partner link, and a referral's next reminder is stored by the statement that cancels
# the barrier's "no open referral" reminder (which took one off accept and transition too).
LINK_ACCEPT = (14, 1)
API_CREATE = (12, 1)
API_TRANSITION = (11, 1)
# The pages (issue 18): before it, the dashboard sent 44 statements in 9 transactions (each
# read on its own pooled connection, with the pool's reset round trip), the referral list
# page 16 in 1; then 21 and 11, until today's due reminders were counted with their page and
# the list page's names (clients, staff, partners) read in one statement.
DASHBOARD = (20, 1)
REFERRAL_LIST_PAGE = (9, 1)


def within(seen: list, limit: tuple[int, int], what: str) -> None:
    listing = "\n".join(f"  {query.split()[0] if query.split() else ''}: "
                        f"{' '.join(query.split())[:110]}" for _name, query, _args in seen)
    counts = (len(seen), transactions_in(seen))
    print(f"{what}: {counts[0]} statements, {counts[1]} transactions\n{listing}")
    assert counts[0] <= limit[0] and counts[1] <= limit[1], (
        f"{what}: {counts[0]} statements in {counts[1]} transactions, at most "
        f"{limit[0]} in {limit[1]}:\n{listing}")


async def sent(client: httpx.AsyncClient, coordinator: MadeUser, world: World) -> dict:
    response = await client.post(BASE, headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": world.caritas.id, "status": "sent"})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def coordinator(client: httpx.AsyncClient, make_user: MakeUser) -> MadeUser:
    return await make_user(role="coordinator")


async def test_a_partners_accept_through_its_link(client, settings, coordinator) -> None:
    world = await make_world()
    referral = await sent(client, coordinator, world)
    async with transaction():
        link = await issue_sealed_link(settings.secret_key, referral["id"], world.caritas.id,
                                       datetime.now(UTC), timedelta(days=60))
    url = fill_links(link.placeholder, settings.base_url, settings.secret_key)
    path = url.removeprefix(settings.base_url)
    page = (await client.get(path)).text
    form = {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            for name in ("nonce", "proof")}
    with recorded_statements() as seen:
        answer = await client.post(path, data={**form, "aktion": "accept"})
    assert answer.status_code == 200 and "angenommen" in answer.text, answer.text
    within(seen, LINK_ACCEPT, "partner accept through the link page")


async def test_a_referral_created_through_the_api(client, coordinator) -> None:
    world = await make_world()
    with recorded_statements() as seen:
        response = await client.post(BASE, headers={**coordinator.headers,
                                                    "Idempotency-Key": "count-1"}, json={
            "barrier_id": world.barrier_id, "partner_id": world.caritas.id,
            "status": "sent"})
    assert response.status_code == 201, response.text
    within(seen, API_CREATE, "referral created through the API")


async def test_a_coordinators_transition_through_the_api(client, coordinator) -> None:
    world = await make_world()
    referral = await sent(client, coordinator, world)
    with recorded_statements() as seen:
        response = await client.post(f"{BASE}/{referral['id']}/transitions",
                                     headers=coordinator.headers,
                                     json={"status": "accepted", "version": referral["version"]})
    assert response.status_code == 200, response.text
    within(seen, API_TRANSITION, "coordinator's transition through the API")


async def test_the_dashboard(client, make_user) -> None:
    made, _ = await signed_in(client, make_user)
    world = await make_world()
    await sent_as(world, made, now=datetime.now(UTC) - timedelta(days=30))  # overdue
    await sent_as(world, made, partner_id=world.tafel.id)  # waiting for an answer
    with recorded_statements() as seen:
        response = await client.get("/")
    assert response.status_code == 200 and world.tafel.name in response.text
    within(seen, DASHBOARD, "the dashboard")


async def test_the_referral_list_page(client, make_user) -> None:
    made, _ = await signed_in(client, make_user)
    world = await make_world()
    await sent_as(world, made)
    with recorded_statements() as seen:
        response = await client.get(f"/referrals?status=offen&coordinator={made.user.id}")
    assert response.status_code == 200 and world.caritas.name in response.text
    within(seen, REFERRAL_LIST_PAGE, "the referral list page")
