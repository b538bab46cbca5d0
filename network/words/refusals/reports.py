"""Refusal codes of the reports area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "month_format": ("must be a month like 2026-10", "Bitte einen Monat wie 2026-10 angeben."),
}
