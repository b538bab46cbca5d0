"""re-export, removed after the merge: the words live in network.words."""

from __future__ import annotations

from network import words
from network.clock import BERLIN  # noqa: F401
from network.referrals.lifecycle import DeclineReason, Outcome, Status
from network.words import day, moment  # noqa: F401

# Keyed by the enums as before, so callers that read `.value` off the keys keep working.
STATUSES = {Status(code): word for code, word in words.REFERRAL_STATUSES.items()}
DECLINE_REASONS = {DeclineReason(code): word for code, word in words.DECLINE_REASONS.items()}
OUTCOMES = {Outcome(code): word for code, word in words.REFERRAL_OUTCOMES.items()}
