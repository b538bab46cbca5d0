"""Piccolo mirrors of the referrals migration (m2026_11_26_0706): the schema the referral
queries are built on (registered in network.piccolo_app). The SQL holds the constraints (one
open referral per barrier and partner, the append-only trigger). Nullable columns default to
NULL, so an insert that leaves one out stores nothing rather than Piccolo's "" or 0."""

from piccolo.columns import BigInt, BigSerial, Date, ForeignKey, Integer, Text, Timestamptz
from piccolo.table import Table

from network.cases.tables import Barrier, Client
from network.database import ENGINE
from network.partners.tables import Partner


class Referral(Table, tablename="referrals", db=ENGINE):
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    barrier_id = ForeignKey(references=Barrier)
    partner_id = ForeignKey(references=Partner)
    coordinator_id = BigInt()  # app_user
    created_by = BigInt()  # app_user
    status = Text()
    reason_code = Text(null=True, default=None)
    reason_text = Text(null=True, default=None)
    outcome = Text(null=True, default=None)
    note = Text(null=True, default=None)
    override_reason = Text(null=True, default=None)
    handed_off_from = BigInt(null=True, default=None)
    handed_off_to = BigInt(null=True, default=None)
    idempotency_key = Text(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    hold_until = Date(null=True, default=None)  # on hold until this day (m2026_11_30_0131)


class ReferralEvent(Table, tablename="referral_events", db=ENGINE):
    id = BigSerial(primary_key=True)
    referral_id = ForeignKey(references=Referral)
    at = Timestamptz()
    event = Text()
    actor_kind = Text()
    actor_user_id = BigInt(null=True, default=None)
    from_status = Text(null=True, default=None)
    to_status = Text()
    reason_code = Text(null=True, default=None)
    reason_text = Text(null=True, default=None)
    outcome = Text(null=True, default=None)
    note = Text(null=True, default=None)
    linked_referral_id = BigInt(null=True, default=None)
    from_coordinator_id = BigInt(null=True, default=None)
    to_coordinator_id = BigInt(null=True, default=None)


class PartnerMessage(Table, tablename="partner_messages", db=ENGINE):
    """A message a partner sent from its link page (migration m2026_11_29_2210_integrity):
    one row per referral and idempotency key, so a replayed form is stored and emailed once.
    The text is not kept here; it goes into the coordinator's email only. Append-only."""

    id = BigSerial(primary_key=True)
    referral_id = ForeignKey(references=Referral)
    partner_id = BigInt()
    link_id = BigInt(null=True, default=None)
    idempotency_key = Text()
    at = Timestamptz()


class ReferralAppointment(Table, tablename="referral_appointments", db=ENGINE):
    """m2026_11_30_0120: when and where the client is expected (one per referral)."""
    id = BigSerial(primary_key=True)
    referral_id = ForeignKey(references=Referral)  # UNIQUE
    starts_at = Timestamptz()
    place = Text()
    recorded_at = Timestamptz()
    recorded_by_user = BigInt(null=True, default=None)
    recorded_by_partner = BigInt(null=True, default=None)
