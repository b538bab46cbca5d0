"""Piccolo mirrors of the cases migration (m2026_11_26_0700), for queries only.

Tables with a composite primary key in SQL (prospect_countries, client_languages) name one of
its columns as Piccolo's primary key: Piccolo wants exactly one; the SQL holds the real key.
"""

from piccolo.columns import (
    JSONB,
    Array,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.table import Table

from network.database import ENGINE


class ProspectCountry(Table, tablename="prospect_countries", db=ENGINE):
    country_code = Text(primary_key=True)
    valid_from = Date()
    good_prospects = Boolean(default=True)
    note = Text(null=True, default=None)


class Client(Table, tablename="clients", db=ENGINE):
    id = BigSerial(primary_key=True)
    case_number = Text(null=True, default=None)
    first_name = Text(null=True, default=None)
    last_name = Text(null=True, default=None)
    date_of_birth = Date(null=True, default=None)
    birth_year = Integer(null=True, default=None)
    gender = Text()
    country_of_origin = Text()
    residence_status = Text()
    legal_circle = Text()
    coordinator_id = BigInt(null=True, default=None)  # REFERENCES app_user (m2026_11_26_0707)
    case_kind = Text()
    enrolled_at = Timestamptz(null=True, default=None)
    enrolment_reason = Text(null=True, default=None)
    status = Text(default="open")
    outcome = Text(null=True, default=None)
    opened_at = Timestamptz()
    closed_at = Timestamptz(null=True, default=None)
    phone = Text(null=True, default=None)
    email = Text(null=True, default=None)
    address = Text(null=True, default=None)
    municipality = Text(null=True, default=None)  # matched against partners' served ones
    notes = Text(null=True, default=None)
    pseudonymised_at = Timestamptz(null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # m2026_11_30_0110: the name's folded words and sound codes (network.name_matching)
    name_words = Text(null=True, default=None)
    name_codes = Text(null=True, default=None)


class ClientLanguage(Table, tablename="client_languages", db=ENGINE):
    client_id = ForeignKey(references=Client, primary_key=True)
    language = Text()
    level = Text()
    position = Integer(default=0)  # m2026_11_30_0100: 0 is the main language


class PotentialAnalysis(Table, tablename="potential_analyses", db=ENGINE):
    client_id = ForeignKey(references=Client, primary_key=True)
    schooling_years = Integer(null=True, default=None)
    work_experience_years = Integer(null=True, default=None)
    work_experience = Text(null=True, default=None)
    skills = Text(null=True, default=None)
    notes = Text(null=True, default=None)
    recorded_by = BigInt(null=True, default=None)
    recorded_at = Timestamptz()
    updated_at = Timestamptz()


class Qualification(Table, tablename="qualifications", db=ENGINE):
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    kind = Text()
    title = Text()
    country_code = Text(null=True, default=None)
    has_documents = Boolean()


class Consent(Table, tablename="consents", db=ENGINE):
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    given_at = Timestamptz()
    recorded_by = BigInt(null=True, default=None)
    partner_kinds = Array(base_column=Text())
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_by = BigInt(null=True, default=None)


class Barrier(Table, tablename="barriers", db=ENGINE):
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    kind = Text()
    description = Text(null=True, default=None)
    status = Text(default="open")
    unresolvable_reason = Text(null=True, default=None)
    opened_at = Timestamptz()
    resolved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class BarrierEvent(Table, tablename="barrier_events", db=ENGINE):
    id = BigSerial(primary_key=True)
    barrier_id = ForeignKey(references=Barrier)
    at = Timestamptz()
    actor_id = BigInt(null=True, default=None)
    from_status = Text(null=True, default=None)
    to_status = Text()
    note = Text(null=True, default=None)


class CaseEvent(Table, tablename="case_events", db=ENGINE):
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    at = Timestamptz()
    actor_id = BigInt(null=True, default=None)
    event = Text()
    note = Text(null=True, default=None)


class CircleHandover(Table, tablename="circle_handovers", db=ENGINE):
    """m2026_11_29_2200: a client's move between legal circles, proposed and decided."""

    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    from_circle = Text()
    to_circle = Text()
    reason = Text()
    status = Text(default="pending")
    proposed_by = BigInt(null=True, default=None)
    proposed_at = Timestamptz()
    decided_by = BigInt(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decision_reason = Text(null=True, default=None)
    to_coordinator_id = BigInt(null=True, default=None)


class ClientPageLink(Table, tablename="client_page_links", db=ENGINE):
    """The client's own status page link (network.cases.client_page): seed and token hash."""
    id = BigSerial(primary_key=True)
    client_id = BigInt()
    seed = Text()
    token_hash = Text()
    created_at = Timestamptz()
    created_by = BigInt(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class CaseChange(Table, tablename="case_changes", db=ENGINE):
    """m2026_11_30_0100: one edit of a client's data or of a barrier, with before and after
    (`changes`: [{field, before, after}], NULL once pseudonymised). Append-only."""
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    barrier_id = BigInt(null=True, default=None)
    at = Timestamptz()
    actor_id = BigInt(null=True, default=None)
    fields = Array(base_column=Text())
    changes = JSONB(null=True, default=None)


class CaseNote(Table, tablename="case_notes", db=ENGINE):
    """m2026_11_30_0100: a dated consultation note (Beratungsvermerk) with its author; the body
    is NULL once pseudonymised. Append-only."""
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    noted_on = Date()
    body = Text(null=True, default=None)
    author_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
class ConsentForm(Table, tablename="consent_forms", db=ENGINE):
    """m2026_11_30_0120: the signed consent form (PDF or photo) of one consent."""
    id = BigSerial(primary_key=True)
    consent_id = BigInt()  # UNIQUE, REFERENCES consents
    client_id = BigInt()
    file_data = Bytea()
    file_type = Text()
    attached_at = Timestamptz()
    attached_by = BigInt(null=True, default=None)
