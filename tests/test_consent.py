from datetime import datetime, timedelta

import pytest

from network.actors import Actor
from network.cases import actions, service
from network.cases.consent import ConsentTerms, any_covers, covers
from network.clock import FixedClock
from network.errors import NotFound, RuleViolation
from network.partners.kinds import PartnerKind
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data

K = PartnerKind
HOUR = timedelta(hours=1)
TERMS = ConsentTerms(NOW, frozenset({K.SCHOOL, K.YOUTH_OFFICE}), withdrawn_at=NOW + 24 * HOUR)


async def covered(client_id: int, kind: PartnerKind | str, at: datetime) -> bool:
    """What the stored consents allow, by the rule the referrals apply."""
    return any_covers([c.terms for c in await service.consents_of(client_id)],
                      PartnerKind(kind), at)


def test_a_consent_covers_its_kinds_while_it_holds():
    assert covers(TERMS, K.SCHOOL, NOW)
    assert covers(TERMS, K.YOUTH_OFFICE, NOW + 23 * HOUR)


def test_it_covers_nothing_before_it_was_given():
    assert not covers(TERMS, K.SCHOOL, NOW - HOUR)


def test_withdrawal_ends_it_at_its_moment():
    assert not covers(TERMS, K.SCHOOL, NOW + 24 * HOUR)
    assert not covers(TERMS, K.SCHOOL, NOW + 48 * HOUR)


def test_it_does_not_cover_other_kinds():
    assert not covers(TERMS, K.BAMF, NOW)
    assert not any_covers([], K.SCHOOL, NOW)
    assert any_covers([TERMS, ConsentTerms(NOW, frozenset({K.BAMF}))], K.BAMF, NOW)


async def test_a_client_without_consent_is_not_covered(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    assert not await covered(client.id, "school", NOW)


async def test_it_records_and_withdraws_a_consent(pool, make_user):
    recorder, withdrawer = (await make_user()).user, (await make_user()).user
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    consent = await actions.give_consent(Actor.of_user(recorder), FixedClock(NOW), client.id,
                                         ["school", "youth_office"], given_at=NOW - HOUR)
    assert consent.recorded_by == recorder.id
    assert consent.partner_kinds == {K.SCHOOL, K.YOUTH_OFFICE}
    assert await covered(client.id, K.SCHOOL, NOW)
    assert not await covered(client.id, K.BAMF, NOW)
    withdrawn = await actions.withdraw_consent(Actor.of_user(withdrawer), FixedClock(NOW + HOUR),
                                               consent.id)
    assert withdrawn.withdrawn_at == NOW + HOUR and withdrawn.withdrawn_by == withdrawer.id
    assert not await covered(client.id, K.SCHOOL, NOW + 2 * HOUR)
    assert await covered(client.id, K.SCHOOL, NOW)  # history stays true
    assert [c.id for c in await service.list_consents(SYSTEM_ACTOR, client.id)] == [consent.id]


@pytest.mark.parametrize("kinds, field", [
    ([], "partner_kinds"),
    (["school", "pub"], "partner_kinds"),
    ("school", "partner_kinds"),
])
async def test_it_refuses_a_bad_scope(pool, kinds, field):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        await actions.give_consent(SYSTEM_ACTOR, FixedClock(NOW), client.id, kinds)
    assert refused.value.field == field


async def test_it_refuses_a_consent_given_in_the_future_or_without_time_zone(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    for given_at in (NOW + HOUR, NOW.replace(tzinfo=None)):
        with pytest.raises(RuleViolation) as refused:
            await actions.give_consent(SYSTEM_ACTOR, FixedClock(NOW), client.id, ["school"],
                                       given_at=given_at)
        assert refused.value.field == "given_at"


async def test_it_refuses_to_withdraw_twice_or_before_giving(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    consent = await actions.give_consent(SYSTEM_ACTOR, FixedClock(NOW), client.id, ["school"])
    with pytest.raises(RuleViolation):
        await actions.withdraw_consent(SYSTEM_ACTOR, FixedClock(NOW), consent.id, at=NOW - HOUR)
    await actions.withdraw_consent(SYSTEM_ACTOR, FixedClock(NOW), consent.id)
    with pytest.raises(RuleViolation) as refused:
        await actions.withdraw_consent(SYSTEM_ACTOR, FixedClock(NOW), consent.id)
    assert refused.value.field == "withdrawn_at"


async def test_it_refuses_consent_for_an_unknown_client(pool):
    with pytest.raises(NotFound):
        await actions.give_consent(SYSTEM_ACTOR, FixedClock(NOW), 404, ["school"])
