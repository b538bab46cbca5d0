"""Who makes a change: a signed-in user, a partner through its emailed link, or the system
(a scheduled job, a CLI command). Every action takes one, and its audit entry records it.

    Actor.of_user(request.user)          # a coordinator, admin or viewer
    Actor.of_partner(partner_id, link_id)  # a partner's link page
    Actor.of_partner(partner_id, session_id=7)  # a partner signed in to its inbox
    Actor.system("reminders.tick")       # a job; `job` names it in the audit trail
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from network.accounts.access import CurrentUser, Role


class ActorKind(StrEnum):
    USER = "user"
    PARTNER = "partner"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user: CurrentUser | None = None  # kind USER
    partner_id: int | None = None  # kind PARTNER
    link_id: int | None = None  # kind PARTNER: the link it acted through
    session_id: int | None = None  # kind PARTNER: or the inbox session it acted in
    job: str | None = None  # kind SYSTEM: which job or command

    @classmethod
    def of_user(cls, user: CurrentUser) -> Actor:
        return cls(ActorKind.USER, user=user)

    @classmethod
    def of_partner(cls, partner_id: int, link_id: int | None = None, *,
                   session_id: int | None = None) -> Actor:
        return cls(ActorKind.PARTNER, partner_id=partner_id, link_id=link_id,
                   session_id=session_id)

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(ActorKind.SYSTEM, job=job)

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.user.role in (Role.ADMIN, Role.COORDINATOR)

    def describe(self) -> dict[str, object]:
        """What the audit entry and log lines say about the actor: ids only, no names."""
        if self.kind is ActorKind.USER:
            return {"actor_kind": "user", "actor_id": self.user_id}
        if self.kind is ActorKind.PARTNER:
            described: dict[str, object] = {"actor_kind": "partner",
                                            "partner_id": self.partner_id,
                                            "link_id": self.link_id}
            if self.session_id is not None:
                described["session_id"] = self.session_id
            return described
        return {"actor_kind": "system", "job": self.job}
