"""A referral put on hold keeps the day it is on hold until (issue 15), so its check (the
hold_check reminder) comes on that day; NULL when no day was given or it is not on hold."""

from network.database import sql_migration

ID = "2026-11-30T01:31:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "referral hold until",
        "ALTER TABLE referrals ADD COLUMN hold_until date",
        "ALTER TABLE referrals ADD CONSTRAINT referrals_hold_until_on_hold"
        " CHECK (hold_until IS NULL OR status = 'on_hold')",
    )
