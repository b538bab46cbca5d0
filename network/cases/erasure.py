"""Pseudonymisation and erasure: a client's personal data go, the figures stay.

What goes: names, the exact birth date (the year stays, for age groups), contact data, the
case number, every free text written about the client (notes, enrolment reason, potential
analysis texts, barrier descriptions and reasons, event notes, the values before and after
an edit, consultation notes, appointments' places), the signed consent forms. What stays:
country, gender, birth year, residence status, legal circle, case kind, status, outcome,
dates, barrier kinds and statuses, qualification kinds, language levels, consents' scopes.

The actions (network.cases.actions) emit ClientPseudonymised first: every other domain that
keeps data about a client scrubs its copy in its subscriber (referral texts, reminder
reasons); then `scrub` removes the case's own texts, the clients row last, in one statement.
The prospect the client was opened from (network.outreach) is blanked with it.
tests/test_erasure.py proves nothing of the client's name is left in any text column.
"""

from __future__ import annotations

from datetime import datetime

from network.cases import consent_forms, handovers, history, queries
from network.cases import tables as t
from network.cases.queries import REMOVED
from network.cases.values import CaseStatus
from network.outreach import retention as prospect_retention


async def claim_due(cutoff: datetime, batch_size: int) -> list[int]:
    """Closed cases not yet pseudonymised, closed at or before `cutoff`, locked for this
    transaction; rows another instance holds are skipped."""
    rows = await t.Client.select(t.Client.id).where(
        (t.Client.status == CaseStatus.CLOSED.value)
        & t.Client.pseudonymised_at.is_null()
        & (t.Client.closed_at <= cutoff)
    ).order_by(t.Client.closed_at, t.Client.id).limit(batch_size).lock_rows(skip_locked=True)
    return [row["id"] for row in rows]


async def scrub(client_id: int, now: datetime) -> None:
    await t.PotentialAnalysis.update({
        t.PotentialAnalysis.work_experience: None, t.PotentialAnalysis.skills: None,
        t.PotentialAnalysis.notes: None,
    }).where(t.PotentialAnalysis.client_id == client_id)
    await t.Qualification.update({t.Qualification.title: REMOVED}).where(
        t.Qualification.client_id == client_id)
    await queries.scrub_barrier_texts(client_id)
    await t.BarrierEvent.update({t.BarrierEvent.note: None}).where(
        t.BarrierEvent.barrier_id.is_in(
            t.Barrier.select(t.Barrier.id).where(t.Barrier.client_id == client_id)))
    await t.CaseEvent.update({t.CaseEvent.note: None}).where(t.CaseEvent.client_id == client_id)
    await handovers.scrub(client_id, now)
    await history.scrub(client_id)
    await prospect_retention.blank_converted(client_id, now)  # the prospect it was opened from
    await consent_forms.remove_of_client(client_id)  # a signed form shows name and signature
    # One statement: the table's constraints allow no state in between.
    await t.Client.update({
        t.Client.case_number: None, t.Client.first_name: None, t.Client.last_name: None,
        t.Client.date_of_birth: None, t.Client.phone: None, t.Client.email: None,
        t.Client.address: None, t.Client.notes: None, t.Client.enrolment_reason: None,
        t.Client.name_words: None, t.Client.name_codes: None,
        t.Client.pseudonymised_at: now, t.Client.updated_at: now,
    }).where(t.Client.id == client_id)
