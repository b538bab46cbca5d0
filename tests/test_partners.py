from datetime import timedelta

import pytest

from network.accounts.tables import AuditLog
from network.actors import Actor
from network.cases.values import BarrierKind
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import Conflict, NotFound, RuleViolation
from network.partners import actions as partner_actions
from network.partners import service
from network.partners.kinds import PartnerKind
from network.partners.service import ContactPerson
from tests.support.factories import NOW, SYSTEM_ACTOR, partner_data


async def test_it_creates_a_partner_with_contacts(pool):
    partner = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data())
    assert partner.id > 0 and partner.active
    assert partner.contacts == (ContactPerson("Petra Lenzen", "Beratung",
                                              "p.lenzen@caritas-hs.example"),)
    assert partner.barrier_kinds == (BarrierKind.HOUSING, BarrierKind.FINANCIAL)
    assert await service.get_partner(partner.id) == partner


async def test_it_updates_given_fields_and_replaces_contacts(pool):
    partner = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data())
    changed = await partner_actions.update_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner.id,
                                       {"active": False, "contacts": (ContactPerson("Jan Coenen"),),
                     "languages": ("DE", "tr")})
    assert not changed.active
    assert changed.contacts == (ContactPerson("Jan Coenen"),)
    assert changed.languages == ("de", "tr")
    assert changed.name == partner.name
    unchanged = await partner_actions.update_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner.id,
                                                     {"notes": "Neu"})
    assert unchanged.contacts == changed.contacts


async def test_names_are_unique_whatever_the_case(pool):
    await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK,
                                         partner_data(name="Tafel Heinsberg"))
    with pytest.raises(Conflict) as refused:
        await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK,
                                             partner_data(name="TAFEL HEINSBERG "))
    assert refused.value.field == "name"


@pytest.mark.parametrize("changes, field", [
    ({"name": " "}, "name"),
    ({"kind": "pub"}, "kind"),
    ({"postal_code": "5252"}, "postal_code"),
    ({"phone": "ring ring"}, "phone"),
    ({"referral_emails": ("info@",)}, "referral_emails"),
    ({"referral_emails": "a@b.de"}, "referral_emails"),
    ({"referral_emails": tuple(f"a{i}@b.de" for i in range(11))}, "referral_emails"),
    ({"languages": ("deutsch",)}, "languages"),
    ({"barrier_kinds": ("weather",)}, "barrier_kinds"),
    ({"contacts": (ContactPerson(""),)}, "contacts[0].name"),
    ({"contacts": (ContactPerson("A", email="nope"),)}, "contacts[0].email"),
    ({"contacts": ("Anna",)}, "contacts[0]"),
    ({"active": "yes"}, "active"),
    ({"opening_hours": "x" * 2001}, "opening_hours"),
])
async def test_it_refuses_invalid_values_naming_the_field(pool, changes, field):
    with pytest.raises(RuleViolation) as refused:
        await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(**changes))
    assert refused.value.field == field


async def test_it_refuses_unknown_fields_and_partners(pool):
    partner = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data())
    with pytest.raises(RuleViolation) as refused:
        await partner_actions.update_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner.id,
                                             {"colour": "red"})
    assert refused.value.field == "colour"
    with pytest.raises(NotFound):
        await partner_actions.update_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner.id + 1,
                                             {"notes": "x"})


@pytest.fixture
async def network(pool):
    made = {}
    for name, kind, barriers, languages, extra in [
        ("Ausländerbehörde Kreis Heinsberg", "immigration_office", ["residence_legal"], ["de"],
         {}),
        ("VHS Kreis Heinsberg – Integrationskurse", "course_provider", ["language"],
         ["de", "ar"], {"notes": "Alphabetisierungskurse"}),
        ("Sprachschule Geilenkirchen", "course_provider", ["language"], ["de", "tr"],
         {"active": False}),
        ("Kleiderkammer Erkelenz", "clothing_store", ["financial"], ["de"],
         {"contacts": (ContactPerson("Maria Dohmen_Test"),)}),
    ]:
        made[name] = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK,
                     partner_data(name=name, kind=kind, barrier_kinds=barriers, languages=languages,
                         contacts=extra.get("contacts", ()), notes=extra.get("notes"),
                         active=extra.get("active", True)))
    return made


