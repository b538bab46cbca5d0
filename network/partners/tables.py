"""Piccolo mirrors of the partners migration (m2026_11_26_0650), for queries only."""

from piccolo.columns import (
    UUID,
    Array,
    BigSerial,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.table import Table

from network.database import ENGINE


class Partner(Table, tablename="partners", db=ENGINE):
    id = BigSerial(primary_key=True)
    name = Text()
    kind = Text()
    street = Text(null=True, default=None)
    postal_code = Text(null=True, default=None)
    city = Text(null=True, default=None)
    phone = Text(null=True, default=None)
    referral_emails = Array(base_column=Text())
    languages = Array(base_column=Text())
    barrier_kinds = Array(base_column=Text())
    opening_hours = Text(null=True, default=None)
    notes = Text(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    paused_until = Date(null=True, default=None)  # capacity pause: no new clients until then
    pause_note = Text(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)  # entry last confirmed as correct
    served_municipalities = Array(base_column=Text())  # empty: the whole district
    confirmation_asked_at = Timestamptz(null=True, default=None)  # asked to confirm (stale)
    hsds_id = UUID(null=True, default=None)  # HSDS organization id of an imported partner

class PartnerContact(Table, tablename="partner_contacts", db=ENGINE):
    id = BigSerial(primary_key=True)
    partner_id = ForeignKey(references=Partner, db_column_name="partner_id")
    position = Integer()
    name = Text()
    role = Text(null=True, default=None)
    email = Text(null=True, default=None)
    phone = Text(null=True, default=None)

