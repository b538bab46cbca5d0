"""The partner picker's evidence (issue 16) reads the referrals sent in the last 12 months of
every partner: an index on the sending time that carries what the counts need, so the window
is one range scan (the first answers come through referral_events_referral)."""

from network.database import sql_migration

ID = "2026-11-29T23:40:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "referrals: index for the partner picker's 12-month evidence",
        "CREATE INDEX referrals_sent_window ON referrals (sent_at) INCLUDE (partner_id, status,"
        " outcome) WHERE sent_at IS NOT NULL",
    )
