"""What the referrals domain does when another domain's event happens (wired in
`network.composition.compose`): a pseudonymised client's referral texts are scrubbed."""

from __future__ import annotations

from network.cases.events import ClientPseudonymised
from network.events import Handler
from network.referrals.scrub import scrub_referrals
from network.settings import Settings


async def on_client_pseudonymised(event: ClientPseudonymised) -> None:
    await scrub_referrals(event.client_id)


def subscriptions(settings: Settings) -> list[tuple[type, Handler]]:
    return [(ClientPseudonymised, on_client_pseudonymised)]
