"""Reading and writing referrals' appointments (network.referrals.appointments): one row per
referral, replaced when recorded again; the coordinator's upcoming ones within their legal
circle (network.cases.scope)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from network.actors import Actor
from network.cases import scope
from network.filters import Filter
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
    where."""
    referral = Row.referral_id
    where = Filter()
    where.add(Row.starts_at >= since)
    where.add(referral.coordinator_id == coordinator_id)
    where.add(referral.status.is_in([s.value for s in OPEN_FOR_APPOINTMENTS]))
    scope.limit(where, actor, referral.client_id.legal_circle)
    return await where.applied(Row.select(
        Row.referral_id, Row.starts_at, Row.place, referral.client_id.as_alias("client_id"),
        referral.partner_id.name.as_alias("partner_name"),
        referral.barrier_id.kind.as_alias("barrier_kind"),
    )).order_by(Row.starts_at).limit(limit)
