"""How reminders follow the other domains' changes (wired in network.composition): a referral
created or changed starts, moves or cancels its chain; a finished barrier, a closed case and a
pseudonymised client cancel what became moot. Each runs in the transaction of the change."""

from __future__ import annotations

from typing import Any

from network.cases.events import BarrierFinished, CaseClosed, ClientPseudonymised
from network.referrals.events import ReferralCreated, ReferralStatusChanged
from network.referrals.lifecycle import Status
from network.referrals.tables import Referral
from network.reminders import schedule
from network.reminders.scrub import scrub_reminders
from network.settings import Settings


async def _referral_changed(referral_id: int, change: Any, at: Any) -> None:
    row = await Referral.select(Referral.status, Referral.barrier_id, Referral.client_id,
                                Referral.hold_until).where(Referral.id == referral_id).first()
    await schedule.on_referral_changed(referral_id, Status(row["status"]), row["barrier_id"],
                                       row["client_id"], change, at,
                                       hold_until=row["hold_until"])


async def referral_created(event: ReferralCreated) -> None:
    await _referral_changed(event.referral_id, None, event.at)


async def referral_status_changed(event: ReferralStatusChanged) -> None:
    await _referral_changed(event.referral_id, event.change, event.at)


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
