from network.database import sql_migration

ID = "2026-11-26T07:37:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "rate limits of the partner link pages: a hit counter per bucket and minute, shared"
        " by every instance",
        """
        CREATE TABLE link_rate_limits (
            bucket text NOT NULL CHECK (bucket ~ '^[a-z]+:[0-9a-f]{64}$'),
            window_start timestamptz NOT NULL,
            hits integer NOT NULL CHECK (hits > 0),
            PRIMARY KEY (bucket, window_start)
        )
        """,
        "CREATE INDEX link_rate_limits_window ON link_rate_limits (window_start)",
    )
