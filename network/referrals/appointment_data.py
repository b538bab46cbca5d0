"""Reading and writing referrals' appointments (network.referrals.appointments): one row per
referral, replaced when recorded again; the coordinator's upcoming ones within their legal
circle (network.cases.scope)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from network.actors import Actor
from network.cases import scope
from network.referrals.appointments import OPEN_FOR_APPOINTMENTS, Appointment
from network.referrals.tables import ReferralAppointment as Row


async def save(appointment: Appointment) -> None:
    values = {Row.starts_at: appointment.starts_at, Row.place: appointment.place,
              Row.recorded_at: appointment.recorded_at,
              Row.recorded_by_user: appointment.recorded_by_user,
              Row.recorded_by_partner: appointment.recorded_by_partner}
    updated = await Row.update(values).where(
        Row.referral_id == appointment.referral_id).returning(Row.referral_id)
    if not updated:
        await Row.insert(Row(referral_id=appointment.referral_id,
                             **{column._meta.name: value for column, value in values.items()}))


def _appointment(row: dict[str, Any]) -> Appointment:
    return Appointment(row["referral_id"], row["starts_at"], row["place"], row["recorded_at"],
                       row["recorded_by_user"], row["recorded_by_partner"])


async def of_referral(referral_id: int) -> Appointment | None:
    row = await Row.select().where(Row.referral_id == referral_id).first()
    return None if row is None else _appointment(row)


async def of_referrals(referral_ids: Iterable[int]) -> dict[int, Appointment]:
    ids = sorted(set(referral_ids))
    if not ids:
        return {}
    rows = await Row.select().where(Row.referral_id.is_in(ids))
    return {row["referral_id"]: _appointment(row) for row in rows}


async def upcoming(actor: Actor, coordinator_id: int, since: datetime, limit: int
                   ) -> list[dict[str, Any]]:
    """The coordinator's appointments from `since` on, soonest first, of referrals still
    open for one, within the actor's circle: referral, client, partner, barrier kind, when,
    where. Hand-written SQL: the dashboard asks on every load, and the query builder's
    joins through foreign keys (each a deep copy of the column) cost more CPU than the
    query itself."""
    circle, circle_args = scope.sql(actor, "c.legal_circle")
    return await Row.raw(
        "SELECT a.referral_id, a.starts_at, a.place, r.client_id,"
        " p.name AS partner_name, b.kind AS barrier_kind"
        " FROM referral_appointments a JOIN referrals r ON r.id = a.referral_id"
        " JOIN clients c ON c.id = r.client_id JOIN partners p ON p.id = r.partner_id"
        " JOIN barriers b ON b.id = r.barrier_id"
        " WHERE a.starts_at >= {} AND r.coordinator_id = {} AND r.status = ANY ({}::text[])"
        f" AND {circle} ORDER BY a.starts_at, a.referral_id LIMIT {int(limit)}",
        since, coordinator_id, sorted(s.value for s in OPEN_FOR_APPOINTMENTS), *circle_args)
