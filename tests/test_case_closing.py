import pytest

from network.cases import actions, barriers, service
from network.cases.closing import check_closing
from network.cases.values import BarrierStatus, CaseStatus, Outcome
from network.clock import FixedClock
from network.errors import RuleViolation
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data

S = BarrierStatus


def test_a_case_with_finished_barriers_may_close():
    check_closing(CaseStatus.OPEN, Outcome.EMPLOYMENT, [S.RESOLVED, S.UNRESOLVABLE])
    check_closing(CaseStatus.OPEN, Outcome.MOVED_AWAY, [])


@pytest.mark.parametrize("status", [S.OPEN, S.IN_PROGRESS])
def test_an_unfinished_barrier_keeps_the_case_open(status):
    with pytest.raises(RuleViolation) as refused:
        check_closing(CaseStatus.OPEN, Outcome.EMPLOYMENT, [S.RESOLVED, status])
    assert refused.value.field == "barriers"


def test_closing_needs_an_outcome_and_an_open_case():
    with pytest.raises(RuleViolation) as refused:
        check_closing(CaseStatus.OPEN, None, [])
    assert refused.value.field == "outcome"
    with pytest.raises(RuleViolation) as refused:
        check_closing(CaseStatus.CLOSED, Outcome.OTHER, [])
    assert refused.value.field == "status"


async def test_it_refuses_to_close_with_an_open_barrier(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(),
                                         barrier_kinds=["language"])
    with pytest.raises(RuleViolation) as refused:
        await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "employment")
    assert refused.value.field == "barriers"
    assert (await service.get_client(SYSTEM_ACTOR, client.id)).status is CaseStatus.OPEN


async def test_it_closes_when_every_barrier_is_finished(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(),
                                         barrier_kinds=["language", "housing"])
    language, housing = await barriers.list_barriers(SYSTEM_ACTOR, client.id)
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(NOW), language.id)
    await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(NOW), housing.id, "unresolvable",
                                        reason="Kein Wohnraum im Kreis verfügbar")
    closed = await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "employment",
                                      note="Job found")
    assert closed.status is CaseStatus.CLOSED
    assert closed.outcome is Outcome.EMPLOYMENT
    assert closed.closed_at == NOW


@pytest.mark.parametrize("outcome", [None, "", "rich", 3])
async def test_it_refuses_to_close_without_a_valid_outcome(pool, outcome):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, outcome)
    assert refused.value.field == "outcome"


async def test_a_closed_case_takes_no_new_barriers_or_consents(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "moved_away")
    with pytest.raises(RuleViolation):
        await actions.add_barrier(SYSTEM_ACTOR, FixedClock(NOW), client.id, "housing", None)
    with pytest.raises(RuleViolation):
        await actions.give_consent(SYSTEM_ACTOR, FixedClock(NOW), client.id, ["school"])
    with pytest.raises(RuleViolation) as refused:
        await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "moved_away")
    assert refused.value.field == "status"
