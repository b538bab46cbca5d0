"""The append-only tables hold against the service's own database connection: TRUNCATE is
refused (also when it comes as the CASCADE of a table they reference), and the histories
refuse edits except the one pseudonymisation makes (removing a note)."""

from __future__ import annotations

import asyncpg
import pytest

from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import SYSTEM_CLOCK
from network.transactions import transaction
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import make_world

APPEND_ONLY = ("audit_log", "referral_events", "barrier_events", "case_events", "reports",
               "partner_messages")


async def count(table: str) -> int:
    async with transaction() as connection:
        return await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608


@pytest.mark.parametrize("statement", [f"TRUNCATE {table}" for table in APPEND_ONLY] + [
    "TRUNCATE referrals CASCADE", "TRUNCATE clients CASCADE", "TRUNCATE barriers CASCADE",
    "TRUNCATE app_user CASCADE", "TRUNCATE audit_log, link_rate_limits RESTART IDENTITY"])
async def test_truncate_is_refused_through_the_services_connection(pool: str,
                                                                   statement: str) -> None:
    await make_world()  # a case with its events, a barrier with its events, audit entries
    before = {table: await count(table) for table in APPEND_ONLY}
    assert before["audit_log"] and before["case_events"] and before["barrier_events"]
    with pytest.raises(asyncpg.RaiseError, match="append-only: TRUNCATE refused"):
        async with transaction() as connection:
            await connection.execute(statement)
    assert {table: await count(table) for table in APPEND_ONLY} == before


@pytest.mark.parametrize("statement", [
    "UPDATE case_events SET event = 'erased'", "UPDATE case_events SET note = 'anders'",
    "DELETE FROM case_events", "UPDATE barrier_events SET to_status = 'resolved'",
    "UPDATE barrier_events SET at = at - interval '1 day', note = NULL",
    "DELETE FROM barrier_events"])
async def test_case_and_barrier_histories_refuse_edits(pool: str, statement: str) -> None:
    await make_world()
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        async with transaction() as connection:
            await connection.execute(statement)


async def test_pseudonymisation_may_still_remove_the_notes_of_the_histories(pool: str) -> None:
    world = await make_world()
    await case_actions.change_barrier_status(SYSTEM_ACTOR, SYSTEM_CLOCK, world.barrier_id,
                                             "unresolvable", reason="verzogen",
                                             note="Familie Haddad zieht nach Köln")
    await case_actions.close_case(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id, "moved_away",
                                  note="Familie Haddad ist verzogen")
    await case_actions.pseudonymise_client(Actor.system("tests"), SYSTEM_CLOCK,
                                           world.client_id)
    async with transaction() as connection:
        notes = await connection.fetch(
            "SELECT note FROM case_events WHERE note IS NOT NULL"
            " UNION ALL SELECT note FROM barrier_events WHERE note IS NOT NULL")
        events = await connection.fetchval("SELECT count(*) FROM case_events")
    assert notes == [] and events >= 3  # opened, closed, pseudonymised: all still there
