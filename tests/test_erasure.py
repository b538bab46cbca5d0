"""Erasure leaves no personal data anywhere: every text column of every table is searched."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from network.accounts import actions as account_actions
from network.accounts import service as accounts
from network.accounts.access import LegalCircle, Role
from network.cases import actions, barriers, service
from network.cases.service import PotentialAnalysisData, QualificationData
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import RuleViolation
from network.partners import actions as partner_actions
from network.referrals import service as referrals
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data, partner_data
from tests.support.leaks import places_holding

FIRST, LAST = "Zarahfine", "Quellmannsky"
BIRTH = date(1993, 7, 14)


async def client_with_data_everywhere():
    """A client whose name appears in every free text the domain has."""
    name = f"{FIRST} {LAST}"
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                  client_data(first_name=FIRST, last_name=LAST, date_of_birth=BIRTH,
                    case_number="QUELLMANNSKY-1", email="zarahfine.quellmannsky@example.org",
                    phone="+49 2452 99 00", address=f"c/o {name}, Hochstraße 5, Heinsberg",
                    notes=f"{name} kommt dienstags", country_of_origin="ER",
                    case_kind="enrolled", enrolment_reason=f"Reason about {name}"),
                    barrier_kinds=[])
    await actions.record_potential_analysis(SYSTEM_ACTOR, FixedClock(NOW), client.id,
                                            PotentialAnalysisData(
        schooling_years=9, work_experience=f"{name} war Schneiderin", skills=f"{name}: Nähen",
        notes=f"Notes on {name}",
        qualifications=(QualificationData("vocational", f"Zertifikat {name}", False, "ER"),)))
    await actions.give_consent(SYSTEM_ACTOR, FixedClock(NOW), client.id, ["school", "association"])
    one = await actions.add_barrier(SYSTEM_ACTOR, FixedClock(NOW), client.id, "health",
                                    f"{name} braucht Facharzt")
    two = await actions.add_barrier(SYSTEM_ACTOR, FixedClock(NOW), client.id, "housing", None)
    await referrals_with_the_name(two.id, name)
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(NOW), one.id,
                                  note=f"{name} war beim Arzt")
    await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(NOW), two.id, "unresolvable",
                                        reason=f"{name} will nicht umziehen")
    await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "employment",
                             note=f"{name} arbeitet")
    return await service.get_client(SYSTEM_ACTOR, client.id)


async def referrals_with_the_name(barrier_id: int, name: str) -> None:
    """Referral notes, reasons, override reasons and event texts all naming the client."""
    user = await account_actions.create_user(SYSTEM_ACTOR, SYSTEM_CLOCK, accounts.NewUser(
        "erasure.coordinator@jobcenter.example", "Erasure Coordinator", Role.COORDINATOR,
        LegalCircle.SGB2, "pw-" + "x" * 20))
    partner = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(
        name="Schuldnerberatung Erasure", barrier_kinds=("financial",)))
    first = await acting.create_referral(referrals.NewReferral(
        barrier_id, partner.id, "sent", note=f"Bitte {name} anrufen",
        override_reason=f"{name} kennt die Beratung"), user.id, now=NOW)
    await acting.transition(first.referral.id, "declined", "partner", None,
                               reason_code="other", reason_text=f"{name} war nicht da",
                               note=f"Notiz zu {name}", now=NOW)
    second = await acting.create_referral(referrals.NewReferral(
        barrier_id, partner.id, "sent", override_reason="Ausnahme"), user.id, now=NOW)
    await acting.transition(second.referral.id, "cancelled", "coordinator", user.id,
                               reason_text=f"{name} ist umgezogen", now=NOW)


async def figures(client_id: int) -> tuple:
    client = await service.get_client(SYSTEM_ACTOR, client_id)
    kept = (client.country_of_origin, client.gender, client.birth_year, client.legal_circle,
            client.residence_status, client.case_kind, client.status, client.outcome,
            client.enrolled_at, client.closed_at, client.languages)
    found = await barriers.list_barriers(SYSTEM_ACTOR, client_id)
    return kept + (sorted((b.kind, b.status) for b in found),
                   len(await service.list_consents(SYSTEM_ACTOR, client_id)))


async def test_the_search_would_find_the_client_before_erasure(pool):
    client = await client_with_data_everywhere()
    found = await places_holding(LAST, birth=BIRTH)
    assert len(found) >= 10, found
    for place in ("referrals.note", "referrals.reason_text", "referrals.override_reason",
                  "referral_events.note", "referral_events.reason_text"):
        assert f"{place} holds {LAST!r}" in found
    assert client.first_name == FIRST


async def test_erasure_leaves_the_name_nowhere_and_the_figures_unchanged(pool):
    await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data())
    other = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    client = await client_with_data_everywhere()
    before = await figures(client.id)
    erased = await actions.erase_client(SYSTEM_ACTOR, FixedClock(NOW + timedelta(days=1)),
                                        client.id)
    assert await places_holding(FIRST, LAST, "zarahfine", "99 00", birth=BIRTH) == []
    assert erased.erased_at == erased.pseudonymised_at == NOW + timedelta(days=1)
    assert erased.date_of_birth is None and erased.birth_year == 1993
    assert await figures(client.id) == before
    assert await service.get_client(SYSTEM_ACTOR, other.id) == other


async def test_an_open_case_can_be_erased_on_request(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                         client_data(first_name=FIRST, last_name=LAST),
                                         barrier_kinds=["language"])
    await actions.erase_client(SYSTEM_ACTOR, FixedClock(NOW), client.id)
    assert await places_holding(LAST, birth=BIRTH) == []
    with pytest.raises(RuleViolation):
        await actions.update_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id, {"notes": "back again"})
    with pytest.raises(RuleViolation):
        await actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id, "housing", None)


async def test_pseudonymising_twice_or_erasing_afterwards_is_harmless(pool):
    client = await client_with_data_everywhere()
    first = await actions.pseudonymise_client(SYSTEM_ACTOR, FixedClock(NOW), client.id)
    again = await actions.pseudonymise_client(SYSTEM_ACTOR, FixedClock(NOW + timedelta(days=1)),
                                              client.id)
    assert first == again and first.erased_at is None
    erased = await actions.erase_client(SYSTEM_ACTOR, FixedClock(NOW + timedelta(days=2)),
                                        client.id)
    assert erased.erased_at == NOW + timedelta(days=2)
    assert replace(erased, erased_at=None, updated_at=first.updated_at) == first
    async with transaction() as connection:
        events = await connection.fetch(
            "SELECT event FROM case_events WHERE client_id = $1 ORDER BY id", client.id)
    assert [e["event"] for e in events] == ["opened", "enrolled", "closed", "pseudonymised",
                                            "erased"]


async def test_an_open_case_is_not_pseudonymised(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        await actions.pseudonymise_client(SYSTEM_ACTOR, FixedClock(NOW), client.id)
    assert refused.value.field == "status"
    assert (await service.get_client(SYSTEM_ACTOR, client.id)).first_name == "Amal"
