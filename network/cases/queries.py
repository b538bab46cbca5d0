"""The cases' hand-written SQL: what the query builder cannot say in one statement."""

from __future__ import annotations

from network.cases.tables import Barrier

REMOVED = "[removed]"  # stands in where a text is required by a constraint


async def scrub_barrier_texts(client_id: int) -> None:
    """Every barrier text of the client goes; an unresolvable barrier keeps a reason (its
    constraint), so its reason becomes REMOVED. One statement: the builder has no CASE."""
    await Barrier.raw(
        "UPDATE barriers SET description = NULL, unresolvable_reason ="
        " CASE WHEN unresolvable_reason IS NULL THEN NULL ELSE {} END WHERE client_id = {}",
        REMOVED, client_id)
