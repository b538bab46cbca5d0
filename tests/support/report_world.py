"""A hand-built October 2026 for the monthly report: every figure is known.

October 2026 in Berlin runs from 2026-09-30 22:00 UTC (CEST) to 2026-10-31 23:00 UTC (CET):
the clocks go back on 25 October. Records at 00:30 Berlin on 1 October belong to October,
those at 00:30 on 1 November (still 31 October in UTC) do not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import asyncpg

from network.cases import actions, barriers
from network.cases.values import BarrierKind, CaseKind, Gender, LegalCircle, Outcome
from network.clock import SYSTEM_CLOCK, FixedClock
from network.partners import actions as partner_actions
from network.partners.kinds import PartnerKind
from network.reminders.calendar import berlin_moment
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data

SEP_15 = datetime(2026, 9, 15, 9, 0, tzinfo=UTC)
OCT_1_0030_BERLIN = berlin_moment(date(2026, 10, 1), time(0, 30))  # 2026-09-30 22:30 UTC
SEP_30_2330_BERLIN = berlin_moment(date(2026, 9, 30), time(23, 30))  # September
OCT_31_2330_BERLIN = berlin_moment(date(2026, 10, 31), time(23, 30))  # 22:30 UTC, October
NOV_1_0030_BERLIN = berlin_moment(date(2026, 11, 1), time(0, 30))  # 2026-10-31 23:30 UTC


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


async def client(name: str, when: datetime, kinds: list[BarrierKind], **changes) -> int:
    data = client_data(first_name=name, email=None, **changes)
    made = await actions.create_client(SYSTEM_ACTOR, FixedClock(when), data, barrier_kinds=kinds)
    return made.id


async def barrier_of(client_id: int, kind: BarrierKind) -> int:
    found = [b for b in await barriers.list_barriers(SYSTEM_ACTOR, client_id) if b.kind is kind]
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
    await actions.close_case(SYSTEM_ACTOR, FixedClock(at(9, 20)), a7, Outcome.EMPLOYMENT)
    await actions.close_case(SYSTEM_ACTOR, FixedClock(at(10, 20)), a6, Outcome.EMPLOYMENT)
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
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(at(10, 5)),
                                  await barrier_of(a1, BarrierKind.LANGUAGE))
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(at(10, 15)),
                                  await barrier_of(a2, BarrierKind.LANGUAGE))
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(at(10, 25)),
                                  await barrier_of(a3, BarrierKind.LANGUAGE))
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(at(10, 20)),
                                  await barrier_of(a4, BarrierKind.HOUSING))
    a2_housing = await barrier_of(a2, BarrierKind.HOUSING)
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(at(10, 2)), a2_housing)
    await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(at(10, 8)), a2_housing, "open")
    await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(at(10, 3)),
                                        await barrier_of(a5, BarrierKind.DOCUMENTS),
                                        "unresolvable", reason="Kein Nachweis")
    await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(at(10, 12)),
                                        await barrier_of(b3, BarrierKind.HEALTH), "in_progress")
    # Resolved at 00:30 Berlin on 1 November: still open at the end of October.
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(NOV_1_0030_BERLIN),
                                  await barrier_of(b4, BarrierKind.LANGUAGE))
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
            partner = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK,
                                                  partner_data(name=name, kind=kind, active=active))
            # The service stamps now(); the test dates the partner into its month.
            await connection.execute("UPDATE partners SET created_at = $2 WHERE id = $1",
                                     partner.id, created)
        await add_referrals(connection)
    finally:
        await connection.close()


# Referrals, as (name, partner, sent at, [(status, at, decline reason)], [(reminder kind,
# recipient, status, sent at)]). Partners: K0..K3 the course providers, V0..V2 the October
# associations, AV the deactivated association, B the BAMF, G the health office. Working days
# to the first answer in October: K 3, 2, 5, 1, 5 (median 3); V 1, 2; B 5, 2; all: 2.
Step = tuple[str, datetime, str | None]
Reminder = tuple[str, str, str, datetime | None]
REFERRALS: list[tuple[str, str, datetime, list[Step], list[Reminder]]] = [
    # Sent Monday 28 September, accepted Thursday 1 October: 3 working days.
    ("R1", "K0", at(9, 28, 8), [("accepted", at(10, 1, 8), None)], []),
    # Sent at 00:30 Berlin on Thursday 1 October (30 September in UTC): October; answered
    # Monday 5 October: 2 working days (Friday, Monday), not 3 as UTC dates would give.
    ("R2", "K1", OCT_1_0030_BERLIN, [("accepted", at(10, 5), None)], []),
    ("R3", "K2", at(10, 5), [("accepted", at(10, 12), None)],
     [("no_answer", "partner", "sent", at(10, 8, 8))]),
    ("R4", "K3", at(10, 6), [("declined", at(10, 7), "no_capacity")], []),
    ("R5", "K0", at(10, 13), [("declined", at(10, 20), "no_capacity")],
     [("no_answer", "partner", "sent", at(10, 16, 8))]),
    # Sent Monday 26 October, accepted at 00:30 Berlin on 1 November: still unanswered and
    # overdue (answer due Thursday 29 October) at the end of October.
    ("R6", "K1", at(10, 26, 8), [("accepted", NOV_1_0030_BERLIN, None)],
     [("no_answer", "partner", "sent", at(10, 29, 8)),
      ("no_answer", "partner", "pending", None)]),
    # Sent Tuesday 20 October, never answered: overdue.
    ("R15", "K3", at(10, 20), [], [("no_answer", "partner", "sent", at(10, 23, 8))]),
    # The deactivated association never answered; chased, escalated, expired in October.
    ("R7", "AV", at(9, 21), [("expired", at(10, 12, 8), None)],
     [("no_answer", "partner", "sent", at(9, 24, 8)),
      ("no_answer", "partner", "sent", at(9, 29, 8)),
      ("escalation", "coordinator", "sent", at(10, 2, 8)),
      ("last_warning", "partner", "sent", at(10, 7, 8)),
      ("expire", "system", "sent", at(10, 12, 8))]),
    ("R8", "V0", at(10, 14, 10), [("declined", at(10, 15), "not_eligible")], []),
    ("R9", "V1", at(10, 15), [("accepted", at(10, 19), None)], []),
    # Sent Tuesday 27 October, unanswered: overdue (due Friday 30 October).
    ("R10", "V2", at(10, 27, 10), [], [("no_answer", "partner", "sent", at(10, 30, 8))]),
    # Sent Thursday 29 October: due Tuesday 3 November, not overdue at the end of October.
    ("R11", "V0", at(10, 29, 10), [], []),
    ("R12", "B", at(10, 2, 10), [("accepted", at(10, 9), None), ("in_progress", at(10, 12), None)],
     [("no_answer", "partner", "sent", at(10, 7, 8)),
      ("no_answer", "partner", "cancelled", None)]),
    ("R14", "B", at(10, 5), [("accepted", at(10, 7), None)], []),
    # 00:30 Berlin on 1 November: November's.
    ("R13", "G", NOV_1_0030_BERLIN, [], []),
]
PARTNER_NAMES = {**{f"K{n}": f"Sprachschule {n}" for n in range(4)},
                 **{f"V{n}": f"Verein {n}" for n in range(3)},
                 "AV": "Alter Verein", "B": "BAMF Außenstelle", "G": "Gesundheitsamt"}
CLOSING = {"declined", "expired", "completed", "failed", "cancelled"}


async def add_referrals(connection: asyncpg.Connection,
                        referrals: list[tuple[str, str, datetime, list[Step], list[Reminder]]]
                        = REFERRALS) -> dict[str, int]:
    """Referrals written as rows with their events and reminders (the services stamp the real
    clock and check consent; the report reads only these rows). Each takes the next barrier in
    turn, so no two open referrals share a barrier and a partner."""
    coordinator = await connection.fetchval(
        "SELECT id FROM app_user WHERE email = 'bericht@jobcenter.example'")
    coordinator = coordinator or await connection.fetchval(
        "INSERT INTO app_user (email, display_name, role, legal_circle, password_hash)"
        " VALUES ('bericht@jobcenter.example', 'Koordination', 'coordinator', 'sgb2',"
        " '$argon2id$not-a-real-hash') RETURNING id")
    partner_ids = {row["name"]: row["id"]
                   for row in await connection.fetch("SELECT id, name FROM partners")}
    barrier_rows = await connection.fetch("SELECT id, client_id FROM barriers ORDER BY id")
    ids = {}
    for index, (name, partner, sent_at, steps, reminders) in enumerate(referrals):
        barrier = barrier_rows[index % len(barrier_rows)]
        status, changed, reason = steps[-1] if steps else ("sent", sent_at, None)
        ids[name] = referral_id = await connection.fetchval(
            """INSERT INTO referrals (client_id, barrier_id, partner_id, coordinator_id,
                   created_by, status, reason_code, created_at, updated_at, sent_at, closed_at)
               VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $7, $9) RETURNING id""",
            barrier["client_id"], barrier["id"], partner_ids[PARTNER_NAMES[partner]],
            coordinator, status, reason, sent_at, changed,
            changed if status in CLOSING else None)
        await connection.execute(
            "INSERT INTO referral_events (referral_id, at, event, actor_kind, actor_user_id,"
            " to_status) VALUES ($1, $2, 'created', 'user', $3, 'sent')",
            referral_id, sent_at, coordinator)
        previous = "sent"
        for to_status, when, reason_code in steps:
            actor = "system" if to_status == "expired" else "partner"
            await connection.execute(
                "INSERT INTO referral_events (referral_id, at, event, actor_kind, from_status,"
                " to_status, reason_code) VALUES ($1, $2, 'status_changed', $3, $4, $5, $6)",
                referral_id, when, actor, previous, to_status, reason_code)
            previous = to_status
        for sequence, (kind, recipient, state, sent) in enumerate(reminders, start=1):
            await connection.execute(
                """INSERT INTO reminders (kind, recipient, referral_id, barrier_id, client_id,
                       sequence, epoch, due_at, status, cancelled_because, sent_at, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $7)""",
                kind, recipient, referral_id, barrier["id"], barrier["client_id"], sequence,
                sent_at, sent or changed, state,
                "answered" if state == "cancelled" else None, sent)
    return ids
