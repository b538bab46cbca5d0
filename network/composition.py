"""Where the program is put together: which subscriber hears which domain event.

`compose(settings)` runs once per program (create_app, the CLI's runner, the tests' fixtures)
before any action. Domains never import each other for side effects; they emit events, and
this list is the one place that says who reacts. Each domain offers its subscriptions as a
function `subscriptions(settings) -> list[(EventType, handler)]`.
"""

from __future__ import annotations

from network import events
from network.database import ENGINE
from network.events import Handler
from network.referrals import subscribers as referral_subscribers
from network.settings import Settings


def compose(settings: Settings) -> None:
    events.wire([
        *referral_subscribers.subscriptions(settings),
        *_interim_referral_hooks(settings),
    ])


# interim (referrals branch): replaced by the mailrem subscribers
def _interim_referral_hooks(settings: Settings) -> list[tuple[type, Handler]]:
    """The referral events adapted to the email and reminder hooks that exist today."""
    from network.referrals import notifications
    from network.referrals.events import (
        PartnerWrote,
        ReferralCoordinatorChanged,
        ReferralCreated,
        ReferralStatusChanged,
    )
    from network.referrals.service import load
    from network.reminders import schedule

    def connection():  # noqa: ANN202
        return ENGINE.current_transaction.get().connection

    async def created(event: ReferralCreated) -> None:
        referral = await load(event.referral_id)
        await notifications.on_created(connection(), referral, settings)
        await schedule.on_referral_changed(connection(), referral, None, event.at)

    async def status_changed(event: ReferralStatusChanged) -> None:
        referral = await load(event.referral_id)
        await notifications.on_status_changed(connection(), referral, event.change, settings)
        await schedule.on_referral_changed(connection(), referral, event.change, event.at)

    async def coordinator_changed(event: ReferralCoordinatorChanged) -> None:
        referral = await load(event.referral_id)
        await notifications.on_coordinator_handover(
            connection(), referral, event.previous_coordinator_id, settings)

    async def partner_wrote(event: PartnerWrote) -> None:
        referral = await load(event.referral_id)
        await notifications.message_to_coordinator(connection(), settings, referral,
                                                   event.text)

    return [(ReferralCreated, created), (ReferralStatusChanged, status_changed),
            (ReferralCoordinatorChanged, coordinator_changed), (PartnerWrote, partner_wrote)]
