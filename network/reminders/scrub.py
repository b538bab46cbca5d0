"""Erasure of a client's reminders: pending ones are cancelled (nothing more is sent about
the client) and the coordinators' free-text reasons go. Registered in
`network.cases.erasure.SCRUBBERS`."""

from __future__ import annotations

import asyncpg


async def scrub_reminders(connection: asyncpg.Connection, client_id: int) -> None:
    await connection.execute(
        "UPDATE reminders SET status = 'cancelled', cancelled_because = 'client_erased'"
        " WHERE client_id = $1 AND status = 'pending'", client_id)
    # A skipped reminder must keep a reason (constraint): its words go, the fact stays.
    await connection.execute(
        "UPDATE reminders SET reason = CASE WHEN status = 'skipped' THEN '[removed]' END"
        " WHERE client_id = $1 AND reason IS NOT NULL", client_id)
