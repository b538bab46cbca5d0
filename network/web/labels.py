"""re-export, removed after the merge: the words live in network.words."""

from __future__ import annotations

from network.words import *  # noqa: F403
from network.words import VOCABULARIES as FILTERS  # noqa: F401
from network.words.refusals.legacy import german as message  # noqa: F401
