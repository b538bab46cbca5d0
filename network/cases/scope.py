"""The legal-circle rule, in one place: a coordinator sees and changes only the clients of
their own legal circle (SGB II: the Jobcenter; SGB III: the employment agency, two separate
data controllers). Everything that reads or changes a client's data asks here:

    where = Filter(); scope.limit(where, actor, Client.legal_circle)     # lists
    sql, args = scope.sql(actor, "c.legal_circle")                       # hand-written SQL
    scope.require(actor, circle, "client", client_id)                    # one loaded record
    await scope.require_client(actor, client_id)                         # one record by id

Who sees which circles:
- a coordinator: their own circle;
- a partner through its emailed link and the system (jobs, commands): every circle (a
  partner acts on its own referrals only, which the referral actions check; jobs are not
  limited);
- administrators and viewers: none (administrators manage accounts, not cases; viewers read
  the reports, which aggregate both circles).

A client outside the caller's reach is "not found" (404), never "forbidden": the answer does
not confirm that the client exists. A client moves between circles only by the handover
(`network.cases.handovers`, actions in `network.cases.actions`).
"""

from __future__ import annotations

from typing import Any

from network.accounts.access import LegalCircle, Role
from network.actors import Actor, ActorKind
from network.cases import queries
from network.cases.tables import Client
from network.errors import NotFound, NotPermitted, RuleViolation
from network.filters import Filter

EVERY_CIRCLE: tuple[str, ...] = tuple(c.value for c in LegalCircle)


def circles(actor: Actor) -> tuple[str, ...]:
    """The legal circles whose clients the actor may see and change."""
    if actor.kind is not ActorKind.USER:
        return EVERY_CIRCLE
    assert actor.user is not None
    if actor.user.role is Role.COORDINATOR:
        return (LegalCircle(actor.user.legal_circle).value,)
    return ()


def may_see(actor: Actor, circle: str | None) -> bool:
    return circle is not None and circle in circles(actor)


def limit(where: Filter, actor: Actor, column: Any) -> None:
    """Narrow a list to the actor's circles; `column` is the client's `legal_circle` column
    (e.g. `Barrier.client_id.legal_circle`)."""
    reach = circles(actor)
    if reach == EVERY_CIRCLE:
        return
    if not reach:
        where.raw("false")
        return
    where.add(column == reach[0])


def sql(actor: Actor, expression: str = "c.legal_circle") -> tuple[str, list[Any]]:
    """The same rule for hand-written SQL: a condition with `{}` placeholders and its values."""
    reach = circles(actor)
    if reach == EVERY_CIRCLE:
        return "true", []
    return f"{expression} = ANY ({{}}::text[])", [list(reach)]


def require(actor: Actor, circle: str | None, what: str, identifier: object) -> None:
    """A record the actor may not see is not found: 404, whether it exists or not."""
    if not may_see(actor, circle):
        raise NotFound(what, identifier)


async def circle_of_client(client_id: int) -> str | None:
    row = await Client.select(Client.legal_circle).where(Client.id == client_id).first()
    return None if row is None else row["legal_circle"]


async def require_client(actor: Actor, client_id: int) -> None:
    """The client exists and is within the actor's reach, else NotFound."""
    if actor.kind is not ActorKind.USER:
        return
    require(actor, await circle_of_client(client_id), "client", client_id)


def check_own_circle(actor: Actor, circle: str, field: str = "legal_circle") -> None:
    """A coordinator opens (or takes over) cases of their own circle only: a case of the
    other circle is opened by its colleagues there."""
    if actor.kind is not ActorKind.USER:
        return
    reach = circles(actor)
    if not reach:
        raise NotPermitted("actor", "cases_for_coordinators")
    if circle not in reach:
        raise RuleViolation(field, "not_own_circle", circle=reach[0])


async def require_referral(actor: Actor, referral_id: int) -> None:
    """The referral's client is within the actor's reach, else NotFound("referral")."""
    if actor.kind is not ActorKind.USER:
        return
    require(actor, await queries.circle_of_referral(referral_id), "referral", referral_id)


async def require_reminder(actor: Actor, reminder_id: int) -> None:
    """A reminder about a client is within reach when its client is; a weekly digest (about
    no one client) belongs to the coordinator it is addressed to."""
    if actor.kind is not ActorKind.USER:
        return
    found = await queries.reach_of_reminder(reminder_id)
    if found is None:
        raise NotFound("reminder", reminder_id)
    circle, coordinator_id = found
    if circle is None:
        if not circles(actor) or coordinator_id != actor.user_id:
            raise NotFound("reminder", reminder_id)
        return
    require(actor, circle, "reminder", reminder_id)


def may_see_handover(actor: Actor, from_circle: str, to_circle: str, status: str) -> bool:
    """The one documented exception to the rule: the receiving circle sees a pending handover
    (the client's name, birth date and the reason: what it needs to decide) before the client
    is theirs. The sending circle sees its handovers always; the receiving one after
    accepting too (the client is theirs then), but not what it declined or what was
    withdrawn."""
    reach = circles(actor)
    return from_circle in reach or (to_circle in reach and status in ("pending", "accepted"))
