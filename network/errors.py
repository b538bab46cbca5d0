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


class Malformed(RuleViolation):
    """A value the accounts API refuses as malformed input (a weak password, an address that
    is none): 400, its answer from the start."""


class NotFound(DomainError):
    """The named thing does not exist (or is hidden from the caller): 404. `message` replaces
    the generic wording where the caller should read something more specific."""

    def __init__(self, what: str, identifier: object, message: str | None = None):
        super().__init__(message or f"{what} {identifier} not found")
        self.what = what
        self.identifier = identifier
        self.message = message or f"{what} {identifier} does not exist"


class WrongCredentials(DomainError):
    """The email address or the password is wrong: 401."""

    message = "The email address or the password is wrong."


class LinkUsed(DomainError):
    """A one-time link (the first-run setup link) was used or replaced already: 403."""

    message = "This setup link is no longer valid."


class Throttled(DomainError):
    """Too many failed sign-ins: wait `retry_after` seconds (429)."""

    def __init__(self, retry_after: int):
        minutes = -(-retry_after // 60)
        wait = f"{retry_after} seconds" if retry_after < 120 else f"{minutes} minutes"
        self.retry_after = retry_after
        self.message = f"Too many failed sign-ins. Please wait {wait} before trying again."
        super().__init__(self.message)
