"""The tick takes the due referral reminders of a batch together: the statements it sends do
not grow with the number of reminders, each one is settled, planned on and audited as when
taken alone, and a reminder that fails holds up no other in its batch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.statements import recorded_statements
from network.accounts import audit
from network.referrals.service import NewReferral
from network.reminders import service as reminders
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MakeUser, make_settings
from tests.support.referral_world import make_world

OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
FIRST_DUE = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # the first "no answer" of each


async def sent_referrals(make_user: MakeUser, count: int) -> list[int]:
    """`count` referrals sent at SENT, each of its own client (so none waits for another)."""
    coordinator = await make_user()
    referral_ids = []
    for _ in range(count):
        world = await make_world(OPENED)
        created = await acting.create_referral(NewReferral(
            world.barrier_id, world.caritas.id, "sent"), coordinator.user.id, now=SENT)
        referral_ids.append(created.referral.id)
    return referral_ids


async def reminders_of(referral_ids: list[int]) -> list[tuple[int, str, int, str]]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT referral_id, kind, sequence, status FROM reminders"
            " WHERE referral_id = ANY ($1::bigint[]) ORDER BY referral_id, sequence",
            referral_ids)
    return [tuple(row) for row in rows]


async def test_a_batch_takes_the_same_statements_for_two_reminders_as_for_six(
    tmp_path: Path, pool: str, make_user: MakeUser
) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool)
    counts = []
    for size in (2, 6):
        referral_ids = await sent_referrals(make_user, size)
        with recorded_statements() as sent:
            result = await reminders.tick_batch(settings, FIRST_DUE)
        assert (result.sent, result.cancelled, result.failed) == (size, 0, 0)
        counts.append(len(sent))
        # each one sent, and its chain's next step planned, as when taken alone
        assert await reminders_of(referral_ids) == [
            row for referral_id in referral_ids
            for row in ((referral_id, "no_answer", 1, "sent"),
                        (referral_id, "no_answer", 2, "pending"))]
        entries, total = await audit.entries(audit.AuditFilter(action="reminder.sent"), 20, 0)
        assert {entry["entity_id"] for entry in entries} >= {str(i) for i in result.ids}
    assert counts[1] == counts[0], f"statements for 2 and 6 reminders: {counts}"


async def test_a_reminder_that_fails_holds_up_no_other_in_its_batch(
    tmp_path: Path, pool: str, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool)
    referral_ids = await sent_referrals(make_user, 4)
    faulty = referral_ids[2]
    real_facts = reminders.referral_facts_of

    async def facts_failing_for_one(ids: list[int]):
        if faulty in ids:
            raise RuntimeError("broken referral")
        return await real_facts(ids)

    monkeypatch.setattr(reminders, "referral_facts_of", facts_failing_for_one)
    result = await reminders.tick_batch(settings, FIRST_DUE)

    assert (result.sent, result.failed) == (3, 1)
    rows = await reminders_of(referral_ids)
    assert [row for row in rows if row[0] == faulty] == [(faulty, "no_answer", 1, "pending")]
    assert sum(1 for row in rows if row[3] == "sent") == 3
    async with transaction() as connection:
        due_again = await connection.fetchval(
            "SELECT due_at FROM reminders WHERE referral_id = $1", faulty)
    assert due_again > FIRST_DUE  # put back for a later tick
