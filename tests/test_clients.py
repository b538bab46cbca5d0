from datetime import date, timedelta

import pytest

from network.actors import Actor
from network.cases import actions, service
from network.cases.service import LanguageSkill
from network.cases.values import CaseStatus, CefrLevel, Gender
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import Conflict, NotFound, RuleViolation
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data


async def test_it_creates_a_client_with_everything_entered(pool, make_user):
    coordinator = (await make_user()).user
    client = await actions.create_client(Actor.of_user(coordinator), FixedClock(NOW),
                              client_data(case_number="ip-2026-0001", coordinator_id=coordinator.id,
                    notes="Kommt mit Tochter"))
    assert client.coordinator_id == coordinator.id
    assert client.case_number == "IP-2026-0001"
    assert client.birth_year == 1990
    assert client.status is CaseStatus.OPEN and client.opened_at == NOW
    assert client.languages == (LanguageSkill("ar", CefrLevel.C2),
                                LanguageSkill("de", CefrLevel.A2))
    assert await service.get_client(SYSTEM_ACTOR, client.id) == client


async def test_it_updates_the_given_fields_only(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    changed = await actions.update_client(SYSTEM_ACTOR, FixedClock(NOW + timedelta(days=1)),
                                          client.id,
                         {"last_name": "Haddad-Schmitz", "languages": (LanguageSkill("de", "B1"),)})
    assert changed.last_name == "Haddad-Schmitz"
    assert changed.first_name == "Amal"
    assert changed.languages == (LanguageSkill("de", CefrLevel.B1),)
    assert changed.updated_at == NOW + timedelta(days=1)


@pytest.mark.parametrize("changes, field", [
    ({"first_name": ""}, "first_name"),
    ({"last_name": None}, "last_name"),
    ({"first_name": "x" * 101}, "first_name"),
    ({"first_name": 12}, "first_name"),
    ({"date_of_birth": "1990-01-01"}, "date_of_birth"),
    ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth"),
    ({"date_of_birth": NOW.date() + timedelta(days=1)}, "date_of_birth"),
    ({"gender": "unknown"}, "gender"),
    ({"country_of_origin": "Syria"}, "country_of_origin"),
    ({"country_of_origin": None}, "country_of_origin"),
    ({"residence_status": "tourist"}, "residence_status"),
    ({"legal_circle": "sgb12"}, "legal_circle"),
    ({"case_kind": "vip"}, "case_kind"),
    ({"coordinator_id": 0}, "coordinator_id"),
    ({"coordinator_id": "7"}, "coordinator_id"),
    ({"coordinator_id": True}, "coordinator_id"),
    ({"case_number": "ip 1"}, "case_number"),
    ({"phone": "call me"}, "phone"),
    ({"email": "not-an-address"}, "email"),
    ({"notes": "x" * 10001}, "notes"),
    ({"notes": "a\x00b"}, "notes"),
    ({"languages": "ar"}, "languages"),
    ({"languages": (LanguageSkill("arabic", "C2"),)}, "languages[0].language"),
    ({"languages": (LanguageSkill("ar", "D1"),)}, "languages[0].level"),
    ({"languages": (LanguageSkill("ar", "C2"), LanguageSkill("AR", "B1"))},
     "languages[1].language"),
])
async def test_it_refuses_invalid_values_naming_the_field(pool, changes, field):
    with pytest.raises(RuleViolation) as refused:
        await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(**changes))
    assert refused.value.field == field
    assert (await service.list_clients(SYSTEM_ACTOR)).total == 0


async def test_it_refuses_unknown_fields_and_unknown_clients(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        await actions.update_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id, {"status": "closed"})
    assert refused.value.field == "status"
    with pytest.raises(NotFound):
        await actions.update_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id + 1, {"notes": "x"})


async def test_case_numbers_are_unique(pool):
    await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(case_number="IP-1"))
    with pytest.raises(Conflict) as refused:
        await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(case_number="ip-1"))
    assert refused.value.field == "case_number"


async def test_the_database_holds_the_rules_too(pool):
    """Constraint errors that slip past the checks come back as field errors, not crashes."""
    from network.transactions import transaction

    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        async with transaction() as connection:
            await connection.execute("UPDATE clients SET gender = 'x' WHERE id = $1", client.id)
    assert refused.value.field == "gender"
    with pytest.raises(RuleViolation) as refused:
        async with transaction() as connection:
            await connection.execute("UPDATE clients SET status = 'closed' WHERE id = $1",
                                     client.id)
    assert refused.value.field == "closed_has_outcome"


async def test_it_lists_clients_by_status_and_coordinator(pool, make_user):
    one, two = (await make_user()).user, (await make_user()).user
    a = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                    client_data(coordinator_id=one.id, gender=Gender.MALE))
    b = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                    client_data(coordinator_id=two.id))
    await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), b.id, "other")
    assert [c.id for c in (await service.list_clients(SYSTEM_ACTOR, status="open")).items] == [a.id]
    mine = await service.list_clients(SYSTEM_ACTOR, coordinator_id=two.id)
    assert [c.id for c in mine.items] == [b.id]
    assert (await service.list_clients(SYSTEM_ACTOR)).total == 2
    with pytest.raises(RuleViolation):
        await service.list_clients(SYSTEM_ACTOR, status="archived")
