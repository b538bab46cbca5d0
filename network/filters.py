"""The one WHERE builder of the filtered lists: each filter adds a Piccolo condition, the
search words become ILIKE conditions with their values as parameters, so no user input is
ever spliced into SQL.

    where = Filter()
    where.add(Client.status == "open")
    where.words((Client.first_name, Client.last_name), "amal hadd")
    total = await where.applied(Client.count())
    rows = await where.applied(Client.select()).limit(50)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import and_, or_
from typing import Any, TypeVar

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

Q = TypeVar("Q")


class Filter:
    def __init__(self) -> None:
        self.conditions: list[Any] = []

    def add(self, condition: Any) -> None:
        """A Piccolo condition (`Table.column == value`, `WhereRaw(...)`)."""
        self.conditions.append(condition)

    def raw(self, sql: str, *values: Any) -> None:
        """A condition the builder cannot say; `sql` names its values `{}`."""
        self.conditions.append(WhereRaw(sql, *values))

    def words(self, haystack: Sequence[Column | str], text: str | None) -> None:
        """Each word of `text` must occur (case-insensitively) in one of the columns; a str
        in `haystack` is an SQL text expression (for what a column alone cannot say)."""
        for word in (text or "").split():
            pattern = "%" + escape_like(word) + "%"
            self.add(reduce(or_, [_contains(where, pattern) for where in haystack]))

    @property
    def condition(self) -> Any | None:
        return reduce(and_, self.conditions) if self.conditions else None

    def applied(self, query: Q) -> Q:
        condition = self.condition
        return query if condition is None else query.where(condition)  # type: ignore[attr-defined]


def _contains(where: Column | str, pattern: str) -> Any:
    if isinstance(where, Column):
        return WhereRaw(f"{where._meta.get_full_name(with_alias=False)} ILIKE {{}}"
                        " ESCAPE '\\'", pattern)
    return WhereRaw(f"({where}) ILIKE {{}} ESCAPE '\\'", pattern)


def escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
