"""Reminders end to end: due rows become outbox rows become emails at a real SMTP server, on
an injected clock, exactly once each, however many instances tick and whatever dies mid-way."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from network import database
from network.accounts import audit
from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import FixedClock
from network.composition import build_mailer
from network.mail.dispatcher import send_all_due
from network.referrals import service as referrals
from network.referrals.service import NewReferral
from network.reminders import actions, controls, planning
from network.reminders import emails as reminder_emails
from network.reminders import service as reminders
from network.reminders.calendar import BERLIN
from network.settings import Settings
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser, make_settings
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import World, make_world
from tests.support.smtp_server import SmtpServer

SENT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)  # Tuesday before Christmas, 10:00 in Berlin
OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHAIN = [  # (template, Berlin date it arrives): Christmas, New Year and two weekends between
    ("reminder_no_answer", "2026-12-28"),
    ("reminder_no_answer", "2026-12-31"),
    ("escalation_no_answer", "2027-01-06"),
    ("last_warning_no_answer", "2027-01-11"),
    ("referral_expired", "2027-01-14"),
]
CHAIN_TEMPLATES = {template for template, _ in CHAIN}
MINE = CHAIN_TEMPLATES | {"reminder_outcome_follow_up", "reminder_hold_check",
                          "barrier_without_referral", "case_inactive", "weekly_digest"}



def settings_for(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url,
                         MAIL_FROM="Integration Point <ip@kreis-heinsberg.example>")


def clock(start: datetime, end: datetime) -> Iterator[datetime]:
    """Twice a day, 10:00 and 16:00 Berlin time (09:00/15:00 UTC in winter)."""
    day = start
    while day <= end:
        yield day
        yield day + timedelta(hours=6)
        day += timedelta(days=1)


async def templates_of(smtp: SmtpServer, seen: int) -> list[tuple[str, list[str], str]]:
    """(template, recipients, body) of each message the server got after the first `seen`."""
    found = []
    for message in smtp.messages[seen:]:
        rows = await _lookup(message["Message-ID"])
        body = message.get_body(preferencelist=("plain",)).get_content()
        found.append((rows["template"], list(rows["recipients"]), body))
    return found


async def _lookup(message_id: str):
    async with transaction() as connection:
        return await connection.fetchrow(
            "SELECT template, recipients FROM outbox WHERE message_id = $1", message_id)


async def step(settings: Settings, now: datetime) -> None:
    await reminders.tick(settings, now)
    await send_all_due(build_mailer(settings), now)


async def sent_referral(world: World, coordinator_id: int, partner_id: int | None = None,
                        barrier_id: int | None = None) -> int:
    created = await acting.create_referral(NewReferral(
        barrier_id or world.barrier_id, partner_id or world.caritas.id, "sent"),
        coordinator_id, now=SENT)
    await forget_referral_emails()
    return created.referral.id


async def forget_referral_emails() -> None:
    """The emails of the referral's own changes (queued by the event subscribers) are not
    what these tests count: only the reminders'."""
    async with transaction() as connection:
        await connection.execute("DELETE FROM outbox")


async def one_sent_referral(make_user: MakeUser) -> tuple[MadeUser, World, int]:
    """A coordinator and a world whose housing barrier went to Caritas at SENT."""
    coordinator = await make_user()
    world = await make_world(OPENED)
    return coordinator, world, await sent_referral(world, coordinator.user.id)


async def run_clock(settings: Settings, smtp: SmtpServer, until: datetime, *, answer_after:
                    int | None = None, referral_id: int | None = None
                    ) -> list[tuple[str, list[str], str, str]]:
    """Move the clock; returns (template, recipients, body, Berlin date) of our emails in the
    order they arrived. With `answer_after`, the partner accepts once that many arrived."""
    arrived: list[tuple[str, list[str], str, str]] = []
    seen = 0
    answered = False
    for now in clock(SENT, until):
        if answer_after is not None and not answered and len(arrived) >= answer_after:
            await acting.transition(referral_id, "accepted", "partner", None, now=now)
            answered = True
        await step(settings, now)
        for template, recipients, body in await templates_of(smtp, seen):
            if template in MINE:
                arrived.append((template, recipients, body,
                                now.astimezone(BERLIN).date().isoformat()))
        seen = len(smtp.messages)
    return arrived


