from datetime import date

from network.cases import actions, barriers, service
from network.cases.education import age_on, default_barrier_kinds, in_education_track
from network.cases.values import BarrierKind, BarrierStatus
from network.clock import FixedClock
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data


def test_age_counts_completed_years():
    assert age_on(date(2001, 11, 27), date(2026, 11, 26)) == 24
    assert age_on(date(2001, 11, 26), date(2026, 11, 26)) == 25
    assert age_on(date(2004, 2, 29), date(2026, 2, 28)) == 21
    assert age_on(date(2004, 2, 29), date(2026, 3, 1)) == 22


def test_under_25_is_the_education_track():
    assert in_education_track(date(2001, 11, 27), date(2026, 11, 26))
    assert not in_education_track(date(2001, 11, 26), date(2026, 11, 26))


def test_the_education_track_offers_school_training_and_university():
    assert default_barrier_kinds(date(2008, 1, 1), date(2026, 11, 26)) == (
        BarrierKind.SCHOOL, BarrierKind.VOCATIONAL_TRAINING, BarrierKind.UNIVERSITY)
    assert default_barrier_kinds(date(1980, 1, 1), date(2026, 11, 26)) == ()


async def test_a_young_client_gets_the_education_barriers_by_default(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(date_of_birth=date(2007, 3, 1)))
    found = await barriers.list_barriers(SYSTEM_ACTOR, client.id)
    assert [b.kind for b in found] == [BarrierKind.SCHOOL, BarrierKind.VOCATIONAL_TRAINING,
                                       BarrierKind.UNIVERSITY]
    assert {b.status for b in found} == {BarrierStatus.OPEN}


async def test_the_offer_can_be_declined_or_replaced(pool):
    young = client_data(date_of_birth=date(2007, 3, 1))
    declined = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), young, barrier_kinds=[])
    assert await barriers.list_barriers(SYSTEM_ACTOR, declined.id) == []
    chosen = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), young,
                                         barrier_kinds=["language"])
    found = await barriers.list_barriers(SYSTEM_ACTOR, chosen.id)
    assert [b.kind for b in found] == [BarrierKind.LANGUAGE]


async def test_an_older_client_gets_no_default_barriers(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(date_of_birth=date(1980, 3, 1)))
    assert await barriers.list_barriers(SYSTEM_ACTOR, client.id) == []


async def test_the_offer_follows_the_age_on_the_day_asked(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(date_of_birth=date(2001, 12, 1)),
                                         barrier_kinds=[])
    assert await service.offered_barrier_kinds(SYSTEM_ACTOR, client.id, date(2026, 11, 30)) == (
        BarrierKind.SCHOOL, BarrierKind.VOCATIONAL_TRAINING, BarrierKind.UNIVERSITY)
    assert await service.offered_barrier_kinds(SYSTEM_ACTOR, client.id, date(2026, 12, 1)) == ()
