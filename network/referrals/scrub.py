"""Erasure of a client's referrals: their free texts go, statuses, reasons codes and dates stay.

Runs when a client is pseudonymised (`network.cases.events.ClientPseudonymised`, subscribed in
`network.referrals.subscribers`), in the transaction of the pseudonymisation. The
referral_events trigger allows exactly this change to the otherwise append-only history:
removing an event's note and reason text. (Hand-written SQL: one statement per table keeps a
reason "given" while its words go, which the query builder would need three updates for.)
"""

from __future__ import annotations

from network.referrals.tables import Referral

REMOVED = "[removed]"  # where a constraint wants a text (a reason stays "given", its words go)


async def scrub_referrals(client_id: int) -> None:
    await Referral.raw(
        """
        UPDATE referrals SET note = NULL,
            reason_text = CASE WHEN reason_text IS NULL THEN NULL ELSE {} END,
            override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE {} END
        WHERE client_id = {}
        """,
        REMOVED, REMOVED, client_id,
    )
    await Referral.raw(
        """
        UPDATE referral_events SET note = NULL,
            reason_text = CASE WHEN reason_text IS NULL THEN NULL ELSE {} END
        WHERE referral_id IN (SELECT id FROM referrals WHERE client_id = {})
          AND (note IS NOT NULL OR reason_text IS NOT NULL)
        """,
        REMOVED, client_id,
    )
    await Referral.raw(  # an appointment's day stays (a date); the place typed goes
        "UPDATE referral_appointments SET place = {} WHERE referral_id IN"
        " (SELECT id FROM referrals WHERE client_id = {})", REMOVED, client_id)
