"""What staff do to the outbox: send a failed email again once its cause is fixed. The action
owns its transaction and its audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from network.accounts import audit
from network.actors import Actor
from network.clock import Clock
from network.mail import outbox
from network.transactions import transaction


async def retry(actor: Actor, clock: Clock, email_id: int) -> dict[str, Any]:
    """Queue a failed email again, due now; refuses emails that are not failed."""
    now = clock.now()
    return await outbox.retry_failed(email_id, now, after_change=lambda: audit.record(
        actor, "mail.retry", "outbox", email_id, at=now))


async def withdraw_demo_history(actor: Actor, clock: Clock, client_ids: Sequence[int],
                                waiting_referral_ids: Sequence[int]) -> int:
    """The demo seed's backdated history queued emails about changes long past; they would
    all go out at the first start. Withdraw them, keeping the new referrals that still wait
    for their partner (`outbox.withdraw_history`)."""
    now = clock.now()
    async with transaction():
        withdrawn = await outbox.withdraw_history(client_ids, now, waiting_referral_ids)
        await audit.record(actor, "mail.demo_history_withdrawn", "outbox", None,
                           {"emails": withdrawn}, at=now)
    return withdrawn
