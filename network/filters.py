"""Building the WHERE clause of a filtered list: each filter adds a condition and its value as
a numbered parameter, so no user input is ever spliced into SQL."""

from __future__ import annotations

from typing import Any


class Where:
    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.args: list[Any] = []

    def add(self, condition: str, value: Any) -> None:
        """`condition` names its value `$?` (as often as needed)."""
        self.args.append(value)
        self.conditions.append(condition.replace("$?", f"${len(self.args)}"))

    def words(self, haystack: str, text: str | None) -> None:
        """Each word of `text` must occur (case-insensitively) in the SQL text `haystack`."""
        for word in (text or "").split():
            self.add(f"({haystack}) ILIKE $? ESCAPE '\\'", "%" + escape_like(word) + "%")

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) or "true"


def escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
