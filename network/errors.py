"""Domain errors that actions and services raise; the HTTP layer maps them to problem details,
the pages show them next to the field.

A refusal names the field at fault and a code with its parameters; the wording comes from the
catalogue (`network.words`), in English for the API and in German for pages and emails:

    raise RuleViolation("note", "too_long", max=5000)
    error.message  -> "must be at most 5000 characters"   (API problem details)
    error.german   -> "Höchstens 5000 Zeichen."             (pages)
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal a caller can fix."""


class RuleViolation(DomainError):
    """Input breaks a rule (a value out of range, a missing reason, a refused change): 4xx."""

    def __init__(self, field: str, code: str, /, **params: Any):
        self.field = field
        self.code = code
        self.params = params
        super().__init__(f"{field}: {code}")

    @property
    def message(self) -> str:
        from network.words.refusals import refusal

        return refusal(self.code, self.params, "en")

    @property
    def german(self) -> str:
        from network.words.refusals import refusal

        return refusal(self.code, self.params, "de")

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class Conflict(RuleViolation):
    """The input is well-formed but clashes with what is stored (a duplicate name): 409."""


class NotPermitted(RuleViolation):
    """This actor may not make this change (a partner closing for the coordinator): 403."""


class NotFound(DomainError):
    """The named thing does not exist (or is hidden from the caller): 404."""

    def __init__(self, what: str, identifier: object):
        super().__init__(f"{what} {identifier} not found")
        self.what = what
        self.identifier = identifier
