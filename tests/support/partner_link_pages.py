"""A partner's link page in tests: a referral sent over real SMTP, its link from the email, and
a POST from the page with the page's proof and the version it showed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from network.composition import build_mailer
from network.mail.dispatcher import send_due
from network.settings import Settings
from tests.support.app import MadeUser
from tests.support.referral_world import World
from tests.support.smtp_server import SmtpServer


async def sent_with_link(client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
                         coordinator: MadeUser, world: World) -> tuple[int, str]:
    """A referral sent to Caritas by the coordinator, and the link path from its email."""
    response = await client.post("/api/v1/referrals", headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": world.caritas.id, "status": "sent"})
    assert response.status_code == 201, response.text
    await send_due(build_mailer(settings), datetime.now(UTC))
    text = smtp.messages[-1].get_body(("plain",)).get_content()
    found = re.search(r"https?://[^/\s]+(/p/[A-Za-z0-9_-]+)", text)
    assert found, text
    return response.json()["id"], found.group(1)


def form_of(page: str) -> dict[str, str]:
    """The hidden fields every form of the page carries: its proof and the version shown."""
    fields = dict(re.findall(r'name="(nonce|proof|version)" value="([^"]*)"', page))
    assert {"nonce", "proof"} <= fields.keys(), page
    return fields


async def opened_page(client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
                      coordinator: MadeUser, world: World) -> tuple[int, str, str]:
    """A referral sent, its link, and its page as the partner opened it."""
    referral_id, link = await sent_with_link(client, settings, smtp, coordinator, world)
    return referral_id, link, (await client.get(link)).text


async def accepted_page(client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
                        coordinator: MadeUser, world: World) -> tuple[int, str, str]:
    """A referral the partner accepted from its link page, and the page after that."""
    referral_id, link, page = await opened_page(client, settings, smtp, coordinator, world)
    accepted = await client.post(link, data={**form_of(page), "aktion": "accept"})
    assert accepted.status_code == 200, accepted.text
    return referral_id, link, accepted.text
