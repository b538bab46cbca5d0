"""Coordinators see a referral's reminders and snooze or skip one with a reason (audited);
`network reminders preview` shows what would go out without changing anything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from network.referrals.service import NewReferral
from network.reminders import controls
from network.reminders.calendar import BERLIN
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.cli_process import environment, run
from tests.support.referral_world import make_world

OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
async def staff(client, make_user):
    return await make_user()


async def sent_referral(staff) -> int:
    world = await make_world()
    created = await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id, "sent"), staff.user.id)
    return created.referral.id


async def audit_actions() -> list[tuple[str, str]]:
    async with transaction() as connection:
        rows = await connection.fetch("SELECT action, entity_id FROM audit_log ORDER BY id")
    return [(row["action"], row["entity_id"]) for row in rows]


async def test_it_lists_a_referrals_upcoming_reminder(client, staff):
    referral_id = await sent_referral(staff)
    response = await client.get(f"/api/v1/referrals/{referral_id}/reminders",
                                headers=staff.headers)
    assert response.status_code == 200, response.text
    [reminder] = response.json()
    assert (reminder["kind"], reminder["recipient"], reminder["status"],
            reminder["sequence"]) == ("no_answer", "partner", "pending", 1)
    assert ("reminder.list", str(referral_id)) in await audit_actions()


async def test_it_snoozes_to_the_next_office_hour_with_the_reason_and_audits_it(
        client, staff):
    referral_id = await sent_referral(staff)
    [pending] = await controls.reminders_of_referral(referral_id)
    saturday_night = datetime(2027, 3, 6, 22, 0, tzinfo=BERLIN)
    response = await client.post(
        f"/api/v1/reminders/{pending.id}/snooze", headers=staff.headers,
        json={"until": saturday_night.isoformat(), "reason": "Partner im Urlaub"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["snoozed"] is True and body["reason"] == "Partner im Urlaub"
    assert datetime.fromisoformat(body["due_at"]) == datetime(2027, 3, 8, 8, 0, tzinfo=BERLIN)
    assert body["decided_by"] == staff.user.id
    assert ("reminder.snooze", str(pending.id)) in await audit_actions()


async def test_skipping_moves_the_chain_on_to_its_next_step(client, staff):
    referral_id = await sent_referral(staff)
    [pending] = await controls.reminders_of_referral(referral_id)
    response = await client.post(f"/api/v1/reminders/{pending.id}/skip",
                                 headers=staff.headers, json={"reason": "telefonisch geklärt"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "skipped"
    listed = (await client.get(f"/api/v1/referrals/{referral_id}/reminders",
                               headers=staff.headers)).json()
    assert [(r["kind"], r["sequence"], r["status"]) for r in listed] == [
        ("no_answer", 1, "skipped"), ("no_answer", 2, "pending")]
    assert ("reminder.skip", str(pending.id)) in await audit_actions()


async def test_it_refuses_a_skip_without_reason_a_past_snooze_and_a_second_skip(client, staff):
    referral_id = await sent_referral(staff)
    [pending] = await controls.reminders_of_referral(referral_id)
    url = f"/api/v1/reminders/{pending.id}"

    no_reason = await client.post(f"{url}/skip", headers=staff.headers, json={"reason": " "})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    past = await client.post(f"{url}/snooze", headers=staff.headers, json={
        "until": "2020-01-01T10:00:00+01:00", "reason": "x"})
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "until"

    assert (await client.post(f"{url}/skip", headers=staff.headers,
                              json={"reason": "erledigt"})).status_code == 200
    again = await client.post(f"{url}/skip", headers=staff.headers, json={"reason": "nochmal"})
    assert again.status_code == 409
    missing = await client.post("/api/v1/reminders/999999/skip", headers=staff.headers,
                                json={"reason": "x"})
    assert missing.status_code == 404
    unknown_referral = await client.get("/api/v1/referrals/999999/reminders",
                                        headers=staff.headers)
    assert unknown_referral.status_code == 404


async def test_viewers_may_not_see_or_change_reminders(client, staff, make_user):
    viewer = await make_user(role="viewer")
    referral_id = await sent_referral(staff)
    [pending] = await controls.reminders_of_referral(referral_id)
    assert (await client.get(f"/api/v1/referrals/{referral_id}/reminders",
                             headers=viewer.headers)).status_code == 403
    assert (await client.post(f"/api/v1/reminders/{pending.id}/skip", headers=viewer.headers,
                              json={"reason": "x"})).status_code == 403


async def test_preview_shows_what_would_go_out_and_changes_nothing(
        tmp_path: Path, pool: str, make_user):
    coordinator = await make_user()
    world = await make_world(OPENED)
    await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id, "sent"),
                                    coordinator.user.id, now=SENT)

    async def snapshot():
        async with transaction() as connection:
            rows = await connection.fetch("SELECT * FROM reminders ORDER BY id")
            emails = await connection.fetchval("SELECT count(*) FROM outbox")
        return [dict(r) for r in rows], emails

    before = await snapshot()
    nothing = run("reminders", "preview", "--at", "2026-12-24T12:00",
                  env=environment(tmp_path, DATABASE_URL=pool))
    due = run("reminders", "preview", "--at", "2026-12-28T10:00+01:00",
              env=environment(tmp_path, DATABASE_URL=pool))

    assert nothing.returncode == 0, nothing.stderr
    assert nothing.stdout.startswith("0 reminder(s) due by 2026-12-24 12:00")
    assert due.returncode == 0, due.stderr
    assert "1 reminder(s) due" in due.stdout and "in 1 email(s)" in due.stdout
    assert "2026-12-28 10:00 no_answer #1 to partner" in due.stdout
    assert await snapshot() == before
    assert [r.kind for r in await controls.due_by(SENT + timedelta(days=6))] == ["no_answer"]
