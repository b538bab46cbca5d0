"""re-export, removed after the merge: the words live in network.words."""

from __future__ import annotations

from network.words import (  # noqa: F401
    AGE_GROUPS,
    BARRIER_KINDS,
    CASE_KINDS,
    COUNTRIES,
    GENDERS,
    LEGAL_CIRCLES,
    OTHER_COUNTRIES,
    OUTCOMES,
    PARTNER_KINDS,
    country,
)
