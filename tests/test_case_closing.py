import pytest
from factories import NOW, client_data

from network.cases import barriers, service
from network.cases.closing import check_closing
from network.cases.values import BarrierStatus, CaseStatus, Outcome
from network.errors import RuleViolation

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
    client = await service.create_client(client_data(), None, barrier_kinds=["language"],
                                         now=NOW)
    with pytest.raises(RuleViolation) as refused:
        await service.close_case(client.id, "employment", None, now=NOW)
    assert refused.value.field == "barriers"
    assert (await service.get_client(client.id)).status is CaseStatus.OPEN


async def test_it_closes_when_every_barrier_is_finished(pool):
    client = await service.create_client(client_data(), None,
                                         barrier_kinds=["language", "housing"], now=NOW)
    language, housing = await barriers.list_barriers(client.id)
    await barriers.resolve_barrier(language.id, None, now=NOW)
    await barriers.change_barrier_status(housing.id, "unresolvable", None,
                                         reason="Kein Wohnraum im Kreis verfügbar", now=NOW)
    closed = await service.close_case(client.id, "employment", None, note="Job found", now=NOW)
    assert closed.status is CaseStatus.CLOSED
    assert closed.outcome is Outcome.EMPLOYMENT
    assert closed.closed_at == NOW


@pytest.mark.parametrize("outcome", [None, "", "rich", 3])
async def test_it_refuses_to_close_without_a_valid_outcome(pool, outcome):
    client = await service.create_client(client_data(), None, now=NOW)
    with pytest.raises(RuleViolation) as refused:
        await service.close_case(client.id, outcome, None, now=NOW)
    assert refused.value.field == "outcome"


async def test_a_closed_case_takes_no_new_barriers_or_consents(pool):
    client = await service.create_client(client_data(), None, now=NOW)
    await service.close_case(client.id, "moved_away", None, now=NOW)
    with pytest.raises(RuleViolation):
        await barriers.add_barrier(client.id, "housing", None, None, now=NOW)
    with pytest.raises(RuleViolation):
        await service.give_consent(client.id, ["school"], None, now=NOW)
    with pytest.raises(RuleViolation) as refused:
        await service.close_case(client.id, "moved_away", None, now=NOW)
    assert refused.value.field == "status"
