"""What the referral actions announce, inside their transaction (see network.events).

Subscribers (wired in network.composition): the referral emails (network.referrals.emails)
and the reminder chains (network.reminders). Events carry ids and facts of the change, never
personal data; a subscriber reads what it needs in the same transaction. The referral's
barrier and client come along (ids the reminder chains need), so no subscriber reads them
back; so does a new referral's reminder rule, read with its checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from network.actors import Actor
from network.referrals.lifecycle import Change, Status


@dataclass(frozen=True)
class ReferralCreated:
    referral_id: int
    status: Status  # draft or sent
    handed_off_from: int | None  # opened by a handoff of that referral
    actor: Actor
    at: datetime
    barrier_id: int
    client_id: int
    # The stored reminder rule of the partner's kind, a `reminder_rules` row (None: none
    # stored), read with the referral's checks for the chain it starts (network.reminders).
    reminder_rule: Mapping[str, Any] | None


@dataclass(frozen=True)
class ReferralStatusChanged:
    referral_id: int
    change: Change  # from, to, party, reason, outcome, handoff, what it closes or resolves
    actor: Actor
    at: datetime
    barrier_id: int
    client_id: int
    hold_until: date | None = None  # on hold until that day (to on_hold only)


@dataclass(frozen=True)
class ReferralCoordinatorChanged:
    referral_id: int
    previous_coordinator_id: int
    coordinator_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class PartnerWrote:
    """A partner sent the coordinator a message from its link page (the text goes into the
    email only, never into the event log)."""

    referral_id: int
    text: str
    actor: Actor
    at: datetime
