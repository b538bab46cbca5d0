"""Overdue referrals: sent and no answer for more than 3 working days (NRW, Berlin time).
The SQL filter's window agrees with the definition, at the boundaries and anywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.referrals import service as referrals
from network.referrals.overdue import is_overdue, overdue_window
from network.referrals.service import NewReferral, ReferralFilter
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import make_world

# Thursday 1 October 2026, 10:00 Berlin (08:00 UTC): Friday, Monday, Tuesday are the three.
THURSDAY = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "overdue"), [
    (THURSDAY + timedelta(days=4, hours=23), False),  # Monday evening: 2 working days
    (THURSDAY + timedelta(days=5), False),  # Tuesday 10:00: exactly 3 working days
    (THURSDAY + timedelta(days=5, minutes=1), True),  # Tuesday 10:01: more than 3
])
def test_it_counts_working_days_on_the_berlin_clock(now, overdue):
    assert is_overdue(THURSDAY, now) is overdue
    assert overdue_window(now).contains(THURSDAY) is overdue


def test_easter_and_may_day_do_not_count():
    sent = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)  # Maundy Thursday, 10:00 Berlin
    # Good Friday and Easter Monday are holidays: Tue, Wed, Thu are the three working days.
    assert not is_overdue(sent, datetime(2026, 4, 9, 8, 0, tzinfo=UTC))
    assert is_overdue(sent, datetime(2026, 4, 9, 8, 1, tzinfo=UTC))


moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC))


@settings(max_examples=300)
@given(sent=moments, waited=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)))
def test_the_window_of_the_sql_filter_agrees_with_the_definition(sent, waited):
    now = sent + waited
    assert overdue_window(now).contains(sent) is is_overdue(sent, now)


async def test_the_list_filter_finds_exactly_the_overdue_ones(pool, make_user):
    user = (await make_user()).user
    sent_times = [THURSDAY + timedelta(days=d, hours=h) for d in range(-3, 7)
                  for h in (-9, -1, 0, 1, 8)]
    made = []
    for sent_at in sent_times:
        world = await make_world(opened=THURSDAY - timedelta(days=30))
        created = await acting.create_referral(NewReferral(
            world.barrier_id, world.caritas.id, "sent"), user.id, now=sent_at)
        made.append(created.referral)
    answered = made[0]
    await acting.transition(answered.id, "accepted", "partner", None,
                               now=answered.sent_at + timedelta(days=1))
    for now in (THURSDAY + timedelta(days=5), THURSDAY + timedelta(days=5, minutes=1),
                THURSDAY + timedelta(days=8, hours=3)):
        found = await referrals.list_referrals(SYSTEM_ACTOR, ReferralFilter(overdue=True),
                                               limit=200, now=now)
        expected = {r.id for r in made if r is not answered and is_overdue(r.sent_at, now)}
        assert {r.id for r in found.items} == expected and expected
        rest = await referrals.list_referrals(SYSTEM_ACTOR, ReferralFilter(overdue=False),
                                              limit=200, now=now)
        assert rest.total + found.total == len(made)
    async with transaction() as connection:
        assert await connection.fetchval("SELECT count(*) FROM referrals") == len(made)