async def test_an_unanswered_referral_is_reminded_escalated_warned_and_expires_once_each(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    coordinator, world, referral_id = await one_sent_referral(make_user)

    arrived = await run_clock(settings, smtp, datetime(2027, 1, 20, 9, tzinfo=UTC))

    assert [(t, day) for t, _r, _b, day in arrived] == CHAIN
    partner = list(world.caritas.referral_emails)
    assert [r for _t, r, _b, _d in arrived] == [
        partner, partner, [coordinator.email], partner, [coordinator.email]]
    for template, _r, body, _d in arrived:
        if template in ("reminder_no_answer", "last_warning_no_answer"):
            assert f"{settings.base_url}/p/" in body and "gilt bis zum" in body
            assert "Haddad" not in body and "REF-" not in body  # least data for partners
    assert "14.01.2027" in arrived[3][2]  # the last warning says when it expires
    detail = await referrals.get_referral(SYSTEM_ACTOR, referral_id)
    assert detail.referral.status == "expired"
    assert detail.history[-1].actor_kind == "system"


@pytest.mark.parametrize("answer_after", [0, 1, 2, 3, 4])
async def test_an_answer_at_any_point_stops_the_no_answer_chain(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer, answer_after: int
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    coordinator, world, referral_id = await one_sent_referral(make_user)

    arrived = await run_clock(settings, smtp, datetime(2027, 1, 20, 9, tzinfo=UTC),
                              answer_after=answer_after, referral_id=referral_id)

    chain = [(t, day) for t, _r, _b, day in arrived if t in CHAIN_TEMPLATES]
    assert chain == CHAIN[:answer_after]
    assert (await referrals.get_referral(SYSTEM_ACTOR, referral_id)).referral.status == "accepted"
    async with transaction() as connection:
        pending = await connection.fetch(
            "SELECT kind FROM reminders WHERE referral_id = $1 AND status = 'pending'",
            referral_id)
    assert [row["kind"] for row in pending] == ["outcome_follow_up"]


async def many_due_referrals(make_user: MakeUser, worlds: int) -> list[int]:
    coordinator = await make_user()
    ids = []
    for _ in range(worlds):
        world = await make_world(OPENED)
        second = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(OPENED), world.client_id,
                                           "financial", None)
        for barrier_id in (world.barrier_id, second.id):
            for partner in (world.caritas, world.tafel):
                ids.append(await sent_referral(world, coordinator.user.id, partner.id,
                                               barrier_id))
    await forget_referral_emails()
    return ids


FIRST_DUE = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)


