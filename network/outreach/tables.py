"""Piccolo mirrors of the outreach migration (m2026_11_30_0200), the schema of record."""

from piccolo.columns import (
    Array,
    BigInt,
    BigSerial,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.table import Table

from network.cases.tables import Client
from network.database import ENGINE


class ProspectImport(Table, tablename="prospect_imports", db=ENGINE):
    id = BigSerial(primary_key=True)
    legal_circle = Text()
    file_name = Text(null=True, default=None)
    source = Text()
    rows_added = Integer()
    imported_by = BigInt(null=True, default=None)  # app_user
    imported_at = Timestamptz()


class Prospect(Table, tablename="prospects", db=ENGINE):
    id = BigSerial(primary_key=True)
    legal_circle = Text()
    first_name = Text(null=True, default=None)
    last_name = Text(null=True, default=None)
    name_words = Text(null=True, default=None)  # network.name_matching.stored_words
    name_codes = Text(null=True, default=None)  # network.name_matching.stored_sounds
    date_of_birth = Date(null=True, default=None)
    birth_year = Integer(null=True, default=None)
    country_code = Text(null=True, default=None)
    residence_status = Text(null=True, default=None)
    residence_since = Date(null=True, default=None)
    shelter = Text(null=True, default=None)
    address = Text(null=True, default=None)
    phone = Text(null=True, default=None)
    languages = Array(base_column=Text())  # in order: the first is the main one
    source = Text()  # immigration_office, shelter, volunteer, walk_in, other
    source_note = Text(null=True, default=None)
    import_id = ForeignKey(references=ProspectImport, null=True, default=None)
    status = Text(default="waiting")  # waiting, parked, converted
    first_contact_at = Timestamptz(null=True, default=None)
    parked_at = Timestamptz(null=True, default=None)
    park_reason = Text(null=True, default=None)
    converted_at = Timestamptz(null=True, default=None)
    client_id = ForeignKey(references=Client, null=True, default=None)
    added_by = BigInt(null=True, default=None)  # app_user
    added_at = Timestamptz()
    updated_at = Timestamptz()
    erased_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class ProspectContact(Table, tablename="prospect_contacts", db=ENGINE):
    id = BigSerial(primary_key=True)
    prospect_id = ForeignKey(references=Prospect)
    on_day = Date()
    channel = Text()  # letter, phone, shelter_visit, volunteer, walk_in
    outcome = Text()  # reached, not_reached, invited, declined
    appointment_at = Timestamptz(null=True, default=None)
    appointment_place = Text(null=True, default=None)
    note = Text(null=True, default=None)
    recorded_by = BigInt(null=True, default=None)  # app_user
    recorded_at = Timestamptz()
