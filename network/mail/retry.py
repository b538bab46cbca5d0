"""When to try a failed email again: exponential backoff, then give up (pure)."""

from __future__ import annotations

from datetime import timedelta

FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=2)
MAX_ATTEMPTS = 12  # about a day of trying before a coordinator is shown the failure


def retry_delay(attempts: int) -> timedelta:
    """Delay after the `attempts`-th failed try (1, 2, 4, ... minutes, at most two hours)."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def is_permanent(smtp_code: int | None) -> bool:
    """5xx replies are permanent (the address or message is refused); 4xx and lost
    connections (no code) are worth another try."""
    return smtp_code is not None and 500 <= smtp_code < 600


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
