"""Erasure of a client's referrals: their free texts go, statuses, reasons codes and dates stay.

Registered in `network.cases.erasure.SCRUBBERS`. The referral_events trigger allows exactly
this change to the otherwise append-only history: removing an event's note and reason text.
"""

from __future__ import annotations

import asyncpg

REMOVED = "[removed]"  # where a constraint wants a text (a reason stays "given", its words go)


async def scrub_referrals(connection: asyncpg.Connection, client_id: int) -> None:
    await connection.execute(
        """
        UPDATE referrals SET note = NULL,
            reason_text = CASE WHEN reason_text IS NULL THEN NULL ELSE $2 END,
            override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE $2 END
        WHERE client_id = $1
        """,
        client_id, REMOVED,
    )
    await connection.execute(
        """
        UPDATE referral_events SET note = NULL,
            reason_text = CASE WHEN reason_text IS NULL THEN NULL ELSE $2 END
        WHERE referral_id IN (SELECT id FROM referrals WHERE client_id = $1)
          AND (note IS NOT NULL OR reason_text IS NOT NULL)
        """,
        client_id, REMOVED,
    )
