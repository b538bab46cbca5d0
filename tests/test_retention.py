from datetime import UTC, datetime, timedelta

import pytest

from network.cases import actions, barriers, service
from network.cases.retention import is_due, retention_cutoff
from network.clock import SYSTEM_CLOCK, FixedClock
from network.scheduler import build_scheduler, pseudonymise_expired_cases
from network.settings import ConfigError
from network.transactions import transaction
from tests.support.app import make_settings
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data


def test_the_cutoff_lies_the_given_years_back():
    assert retention_cutoff(NOW, 2) == NOW.replace(year=2024)
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert retention_cutoff(leap, 1) == datetime(2027, 2, 28, 12, tzinfo=UTC)


def test_a_case_is_due_once_closed_longer_than_the_period():
    closed = NOW - timedelta(days=2 * 365 + 1)
    assert is_due(closed, None, NOW, 2)
    assert not is_due(NOW - timedelta(days=700), None, NOW, 2)
    assert not is_due(None, None, NOW, 2)  # still open
    assert not is_due(closed, NOW, NOW, 2)  # done already


def test_retention_years_default_to_two(tmp_path):
    assert make_settings(tmp_path).retention_years == 2
    assert make_settings(tmp_path, RETENTION_YEARS="5").retention_years == 5


@pytest.mark.parametrize("value", ["two", "0", "-1", "2.5", "31"])
def test_retention_years_are_parsed_strictly(tmp_path, value):
    with pytest.raises(ConfigError, match="RETENTION_YEARS"):
        make_settings(tmp_path, RETENTION_YEARS=value)


async def test_the_job_pseudonymises_only_cases_closed_long_enough(pool):
    long_ago = NOW - timedelta(days=3 * 365)
    old = await actions.create_client(SYSTEM_ACTOR, FixedClock(long_ago),
                                      client_data(last_name="Alt"))
    await actions.close_case(SYSTEM_ACTOR, FixedClock(long_ago), old.id, "employment")
    recent = await actions.create_client(SYSTEM_ACTOR, FixedClock(long_ago),
                                         client_data(last_name="Neu"))
    await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW - timedelta(days=30)), recent.id,
                             "employment")
    still_open = await actions.create_client(SYSTEM_ACTOR, FixedClock(long_ago),
                                             client_data(last_name="Offen"),
                                             barrier_kinds=["housing"])
    assert await actions.pseudonymise_due(SYSTEM_ACTOR, FixedClock(NOW),
                                          retention_years=2) == [old.id]
    assert (await service.get_client(SYSTEM_ACTOR, old.id)).last_name is None
    assert (await service.get_client(SYSTEM_ACTOR, recent.id)).last_name == "Neu"
    assert (await service.get_client(SYSTEM_ACTOR, still_open.id)).last_name == "Offen"
    assert await actions.pseudonymise_due(SYSTEM_ACTOR, FixedClock(NOW), retention_years=2) == []
    assert await actions.pseudonymise_due(SYSTEM_ACTOR, FixedClock(NOW), retention_years=1) == []
    assert len(await barriers.list_barriers(SYSTEM_ACTOR, still_open.id)) == 1


def test_the_scheduler_ticks_the_retention_job(tmp_path):
    scheduler = build_scheduler(make_settings(tmp_path))
    job = scheduler.get_job("cases.retention")
    assert job is not None and job.func is pseudonymise_expired_cases


async def test_the_retention_job_audits_each_pseudonymisation(pool, tmp_path):
    long_ago = NOW - timedelta(days=3 * 365)
    old = await actions.create_client(SYSTEM_ACTOR, FixedClock(long_ago), client_data(),
                                      barrier_kinds=[])
    await actions.close_case(SYSTEM_ACTOR, FixedClock(long_ago), old.id, "employment")
    await pseudonymise_expired_cases(make_settings(tmp_path), SYSTEM_CLOCK)
    assert (await service.get_client(SYSTEM_ACTOR, old.id)).pseudonymised_at is not None
    async with transaction() as connection:
        entries = await connection.fetch(
            "SELECT actor_id, entity_id FROM audit_log WHERE action = 'client.pseudonymised'")
    assert [tuple(row) for row in entries] == [(None, str(old.id))]
