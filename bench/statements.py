"""The statement recorder shared by the benchmarks and tests/test_statement_counts.py: every
statement any asyncpg connection of this process sends while it is active (BEGIN and COMMIT
included, as asyncpg sends them through `execute`). Light on purpose: no benchmark imports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STATEMENT_METHODS = ("fetch", "fetchrow", "fetchval", "execute")


@contextmanager
def recorded_statements() -> Iterator[list[tuple[str, str, tuple[Any, ...]]]]:
    """Every (method, SQL, arguments) any asyncpg connection of this process sends meanwhile:
    how many round trips a service call makes, and which SQL to replay on the raw side."""
    from asyncpg.connection import Connection

    seen: list[tuple[str, str, tuple[Any, ...]]] = []
    originals = {name: getattr(Connection, name) for name in STATEMENT_METHODS}

    def wrap(name: str) -> Any:
        async def recorder(self: Connection, query: str, *args: Any, **kwargs: Any) -> Any:
            seen.append((name, query, args))
            return await originals[name](self, query, *args, **kwargs)
        return recorder

    for name in STATEMENT_METHODS:
        setattr(Connection, name, wrap(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(Connection, name, original)


def transactions_in(seen: list[tuple[str, str, tuple[Any, ...]]]) -> int:
    """How many transactions the recorded statements opened."""
    return sum(1 for _name, query, _args in seen if query.strip().upper().startswith("BEGIN"))
