"""Where the program is put together: which subscriber hears which domain event.

`compose(settings)` runs once per program (create_app, the CLI's runner, the tests' fixtures)
before any action. Domains never import each other for side effects; they emit events, and
this list is the one place that says who reacts. Each domain offers its subscriptions as a
function `subscriptions(settings) -> list[(EventType, handler)]`.
"""

from __future__ import annotations

from network import events
from network.cases.events import BarrierFinished, CaseClosed, ClientPseudonymised
from network.database import ENGINE
from network.settings import Settings


def compose(settings: Settings) -> None:
    events.wire(_interim_cases_subscriptions())


# interim (cases branch): replaced by the reminders/referrals subscribers
def _interim_cases_subscriptions() -> list[tuple[type, events.Handler]]:
    from network.referrals.scrub import scrub_referrals
    from network.reminders import schedule
    from network.reminders.scrub import scrub_reminders

    def connection():  # type: ignore[no-untyped-def]
        return ENGINE.current_transaction.get().connection

    async def case_closed(event: CaseClosed) -> None:
        await schedule.on_case_closed(connection(), event.client_id)

    async def barrier_finished(event: BarrierFinished) -> None:
        await schedule.on_barrier_finished(connection(), event.barrier_id)

    async def pseudonymised(event: ClientPseudonymised) -> None:
        await scrub_referrals(connection(), event.client_id)
        await scrub_reminders(connection(), event.client_id)

    return [(CaseClosed, case_closed), (BarrierFinished, barrier_finished),
            (ClientPseudonymised, pseudonymised)]
