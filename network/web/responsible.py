"""Who is responsible for a case, on the case page: the coordinator's name, and the colleagues
of the same legal circle the case can be handed to (`cases.actions.hand_case_to_colleague`;
the POST is in `client_views`)."""

from __future__ import annotations

from typing import Any

from network.actors import Actor
from network.cases.service import Client
from network.web import referral_queries as rq
from network.web.render import Form
from network.words import finding as finding_words


async def case_section(actor: Actor, client: Client) -> dict[str, Any]:
    """The case page's one context value for `clients/_responsible.html`."""
    staff = await rq.staff_names()
    colleagues = await rq.staff_names(active_only=True, circle=client.legal_circle.value)
    colleagues.pop(client.coordinator_id, None)  # type: ignore[arg-type]
    return {"name": staff.get(client.coordinator_id) if client.coordinator_id else None,
            "mine": client.coordinator_id is not None and client.coordinator_id == actor.user_id,
            "colleagues": {str(k): v for k, v in colleagues.items()},
            "form": Form(), "words": finding_words}
