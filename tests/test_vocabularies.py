"""The Python vocabularies and the SQL CHECK constraints list the same values."""

import re

import pytest

from network.cases.values import (
    BarrierKind,
    BarrierStatus,
    CaseKind,
    CefrLevel,
    Gender,
    LegalCircle,
    Outcome,
    QualificationKind,
    ResidenceStatus,
)
from network.partners.kinds import PartnerKind
from network.referrals.lifecycle import DeclineReason, Status
from network.referrals.lifecycle import Outcome as ReferralOutcome
from network.transactions import transaction

COLUMNS = [
    ("partners", "kind", PartnerKind),
    ("partners", "barrier_kinds", BarrierKind),
    ("consents", "partner_kinds", PartnerKind),
    ("barriers", "kind", BarrierKind),
    ("barriers", "status", BarrierStatus),
    ("clients", "case_kind", CaseKind),
    ("clients", "outcome", Outcome),
    ("clients", "gender", Gender),
    ("clients", "legal_circle", LegalCircle),
    ("clients", "residence_status", ResidenceStatus),
    ("client_languages", "level", CefrLevel),
    ("qualifications", "kind", QualificationKind),
    ("referrals", "status", Status),
    ("referrals", "reason_code", DeclineReason),
    ("referrals", "outcome", ReferralOutcome),
    ("referral_events", "from_status", Status),
    ("referral_events", "to_status", Status),
    ("referral_events", "reason_code", DeclineReason),
    ("referral_events", "outcome", ReferralOutcome),
]


@pytest.mark.parametrize("table, column, vocabulary", COLUMNS)
async def test_the_check_constraint_lists_exactly_the_vocabulary(pool, table, column,
                                                                 vocabulary):
    async with transaction() as connection:
        definition = await connection.fetchval(
            """
            SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND a.attname = $2
              AND cardinality(c.conkey) = 1
            """,
            table, column)
    listed = set(re.findall(r"'([^']+)'::text", definition))
    assert listed == {member.value for member in vocabulary}
