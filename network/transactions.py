"""One unit of work = one database transaction, with the constraint errors PostgreSQL raises
turned into domain errors that name the field (a safety net: services check first).

    async with transaction() as connection:
        await connection.fetchrow("SELECT ...", ...)

Calls nest: an inner `transaction()` joins the outer one (Piccolo's behaviour), so a service
function can call another and both commit or roll back together. Piccolo queries inside the
block run in the same transaction.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresTransaction

from network.database import ENGINE
from network.errors import Conflict, RuleViolation


@asynccontextmanager
async def transaction() -> AsyncIterator[asyncpg.Connection]:
    unit = ENGINE.transaction()
    try:
        async with unit as entered:  # the outer transaction when nested
            yield entered.connection
    except asyncpg.CheckViolationError as error:
        raise RuleViolation(field_of(error), "not_allowed") from None
    except asyncpg.NotNullViolationError as error:
        raise RuleViolation(error.column_name or "body", "required") from None
    except asyncpg.UniqueViolationError as error:
        raise Conflict(field_of(error), "taken") from None
    except asyncpg.ForeignKeyViolationError as error:
        raise RuleViolation(field_of(error), "does_not_exist") from None
    except asyncpg.StringDataRightTruncationError:
        raise RuleViolation("body", "value_too_long") from None
    except BaseException:
        _discard_if_broken(unit)
        raise


async def fetch(sql: str, *args: Any) -> list[asyncpg.Record]:
    """Hand-written SQL with `{}` placeholders (as Piccolo's `raw` takes them), on the
    current transaction's connection (a pooled one outside any). For the write paths'
    statements: Piccolo's `raw` parses the placeholders on every call and copies each row
    into a dict, ~0.05 ms of CPU per statement on top of asyncpg's (issue 18); here the
    placeholders are numbered once per SQL text and the rows stay asyncpg's records
    (read-only mappings)."""
    query = numbered(sql)
    current = ENGINE.current_transaction.get()
    if current is not None:
        return await current.connection.fetch(query, *args)
    if ENGINE.pool is None:
        connection = await ENGINE.get_new_connection()
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()
    async with ENGINE.pool.acquire() as connection:
        return await connection.fetch(query, *args)


# Selected by a write's first statement (`SELECT {GENERIC_PLANS} AS generic_plans, ...`):
# for the rest of its transaction PostgreSQL may keep a generic plan of each statement after
# five runs on a connection, instead of planning it on every run as the pool's
# `database.PLANNING` asks for the lists' sake. For transactions of fixed statements that
# look rows up by key and insert (issue 18: planning them took ~1.4 ms of the database's
# ~5 ms of CPU a referral's creation). The setting ends with the transaction.
GENERIC_PLANS = "set_config('plan_cache_mode', 'auto', true)"

PLACEHOLDER = re.compile(r"\{\}")


@lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """`{}`, `{}` -> `$1`, `$2`: asyncpg's placeholders, in order (remembered per SQL text,
    so for fixed statements)."""
    counter = iter(range(1, sql.count("{}") + 1))
    return PLACEHOLDER.sub(lambda _found: f"${next(counter)}", sql)


def _discard_if_broken(unit: PostgresTransaction) -> None:
    """When the connection is lost, Piccolo's BEGIN, ROLLBACK or the release fail and leave the
    transaction set as the current one (later statements of the task would join it) and its
    connection checked out. End both: the task goes on without it, the pool opens a new one."""
    if unit._parent is not None:
        return  # the outermost transaction owns the connection
    context = getattr(unit, "context", None)
    entered = context is not None
    if entered and ENGINE.current_transaction.get() is not unit:
        return  # rolled back and released as usual
    if entered:
        ENGINE.current_transaction.reset(context)
    connection = getattr(unit, "connection", None)
    if connection is not None:
        with contextlib.suppress(asyncpg.InterfaceError):  # released meanwhile
            connection.terminate()


def field_of(error: asyncpg.IntegrityConstraintViolationError) -> str:
    """`clients_gender_check` -> `gender`; `partners_name_key` -> `name`."""
    name = getattr(error, "constraint_name", None) or ""
    table = getattr(error, "table_name", None) or ""
    if table and name.startswith(table + "_"):
        name = name[len(table) + 1 :]
    for suffix in ("_check", "_fkey", "_key"):
        name = name.removesuffix(suffix)
    return name or "body"


async def in_batches(claim: Callable[[], Awaitable[list[int]]],
                     handle: Callable[[list[int]], Awaitable[None]],
                     batch_size: int) -> list[int]:
    """Claim and handle rows batch by batch, each batch one transaction (a job's pattern:
    `claim` takes up to `batch_size` ids with SKIP LOCKED, so instances share the work),
    until a batch comes back short. Returns every id handled."""
    done: list[int] = []
    while True:
        async with transaction():
            ids = await claim()
            await handle(ids)
        done.extend(ids)
        if len(ids) < batch_size:
            return done
