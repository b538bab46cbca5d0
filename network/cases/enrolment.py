"""Who may be enrolled in the programme. A first consultation is open to everyone; enrolment
is meant for good prospects of staying, and an exception needs a reason written down."""

from __future__ import annotations

from network.cases.values import CaseKind
from network.errors import RuleViolation


def check_enrolment(case_kind: CaseKind, good_prospects: bool, reason: str | None) -> None:
    """Raise RuleViolation on the field `enrolment_reason` when enrolment is not justified."""
    if case_kind is CaseKind.FIRST_CONSULTATION:
        return
    if good_prospects:
        return
    if reason is None or not reason.strip():
        raise RuleViolation("enrolment_reason", "enrolment_needs_reason")
