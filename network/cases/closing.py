"""When a case may close: every barrier is resolved or judged unresolvable, and the outcome is
named (the monthly report counts outcomes)."""

from __future__ import annotations

from collections.abc import Iterable

from network.cases.values import UNFINISHED_BARRIER_STATUSES, BarrierStatus, CaseStatus, Outcome
from network.errors import RuleViolation


def check_closing(
    status: CaseStatus, outcome: Outcome | None, barrier_statuses: Iterable[BarrierStatus]
) -> None:
    if status is CaseStatus.CLOSED:
        raise RuleViolation("status", "the case is already closed")
    if outcome is None:
        raise RuleViolation("outcome", "closing a case needs an outcome")
    unfinished = sum(1 for s in barrier_statuses if s in UNFINISHED_BARRIER_STATUSES)
    if unfinished:
        raise RuleViolation(
            "barriers",
            f"{unfinished} barrier(s) still open or in progress: resolve them or mark them"
            " unresolvable with a reason before closing",
        )
