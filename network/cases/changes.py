"""What an edit changed: the fields whose value differs, each with its value before and after
as plain JSON (dates as ISO text, codes as text, languages as [code, level] pairs in their
order). Pure; the actions store the result in the case history (case_changes) and name only
the fields in the audit entry, since the values are personal data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def plain(value: Any) -> Any:
    """A stored value as JSON: enums by their code, dates in ISO form, language skills as
    [code, level] pairs (in their order: the first is the main language)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if hasattr(value, "language") and hasattr(value, "level"):
        return [value.language, plain(value.level)]
    return value


def differences(before: Any, after: Any, fields: Iterable[str]) -> tuple[Change, ...]:
    """The changes between two records (objects with the named attributes), in `fields`'
    order; an unchanged field is left out."""
    found = []
    for name in fields:
        old, new = plain(getattr(before, name)), plain(getattr(after, name))
        if old != new:
            found.append(Change(name, old, new))
    return tuple(found)


def as_json(changes: Iterable[Change]) -> list[dict[str, Any]]:
    return [{"field": c.field, "before": c.before, "after": c.after} for c in changes]


def from_json(items: Iterable[dict[str, Any]] | None) -> tuple[Change, ...]:
    return tuple(Change(i["field"], i.get("before"), i.get("after")) for i in items or ())
