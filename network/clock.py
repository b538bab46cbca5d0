"""The one clock: every business timestamp (a change, an email's due time, a reminder, a
report) is read from a `Clock` that the composition hands in, never from the database's
`now()` and never from `datetime.now()` in domain code.

    clock.now()  -> an aware datetime in UTC

`SystemClock` is the real one (the app, the CLI, the scheduler); tests pass a `FixedClock` and
move it on by hand, so every timestamp they see is known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable  # handlers take it as a dependency, which Litestar type-checks
class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stands still until a test moves it."""

    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = self.at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> datetime:
        self.at = self.at + by
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at.astimezone(UTC)


SYSTEM_CLOCK = SystemClock()
