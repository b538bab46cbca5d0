"""The referral list's order as an index: the first page of a broad filter ("all sent", no
filter at all) walks it and stops after 50 rows instead of sorting every match. Measured in
bench/README.md: 0.5-1.6 s -> 2-7 ms at 1,000,000 referrals."""

from network.database import sql_migration

ID = "2026-11-26T07:42:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "index for the referral list's order (most recently changed first)",
        "CREATE INDEX referrals_recent ON referrals (updated_at DESC, id DESC)",
    )
