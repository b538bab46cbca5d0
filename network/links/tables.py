"""Piccolo mirrors of the partner link migrations (m2026_11_26_0732, m2026_11_26_0737), for
queries only; the SQL holds the constraints."""

from piccolo.columns import BigSerial, ForeignKey, Integer, Text, Timestamptz
from piccolo.table import Table

from network.database import ENGINE
from network.partners.tables import Partner
from network.referrals.tables import Referral


class PartnerLink(Table, tablename="partner_links", db=ENGINE):
    id = BigSerial(primary_key=True)
    referral_id = ForeignKey(references=Referral)
    partner_id = ForeignKey(references=Partner)
    token_hash = Text()  # SHA-256 of the token; the token itself is never stored
    created_at = Timestamptz()
    expires_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)


class LinkRateLimit(Table, tablename="link_rate_limits", db=ENGINE):
    """Primary key (bucket, window_start) in SQL; Piccolo wants one column, so `bucket` stands
    for it (the table is never created from this class)."""

    bucket = Text(primary_key=True)
    window_start = Timestamptz()
    hits = Integer()


class PartnerSignInLink(Table, tablename="partner_sign_in_links", db=ENGINE):
    """A sign-in link a partner asked for on /partner/anmelden (m2026_11_29_2320): single use,
    short-lived, only the token's SHA-256 stored."""

    id = BigSerial(primary_key=True)
    partner_id = ForeignKey(references=Partner)
    token_hash = Text()
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class PartnerSession(Table, tablename="partner_sessions", db=ENGINE):
    """A partner's inbox session: apart from staff sessions (user_sessions), own cookie."""

    id = BigSerial(primary_key=True)
    partner_id = ForeignKey(references=Partner)
    sign_in_link_id = ForeignKey(references=PartnerSignInLink, null=True, default=None)
    id_hash = Text()
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    expires_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)
