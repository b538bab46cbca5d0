"""What the referrals domain does when another domain's event happens (wired in
`network.composition.compose`): a pseudonymised client's referral texts are scrubbed; the open
referrals of a client who changed legal circle (or was handed to a colleague) move to the
client's new coordinator."""

from __future__ import annotations

from network.cases.events import CaseHandedOver, ClientChangedCircle, ClientPseudonymised
from network.clock import FixedClock
from network.events import Handler
from network.referrals import actions
from network.referrals.lifecycle import OPEN_STATUSES
from network.referrals.scrub import scrub_referrals
from network.referrals.tables import Referral
from network.settings import Settings


async def on_client_pseudonymised(event: ClientPseudonymised) -> None:
    await scrub_referrals(event.client_id)


async def on_client_changed_circle(event: ClientChangedCircle | CaseHandedOver) -> None:
    """Referrals follow the client: each open one is handed over to the new coordinator (as
    the accepting or handing coordinator, at that moment: audited, emailed, reminders
    moved like any change of coordinator)."""
    rows = await Referral.select(Referral.id, Referral.version).where(
        (Referral.client_id == event.client_id)
        & Referral.status.is_in(sorted(s.value for s in OPEN_STATUSES))
        & (Referral.coordinator_id != event.coordinator_id)).order_by(Referral.id)
    for row in rows:
        await actions.hand_over(event.actor, FixedClock(event.at), row["id"],
                                event.coordinator_id, expected_version=row["version"])


def subscriptions(settings: Settings) -> list[tuple[type, Handler]]:
    return [(ClientPseudonymised, on_client_pseudonymised),
            (ClientChangedCircle, on_client_changed_circle),
            (CaseHandedOver, on_client_changed_circle)]
