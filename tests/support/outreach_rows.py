"""Prospects and their contact attempts inserted as rows (the outreach schema is given,
migrations/m2026_11_30_0200_outreach.py), for the tests of letters, retention and the
report's outreach figures, which do not depend on how the rows were entered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from network.transactions import transaction


async def insert(table: str, **values: Any) -> int:
    names = ", ".join(values)
    marks = ", ".join(f"${n}" for n in range(1, len(values) + 1))
    async with transaction() as connection:
        return await connection.fetchval(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", *values.values())


async def prospect(added_at: datetime, **values: Any) -> int:
    """A waiting prospect of SGB II from a shelter list, unless `values` say otherwise."""
    row = {"legal_circle": "sgb2", "first_name": "Amal", "last_name": "Haddad",
           "source": "shelter", "languages": ["ar"], "added_at": added_at,
           "updated_at": added_at, **values}
    return await insert("prospects", **row)


async def contact(prospect_id: int, on_day: date, outcome: str = "reached",
                  recorded_at: datetime | None = None, **values: Any) -> int:
    at = recorded_at or datetime.combine(on_day, time(12), tzinfo=UTC)
    return await insert("prospect_contacts", prospect_id=prospect_id, on_day=on_day,
                        channel=values.pop("channel", "phone"), outcome=outcome,
                        recorded_at=at, **values)
