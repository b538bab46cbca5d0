"""How reminders follow the other domains' changes (wired in network.composition): a referral
created or changed starts, moves or cancels its chain; a finished barrier, a closed case and a
pseudonymised client cancel what became moot. Each runs in the transaction of the change."""

from __future__ import annotations

from typing import Any

from network.cases.events import BarrierFinished, CaseClosed, ClientPseudonymised
from network.referrals.events import ReferralCreated, ReferralStatusChanged
from network.reminders import rules, schedule
from network.reminders.scrub import scrub_reminders
from network.settings import Settings


async def referral_created(event: ReferralCreated) -> None:
    """The partner kind's rule came with the event (read with the referral's checks)."""
    await schedule.on_referral_changed(event.referral_id, event.status, event.barrier_id,
                                       event.client_id, None, event.at,
                                       config=rules.config_of_row(event.reminder_rule))


async def referral_status_changed(event: ReferralStatusChanged) -> None:
    """The event says how the referral stands now (its new status, the day it is on hold
    until): nothing to read back."""
    await schedule.on_referral_changed(event.referral_id, event.change.to_status,
                                       event.barrier_id, event.client_id, event.change,
                                       event.at, hold_until=event.hold_until)


async def barrier_finished(event: BarrierFinished) -> None:
    await schedule.on_barrier_finished(event.barrier_id)


async def case_closed(event: CaseClosed) -> None:
    await schedule.on_case_closed(event.client_id)


async def client_pseudonymised(event: ClientPseudonymised) -> None:
    await scrub_reminders(event.client_id)


def subscriptions(settings: Settings) -> list[tuple[type, Any]]:
    return [(ReferralCreated, referral_created),
            (ReferralStatusChanged, referral_status_changed),
            (BarrierFinished, barrier_finished), (CaseClosed, case_closed),
            (ClientPseudonymised, client_pseudonymised)]
