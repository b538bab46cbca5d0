"""re-export, removed after the merge: the words live in network.words."""

from __future__ import annotations

from network.clock import BERLIN  # noqa: F401
from network.words import DECLINE_REASONS, day, moment  # noqa: F401
from network.words import REFERRAL_OUTCOMES as OUTCOMES  # noqa: F401
from network.words import REFERRAL_STATUSES as STATUSES  # noqa: F401
