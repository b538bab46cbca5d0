"""Finding clients by name: the search condition over the keys `network.name_matching` keeps
on every client (`name_words`, `name_codes`), and the possible duplicates of a person about to
be taken in. Both stay within the actor's legal circle (`network.cases.scope`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from network import name_matching
from network.actors import Actor
from network.cases import scope
from network.cases import tables as t
from network.filters import Filter, escape_like

MOST_DUPLICATES = 10


def _sql(column: Column) -> str:
    return column._meta.get_full_name(with_alias=False)


def narrow_by_name(where: Filter, text: str | None, also: Sequence[Column] = ()) -> None:
    """Every word of `text` must find the client's name (by letters, umlauts and accents
    folded, or by sound) or occur in one of the columns `also` (case number, ...)."""
    for word in name_matching.query(text):
        pattern = "%" + escape_like(word.letters) + "%"
        options: list[Any] = [WhereRaw(f"{_sql(t.Client.name_words)} LIKE {{}} ESCAPE '\\'",
                                       pattern)]
        if word.sound:
            options.append(WhereRaw(f"{_sql(t.Client.name_codes)} LIKE {{}}",
                                    f"% {word.sound} %"))
        options.extend(WhereRaw(f"{_sql(column)} ILIKE {{}} ESCAPE '\\'", pattern)
                       for column in also)
        where.add(reduce(or_, options))


def letters_first(text: str | None) -> QueryString | None:
    """An ORDER BY term (descending) that puts the names every word of `text` finds by its
    letters before those found by sound only ("Mohammed" before "Mahmoud")."""
    typed = name_matching.query(text)
    if not typed:
        return None
    found = " AND ".join(f"{_sql(t.Client.name_words)} LIKE {{}} ESCAPE '\\'" for _ in typed)
    return QueryString(f"coalesce({found}, false)",
                       *("%" + escape_like(word.letters) + "%" for word in typed))


async def possible_duplicates(actor: Actor, first_name: str | None, last_name: str | None,
                              born: date | None, *, except_id: int | None = None
                              ) -> list[dict[str, Any]]:
    """The clients of the actor's circle born on the same day whose name is similar
    (`name_matching.similar`), newest case first: id, names, birth date, status, opened."""
    if born is None or not (first_name or last_name):
        return []
    c = t.Client
    where = Filter()
    scope.limit(where, actor, c.legal_circle)
    where.add(c.date_of_birth == born)
    where.add(c.pseudonymised_at.is_null())
    if except_id is not None:
        where.add(c.id != except_id)
    rows = await where.applied(c.select(
        c.id, c.first_name, c.last_name, c.date_of_birth, c.status, c.opened_at,
        c.coordinator_id)).order_by(c.opened_at, c.id, ascending=False)
    return [row for row in rows
            if name_matching.similar((first_name, last_name),
                                     (row["first_name"], row["last_name"]))][:MOST_DUPLICATES]
