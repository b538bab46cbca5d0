"""Indexes for the monthly report's referral section at national scale (issue 18, round
four): every count of the section reads an index alone (PostgreSQL's index-only scans) instead
of the referrals' and events' rows, which at 1M referrals and 3M events are read from disk
(the report read 240,000 pages for this section; bench/explain-report-national.txt).

- referrals sent in a month, with their partner (`referrals_sent_at`, now covering);
- referrals still open, or closed after a moment (`referrals_closed_at`: NULL, the open ones,
  is a key too), with what the overdue count needs;
- a referral's partner and sending time by its id (`referrals_partner_of`), for the events
  of the month;
- a partner's referrals with their ids (`referrals_partner`, now covering), for partners that
  never answered;
- the partners' decisions in a month with referral, status and reason
  (`referral_events_decisions`, now covering);
- each referral's moves out of 'sent' (answers, expiry, cancelling) by referral
  (`referral_events_exits`): its first answer, and whether it was still unanswered at a
  moment."""

from network.database import sql_migration

ID = "2026-11-30T06:40:00:000000"


async def forwards():
    return sql_migration(
        ID, "report referral indexes",
        "DROP INDEX referrals_sent_at",
        "CREATE INDEX referrals_sent_at ON referrals (sent_at) INCLUDE (partner_id)"
        " WHERE sent_at IS NOT NULL",
        "CREATE INDEX referrals_closed_at ON referrals (closed_at)"
        " INCLUDE (sent_at, partner_id, id, status) WHERE sent_at IS NOT NULL",
        "CREATE INDEX referrals_partner_of ON referrals (id) INCLUDE (partner_id, sent_at)",
        "DROP INDEX referrals_partner",
        "CREATE INDEX referrals_partner ON referrals (partner_id, status) INCLUDE (id, sent_at)",
        "DROP INDEX referral_events_decisions",
        "CREATE INDEX referral_events_decisions ON referral_events (at)"
        " INCLUDE (referral_id, to_status, reason_code)"
        " WHERE to_status IN ('accepted', 'declined', 'expired')",
        "CREATE INDEX referral_events_exits ON referral_events (referral_id, at)"
        " INCLUDE (to_status) WHERE to_status IN ('accepted', 'declined', 'expired', 'cancelled')",
    )
