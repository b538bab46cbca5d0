"""Reminders on the web pages (in process): a referral's planned and sent reminders with
German kinds and Berlin times, snoozing (to a date and time, with a reason) and skipping
(with a reason) with errors next to the field, and the dashboard's reminders due today."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx

from network.accounts import audit
from network.cases import actions as case_actions
from network.clock import SYSTEM_CLOCK
from network.reminders import controls, schedule
from network.transactions import transaction
from network.web import queries
from network.web.dashboard import end_of_berlin_day
from network.web.render import BERLIN
from tests.support.app import MadeUser, MakeUser
from tests.support.factories import SYSTEM_ACTOR
from tests.support.pages import field_error, sent, signed_in
from tests.support.referral_world import make_world


async def first_pending(referral_id: int) -> controls.Reminder:
    return next(r for r in await controls.reminders_of_referral(referral_id)
                if r.status == "pending")


async def referred(client: httpx.AsyncClient, make_user: MakeUser
                   ) -> tuple[MadeUser, str, int, controls.Reminder]:
    """A signed-in coordinator's sent referral and its first planned reminder."""
    user, csrf = await signed_in(client, make_user)
    referral_id = await sent(await make_world(), user)
    return user, csrf, referral_id, await first_pending(referral_id)


async def test_it_lists_a_referrals_reminders_in_german_and_berlin_time(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _user, _csrf, referral_id, pending = await referred(client, make_user)
    html = (await client.get(f"/referrals/{referral_id}")).text
    assert 'id="erinnerungen"' in html
    assert "Nachfrage beim Partner (keine Antwort)" in html
    assert pending.due_at.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M") in html
    assert "geplant" in html and "Erinnerung verschieben" in html


async def test_it_snoozes_a_reminder_and_keeps_bad_input_with_the_error(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    user, csrf, referral_id, pending = await referred(client, make_user)
    path = f"/referrals/{referral_id}/reminders/{pending.id}/snooze"
    refused = await client.post(path, data={"csrf_token": csrf, "until_day": "",
                                            "reason": "Partner im Urlaub"})
    assert refused.status_code == 422
    prefix = f"erinnerung-{pending.id}-snooze-"
    assert field_error(refused.text, prefix + "until_day") == "Bitte ausfüllen."
    assert "Partner im Urlaub" in refused.text  # nothing typed is lost
    past = await client.post(path, data={"csrf_token": csrf, "until_day": "2020-01-01",
                                         "reason": "Urlaub"})
    assert past.status_code == 422 and field_error(past.text, prefix + "until_day")

    day = (datetime.now(BERLIN) + timedelta(days=20)).date()
    done = await client.post(path, data={"csrf_token": csrf, "until_day": day.isoformat(),
                                          "until_time": "10:30", "reason": "Partner im Urlaub"})
    assert done.status_code == 303, done.text
    moved = next(r for r in await controls.reminders_of_referral(referral_id)
                 if r.id == pending.id)
    assert moved.snoozed and moved.reason == "Partner im Urlaub"
    assert moved.due_at.astimezone(BERLIN).date() >= day
    assert moved.due_at >= datetime(day.year, day.month, day.day, 10, 30, tzinfo=BERLIN)
    entries, _ = await audit.entries(audit.AuditFilter(action="reminder.snooze"), 10, 0)
    assert [str(e["entity_id"]) for e in entries] == [str(pending.id)]
    page = (await client.get(done.headers["location"])).text
    assert "Die Erinnerung ist verschoben." in page and "verschoben" in page


async def test_it_skips_a_reminder_only_with_a_reason_and_only_once(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    user, csrf, referral_id, pending = await referred(client, make_user)
    path = f"/referrals/{referral_id}/reminders/{pending.id}/skip"
    refused = await client.post(path, data={"csrf_token": csrf, "reason": " "})
    assert refused.status_code == 422
    assert field_error(refused.text, f"erinnerung-{pending.id}-skip-reason") == "Bitte ausfüllen."
    done = await client.post(path, data={"csrf_token": csrf, "reason": "telefonisch geklärt"})
    assert done.status_code == 303
    reminders = await controls.reminders_of_referral(referral_id)
    assert next(r for r in reminders if r.id == pending.id).status == "skipped"
    again = await client.post(path, data={"csrf_token": csrf, "reason": "nochmal"})
    assert again.status_code == 409 and "nicht mehr geplant" in again.text
    other = await make_world()
    foreign = await sent(other, user)
    wrong = await client.post(f"/referrals/{foreign}/reminders/{pending.id}/skip",
                              data={"csrf_token": csrf, "reason": "x"})
    assert wrong.status_code == 404


async def test_a_viewer_cannot_snooze(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    owner = await make_user(role="coordinator")
    world = await make_world()
    referral_id = await sent(world, owner)
    pending = await first_pending(referral_id)
    _, csrf = await signed_in(client, make_user, role="viewer")
    refused = await client.post(f"/referrals/{referral_id}/reminders/{pending.id}/skip",
                                data={"csrf_token": csrf, "reason": "x"})
    assert refused.status_code == 403
    assert (await first_pending(referral_id)).id == pending.id


async def test_the_dashboard_shows_my_reminders_due_today(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    user, _ = await signed_in(client, make_user)
    other = await make_user(role="coordinator")
    world = await make_world()
    long_ago = datetime.now(UTC) - timedelta(days=20)
    mine = await sent(world, user, now=long_ago)  # its first reminder is due by now
    theirs = await sent(world, other, partner_id=world.tafel.id, now=long_ago)
    html = (await client.get("/")).text
    section = html[html.index('id="erinnerungen-heute"'):html.index('id="ueberfaellig"')]
    assert f"Vermittlung {mine}" in section and f"Vermittlung {theirs}" not in section
    assert "Nachfrage beim Partner" in section
    fresh = await sent(await make_world(), user)  # due in days: not today
    assert f"Vermittlung {fresh}<" not in re.sub(r"\s+", " ", section)


# The rule of the dashboard's "due today", over every pending reminder (as the dashboard read
# it before it started from the coordinator's referrals, clients and own reminders).
DUE_BY_RULE = """
    SELECT m.id, m.kind FROM reminders m LEFT JOIN referrals r ON r.id = m.referral_id
    LEFT JOIN clients rc ON rc.id = r.client_id LEFT JOIN clients c ON c.id = m.client_id
    WHERE m.status = 'pending' AND m.due_at < $1
      AND coalesce(m.coordinator_id, r.coordinator_id, c.coordinator_id) = $2
      AND coalesce(rc.legal_circle, c.legal_circle, $3) = $3
    ORDER BY m.due_at, m.id"""


async def test_the_dashboards_due_reminders_are_those_of_the_rule_over_all_reminders(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    user, _ = await signed_in(client, make_user)
    other = await make_user(role="coordinator")
    now = datetime.now(UTC)
    elsewhere = await make_user(role="coordinator", legal_circle="sgb3")
    for owner, circle in ((user, "sgb2"), (other, "sgb2"), (user, "sgb3")):
        world = await make_world(legal_circle=circle)
        referral = await sent(world, elsewhere if circle == "sgb3" else owner)
        async with transaction() as connection:  # case and referral are the owner's
            await connection.execute("UPDATE clients SET coordinator_id = $1 WHERE id = $2",
                                     owner.user.id, world.client_id)
            await connection.execute("UPDATE referrals SET coordinator_id = $1 WHERE id = $2",
                                     owner.user.id, referral)
        second = await second_barrier(world.client_id)
        await schedule.schedule_barrier(second, now)  # "no open referral"
        await schedule.schedule_case(world.client_id, now)  # "nothing happened"
    for owner in (user, other):
        await schedule.schedule_digest(owner.user.id, now, now)
    async with transaction() as connection:  # all due before tonight, in a known order
        await connection.execute(
            "UPDATE reminders SET due_at = $1::timestamptz - id * interval '1 minute'"
            " WHERE status = 'pending'", now)
    tonight = end_of_berlin_day(now)
    for owner in (user, other):
        circle = owner.user.legal_circle
        async with transaction() as connection:
            expected = await connection.fetch(DUE_BY_RULE, tonight, owner.user.id, circle)
        assert {row["kind"] for row in expected} >= {
            "no_answer", "barrier_uncovered", "case_inactive", "weekly_digest"}
        rows, total = await queries.reminders_due_for(owner.user.id, circle, tonight, 2)
        assert total == len(expected)
        assert [row["id"] for row in rows] == [row["id"] for row in expected][:2]


async def second_barrier(client_id: int) -> int:
    """A second barrier of the case, without a referral."""
    barrier = await case_actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, client_id,
                                             "language", "Deutschkurs fehlt")
    return barrier.id


def test_the_berlin_day_ends_at_local_midnight() -> None:
    late = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert end_of_berlin_day(late) == datetime(2026, 11, 27, 0, 0, tzinfo=BERLIN)
    after = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # already the 27th in Berlin
    assert end_of_berlin_day(after) == datetime(2026, 11, 28, 0, 0, tzinfo=BERLIN)
