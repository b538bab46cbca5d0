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
        raise RuleViolation("status", "case_closed_already")
    if outcome is None:
        raise RuleViolation("outcome", "closing_needs_outcome")
    unfinished = sum(1 for s in barrier_statuses if s in UNFINISHED_BARRIER_STATUSES)
    if unfinished:
        raise RuleViolation("barriers", "barriers_unfinished", count=unfinished)
