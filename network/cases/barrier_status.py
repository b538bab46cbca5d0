"""The barrier state machine: which status changes are allowed, and what each one needs.

open <-> in_progress; either -> resolved, or -> unresolvable with a reason; a finished barrier
can be reopened (the problem came back) while the case is open.
"""

from __future__ import annotations

from network.cases.values import BarrierStatus
from network.errors import RuleViolation

S = BarrierStatus
TRANSITIONS: dict[BarrierStatus, frozenset[BarrierStatus]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.RESOLVED, S.UNRESOLVABLE}),
    S.IN_PROGRESS: frozenset({S.OPEN, S.RESOLVED, S.UNRESOLVABLE}),
    S.RESOLVED: frozenset({S.OPEN}),
    S.UNRESOLVABLE: frozenset({S.OPEN}),
}
FINISHED = frozenset({S.RESOLVED, S.UNRESOLVABLE})


def check_change(current: BarrierStatus, target: BarrierStatus, reason: str | None) -> None:
    """Raise RuleViolation naming `status` or `unresolvable_reason` when the change is refused."""
    if target not in TRANSITIONS[current]:
        raise RuleViolation("status", "barrier_transition", current=current, target=target)
    if target is S.UNRESOLVABLE and (reason is None or not reason.strip()):
        raise RuleViolation("unresolvable_reason", "unresolvable_needs_reason")


def is_finished(status: BarrierStatus) -> bool:
    return status in FINISHED
