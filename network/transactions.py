"""One unit of work = one database transaction, with the constraint errors PostgreSQL raises
turned into domain errors that name the field (a safety net: services check first).

    async with transaction() as connection:
        await connection.fetchrow("SELECT ...", ...)

Calls nest: an inner `transaction()` joins the outer one (Piccolo's behaviour), so a service
function can call another and both commit or roll back together. Piccolo queries inside the
block run in the same transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from network.database import ENGINE
from network.errors import Conflict, RuleViolation


@asynccontextmanager
async def transaction() -> AsyncIterator[asyncpg.Connection]:
    try:
        async with ENGINE.transaction() as unit:
            yield unit.connection
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


def field_of(error: asyncpg.IntegrityConstraintViolationError) -> str:
    """`clients_gender_check` -> `gender`; `partners_name_key` -> `name`."""
    name = getattr(error, "constraint_name", None) or ""
    table = getattr(error, "table_name", None) or ""
    if table and name.startswith(table + "_"):
        name = name[len(table) + 1 :]
    for suffix in ("_check", "_fkey", "_key"):
        name = name.removesuffix(suffix)
    return name or "body"
