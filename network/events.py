"""Domain events: how one domain's change causes another's side effect without importing it.

An action emits an event inside its transaction (`await emit(ReferralStatusChanged(...))`);
every subscriber runs right there, in the same transaction, so a reminder planned or an email
queued commits or rolls back together with the change. Subscribers are wired once, where the
program is composed (`network.composition.compose`, called by `create_app` and the CLI's
runner); an emit before that is a programming error and raises, so no change can silently
skip its emails.

Events are small frozen dataclasses defined by the domain that emits them
(`network/<domain>/events.py`): ids and facts, never personal data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from network.database import ENGINE

Handler = Callable[[Any], Awaitable[None]]


class NotComposed(RuntimeError):
    """An event was emitted before `network.composition.compose` wired the subscribers."""


_subscribers: dict[type, tuple[Handler, ...]] | None = None


def wire(subscriptions: Iterable[tuple[type, Handler]]) -> None:
    """Replace every subscription at once (composition calls this, once per program)."""
    table: dict[type, list[Handler]] = {}
    for event_type, handler in subscriptions:
        table.setdefault(event_type, []).append(handler)
    global _subscribers
    _subscribers = {kind: tuple(handlers) for kind, handlers in table.items()}


def subscribers_of(event_type: type) -> tuple[Handler, ...]:
    if _subscribers is None:
        raise NotComposed(f"{event_type.__name__} emitted before the program was composed "
                          "(network.composition.compose)")
    return _subscribers.get(event_type, ())


async def emit(event: object) -> None:
    """Run every subscriber of the event, in order, in the caller's transaction."""
    if ENGINE.current_transaction.get() is None:
        raise RuntimeError(f"{type(event).__name__} emitted outside a transaction")
    for handler in subscribers_of(type(event)):
        await handler(event)
