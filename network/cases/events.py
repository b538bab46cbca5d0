"""What the case actions announce, inside their transaction (see network.events).

Subscribers (wired in network.composition): the reminders (cancel what became moot, plan
what is new) and the referrals (scrub a pseudonymised client's referral texts; move the open
referrals of a client who changed legal circle or was handed to a colleague to the new
coordinator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network.actors import Actor


@dataclass(frozen=True)
class BarrierOpened:
    barrier_id: int
    client_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class BarrierFinished:
    """Resolved or judged unresolvable."""

    barrier_id: int
    client_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class BarrierReopened:
    barrier_id: int
    client_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class CaseClosed:
    client_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class ClientPseudonymised:
    """Retention: the client's personal data is gone; others scrub their copies of it."""

    client_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class ClientChangedCircle:
    """A handover between legal circles was accepted: the client belongs to `to_circle` and
    to the coordinator `coordinator_id` from now on (the referrals follow: their open ones
    move to that coordinator)."""

    client_id: int
    handover_id: int
    from_circle: str
    to_circle: str
    coordinator_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class CircleHandoverProposed:
    """The receiving circle is to decide (its coordinators are emailed, without names)."""

    handover_id: int
    client_id: int
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class CircleHandoverDecided:
    """Accepted or declined: the proposer is told."""

    handover_id: int
    client_id: int
    accepted: bool
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class CaseHandedOver:
    """A coordinator handed the case to a colleague of the same circle: `coordinator_id` is
    responsible from now on (the referrals follow: their open ones move to that
    coordinator)."""

    client_id: int
    from_coordinator_id: int | None
    coordinator_id: int
    actor: Actor
    at: datetime
