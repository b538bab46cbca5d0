"""How each refusal code reads: in English for the API's problem details, in German for pages
and emails. One module per area holds its codes, as {code: (english, german)}; the parameters
a service raised with fill the `{placeholders}`.

A code that is not in the catalogue is a programming error caught by tests
(tests/test_words.py, which reads every refusal raised in network/).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from network.words.refusals import (
    accounts,
    appointments,
    case_history,
    cases,
    common,
    consent_forms,
    finding,
    hold,
    materials,
    outreach,
    pages,
    partners,
    referrals,
    reminders,
    reports,
    user_admin,
)

UNKNOWN = "Diese Angabe ist so nicht möglich."

Language = Literal["en", "de"]
# Parameters only the English wording shows: they list English codes for API clients, which a
# German page does not repeat (it offers the choices next to the field instead).
ENGLISH_ONLY = frozenset({"allowed"})

REFUSALS: dict[str, tuple[str, str]] = {}
for _area in (common, accounts, cases, case_history, partners, referrals, reminders, reports,
              pages, materials, finding, appointments, consent_forms, outreach, user_admin,
              hold):
    for _code, _words in _area.REFUSALS.items():
        if _code in REFUSALS:
            raise RuntimeError(f"refusal code {_code!r} is defined twice")
        REFUSALS[_code] = _words


def refusal(code: str, params: Mapping[str, Any], language: Language = "de") -> str:
    words = REFUSALS.get(code)
    if words is None:  # a programming error that tests/test_words.py catches; still no 500
        return code if language == "en" else UNKNOWN
    text = words[0] if language == "en" else words[1]
    return text.format(**params) if params else text
