"""Refusal codes of the reports area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
}
