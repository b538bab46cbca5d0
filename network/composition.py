"""Where the program is put together: which subscriber hears which domain event.

`compose(settings)` runs once per program (create_app, the CLI's runner, the tests' fixtures)
before any action. Domains never import each other for side effects; they emit events, and
this list is the one place that says who reacts. Each domain offers its subscriptions as a
function `subscriptions(settings) -> list[(EventType, handler)]`.
"""

from __future__ import annotations

from network import events
from network.settings import Settings


def compose(settings: Settings) -> None:
    events.wire([])
