"""Who hears about a referral's changes: the hooks the mail issue (6) fills.

The service calls each hook inside the transaction of the change, so an email queued here with
`network.mail.outbox.enqueue(...)` commits or rolls back together with the change. Until issue 6
fills them, the hooks send nothing: they only log that a message would go out.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import asyncpg

from network.referrals.lifecycle import Change

if TYPE_CHECKING:
    from network.referrals.service import Referral

log = logging.getLogger(__name__)


async def on_created(connection: asyncpg.Connection, referral: Referral) -> None:
    """A new referral: when it is created as `sent`, the partner gets it (issue 6)."""
    log.debug("referral created: no email yet", extra={"referral_id": referral.id,
                                                       "status": referral.status.value})


async def on_status_changed(connection: asyncpg.Connection, referral: Referral,
                            change: Change) -> None:
    """A status change: `change.notifies` says who is told; `change.cancels_*` which
    reminders go (issue 6)."""
    log.debug("referral status changed: no email yet",
              extra={"referral_id": referral.id, "status": referral.status.value,
                     "notify": sorted(change.notifies)})


async def on_coordinator_handover(connection: asyncpg.Connection, referral: Referral,
                                  previous_coordinator_id: int) -> None:
    """Ownership moved from `previous_coordinator_id` to `referral.coordinator_id`: both
    coordinators are told (issue 6)."""
    log.debug("referral handed over: no email yet",
              extra={"referral_id": referral.id, "from": previous_coordinator_id,
                     "to": referral.coordinator_id})
