"""The reports' hand-written SQL: what Piccolo's query builder cannot say. The month's
advisory lock, the read-only snapshot the sections count in, and the sections' aggregates
(their SQL lives with each section in `network.reports.sections`, run through `rows` and
`value` here, in the caller's transaction). Plain reads and writes of stored reports use the
`Report` table class (`network.reports.service`)."""

from __future__ import annotations

from typing import Any

import asyncpg

from network.database import ENGINE
from network.reports.period import ReportMonth
from network.reports.tables import Report

LOCK_CLASS = 0x7265  # "re": advisory locks on (LOCK_CLASS, yyyymm) guard a month's versions


async def lock_month(month: ReportMonth) -> None:
    """Until the transaction ends, nobody else numbers or issues a version of `month`."""
    await Report.raw("SELECT pg_advisory_xact_lock({}, {})", LOCK_CLASS, month.lock_id)


async def snapshot() -> None:
    """The first statement of a report's transaction: every section counts from one
    consistent, read-only view of the database."""
    await Report.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _connection() -> asyncpg.Connection:
    unit = ENGINE.current_transaction.get()
    if unit is None:
        raise RuntimeError("report aggregates run inside the report's transaction")
    return unit.connection


async def rows(sql: str, *args: Any) -> list[asyncpg.Record]:
    """An aggregate's rows (`$1`-style parameters), in the caller's transaction."""
    return await _connection().fetch(sql, *args)


async def value(sql: str, *args: Any) -> Any:
    """An aggregate's single value, in the caller's transaction."""
    return await _connection().fetchval(sql, *args)
