"""What staff do to the outbox: send a failed email again once its cause is fixed. The action
owns its transaction and its audit entry."""

from __future__ import annotations

from typing import Any

from network.accounts import audit
from network.actors import Actor
from network.clock import Clock
from network.mail import outbox


async def retry(actor: Actor, clock: Clock, email_id: int) -> dict[str, Any]:
    """Queue a failed email again, due now; refuses emails that are not failed."""
    now = clock.now()
    return await outbox.retry_failed(email_id, now, after_change=lambda: audit.record(
        actor, "mail.retry", "outbox", email_id, at=now))
