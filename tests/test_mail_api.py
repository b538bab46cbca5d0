"""Coordinators see what the outbox holds, the failures with the server's answer, and can send
a failed email again."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from network.mail import outbox
from network.mail.tables import Outbox
from network.settings import Settings
from tests.support.app import MakeUser


async def queue_three(settings: Settings) -> list[int]:
    ids = [await outbox.enqueue(settings, "test_message", [f"p{i}@example.org"],
                                {"requested_by": "IT", "recipient": "x"},
                                due_at=datetime.now(UTC)) for i in range(3)]
    await Outbox.update({Outbox.status: "failed", Outbox.last_error: "550 No such user"}).where(
        Outbox.id == ids[0])
    return ids


async def test_it_lists_the_outbox_filtered_by_status(
    client: httpx.AsyncClient, settings: Settings, make_user: MakeUser
) -> None:
    coordinator = await make_user(role="coordinator")
    failed_id, *_ = await queue_three(settings)

    everything = (await client.get("/api/v1/mail/outbox", headers=coordinator.headers)).json()
    assert everything["total"] == 3 and len(everything["items"]) == 3
    failed = (await client.get("/api/v1/mail/outbox", params={"status": "failed"},
                               headers=coordinator.headers)).json()
    assert [item["id"] for item in failed["items"]] == [failed_id]
    assert failed["items"][0]["last_error"] == "550 No such user"
    counts = (await client.get("/api/v1/mail/status", headers=coordinator.headers)).json()
    assert counts == {"queued": 2, "sending": 0, "sent": 0, "failed": 1}


async def test_it_refuses_an_unknown_status_naming_the_parameter(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin = await make_user(role="admin")
    response = await client.get("/api/v1/mail/outbox", params={"status": "lost"},
                                headers=admin.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


async def test_a_failed_email_can_be_sent_again_and_that_is_audited(
    client: httpx.AsyncClient, settings: Settings, make_user: MakeUser
) -> None:
    coordinator = await make_user(role="coordinator")
    failed_id, *_ = await queue_three(settings)

    response = await client.post(f"/api/v1/mail/outbox/{failed_id}/retry",
                                 headers=coordinator.headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "queued" and response.json()["attempts"] == 0
    audit = (await client.get("/api/v1/audit", params={"action": "mail.retry"},
                              headers=(await make_user(role="admin")).headers)).json()
    assert [entry["entity_id"] for entry in audit["items"]] == [str(failed_id)]


async def test_viewers_and_strangers_cannot_read_the_outbox(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    viewer = await make_user(role="viewer")
    assert (await client.get("/api/v1/mail/outbox", headers=viewer.headers)).status_code == 403
    assert (await client.get("/api/v1/mail/outbox")).status_code == 401
