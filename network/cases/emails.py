"""The emails of a handover between legal circles (subscribed in `network.composition`, so
they are queued in the transaction of the change): the receiving circle's coordinators learn
that a case waits for their decision (no name, no reason: those are on the overview, behind
the sign-in); the proposer learns the decision (the case number, which the proposer knows)."""

from __future__ import annotations

from typing import Any

from network import words
from network.accounts.tables import AppUser
from network.cases import handovers
from network.cases import tables as t
from network.cases.events import CircleHandoverDecided, CircleHandoverProposed
from network.events import Handler
from network.mail.outbox import enqueue
from network.settings import Settings

PROPOSED = "circle_handover_proposed"
DECIDED = "circle_handover_decided"
SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    PROPOSED: {"from_circle": "SGB III", "to_circle": "SGB II",
               "overview_url": "https://ip.example.org/#uebergaben"},
    DECIDED: {"to_circle": "SGB II", "decision": "angenommen", "accepted": True,
              "case_number": "IP-2026-0042", "proposer_name": "Frau Vossen",
              "case_url": "https://ip.example.org/clients/3"},
}


def _circle(code: str) -> str:
    return words.label(code, "legal_circle")


def subscriptions(settings: Settings) -> list[tuple[type, Handler]]:
    async def proposed(event: CircleHandoverProposed) -> None:
        handover = await handovers.load(event.handover_id)
        rows = await AppUser.select(AppUser.email).where(
            (AppUser.role == "coordinator") & (AppUser.active == True)  # noqa: E712
            & (AppUser.legal_circle == handover.to_circle)).order_by(AppUser.id)
        if not rows:
            return  # nobody there yet: the overview shows it to whoever comes
        await enqueue(settings, PROPOSED, [row["email"] for row in rows], {
            "from_circle": _circle(handover.from_circle),
            "to_circle": _circle(handover.to_circle),
            "overview_url": f"{settings.base_url}/#uebergaben",
        }, due_at=event.at, dedupe_key=f"circle-handover:{handover.id}:proposed",
            client_id=handover.client_id)

    async def decided(event: CircleHandoverDecided) -> None:
        handover = await handovers.load(event.handover_id)
        if handover.proposed_by is None:
            return
        proposer = await AppUser.select(AppUser.email, AppUser.display_name).where(
            (AppUser.id == handover.proposed_by) & (AppUser.active == True)  # noqa: E712
        ).first()
        if proposer is None:
            return
        client = await t.Client.select(t.Client.case_number).where(
            t.Client.id == handover.client_id).first()
        await enqueue(settings, DECIDED, [proposer["email"]], {
            "to_circle": _circle(handover.to_circle), "accepted": event.accepted,
            "decision": words.HANDOVER_STATUSES[handover.status],
            "case_number": client["case_number"] if client else None,
            "proposer_name": proposer["display_name"],
            "case_url": f"{settings.base_url}/clients/{handover.client_id}",
        }, due_at=event.at, dedupe_key=f"circle-handover:{handover.id}:decided",
            client_id=handover.client_id)

    return [(CircleHandoverProposed, proposed), (CircleHandoverDecided, decided)]
