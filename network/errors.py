"""Domain errors that service functions raise; the HTTP layer maps them to problem details.

They carry the field at fault so a response can name it (`RuleViolation("outcome", ...)`
becomes a 4xx whose `errors` list holds {"field": "outcome", "message": ...}).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal a caller can fix."""


class RuleViolation(DomainError):
    """Input breaks a rule (a value out of range, a missing reason, a refused change): 4xx."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


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
