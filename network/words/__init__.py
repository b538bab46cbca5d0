"""The catalogue: every word the product shows, in one place.

Pages, emails, partner pages, the monthly report, the client's slip and the CLI take their
German from here: the names of statuses, kinds, outcomes and reasons, audit actions
(`vocabularies`), the wording of every refusal (`network.words.refusals`), countries and
languages (`places`: CLDR through Babel) and dates (`dates`: Babel, de_DE, Europe/Berlin).
The services and the API keep their English codes; nothing outside this package translates
them. This package imports no domain module (the maps are keyed by the plain string codes).
"""

from __future__ import annotations

from typing import Any

from network.words import case_history as case_history  # templates: words.case_history
from network.words import data_request as data_request  # templates: words.data_request
from network.words.dates import (
    clock_time,
    day,
    duration,
    moment,
    month,
    month_name,
    short_month,
)
from network.words.notices import NOTICES
from network.words.places import (
    COUNTRIES,
    LANGUAGES,
    MUNICIPALITIES,
    MUNICIPALITY_CHOICES,
    WHOLE_DISTRICT,
    collation_key,
    country,
    language,
)
from network.words.vocabularies import (
    AGE_GROUPS,
    AUDIT_ACTIONS,
    BARRIER_KINDS,
    BARRIER_STATUSES,
    CASE_KINDS,
    CASE_STATUSES,
    DECLINE_REASONS,
    ENTITIES,
    GENDERS,
    HANDOVER_STATUSES,
    LEGAL_CIRCLES,
    OTHER_COUNTRIES,
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
)

# The vocabularies by the name the pages' `label` filter uses: `{{ x|label("gender") }}`.
VOCABULARIES: dict[str, dict[str, str]] = {
    "barrier_kind": BARRIER_KINDS, "barrier_status": BARRIER_STATUSES, "case_kind": CASE_KINDS,
    "case_status": CASE_STATUSES, "outcome": OUTCOMES, "gender": GENDERS,
    "residence_status": RESIDENCE_STATUSES, "legal_circle": LEGAL_CIRCLES,
    "qualification_kind": QUALIFICATION_KINDS, "age_group": AGE_GROUPS, "role": ROLES,
    "partner_kind": PARTNER_KINDS, "audit_action": AUDIT_ACTIONS, "entity": ENTITIES,
    "referral_status": REFERRAL_STATUSES, "referral_action": REFERRAL_ACTIONS,
    "decline_reason": DECLINE_REASONS, "referral_outcome": REFERRAL_OUTCOMES,
    "referral_event": REFERRAL_EVENTS, "reminder_kind": REMINDER_KINDS,
    "reminder_status": REMINDER_STATUSES, "country": COUNTRIES, "language": LANGUAGES,
}


def label(value: Any, vocabulary: str) -> str:
    """The German word for `value` in `vocabulary`; an unknown value is shown as it is."""
    if value is None:
        return ""
    return VOCABULARIES[vocabulary].get(value, str(value))


__all__ = [
    "AGE_GROUPS", "AUDIT_ACTIONS", "BARRIER_KINDS", "BARRIER_STATUSES", "CASE_KINDS",
    "CASE_STATUSES", "COUNTRIES", "DECLINE_REASONS", "ENTITIES", "GENDERS", "HANDOVER_STATUSES",
    "LANGUAGES",
    "LEGAL_CIRCLES", "MUNICIPALITIES", "MUNICIPALITY_CHOICES", "NOTICES", "WHOLE_DISTRICT",
    "OTHER_COUNTRIES", "OUTCOMES", "PARTNER_KINDS",
    "QUALIFICATION_KINDS", "REFERRAL_ACTIONS", "REFERRAL_EVENTS", "REFERRAL_OUTCOMES",
    "REFERRAL_STATUSES", "REMINDER_KINDS", "REMINDER_STATUSES", "RESIDENCE_STATUSES", "ROLES",
    "VOCABULARIES", "clock_time", "collation_key", "country", "day", "duration", "label",
    "language",
    "moment", "month", "month_name", "short_month",
]
