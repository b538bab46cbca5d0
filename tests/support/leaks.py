"""Searching for secrets: every log record kept whole, and every stored row as text."""

from __future__ import annotations

import logging

import asyncpg


class KeepEverything(logging.Handler):
    """Keeps each record's message and all its fields (extra included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage() + " " + repr(vars(record)))


async def everything_stored(database_url: str) -> str:
    """Every row of every table as text (bytea shows as hex, so hex is searched too)."""
    connection = await asyncpg.connect(database_url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        texts = []
        for table in tables:
            rows = await connection.fetch(f'SELECT row_to_json(t)::text FROM "{table[0]}" t')
            texts += [row[0] for row in rows]
    finally:
        await connection.close()
    return "\n".join(texts)
