"""A referral whose case was closed meanwhile changes no more: the API refuses with 409 and the
catalogue's code, the staff page and the partner's link page say why in German, and closing
the case while a change is under way has one consistent outcome. Cancelling stays possible
(the coordinator's way to tidy up a referral the closed case left open)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import pytest

from network.composition import build_mailer
from network.mail.dispatcher import send_due
from network.settings import Settings
from network.transactions import transaction
from network.words import partner_pages
from network.words.refusals import refusal
from tests.support.app import MadeUser, MakeUser, login_browser, make_settings
from tests.support.partner_link import link_in, proof_of
from tests.support.polling import until
from tests.support.referral_world import World, make_world
from tests.support.smtp_server import SmtpServer

BASE = "/api/v1/referrals"
CLOSED = "referral.case_closed_meanwhile"



@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


async def sent_referral(client: httpx.AsyncClient, coordinator: MadeUser, world: World) -> dict:
    response = await client.post(BASE, headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": world.caritas.id, "status": "sent"})
    assert response.status_code == 201, response.text
    return response.json()


async def close_case(client: httpx.AsyncClient, coordinator: MadeUser, world: World
                     ) -> httpx.Response:
    """The barrier judged unresolvable (its referral stays open), then the case closed."""
    finished = await client.post(f"/api/v1/barriers/{world.barrier_id}/status",
                                 headers=coordinator.headers, json={
                                     "status": "unresolvable",
                                     "unresolvable_reason": "Person ist verzogen"})
    assert finished.status_code == 200, finished.text
    return await client.post(f"/api/v1/clients/{world.client_id}/close",
                             headers=coordinator.headers, json={"outcome": "moved_away"})


async def events_of(referral_id: int) -> list[str]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT to_status FROM referral_events WHERE referral_id = $1 ORDER BY id",
            referral_id)
    return [row["to_status"] for row in rows]


async def test_the_api_refuses_a_change_to_a_referral_of_a_closed_case(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral = await sent_referral(client, coordinator, world)
    closed = await close_case(client, coordinator, world)
    assert closed.status_code == 200, closed.text

    path = f"{BASE}/{referral['id']}/transitions"
    accepted = await client.post(path, headers=coordinator.headers, json={
        "status": "accepted", "version": referral["version"]})
    assert accepted.status_code == 409, accepted.text
    assert accepted.json()["errors"][0]["message"] == refusal(CLOSED, {}, "en")
    handoff = await client.post(f"{BASE}/{referral['id']}/handoff",
                                headers=coordinator.headers, json={
                                    "version": referral["version"],
                                    "to_partner_id": world.tafel.id,
                                    "closing_status": "declined",
                                    "reason_code": "no_capacity"})
    assert handoff.status_code == 409 and handoff.json()["errors"][0]["message"] == refusal(
        CLOSED, {}, "en"), handoff.text
    assert await events_of(referral["id"]) == ["sent"]

    # Tidying up stays possible: the coordinator cancels the referral the case left open.
    cancelled = await client.post(path, headers=coordinator.headers, json={
        "status": "cancelled", "version": referral["version"],
        "reason_text": "Fall abgeschlossen"})
    assert cancelled.status_code == 200, cancelled.text
    assert await events_of(referral["id"]) == ["sent", "cancelled"]


async def test_the_staff_page_says_why_in_german(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral = await sent_referral(client, coordinator, world)
    assert (await close_case(client, coordinator, world)).status_code == 200
    csrf = await login_browser(client, coordinator.email, coordinator.password)

    page = await client.post(f"/referrals/{referral['id']}/status", data={
        "csrf_token": csrf, "version": str(referral["version"]), "status": "accepted"})
    assert page.status_code in (409, 422), page.text
    assert refusal(CLOSED, {}, "de") in page.text.replace("&#34;", '"')
    assert await events_of(referral["id"]) == ["sent"]


async def test_the_partner_page_says_why_in_german_and_changes_nothing(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral = await sent_referral(client, coordinator, world)
    await send_due(build_mailer(settings), datetime.now(UTC))
    link = link_in(smtp.messages[-1])
    page = await client.get(link)  # the partner opens its page before the case closes
    assert (await close_case(client, coordinator, world)).status_code == 200

    answer = await client.post(link, data={**proof_of(page.text), "aktion": "accept"})
    assert answer.status_code == 409, answer.text
    assert partner_pages.PARTNER_REFUSALS[CLOSED] in answer.text
    assert await events_of(referral["id"]) == ["sent"]


async def audit_ids(client_id: int, referral_id: int) -> tuple[int | None, int | None]:
    """The audit entries of the close and of the referral's change, numbered in the order they
    were written (each is written while its transaction holds the case's lock)."""
    async with transaction() as connection:
        closed = await connection.fetchval(
            "SELECT id FROM audit_log WHERE action = 'client.closed' AND entity_id = $1",
            str(client_id))
        changed = await connection.fetchval(
            "SELECT id FROM audit_log WHERE action = 'referral.transition' AND entity_id = $1"
            " AND details->>'changed' = 'true'", str(referral_id))
    return closed, changed


async def test_closing_the_case_and_changing_its_referral_at_once_never_both_win(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    for _ in range(8):
        world = await make_world()
        referral = await sent_referral(client, coordinator, world)
        finished = await client.post(f"/api/v1/barriers/{world.barrier_id}/status",
                                     headers=coordinator.headers, json={
                                         "status": "unresolvable",
                                         "unresolvable_reason": "Person ist verzogen"})
        assert finished.status_code == 200
        closing, accepting = await asyncio.gather(
            client.post(f"/api/v1/clients/{world.client_id}/close",
                        headers=coordinator.headers, json={"outcome": "moved_away"}),
            client.post(f"{BASE}/{referral['id']}/transitions", headers=coordinator.headers,
                        json={"status": "accepted", "version": referral["version"]}))
        assert closing.status_code == 200, closing.text
        closed, changed = await audit_ids(world.client_id, referral["id"])
        if accepting.status_code == 200:  # the change came first, the case closed after it
            assert changed is not None and closed is not None and changed < closed
        else:  # the case closed first: the change saw it and was refused
            assert accepting.status_code == 409, accepting.text
            assert accepting.json()["errors"][0]["message"] == refusal(CLOSED, {}, "en")
            assert changed is None and await events_of(referral["id"]) == ["sent"]


async def test_a_change_waiting_while_the_case_closes_is_refused(
        client: httpx.AsyncClient, make_user: MakeUser, db: str) -> None:
    """The change has read its referral and waits (here: for the barrier, which another
    transaction holds); meanwhile the case closes. When the change goes on it must see the
    closed case, not the state it read before."""
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral = await sent_referral(client, coordinator, world)
    finished = await client.post(f"/api/v1/barriers/{world.barrier_id}/status",
                                 headers=coordinator.headers, json={
                                     "status": "unresolvable",
                                     "unresolvable_reason": "Person ist verzogen"})
    assert finished.status_code == 200
    holder = await asyncpg.connect(db)  # another session, outside the app's pool
    try:
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM referrals WHERE id = $1 FOR UPDATE",
                                 referral["id"])
            accepting = asyncio.create_task(client.post(
                f"{BASE}/{referral['id']}/transitions", headers=coordinator.headers,
                json={"status": "accepted", "version": referral["version"]}))

            async def waiting() -> bool:
                return await holder.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()") >= 1

            await until(waiting, what="the change waiting for the referral")
            closing = await client.post(f"/api/v1/clients/{world.client_id}/close",
                                        headers=coordinator.headers,
                                        json={"outcome": "moved_away"})
            assert closing.status_code == 200, closing.text
    finally:
        await holder.close()
    answer = await accepting
    assert answer.status_code == 409, answer.text
    assert answer.json()["errors"][0]["message"] == refusal(CLOSED, {}, "en")
    assert await events_of(referral["id"]) == ["sent"]
