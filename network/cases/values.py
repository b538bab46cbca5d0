"""The closed vocabularies of a case. Each mirrors a CHECK constraint in the cases migration
(tests/test_vocabularies.py holds them together)."""

from __future__ import annotations

from enum import StrEnum

from network.accounts.access import LegalCircle  # staff and clients share the legal circles

__all__ = ["LegalCircle"]  # re-exported: the cases code names it from here


class BarrierKind(StrEnum):
    LANGUAGE = "language"
    QUALIFICATION_RECOGNITION = "qualification_recognition"
    RESIDENCE_LEGAL = "residence_legal"
    HEALTH = "health"
    CHILDCARE = "childcare"
    HOUSING = "housing"
    # "schooling/education" in three parts, so the education track can offer each one.
    SCHOOL = "school"
    VOCATIONAL_TRAINING = "vocational_training"
    UNIVERSITY = "university"
    DOCUMENTS = "documents"
    FINANCIAL = "financial"
    MOBILITY = "mobility"
    OTHER = "other"


EDUCATION_BARRIER_KINDS = (
    BarrierKind.SCHOOL,
    BarrierKind.VOCATIONAL_TRAINING,
    BarrierKind.UNIVERSITY,
)


class BarrierStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    UNRESOLVABLE = "unresolvable"


UNFINISHED_BARRIER_STATUSES = (BarrierStatus.OPEN, BarrierStatus.IN_PROGRESS)


class CaseKind(StrEnum):
    FIRST_CONSULTATION = "first_consultation"
    ENROLLED = "enrolled"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Outcome(StrEnum):
    EMPLOYMENT = "employment"
    VOCATIONAL_TRAINING = "vocational_training"
    SCHOOL = "school"
    UNIVERSITY = "university"
    MOVED_AWAY = "moved_away"
    NO_LONGER_ELIGIBLE = "no_longer_eligible"
    OTHER = "other"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    DIVERSE = "diverse"
    UNSPECIFIED = "unspecified"


class ResidenceStatus(StrEnum):
    PERMISSION_TO_RESIDE = "permission_to_reside"  # Aufenthaltsgestattung (asylum procedure)
    RESIDENCE_PERMIT = "residence_permit"  # Aufenthaltserlaubnis
    TOLERATION = "toleration"  # Duldung
    SETTLEMENT_PERMIT = "settlement_permit"  # Niederlassungserlaubnis
    OTHER = "other"


class CefrLevel(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class QualificationKind(StrEnum):
    SCHOOL = "school"
    VOCATIONAL = "vocational"
    ACADEMIC = "academic"
