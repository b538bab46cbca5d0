"""The legal-circle rule as a table (network.cases.scope): who reaches which circle, and who
sees a handover in which state. No database."""

from __future__ import annotations

import pytest

from network.accounts.access import CurrentUser, LegalCircle, Role
from network.actors import Actor
from network.cases import scope
from network.errors import NotFound
from network.filters import Filter


def user(role: str, circle: str = "sgb2") -> Actor:
    return Actor.of_user(CurrentUser(1, "a@example.org", "A", Role(role), LegalCircle(circle)))


@pytest.mark.parametrize("actor, reach", [
    (user("coordinator", "sgb2"), ("sgb2",)), (user("coordinator", "sgb3"), ("sgb3",)),
    (user("admin"), ()), (user("viewer"), ()),
    (Actor.of_partner(4, 9), ("sgb2", "sgb3")), (Actor.system("reminders.tick"), ("sgb2", "sgb3")),
])
def test_who_reaches_which_circle(actor: Actor, reach: tuple[str, ...]) -> None:
    assert scope.circles(actor) == reach
    for circle in ("sgb2", "sgb3"):
        assert scope.may_see(actor, circle) is (circle in reach)
    assert not scope.may_see(actor, None)  # no such record


def test_a_record_out_of_reach_is_not_found_whether_it_exists_or_not() -> None:
    with pytest.raises(NotFound) as hidden:
        scope.require(user("coordinator", "sgb2"), "sgb3", "referral", 7)
    with pytest.raises(NotFound) as missing:
        scope.require(user("coordinator", "sgb2"), None, "referral", 7)
    assert hidden.value.message == missing.value.message == "referral 7 does not exist"


def test_lists_narrow_to_the_reach() -> None:
    sql, args = scope.sql(user("coordinator", "sgb3"))
    assert (sql, args) == ("c.legal_circle = ANY ({}::text[])", [["sgb3"]])
    assert scope.sql(Actor.system("job")) == ("true", [])
    assert scope.sql(user("admin")) == ("c.legal_circle = ANY ({}::text[])", [[]])
    nothing = Filter()
    scope.limit(nothing, user("viewer"), None)
    assert len(nothing.conditions) == 1  # "false"
    everything = Filter()
    scope.limit(everything, Actor.system("job"), None)
    assert everything.conditions == []


@pytest.mark.parametrize("status, sender, receiver", [
    ("pending", True, True), ("accepted", True, True),
    ("declined", True, False), ("withdrawn", True, False),
])
def test_who_sees_a_handover(status: str, sender: bool, receiver: bool) -> None:
    assert scope.may_see_handover(user("coordinator", "sgb3"), "sgb3", "sgb2", status) is sender
    assert scope.may_see_handover(user("coordinator", "sgb2"), "sgb3", "sgb2", status) is receiver
    assert not scope.may_see_handover(user("admin", "sgb2"), "sgb3", "sgb2", status)
