"""Sign-in throttling that holds under concurrency: one counter row per subject (the pair of
account and client address, the account, the address), locked while an attempt is admitted.
Replaces login_failure, which was read before and written after the password check, so
attempts sent at once were all checked."""

from network.database import sql_migration

ID = "2026-11-29T22:30:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "login_throttle: sign-in attempt counters per pair, account and address",
        """
        CREATE TABLE login_throttle (
            subject text PRIMARY KEY CHECK (subject ~ '^(pair|account|address):[0-9a-f]{64}$'),
            attempts integer NOT NULL CHECK (attempts >= 0),
            window_start timestamptz NOT NULL,
            not_before timestamptz
        )
        """,
        "CREATE INDEX login_throttle_window ON login_throttle (window_start)",
        "DROP TABLE login_failure",
    )
