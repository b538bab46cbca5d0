"""Input builders for domain tests: valid by default, any field overridable by name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from network.actors import Actor
from network.cases.service import ClientData, LanguageSkill
from network.cases.values import (
    BarrierKind,
    CaseKind,
    CefrLevel,
    Gender,
    LegalCircle,
    ResidenceStatus,
)
from network.partners.kinds import PartnerKind
from network.partners.service import ContactPerson, PartnerData

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def client_data(**changes: Any) -> ClientData:
    data = ClientData(
        first_name="Amal",
        last_name="Haddad",
        date_of_birth=date(1990, 5, 17),
        gender=Gender.FEMALE,
        country_of_origin="SY",
        residence_status=ResidenceStatus.RESIDENCE_PERMIT,
        legal_circle=LegalCircle.SGB2,
        case_kind=CaseKind.FIRST_CONSULTATION,
        phone="+49 2452 555 01",
        email="amal.haddad@example.org",
        address="Apfelstraße 3, 52525 Heinsberg",
        languages=(LanguageSkill("ar", CefrLevel.C2), LanguageSkill("de", CefrLevel.A2)),
    )
    return replace(data, **changes)


def partner_data(**changes: Any) -> PartnerData:
    data = PartnerData(
        name="Caritasverband Heinsberg – Migrationsberatung",
        kind=PartnerKind.ASSOCIATION,
        street="Kirchstraße 1",
        postal_code="52525",
        city="Heinsberg",
        phone="02452 1234-0",
        referral_emails=("migration@caritas-hs.example",),
        contacts=(ContactPerson("Petra Lenzen", "Beratung", "p.lenzen@caritas-hs.example"),),
        languages=("de", "ar", "fa"),
        barrier_kinds=(BarrierKind.HOUSING, BarrierKind.FINANCIAL),
        opening_hours="Mo–Do 9–12 Uhr",
    )
    return replace(data, **changes)

SYSTEM_ACTOR = Actor.system("tests")  # the actor of changes a test makes outside any user
