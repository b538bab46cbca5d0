"""Which material fits a client: pure. An item fits when its topic is one of the kinds of the
client's open barriers or a general topic, it is not retired, and it exists in one of the
client's languages (in their order: the main language first) or else in German. An item past
its review date is still listed, but flagged, so nobody hands it out unawares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from network.words.materials import GENERAL_TOPICS

FALLBACK = "de"


@dataclass(frozen=True)
class Offer:
    material_id: int
    title: str
    topic: str
    language: str
    overdue: bool
    fallback: bool  # German because the client's languages are missing


def language_for(available: Sequence[str], client_languages: Sequence[str]) -> str | None:
    for code in client_languages:
        if code in available:
            return code
    return FALLBACK if FALLBACK in available else None


def offers(items: Iterable[object], open_kinds: Iterable[str], client_languages: Sequence[str],
           today: date) -> list[Offer]:
    """`items` have id, title, topic, languages, review_on, retired_at."""
    wanted = set(open_kinds) | set(GENERAL_TOPICS)
    rank = {code: i for i, code in enumerate([*client_languages, FALLBACK])}
    found = []
    for item in items:
        if item.retired_at is not None or item.topic not in wanted:  # type: ignore[attr-defined]
            continue
        language = language_for(item.languages, client_languages)  # type: ignore[attr-defined]
        if language is None:
            continue
        found.append(Offer(item.id, item.title, item.topic, language,  # type: ignore[attr-defined]
                           overdue=item.review_on < today,  # type: ignore[attr-defined]
                           fallback=language not in client_languages))
    return sorted(found, key=lambda o: (rank[o.language], o.title.casefold()))
