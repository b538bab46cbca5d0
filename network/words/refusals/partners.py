"""Refusal codes of the partners area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
}
