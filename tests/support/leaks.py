"""Searching for secrets: every log record kept whole, and every stored row as text."""

from __future__ import annotations

import logging
from datetime import date

import asyncpg

from network.transactions import transaction


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


async def text_columns(connection: asyncpg.Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT c.table_name, c.column_name FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
               OR c.udt_name IN ('_text', '_varchar'))
        """)


async def places_holding(*needles: str, birth: date | None = None) -> list[str]:
    """Every text column (of every table) holding one of `needles`, and every date column
    holding `birth`: where a person's data still is (through the open pool)."""
    found = []
    async with transaction() as connection:
        for row in await text_columns(connection):
            table, column = row["table_name"], row["column_name"]
            for needle in needles:
                hits = await connection.fetchval(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE $1',
                    f"%{needle}%")
                if hits:
                    found.append(f"{table}.{column} holds {needle!r}")
        if birth is not None:
            for row in await connection.fetch(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND data_type = 'date'"):
                table, column = row["table_name"], row["column_name"]
                if await connection.fetchval(
                        f'SELECT count(*) FROM "{table}" WHERE "{column}" = $1', birth):
                    found.append(f"{table}.{column} holds the birth date")
    return found
