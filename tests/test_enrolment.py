import pytest

from network.cases import actions, service
from network.cases.enrolment import check_enrolment
from network.cases.values import CaseKind
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import RuleViolation
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data


def test_a_first_consultation_is_always_allowed():
    check_enrolment(CaseKind.FIRST_CONSULTATION, good_prospects=False, reason=None)


def test_enrolment_with_good_prospects_needs_no_reason():
    check_enrolment(CaseKind.ENROLLED, good_prospects=True, reason=None)


def test_enrolment_without_good_prospects_needs_a_reason():
    with pytest.raises(RuleViolation) as refused:
        check_enrolment(CaseKind.ENROLLED, good_prospects=False, reason="  ")
    assert refused.value.field == "enrolment_reason"
    check_enrolment(CaseKind.ENROLLED, good_prospects=False, reason="Ausbildungsduldung")


async def test_it_enrolls_a_client_from_a_listed_country(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(case_kind=CaseKind.ENROLLED))
    assert client.case_kind is CaseKind.ENROLLED
    assert client.enrolled_at == NOW


async def test_it_refuses_to_enroll_without_prospects_or_reason(pool):
    with pytest.raises(RuleViolation) as refused:
        await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                   client_data(country_of_origin="TR", case_kind=CaseKind.ENROLLED))
    assert refused.value.field == "enrolment_reason"
    page = await service.list_clients(SYSTEM_ACTOR)
    assert page.total == 0


async def test_it_enrolls_without_prospects_when_a_reason_is_given(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                    client_data(country_of_origin="TR", case_kind=CaseKind.ENROLLED,
                    enrolment_reason="Anerkannter Flüchtling (Einzelfallentscheidung)"))
    assert client.case_kind is CaseKind.ENROLLED


async def test_a_first_consultation_from_any_country_is_allowed(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(country_of_origin="TR"))
    assert client.case_kind is CaseKind.FIRST_CONSULTATION
    assert client.enrolled_at is None


async def test_enrolling_later_applies_the_rule_and_records_the_date(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(country_of_origin="TR"))
    with pytest.raises(RuleViolation):
        await actions.update_client(SYSTEM_ACTOR, FixedClock(NOW), client.id,
                                    {"case_kind": "enrolled"})
    enrolled = await actions.update_client(SYSTEM_ACTOR, FixedClock(NOW), client.id,
                                         {"case_kind": "enrolled", "enrolment_reason": "Härtefall"})
    assert enrolled.enrolled_at == NOW


async def test_an_enrolled_case_does_not_go_back(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(case_kind="enrolled"))
    with pytest.raises(RuleViolation) as refused:
        await actions.update_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id,
                                    {"case_kind": "first_consultation"})
    assert refused.value.field == "case_kind"
