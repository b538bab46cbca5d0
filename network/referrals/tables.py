"""Piccolo mirrors of the referrals migration (m2026_11_26_0706), for queries only; the SQL
holds the constraints (one open referral per barrier and partner, the append-only trigger)."""

from piccolo.columns import BigInt, BigSerial, ForeignKey, Integer, Text, Timestamptz
from piccolo.table import Table

from network.cases.tables import Barrier, Client
from network.partners.tables import Partner


class Referral(Table, tablename="referrals"):
    id = BigSerial(primary_key=True)
    client_id = ForeignKey(references=Client)
    barrier_id = ForeignKey(references=Barrier)
    partner_id = ForeignKey(references=Partner)
    coordinator_id = BigInt()  # app_user
    created_by = BigInt()  # app_user
    status = Text()
    reason_code = Text(null=True)
    reason_text = Text(null=True)
    outcome = Text(null=True)
    note = Text(null=True)
    override_reason = Text(null=True)
    handed_off_from = BigInt(null=True)
    handed_off_to = BigInt(null=True)
    idempotency_key = Text(null=True)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    sent_at = Timestamptz(null=True)
    closed_at = Timestamptz(null=True)


class ReferralEvent(Table, tablename="referral_events"):
    id = BigSerial(primary_key=True)
    referral_id = ForeignKey(references=Referral)
    at = Timestamptz()
    event = Text()
    actor_kind = Text()
    actor_user_id = BigInt(null=True)
    from_status = Text(null=True)
    to_status = Text()
    reason_code = Text(null=True)
    reason_text = Text(null=True)
    outcome = Text(null=True)
    note = Text(null=True)
    linked_referral_id = BigInt(null=True)
    from_coordinator_id = BigInt(null=True)
    to_coordinator_id = BigInt(null=True)
