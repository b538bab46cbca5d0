"""The cases' hand-written SQL: what the query builder cannot say in one statement."""

from __future__ import annotations

from datetime import date

from network.cases.tables import Barrier

REMOVED = "[removed]"  # stands in where a text is required by a constraint


async def scrub_barrier_texts(client_id: int) -> None:
    """Every barrier text of the client goes; an unresolvable barrier keeps a reason (its
    constraint), so its reason becomes REMOVED. One statement: the builder has no CASE."""
    await Barrier.raw(
        "UPDATE barriers SET description = NULL, unresolvable_reason ="
        " CASE WHEN unresolvable_reason IS NULL THEN NULL ELSE {} END WHERE client_id = {}",
        REMOVED, client_id)


async def circle_of_referral(referral_id: int) -> str | None:
    """The legal circle of a referral's client (None: no such referral)."""
    rows = await Barrier.raw(
        "SELECT c.legal_circle FROM referrals r JOIN clients c ON c.id = r.client_id"
        " WHERE r.id = {}", referral_id)
    return rows[0]["legal_circle"] if rows else None


async def reach_of_reminder(reminder_id: int) -> tuple[str | None, int | None] | None:
    """Whose a reminder is: the legal circle of its client (through its referral, barrier or
    case) and the coordinator it is addressed to. None: no such reminder."""
    rows = await Barrier.raw(
        "SELECT coalesce(rc.legal_circle, bc.legal_circle, c.legal_circle) AS legal_circle,"
        " m.coordinator_id FROM reminders m"
        " LEFT JOIN referrals r ON r.id = m.referral_id"
        " LEFT JOIN clients rc ON rc.id = r.client_id"
        " LEFT JOIN barriers b ON b.id = m.barrier_id"
        " LEFT JOIN clients bc ON bc.id = b.client_id"
        " LEFT JOIN clients c ON c.id = m.client_id WHERE m.id = {}", reminder_id)
    return (rows[0]["legal_circle"], rows[0]["coordinator_id"]) if rows else None


async def lock_intake(circle: str, born: date) -> None:
    """Serialise intakes of one circle and birth date until the transaction ends, so two
    submits of the same person at once cannot both pass the duplicate check."""
    await Barrier.raw("SELECT pg_advisory_xact_lock(hashtextextended({}, 0))",
                      f"intake:{circle}:{born.isoformat()}")
