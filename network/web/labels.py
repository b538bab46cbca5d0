"""re-export, removed after the merge: the words live in network.words."""

from __future__ import annotations

from network.words import (  # noqa: F401
    AUDIT_ACTIONS,
    BARRIER_KINDS,
    BARRIER_STATUSES,
    CASE_KINDS,
    CASE_STATUSES,
    COUNTRIES,
    DECLINE_REASONS,
    ENTITIES,
    GENDERS,
    LANGUAGES,
    LEGAL_CIRCLES,
    OUTCOMES,
    PARTNER_KINDS,
    QUALIFICATION_KINDS,
    REFERRAL_ACTIONS,
    REFERRAL_EVENTS,
    REFERRAL_OUTCOMES,
    REFERRAL_STATUSES,
    REMINDER_KINDS,
    REMINDER_STATUSES,
    RESIDENCE_STATUSES,
    ROLES,
    country,
    language,
)
from network.words import VOCABULARIES as FILTERS  # noqa: F401
from network.words.refusals.legacy import german as message  # noqa: F401
