"""The client's referral slip: which language it is printed in, its texts (one data file per
language in `slips/`, German the fallback for anything missing; the German names of barrier
kinds come from the catalogue, `network.words`), and what to bring by barrier kind. No I/O
beyond reading the packaged text files once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date

from network.cases.values import BarrierKind
from network.clock import BERLIN
from network.words import BARRIER_KINDS
from network.words.translations import FALLBACK, Translations

FOLDER = Path(__file__).with_name("slips")

# Always on the list; then what the partner usually needs for this kind of barrier.
ALWAYS = ("this_slip", "id_document", "residence_document")
BRING: dict[BarrierKind, tuple[str, ...]] = {
    BarrierKind.LANGUAGE: ("language_certificates", "bamf_letter"),
    BarrierKind.QUALIFICATION_RECOGNITION: ("certificates", "certificate_translations", "cv"),
    BarrierKind.RESIDENCE_LEGAL: ("authority_letters",),
    BarrierKind.HEALTH: ("health_insurance_card", "medical_reports"),
    BarrierKind.CHILDCARE: ("children_birth_certificates", "authority_letters"),
    BarrierKind.HOUSING: ("rental_contract", "jobcenter_notice"),
    BarrierKind.SCHOOL: ("school_reports", "certificate_translations"),
    BarrierKind.VOCATIONAL_TRAINING: ("school_reports", "certificates", "cv"),
    BarrierKind.UNIVERSITY: ("certificates", "certificate_translations",
                             "language_certificates"),
    BarrierKind.DOCUMENTS: ("authority_letters",),
    BarrierKind.FINANCIAL: ("jobcenter_notice", "bank_statements", "bills"),
    BarrierKind.MOBILITY: ("driving_licence",),
    BarrierKind.OTHER: ("authority_letters",),
}


@dataclass(frozen=True)
class SlipTexts:
    code: str  # the language's code, for `lang`
    direction: str  # ltr or rtl, for `dir`
    language_name: str  # in the language itself
    text: dict[str, str]
    barrier_kinds: dict[str, str]
    items: dict[str, str]


# German: one word for each barrier kind, as on every page
SLIPS = Translations(FOLDER, {"barrier_kinds": BARRIER_KINDS})


def languages() -> dict[str, str]:
    """The slip's languages: code -> its own name, German first."""
    return SLIPS.languages


def data(code: str) -> dict[str, Any]:
    """A language's slip texts as stored (German with the catalogue's barrier kinds)."""
    return SLIPS.data(code)


def texts(code: str) -> SlipTexts:
    """The texts in `code`; a key the language lacks is taken from German."""
    code, direction, name, parts = SLIPS.merged(code, ("text", "barrier_kinds", "items"))
    return SlipTexts(code, direction, name, **parts)


def language_for(client_languages: Iterable[str], asked: str | None = None) -> str:
    """The language asked for, if there is a slip in it; else the first of the client's
    languages (in the order recorded) that has one; else German."""
    offered = languages()
    if asked in offered:
        return asked  # type: ignore[return-value]
    return next((code for code in client_languages if code in offered), FALLBACK)


def what_to_bring(kind: BarrierKind | str) -> tuple[str, ...]:
    return ALWAYS + BRING.get(BarrierKind(kind), ())


def appointment_when(starts_at: datetime, code: str) -> str:
    """An appointment's day and time as the slip's language writes them (CLDR via Babel),
    in Berlin time: "Montag, 7. Dezember 2026, 10:00"."""
    local = starts_at.astimezone(BERLIN)
    return f"{format_date(local.date(), 'full', locale=code)}, {local:%H:%M}"
