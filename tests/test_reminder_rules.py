"""How a kind of partner is chased is data an administrator changes: the defaults of the
issue until then, the stored numbers after, for referrals to that kind only."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from network.referrals.service import NewReferral
from network.reminders.calendar import BERLIN
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser
from tests.support.referral_world import World, make_world

SENT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday, 10:00 in Berlin
OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
RULES = "/api/v1/reminder-rules"


async def first_reminder_day(referral_id: int) -> str:
    async with transaction() as connection:
        due = await connection.fetchval(
            "SELECT due_at FROM reminders WHERE referral_id = $1 AND status = 'pending'",
            referral_id)
    return due.astimezone(BERLIN).date().isoformat()


async def associations_chased_after_five_days(
    client: httpx.AsyncClient, make_user: MakeUser
) -> tuple[MadeUser, MadeUser, World]:
    """An admin, a coordinator and a world, with a stored rule for associations (Caritas):
    the first reminder after 5 working days instead of 3."""
    admin = await make_user(role="admin")
    coordinator = await make_user(role="coordinator")
    world = await make_world(OPENED)
    changed = await client.put(f"{RULES}/association", headers=admin.headers, json={
        "no_answer_working_days": 5, "follow_up_days": 21, "hold_check_days": 30})
    assert changed.status_code == 200 and changed.json()["default"] is False
    return admin, coordinator, world


async def test_a_kind_with_its_own_rule_is_reminded_on_its_own_schedule(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin, coordinator, world = await associations_chased_after_five_days(client, make_user)

    to_association = await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id, "sent"), coordinator.user.id, now=SENT)
    to_course = await acting.create_referral(
        NewReferral(world.barrier_id, world.vhs.id, "sent", override_reason="Sprachkurs"),
        coordinator.user.id, now=SENT)

    assert await first_reminder_day(to_association.referral.id) == "2026-12-08"  # 5 days
    assert await first_reminder_day(to_course.referral.id) == "2026-12-04"  # default 3

    listed = (await client.get(RULES, headers=coordinator.headers)).json()
    by_kind = {rule["partner_kind"]: rule for rule in listed}
    assert by_kind["association"]["follow_up_days"] == 21
    assert by_kind["school"] == {"partner_kind": "school", "no_answer_working_days": 3,
                                 "follow_up_days": 14, "hold_check_days": 30, "default": True}
    reset = await client.delete(f"{RULES}/association", headers=admin.headers)
    assert reset.status_code == 200 and reset.json()["default"] is True


async def test_a_handoff_chases_the_new_partner_by_its_kinds_rule(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _admin, coordinator, world = await associations_chased_after_five_days(client, make_user)
    to_course = await acting.create_referral(
        NewReferral(world.barrier_id, world.vhs.id, "sent", override_reason="Sprachkurs"),
        coordinator.user.id, now=SENT)
    _closed, opened = await acting.hand_off_to_partner(
        to_course.referral.id, world.caritas.id, "declined", coordinator.user.id, now=SENT,
        reason_code="no_capacity")

    assert await first_reminder_day(opened.id) == "2026-12-08"  # the association's 5 days


async def test_it_refuses_bad_rules_naming_the_field_and_leaves_them_to_admins(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin = await make_user(role="admin")
    coordinator = await make_user(role="coordinator")
    good = {"no_answer_working_days": 3, "follow_up_days": 14, "hold_check_days": 30}

    too_long = await client.put(f"{RULES}/school", headers=admin.headers,
                                json={**good, "follow_up_days": 400})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == \
        "follow_up_days"
    unknown = await client.put(f"{RULES}/spaceport", headers=admin.headers, json=good)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == \
        "partner_kind"
    assert (await client.put(f"{RULES}/school", headers=coordinator.headers,
                             json=good)).status_code == 403
    audit = (await client.get("/api/v1/audit", params={"action": "reminder_rule.set"},
                              headers=admin.headers)).json()
    assert audit["total"] == 0  # refused changes leave nothing behind
