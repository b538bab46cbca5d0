"""Turning posted form text into the values the services take, collecting an error per field
instead of stopping at the first, so a person sees everything to fix at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from network.errors import RuleViolation
from network.web.render import Form


def text(form: Form, name: str, required: bool = False) -> str | None:
    value = str(form.values.get(name, "") or "").strip()
    if not value:
        if required:
            form.refuse(name, "required")
        return None
    return value


def day(form: Form, name: str, required: bool = False) -> date | None:
    value = text(form, name, required)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        form.refuse(name, "page.date_format")
        return None


def number(form: Form, name: str) -> int | None:
    value = text(form, name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 6:
        form.refuse(name, "page.whole_number")
        return None
    return int(value)


def many(data: Any, name: str) -> list[str]:
    """All values of a repeated field (checkboxes)."""
    return [str(v) for v in data.getall(name, [])] if hasattr(data, "getall") else []


def rows(form: Form, prefix: str, count: int, keys: Sequence[str],
         filled: Callable[[dict[str, str]], bool]) -> list[tuple[int, dict[str, str]]]:
    """Numbered rows `prefix[i].key` of a repeated group, the filled ones with their index."""
    found = []
    for index in range(count):
        row = {key: str(form.values.get(f"{prefix}[{index}].{key}", "")).strip() for key in keys}
        if filled(row):
            found.append((index, row))
    return found


def language_rows(form: Form, count: int) -> list[tuple[int, dict[str, str]]]:
    """The filled rows of a client's languages (`languages[i].language` and `.level`) in the
    order typed: the first is the main language. A half-filled row is refused."""
    found = rows(form, "languages", count, ("language", "level"),
                 lambda row: bool(row["language"] or row["level"]))
    for index, row in found:
        for key in ("language", "level"):
            if not row[key]:
                form.refuse(f"languages[{index}].{key}", "required")
    return found


def renumber(violation: RuleViolation, prefix: str, indexes: list[int]) -> RuleViolation:
    """A service error on `prefix[k]...` of the k-th filled row, as the form row's name."""
    field = violation.field
    if field.startswith(prefix + "["):
        inside, _, rest = field[len(prefix) + 1:].partition("]")
        if inside.isdigit() and int(inside) < len(indexes):
            return type(violation)(f"{prefix}[{indexes[int(inside)]}]{rest}", violation.code,
                                   **violation.params)
    return violation
