"""A partner's link as the partner gets it: a referral sent through the API, its email
delivered to a real SMTP server, the link read from it, and the page's forms posted."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx

from network.composition import build_mailer
from network.mail.dispatcher import send_due
from network.settings import Settings
from tests.support.app import MadeUser, MakeUser
from tests.support.referral_world import World, make_world
from tests.support.smtp_server import SmtpServer


async def send_referral(client: httpx.AsyncClient, coordinator: MadeUser, world: World,
                        partner_id: int | None = None) -> int:
    response = await client.post("/api/v1/referrals", headers=coordinator.headers, json={
        "barrier_id": world.barrier_id, "partner_id": partner_id or world.caritas.id,
        "status": "sent", "note": "Bitte einen Termin anbieten."})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def deliver(settings: Settings) -> None:
    await send_due(build_mailer(settings), datetime.now(UTC))


def link_in(message: EmailMessage) -> str:
    text = message.get_body(("plain",)).get_content()
    found = re.search(r"http://localhost:8000(/p/[A-Za-z0-9_-]+)", text)
    assert found, text
    return found.group(1)


def proof_of(page: str) -> dict[str, str]:
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    proof = re.search(r'name="proof" value="([^"]+)"', page)
    assert nonce and proof, page
    return {"nonce": nonce.group(1), "proof": proof.group(1)}


async def detail(client: httpx.AsyncClient, coordinator: MadeUser, referral_id: int) -> dict:
    response = await client.get(f"/api/v1/referrals/{referral_id}", headers=coordinator.headers)
    return response.json()


async def opened_link(client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
                      make_user: MakeUser) -> tuple[MadeUser, World, int, str]:
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    referral_id = await send_referral(client, coordinator, world)
    await deliver(settings)
    return coordinator, world, referral_id, link_in(smtp.messages[-1])


async def post(client: httpx.AsyncClient, link: str, **form: str) -> httpx.Response:
    page = await client.get(link)
    return await client.post(link, data={**proof_of(page.text), **form})