def names(page):
    return [p.name for p in page.items]


async def test_search_filters_by_kind_barrier_and_language(network):
    assert names(await service.search_partners(kind="course_provider")) == [
        "VHS Kreis Heinsberg – Integrationskurse"]
    assert names(await service.search_partners(kind="course_provider", active=None)) == [
        "Sprachschule Geilenkirchen", "VHS Kreis Heinsberg – Integrationskurse"]
    assert names(await service.search_partners(barrier_kind="residence_legal")) == [
        "Ausländerbehörde Kreis Heinsberg"]
    assert names(await service.search_partners(language="AR")) == [
        "VHS Kreis Heinsberg – Integrationskurse"]
    assert names(await service.search_partners(language="tr", active=False)) == [
        "Sprachschule Geilenkirchen"]


async def test_free_text_looks_everywhere_and_treats_wildcards_literally(network):
    assert names(await service.search_partners(text="alphabetisierung")) == [
        "VHS Kreis Heinsberg – Integrationskurse"]
    assert names(await service.search_partners(text="dohmen_test")) == [
        "Kleiderkammer Erkelenz"]
    assert names(await service.search_partners(text="kreis heinsberg")) == [
        "Ausländerbehörde Kreis Heinsberg", "VHS Kreis Heinsberg – Integrationskurse"]
    assert (await service.search_partners(text="%")).total == 0
    assert (await service.search_partners(text="Dohmen%Test")).total == 0


async def test_search_pages_through_the_results(network):
    first = await service.search_partners(limit=2)
    second = await service.search_partners(limit=2, offset=2)
    assert first.total == second.total == 3
    assert len(first.items) == 2 and len(second.items) == 1
    assert not set(names(first)) & set(names(second))


@pytest.mark.parametrize("filters, field", [
    ({"kind": "pub"}, "kind"), ({"barrier_kind": "x"}, "barrier_kind"),
    ({"language": "deutsch"}, "language"), ({"limit": 0}, "limit"), ({"limit": 201}, "limit"),
    ({"offset": -1}, "offset"), ({"text": "x" * 201}, "text"), ({"active": "yes"}, "active"),
])
async def test_search_refuses_bad_filters(pool, filters, field):
    with pytest.raises(RuleViolation) as refused:
        await service.search_partners(**filters)
    assert refused.value.field == field


def test_partner_kinds_include_every_kind_the_issue_names():
    assert len(PartnerKind) == 15


async def test_partner_changes_are_audited_and_stamped_at_the_clock(pool, make_user):
    user = Actor.of_user((await make_user()).user)
    clock = FixedClock(NOW)
    partner = await partner_actions.create_partner(user, clock, partner_data())
    clock.advance(timedelta(days=1))
    changed = await partner_actions.update_partner(user, clock, partner.id, {"notes": "Neu"})
    assert (partner.created_at, changed.updated_at) == (NOW, NOW + timedelta(days=1))
    rows = await AuditLog.select(AuditLog.action, AuditLog.actor_id, AuditLog.at).where(
        AuditLog.entity == "partner").order_by(AuditLog.id)
    assert [(r["action"], r["actor_id"], r["at"]) for r in rows] == [
        ("partner.created", user.user_id, NOW),
        ("partner.changed", user.user_id, NOW + timedelta(days=1))]


async def test_a_clashing_name_is_refused_with_a_code_in_both_languages(pool):
    first = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data())
    with pytest.raises(Conflict) as refused:
        await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data())
    assert refused.value.code == "partner_name_taken"
    assert refused.value.message == f"a partner with this name exists already (id {first.id})"
    assert refused.value.german == (
        f"Ein Partner mit diesem Namen existiert schon (Nr. {first.id}).")
