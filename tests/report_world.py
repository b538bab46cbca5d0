"""A hand-built October 2026 for the monthly report: every figure is known.

October 2026 in Berlin runs from 2026-09-30 22:00 UTC (CEST) to 2026-10-31 23:00 UTC (CET):
the clocks go back on 25 October. Records at 00:30 Berlin on 1 October belong to October,
those at 00:30 on 1 November (still 31 October in UTC) do not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import asyncpg

from network.cases import barriers, service
from network.cases.values import BarrierKind, CaseKind, Gender, LegalCircle, Outcome
from network.partners import service as partners
from network.partners.kinds import PartnerKind
from network.reminders.calendar import berlin_moment
from tests.factories import client_data, partner_data

SEP_15 = datetime(2026, 9, 15, 9, 0, tzinfo=UTC)
OCT_1_0030_BERLIN = berlin_moment(date(2026, 10, 1), time(0, 30))  # 2026-09-30 22:30 UTC
SEP_30_2330_BERLIN = berlin_moment(date(2026, 9, 30), time(23, 30))  # September
OCT_31_2330_BERLIN = berlin_moment(date(2026, 10, 31), time(23, 30))  # 22:30 UTC, October
NOV_1_0030_BERLIN = berlin_moment(date(2026, 11, 1), time(0, 30))  # 2026-10-31 23:30 UTC


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


async def client(name: str, when: datetime, kinds: list[BarrierKind], **changes) -> int:
    data = client_data(first_name=name, email=None, **changes)
    made = await service.create_client(data, None, barrier_kinds=kinds, now=when)
    return made.id


async def barrier_of(client_id: int, kind: BarrierKind) -> int:
    found = [b for b in await barriers.list_barriers(client_id) if b.kind is kind]
    assert len(found) == 1
    return found[0].id


async def build_october(database_url: str) -> None:
    """Partners and cases; see tests/test_monthly_report.py for the figures they give."""
    # Clients before October: A1..A5 stay open, A6 closes in October, A7 in September.
    sy_sgb2 = {"country_of_origin": "SY", "legal_circle": LegalCircle.SGB2,
               "gender": Gender.FEMALE, "date_of_birth": date(1990, 5, 17)}
    a1 = await client("Aaa", SEP_15, [BarrierKind.LANGUAGE], **sy_sgb2)
    a2 = await client("Abb", SEP_15, [BarrierKind.LANGUAGE, BarrierKind.HOUSING], **sy_sgb2)
    a3 = await client("Acc", SEP_15, [BarrierKind.LANGUAGE], **sy_sgb2)
    a4 = await client("Add", SEP_15, [BarrierKind.HOUSING], **sy_sgb2)
    a5 = await client("Aee", SEP_15, [BarrierKind.DOCUMENTS], **sy_sgb2)
    a6 = await client("Aff", SEP_15, [], **sy_sgb2)
    a7 = await client("Agg", SEP_15, [], **sy_sgb2)
    await service.close_case(a7, Outcome.EMPLOYMENT, None, now=at(9, 20))
    await service.close_case(a6, Outcome.EMPLOYMENT, None, now=at(10, 20))
    # D1: 23:30 Berlin on 30 September is September.
    await client("Dxx", SEP_30_2330_BERLIN, [], country_of_origin="AF", gender=Gender.MALE)
    # New in October.
    await client("Bee", OCT_1_0030_BERLIN, [], country_of_origin="IR",
                 legal_circle=LegalCircle.SGB3, gender=Gender.MALE,
                 date_of_birth=date(2005, 3, 1))
    enrolled = {"country_of_origin": "SY", "legal_circle": LegalCircle.SGB2,
                "gender": Gender.FEMALE, "date_of_birth": date(1985, 1, 1),
                "case_kind": CaseKind.ENROLLED}
    b2 = await client("Bff", at(10, 10), [BarrierKind.LANGUAGE], **enrolled)
    b3 = await client("Bgg", at(10, 10), [BarrierKind.HEALTH], **enrolled)
    b4 = await client("Bhh", at(10, 10), [BarrierKind.LANGUAGE], **enrolled)
    await client("Bii", OCT_31_2330_BERLIN, [], country_of_origin="ER",
                 gender=Gender.DIVERSE)
    # November (00:30 Berlin on 1 November): not in October.
    await client("Cxx", NOV_1_0030_BERLIN, [], country_of_origin="UA")

    # Barriers: resolutions in October after 20, 30, 40 days (language), 35 (housing), and a
    # housing barrier resolved after 17 days and reopened; one judged unresolvable.
    await barriers.resolve_barrier(await barrier_of(a1, BarrierKind.LANGUAGE), None,
                                   now=at(10, 5))
    await barriers.resolve_barrier(await barrier_of(a2, BarrierKind.LANGUAGE), None,
                                   now=at(10, 15))
    await barriers.resolve_barrier(await barrier_of(a3, BarrierKind.LANGUAGE), None,
                                   now=at(10, 25))
    await barriers.resolve_barrier(await barrier_of(a4, BarrierKind.HOUSING), None,
                                   now=at(10, 20))
    a2_housing = await barrier_of(a2, BarrierKind.HOUSING)
    await barriers.resolve_barrier(a2_housing, None, now=at(10, 2))
    await barriers.change_barrier_status(a2_housing, "open", None, now=at(10, 8))
    await barriers.change_barrier_status(await barrier_of(a5, BarrierKind.DOCUMENTS),
                                         "unresolvable", None, reason="Kein Nachweis",
                                         now=at(10, 3))
    await barriers.change_barrier_status(await barrier_of(b3, BarrierKind.HEALTH),
                                         "in_progress", None, now=at(10, 12))
    # Resolved at 00:30 Berlin on 1 November: still open at the end of October.
    await barriers.resolve_barrier(await barrier_of(b4, BarrierKind.LANGUAGE), None,
                                   now=NOV_1_0030_BERLIN)
    assert b2

    # Partners: 4 course providers from September; one BAMF office and 3 associations new in
    # October (the BAMF at 00:30 Berlin on 1 October); a deactivated association; a health
    # office from 1 November.
    made: list[tuple[str, PartnerKind, datetime, bool]] = [
        *[(f"Sprachschule {n}", PartnerKind.COURSE_PROVIDER, SEP_15, True) for n in range(4)],
        ("BAMF Außenstelle", PartnerKind.BAMF, OCT_1_0030_BERLIN, True),
        *[(f"Verein {n}", PartnerKind.ASSOCIATION, at(10, 14), True) for n in range(3)],
        ("Alter Verein", PartnerKind.ASSOCIATION, SEP_15, False),
        ("Gesundheitsamt", PartnerKind.HEALTH_OFFICE, NOV_1_0030_BERLIN, True),
    ]
    connection = await asyncpg.connect(database_url)
    try:
        for name, kind, created, active in made:
            partner = await partners.create_partner(
                partner_data(name=name, kind=kind, active=active), None)
            # The service stamps now(); the test dates the partner into its month.
            await connection.execute("UPDATE partners SET created_at = $2 WHERE id = $1",
                                     partner.id, created)
    finally:
        await connection.close()
