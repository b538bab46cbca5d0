"""The partner picker's words: one line per candidate saying why it stands where it stands
(its fit and its figures over the last 12 months), and the capacity-pause warning. Plain
values in, German out (the rule itself is network.partners.ranking)."""

from __future__ import annotations

from datetime import date

from network.words.dates import day

THIN = "noch wenig Erfahrung"
PAUSED = "keine Aufnahme bis {until}"


def _working_days(days: float) -> str:
    whole = int(days + 0.5)  # round half up: 1.5 -> 2
    if whole == 0:
        return "am selben Arbeitstag"
    return "in 1 Arbeitstag" if whole == 1 else f"in {whole} Arbeitstagen"


def _open(count: int) -> str:
    return "nichts offen" if count == 0 else f"{count} offen"


def evidence_line(*, enough: bool, sent: int, decided: int, accepted: int,
                  median_days: float | None, finished: int, removed: int, open_now: int,
                  minimum: int) -> str:
    """"antwortet meist in 2 Arbeitstagen, nimmt 8 von 10 an, 3 offen"; fewer than `minimum`
    decided referrals: "noch wenig Erfahrung (2 Vermittlungen in 12 Monaten), 1 offen"."""
    if not enough:
        sent_words = "keine Vermittlung" if sent == 0 else (
            "1 Vermittlung" if sent == 1 else f"{sent} Vermittlungen")
        return f"{THIN} ({sent_words} in 12 Monaten), {_open(open_now)}"
    parts = ["antwortet selten" if median_days is None
             else f"antwortet meist {_working_days(median_days)}",
             f"nimmt {accepted} von {decided} an"]
    if finished >= minimum:
        parts.append(f"{removed} von {finished} mit behobenem Hindernis abgeschlossen")
    parts.append(_open(open_now))
    return ", ".join(parts)


def fit_line(*, speaks_main: bool, main_language: str | None, serves: bool,
             municipality: str | None) -> str:
    """What does not fit, e.g. "spricht kein Arabisch; nicht zuständig für Wegberg" ("" when
    everything fits)."""
    misses = []
    if not speaks_main and main_language:
        misses.append(f"spricht nicht {main_language}")
    if not serves and municipality:
        misses.append(f"nicht zuständig für {municipality}")
    return "; ".join(misses)


def paused_warning(until: date) -> str:
    return PAUSED.format(until=day(until))