async def test_three_instances_ticking_at_once_send_each_reminder_exactly_once(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    await database.close_pool()
    await database.start_pool(pool, 12)  # room for three instances and their dispatchers
    settings = settings_for(tmp_path, pool, smtp)
    ids = await many_due_referrals(make_user, 12)  # 48 referrals, 48 due reminders

    async def instance() -> None:
        for _ in range(20):
            ticked = await reminders.tick(settings, FIRST_DUE, batch_size=5)
            await send_all_due(build_mailer(settings), FIRST_DUE, batch_size=5)
            if ticked.sent == 0 and ticked.deferred == 0:
                return

    await asyncio.gather(instance(), instance(), instance())
    await send_all_due(build_mailer(settings), FIRST_DUE)

    # The worlds' partners share one address: one email a day to it. What one instance
    # took while another had mailed it already comes the next working day.
    await step(settings, FIRST_DUE + timedelta(days=1))
    days = [(m["To"], m["Date"][:16]) for m in smtp.messages]
    assert len(days) == len(set(days)) <= 2
    assert [mentions(smtp, referral_id) for referral_id in ids] == [1] * len(ids)
    async with transaction() as connection:
        counts = await connection.fetchrow(
            "SELECT count(*) FILTER (WHERE status = 'sent') AS sent,"
            " count(*) FILTER (WHERE status = 'pending' AND due_at <= $1) AS due,"
            " count(*) FILTER (WHERE unmailed) AS unmailed"
            " FROM reminders", FIRST_DUE + timedelta(days=1))
    assert tuple(counts) == (48, 0, 0)


def mentions(smtp: SmtpServer, referral_id: int) -> int:
    return sum(f"Vermittlung {referral_id} (" in m.get_body(
        preferencelist=("plain",)).get_content() for m in smtp.messages)


async def test_a_tick_cancelled_mid_batch_loses_nothing_and_the_next_sends_each_once(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    ids = await many_due_referrals(make_user, 3)  # 6 partners, one address
    real_enqueue = reminder_emails.partner_digest
    calls = 0

    async def dying_enqueue(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 1:  # killed while queuing the email
            asyncio.current_task().cancel()
            await asyncio.sleep(0)
        return await real_enqueue(*args, **kwargs)

    monkeypatch.setattr(reminder_emails, "partner_digest", dying_enqueue)
    task = asyncio.create_task(reminders.tick(settings, FIRST_DUE))
    with pytest.raises(asyncio.CancelledError):
        await task
    async with transaction() as connection:
        assert await connection.fetchval("SELECT count(*) FROM outbox") == 0
        assert await connection.fetchval(
            "SELECT count(*) FROM reminders WHERE (status = 'pending' AND due_at <= $1)"
            " OR unmailed", FIRST_DUE) == len(ids)

    monkeypatch.setattr(reminder_emails, "partner_digest", real_enqueue)
    await step(settings, FIRST_DUE)
    await step(settings, FIRST_DUE)
    assert len(smtp.messages) == 1  # to the address the partners share
    assert [mentions(smtp, referral_id) for referral_id in ids] == [1] * len(ids)


async def test_an_email_that_raises_is_tried_again_at_the_next_tick(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    ids = await many_due_referrals(make_user, 2)  # 4 partners, one address
    real_enqueue = reminder_emails.partner_digest
    calls = 0

    async def failing_once(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("template broke")
        return await real_enqueue(*args, **kwargs)

    monkeypatch.setattr(reminder_emails, "partner_digest", failing_once)
    result = await reminders.tick(settings, FIRST_DUE)
    await send_all_due(build_mailer(settings), FIRST_DUE)
    assert (result.sent, result.failed, result.emails) == (len(ids), len(ids), 0)
    assert len(smtp.messages) == 0

    later = FIRST_DUE + timedelta(hours=2)  # taken already: they wait only for their email
    await step(settings, later)
    await step(settings, later)
    assert len(smtp.messages) == 1
    assert [mentions(smtp, referral_id) for referral_id in ids] == [1] * len(ids)


async def test_a_resolved_barrier_cancels_every_reminder_for_it_in_the_same_transaction(
    pool: str, make_user: MakeUser
) -> None:
    coordinator, world, referral_id = await one_sent_referral(make_user)
    await case_actions.resolve_barrier(Actor.of_user(coordinator.user), FixedClock(SENT),
                                  world.barrier_id)
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT status, cancelled_because FROM reminders WHERE referral_id = $1",
            referral_id)
    assert [tuple(r) for r in rows] == [("cancelled", "barrier_finished")]


async def test_a_closed_referral_leaves_its_barrier_uncovered_and_the_coordinator_is_told(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    coordinator = await make_user()
    world = await make_world(OPENED)
    async with transaction() as connection:
        await connection.execute("UPDATE clients SET coordinator_id = $1 WHERE id = $2",
                                 coordinator.user.id, world.client_id)
    referral_id = await sent_referral(world, coordinator.user.id)
    await acting.transition(referral_id, "declined", "partner", None,
                               reason_code="no_capacity", now=SENT)
    await forget_referral_emails()

    await step(settings, datetime(2026, 12, 29, 9, tzinfo=UTC))  # 7 days: Tuesday the 29th
    case_number = await _case_number(world.client_id)
    assert [m["Subject"] for m in smtp.messages] == [
        f"Fall {case_number}: Hindernis „Wohnen“ ohne offene Vermittlung"]
    await step(settings, datetime(2026, 12, 30, 9, tzinfo=UTC))
    assert len(smtp.messages) == 1  # the next one comes a week later


async def _case_number(client_id: int) -> str:
    async with transaction() as connection:
        return await connection.fetchval("SELECT case_number FROM clients WHERE id = $1",
                                         client_id)


async def test_a_new_referral_covers_its_barrier_and_starts_its_chain_in_one_go(
    pool: str, make_user: MakeUser
) -> None:
    """The barrier's pending "no open referral" reminder is cancelled by the create that
    covers it, and the referral's first step is pending; a draft covers it too, without a
    step of its own."""
    coordinator = await make_user()
    world = await make_world(OPENED)
    await planning.plan(OPENED)
    draft = await acting.create_referral(
        NewReferral(world.barrier_id, world.vhs.id, "draft", override_reason="Sprachkurs"),
        coordinator.user.id, now=SENT)
    sent = await sent_referral(world, coordinator.user.id)
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT kind, status, cancelled_because, referral_id FROM reminders"
            " WHERE barrier_id = $1 ORDER BY id", world.barrier_id)
    assert [tuple(row) for row in rows] == [
        ("barrier_uncovered", "cancelled", "barrier_covered", None),
        ("no_answer", "pending", None, sent)]
    assert draft.referral.id != sent


async def test_planning_gives_open_barriers_cases_and_coordinators_their_reminders_once(
    pool: str, make_user: MakeUser
) -> None:
    await make_user()
    world = await make_world(OPENED)
    first = await planning.plan(SENT)
    second = await planning.plan(SENT)
    async with transaction() as connection:
        kinds = await connection.fetch(
            "SELECT kind, count(*) AS n FROM reminders GROUP BY kind ORDER BY kind")
    assert {r["kind"]: r["n"] for r in kinds} == {
        "barrier_uncovered": 1, "case_inactive": 1, "weekly_digest": 1}
    assert first == 3 and second == 0
    assert world


async def test_erasing_a_client_cancels_their_reminders_and_removes_the_reasons(
    pool: str, make_user: MakeUser
) -> None:
    coordinator, world, referral_id = await one_sent_referral(make_user)
    [pending] = await controls.reminders_of_referral(referral_id)
    by = Actor.of_user(coordinator.user)
    await actions.skip(by, FixedClock(SENT + timedelta(hours=1)), pending.id,
                       "Frau Haddad ist im Urlaub")
    [_, nxt] = await controls.reminders_of_referral(referral_id)
    await actions.snooze(by, FixedClock(SENT + timedelta(hours=2)), nxt.id,
                         SENT + timedelta(days=20), "Haddad ruft selbst an")

    await case_actions.erase_client(SYSTEM_ACTOR, FixedClock(SENT + timedelta(days=1)),
                                    world.client_id)

    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT status, reason FROM reminders WHERE client_id = $1 ORDER BY id",
            world.client_id)
    assert [tuple(r) for r in rows] == [("skipped", "[removed]"), ("cancelled", None)]


async def test_a_reminder_whose_referral_is_being_changed_waits_for_the_next_tick(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    coordinator, world, referral_id = await one_sent_referral(make_user)
    change_in_flight = await asyncpg.connect(pool)
    try:
        transaction_ = change_in_flight.transaction()
        await transaction_.start()
        await change_in_flight.execute("SELECT 1 FROM referrals WHERE id = $1 FOR UPDATE",
                                       referral_id)
        busy = await reminders.tick(settings, FIRST_DUE)
        assert (busy.sent, busy.deferred) == (0, 1)
        await transaction_.rollback()
    finally:
        await change_in_flight.close()
    done = await reminders.tick(settings, FIRST_DUE)
    assert (done.sent, done.deferred) == (1, 0)


async def test_the_weekly_digest_lists_what_is_overdue_for_each_coordinator(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    coordinator = await make_user()
    idle = await make_user()  # nothing overdue: no digest for them
    world = await make_world(OPENED)
    last_week = SENT - timedelta(days=7)
    referral_id = (await acting.create_referral(NewReferral(
        world.barrier_id, world.caritas.id, "sent"), coordinator.user.id, now=last_week)
    ).referral.id
    await planning.plan(SENT)  # digests due Monday 28 December, 08:00 Berlin

    monday = datetime(2026, 12, 28, 7, 0, tzinfo=UTC)
    await step(settings, monday)

    digests = [(t, r, b) for t, r, b in await templates_of(smtp, 0) if t == "weekly_digest"]
    assert [r for _t, r, _b in digests] == [[coordinator.email]]
    assert f"Vermittlung {referral_id} an {world.caritas.name}" in digests[0][2]
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT coordinator_id, status, cancelled_because, due_at FROM reminders"
            " WHERE kind = 'weekly_digest' ORDER BY id")
    assert {(r["coordinator_id"], r["status"], r["cancelled_because"]) for r in rows
            if r["due_at"] == monday} == {(coordinator.user.id, "sent", None),
                                          (idle.user.id, "cancelled", "nothing_overdue")}
    assert {r["due_at"] for r in rows if r["status"] == "pending"} == {
        datetime(2027, 1, 4, 7, 0, tzinfo=UTC)}  # next week, both of them


async def test_the_tick_acts_as_the_system_and_each_reminder_it_sends_is_audited(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    settings = settings_for(tmp_path, pool, smtp)
    _coordinator, _world, referral_id = await one_sent_referral(make_user)
    clock = FixedClock(datetime(2026, 12, 28, 9, tzinfo=UTC))

    result = await actions.tick(actions.TICK, clock, settings)

    assert result.sent == 1
    entries, total = await audit.entries(audit.AuditFilter(action="reminder.sent"), 10, 0)
    assert total == 1 and entries[0]["entity_id"] == str(result.ids[0])
    assert (entries[0]["actor_kind"], entries[0]["job"]) == ("system", "reminders.tick")
    assert entries[0]["at"] == clock.now()
    assert entries[0]["details"] == {"kind": "no_answer", "referral_id": referral_id}
