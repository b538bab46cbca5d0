"""Consent to share a client's data with partners: does a consent cover a partner kind at a
moment? No referral may go out without one that does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from network.partners.kinds import PartnerKind


@dataclass(frozen=True)
class ConsentTerms:
    given_at: datetime
    partner_kinds: frozenset[PartnerKind]
    withdrawn_at: datetime | None = None


def covers(consent: ConsentTerms, kind: PartnerKind, at: datetime) -> bool:
    """Given by `at`, not yet withdrawn at `at` (withdrawal takes effect at its moment),
    and the partner's kind is in the scope."""
    if consent.given_at > at:
        return False
    if consent.withdrawn_at is not None and consent.withdrawn_at <= at:
        return False
    return kind in consent.partner_kinds


def any_covers(consents: Iterable[ConsentTerms], kind: PartnerKind, at: datetime) -> bool:
    return any(covers(consent, kind, at) for consent in consents)
