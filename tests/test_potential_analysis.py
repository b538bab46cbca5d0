import pytest

from network.actors import Actor
from network.cases import actions, service
from network.cases.service import LanguageSkill, PotentialAnalysisData, QualificationData
from network.cases.values import CefrLevel, QualificationKind
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import NotFound, RuleViolation
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data

ANALYSIS = PotentialAnalysisData(
    schooling_years=12,
    work_experience_years=6,
    work_experience="Elektriker in Aleppo",
    skills="Schaltschränke, Photovoltaik",
    qualifications=(
        QualificationData(QualificationKind.SCHOOL, "Abitur", True, "SY"),
        QualificationData(QualificationKind.VOCATIONAL, "Elektriker", False, "SY"),
    ),
    languages=(LanguageSkill("ar", CefrLevel.C2), LanguageSkill("de", CefrLevel.B1)),
)


async def test_it_records_and_replaces_the_analysis(pool, make_user):
    recorder = (await make_user()).user
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    assert await service.get_potential_analysis(SYSTEM_ACTOR, client.id) is None
    recorded = await actions.record_potential_analysis(Actor.of_user(recorder), FixedClock(NOW),
                                                       client.id, ANALYSIS)
    assert recorded.qualifications == ANALYSIS.qualifications
    assert recorded.languages == ANALYSIS.languages
    assert recorded.recorded_by == recorder.id
    again = await actions.record_potential_analysis(Actor.of_user(recorder), FixedClock(NOW),
                                                    client.id,
                                                    PotentialAnalysisData(schooling_years=10))
    assert again.qualifications == ()
    assert again.languages == ANALYSIS.languages  # languages left as they were
    assert (await service.get_client(SYSTEM_ACTOR, client.id)).languages == ANALYSIS.languages


@pytest.mark.parametrize("data, field", [
    (PotentialAnalysisData(schooling_years=-1), "schooling_years"),
    (PotentialAnalysisData(schooling_years="12"), "schooling_years"),
    (PotentialAnalysisData(work_experience_years=71), "work_experience_years"),
    (PotentialAnalysisData(skills="x" * 5001), "skills"),
    (PotentialAnalysisData(qualifications=(QualificationData("phd", "Dr.", True),)),
     "qualifications[0].kind"),
    (PotentialAnalysisData(qualifications=(QualificationData("academic", " ", True),)),
     "qualifications[0].title"),
    (PotentialAnalysisData(qualifications=(QualificationData("academic", "BA", "yes"),)),
     "qualifications[0].has_documents"),
    (PotentialAnalysisData(qualifications=(QualificationData("academic", "BA", True, "xx1"),)),
     "qualifications[0].country_code"),
    (PotentialAnalysisData(languages=(LanguageSkill("de", "native"),)), "languages[0].level"),
])
async def test_it_refuses_invalid_values(pool, data, field):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        await actions.record_potential_analysis(SYSTEM_ACTOR, FixedClock(NOW), client.id, data)
    assert refused.value.field == field


async def test_it_refuses_an_unknown_client(pool):
    with pytest.raises(NotFound):
        await actions.record_potential_analysis(SYSTEM_ACTOR, SYSTEM_CLOCK, 1, ANALYSIS)
