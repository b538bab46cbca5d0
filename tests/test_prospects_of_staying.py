from datetime import date

import pytest

from network.cases import actions, service
from network.cases.prospects import ProspectEntry, has_good_prospects
from network.clock import SYSTEM_CLOCK
from network.errors import RuleViolation
from network.transactions import transaction
from tests.support.factories import SYSTEM_ACTOR

ENTRIES = [
    ProspectEntry("SY", date(2015, 1, 1)),
    ProspectEntry("AF", date(2020, 1, 1)),
    ProspectEntry("AF", date(2022, 1, 1), good_prospects=False),
]


def test_it_decides_from_the_newest_entry_already_valid():
    assert has_good_prospects(ENTRIES, "AF", date(2021, 6, 1))
    assert not has_good_prospects(ENTRIES, "AF", date(2023, 6, 1))
    assert not has_good_prospects(ENTRIES, "AF", date(2019, 12, 31))


def test_it_knows_no_good_prospects_for_an_unlisted_country():
    assert not has_good_prospects(ENTRIES, "TR", date(2026, 1, 1))


def test_it_accepts_lower_case_codes():
    assert has_good_prospects(ENTRIES, "sy", date(2026, 1, 1))


async def test_the_migration_seeds_syria_iran_iraq_and_eritrea(pool):
    entries = await service.prospect_entries()
    assert {e.country_code for e in entries} == {"SY", "IR", "IQ", "ER"}
    for code in ("SY", "IR", "IQ", "ER"):
        assert await service.good_prospects(code, date(2026, 11, 26))
    assert not await service.good_prospects("TR", date(2026, 11, 26))


async def test_the_list_is_data_that_can_change(pool):
    try:
        await actions.set_prospect(SYSTEM_ACTOR, SYSTEM_CLOCK, "AF", date(2027, 1, 1), True)
        await actions.set_prospect(SYSTEM_ACTOR, SYSTEM_CLOCK, "AF", date(2028, 1, 1), False)
        assert not await service.good_prospects("AF", date(2026, 12, 31))
        assert await service.good_prospects("AF", date(2027, 1, 1))
        assert not await service.good_prospects("AF", date(2028, 1, 1))
    finally:
        async with transaction() as connection:
            await connection.execute("DELETE FROM prospect_countries WHERE country_code = 'AF'")


async def test_it_refuses_a_malformed_country_code(pool):
    with pytest.raises(RuleViolation) as refused:
        await actions.set_prospect(SYSTEM_ACTOR, SYSTEM_CLOCK, "Syria", date(2027, 1, 1), True)
    assert refused.value.field == "country_code"
