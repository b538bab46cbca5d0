"""Waiting for something another process or thread does: poll under a deadline, never sleep
a guessed amount of time."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable


async def until(condition: Callable[[], bool | Awaitable[bool]], seconds: float = 30,
                what: str = "the condition") -> None:
    try:
        async with asyncio.timeout(seconds):
            while True:
                outcome = condition()
                if inspect.isawaitable(outcome):
                    outcome = await outcome
                if outcome:
                    return
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"{what} did not happen within {seconds} s") from None
