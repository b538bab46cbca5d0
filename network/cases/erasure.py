"""Pseudonymisation and erasure: a client's personal data go, the figures stay.

What goes: names, the exact birth date (the year stays, for age groups), contact data, the
case number, every free text written about the client (notes, enrolment reason, potential
analysis texts, barrier descriptions and reasons, event notes). What stays: country, gender,
birth year, residence status, legal circle, case kind, status, outcome, dates, barrier kinds
and statuses, qualification kinds, language levels, consents' scopes.

Every table added later that holds data about a client adds its scrub step to SCRUBBERS
(the clients row itself is scrubbed last, in one statement), and
tests/test_erasure.py proves nothing of the client's name is left in any text column.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

import asyncpg

from network.accounts import audit
from network.accounts.access import CurrentUser, user_id
from network.cases.retention import DEFAULT_RETENTION_YEARS, retention_cutoff
from network.cases.service import Client, case_event, load_client, utc_now
from network.cases.values import CaseStatus
from network.errors import RuleViolation
from network.referrals.scrub import scrub_referrals
from network.reminders.scrub import scrub_reminders
from network.transactions import transaction

log = logging.getLogger(__name__)

REMOVED = "[removed]"  # stands in where a text is required by a constraint

Scrubber = Callable[[asyncpg.Connection, int], Awaitable[None]]


async def _scrub_potential_analysis(connection: asyncpg.Connection, client_id: int) -> None:
    await connection.execute(
        "UPDATE potential_analyses SET work_experience = NULL, skills = NULL, notes = NULL"
        " WHERE client_id = $1", client_id)
    await connection.execute(
        "UPDATE qualifications SET title = $2 WHERE client_id = $1", client_id, REMOVED)


async def _scrub_barriers(connection: asyncpg.Connection, client_id: int) -> None:
    await connection.execute(
        """
        UPDATE barriers SET description = NULL,
            unresolvable_reason = CASE WHEN unresolvable_reason IS NULL THEN NULL ELSE $2 END
        WHERE client_id = $1
        """,
        client_id, REMOVED,
    )
    await connection.execute(
        "UPDATE barrier_events SET note = NULL"
        " WHERE barrier_id IN (SELECT id FROM barriers WHERE client_id = $1)", client_id)


async def _scrub_case_events(connection: asyncpg.Connection, client_id: int) -> None:
    await connection.execute("UPDATE case_events SET note = NULL WHERE client_id = $1",
                             client_id)


SCRUBBERS: tuple[Scrubber, ...] = (
    _scrub_potential_analysis,
    _scrub_barriers,
    _scrub_case_events,
    lambda _connection, client_id: scrub_referrals(client_id),  # until ClientPseudonymised
    scrub_reminders,
    # outbox emails, partner link tokens: their issues add a step here
)


async def pseudonymise_client(
    client_id: int, actor: CurrentUser | None, *, now: datetime | None = None
) -> Client:
    """Remove a closed case's personal data; it keeps counting in every report. Running it
    again on a pseudonymised client changes nothing. (An open case is erased, not this.)"""
    now = now or utc_now()
    async with transaction() as connection:
        client = await load_client(connection, client_id, lock=True)
        if client.status is not CaseStatus.CLOSED:
            raise RuleViolation("status", "only a closed case is pseudonymised; erase an open"
                                " one on request")
        if client.pseudonymised_at is None:
            await _scrub(connection, client_id, now)
            await case_event(connection, client_id, "pseudonymised", user_id(actor), now)
            await audit.record(actor, "client.pseudonymised", "client", client_id)
        client = await load_client(connection, client_id)
    log.info("client pseudonymised", extra={"client_id": client_id, "actor_id": user_id(actor)})
    return client


async def erase_client(
    client_id: int, actor: CurrentUser | None, *, now: datetime | None = None
) -> Client:
    """An admin erases a client on request (GDPR Art. 17), open case or not. The same removal
    as pseudonymisation, with the erasure recorded."""
    now = now or utc_now()
    async with transaction() as connection:
        client = await load_client(connection, client_id, lock=True)
        if client.pseudonymised_at is None:
            await _scrub(connection, client_id, now)
        if client.erased_at is None:
            await connection.execute(
                "UPDATE clients SET erased_at = $2, updated_at = $2 WHERE id = $1",
                client_id, now)
            await case_event(connection, client_id, "erased", user_id(actor), now)
            await audit.record(actor, "client.erased", "client", client_id)
        client = await load_client(connection, client_id)
    log.info("client erased", extra={"client_id": client_id, "actor_id": user_id(actor)})
    return client


async def pseudonymise_due(
    now: datetime | None = None, retention_years: int = DEFAULT_RETENTION_YEARS,
    batch_size: int = 500,
) -> list[int]:
    """The retention job: pseudonymise every closed case whose retention period has run out.
    Returns the client ids done. Safe to run in several instances at once (SKIP LOCKED)."""
    now = now or utc_now()
    cutoff = retention_cutoff(now, retention_years)
    done: list[int] = []
    while True:
        async with transaction() as connection:
            rows = await connection.fetch(
                """
                SELECT id FROM clients
                WHERE status = 'closed' AND pseudonymised_at IS NULL AND closed_at <= $1
                ORDER BY closed_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
                """,
                cutoff, batch_size,
            )
            for row in rows:
                await _scrub(connection, row["id"], now)
                await case_event(connection, row["id"], "pseudonymised", None, now,
                                 "retention period over")
                await audit.record(None, "client.pseudonymised", "client", row["id"],
                                   {"by": "retention job"})
        done.extend(row["id"] for row in rows)
        if len(rows) < batch_size:
            break
    if done:
        log.info("retention: clients pseudonymised", extra={"count": len(done)})
    return done


async def _scrub(connection: asyncpg.Connection, client_id: int, now: datetime) -> None:
    for scrub in SCRUBBERS:
        await scrub(connection, client_id)
    # One statement: the table's constraints allow no state in between.
    await connection.execute(
        """
        UPDATE clients SET case_number = NULL, first_name = NULL, last_name = NULL,
            date_of_birth = NULL, phone = NULL, email = NULL, address = NULL, notes = NULL,
            enrolment_reason = NULL, pseudonymised_at = $2, updated_at = $2
        WHERE id = $1
        """,
        client_id, now,
    )
