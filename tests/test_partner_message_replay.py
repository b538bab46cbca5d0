"""A partner's message sent twice (a double click, the browser resending the form, a retry
after a timeout) is stored once and emails the coordinator once; the replay answers as the
first did. A different text from the same page is a new message."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from network.composition import build_mailer
from network.mail.dispatcher import send_all_due
from network.settings import Settings
from network.transactions import transaction
from network.words import partner_pages
from tests.support.app import MadeUser, MakeUser, make_settings
from tests.support.partner_link import link_in, proof_of
from tests.support.referral_world import World, make_world
from tests.support.smtp_server import SmtpServer


@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


async def deliver(settings: Settings) -> None:
    await send_all_due(build_mailer(settings), datetime.now(UTC))


async def opened(client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
                 coordinator: MadeUser, world: World) -> tuple[int, str]:
    response = await client.post("/api/v1/referrals", headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": world.caritas.id, "status": "sent"})
    assert response.status_code == 201, response.text
    await deliver(settings)
    return response.json()["id"], link_in(smtp.messages[-1])


async def stored_messages(referral_id: int) -> int:
    async with transaction() as connection:
        return await connection.fetchval(
            "SELECT count(*) FROM partner_messages WHERE referral_id = $1", referral_id)


def messages_to(smtp: SmtpServer, address: str) -> list[EmailMessage]:
    return [m for m in smtp.messages if m["To"] == address]


async def test_the_same_message_posted_twice_is_stored_and_emailed_once(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral_id, link = await opened(client, settings, smtp, coordinator, world)
    form = {**proof_of((await client.get(link)).text), "aktion": "message",
            "message": "Frau H. hat am Montag um 10 Uhr einen Termin bei uns."}

    first = await client.post(link, data=form)
    again = await client.post(link, data=form)  # the browser sends the same form again
    assert (first.status_code, again.status_code) == (200, 200), again.text
    notice = partner_pages.PARTNER_NOTICES["message"]
    assert notice in first.text and notice in again.text

    await deliver(settings)
    told = messages_to(smtp, coordinator.email)
    assert len(told) == 1, [m["Subject"] for m in told]
    assert "Montag um 10 Uhr" in told[0].get_body(("plain",)).get_content()
    assert await stored_messages(referral_id) == 1


async def test_a_double_click_sending_it_twice_at_once_is_one_message(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral_id, link = await opened(client, settings, smtp, coordinator, world)
    form = {**proof_of((await client.get(link)).text), "aktion": "message",
            "message": "Bitte rufen Sie uns zurück."}

    answers = await asyncio.gather(*(client.post(link, data=form) for _ in range(3)))
    assert [a.status_code for a in answers] == [200, 200, 200]
    await deliver(settings)
    assert len(messages_to(smtp, coordinator.email)) == 1
    assert await stored_messages(referral_id) == 1


async def test_another_text_from_the_same_page_is_a_new_message(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral_id, link = await opened(client, settings, smtp, coordinator, world)
    proof = proof_of((await client.get(link)).text)
    for text in ("Erste Nachricht.", "Noch etwas: bitte Unterlagen mitbringen."):
        answer = await client.post(link, data={**proof, "aktion": "message", "message": text})
        assert answer.status_code == 200, answer.text
    await deliver(settings)
    assert len(messages_to(smtp, coordinator.email)) == 2
    assert await stored_messages(referral_id) == 2
