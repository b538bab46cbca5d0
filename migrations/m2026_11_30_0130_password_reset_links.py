"""Password-reset links an administrator sends (issue 15): one row per link. The database holds
the SHA-256 of the token only; the queued email holds a random seed and the dispatcher turns it
into the token HMAC(SECRET_KEY, seed) when it sends, as for the partners' links. A link works
once and until it expires; a newer link for the same user ends the older ones."""

from network.database import sql_migration

ID = "2026-11-30T01:30:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "password reset links",
        """
        CREATE TABLE password_reset_links (
            id bigserial PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
            token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
            created_at timestamptz NOT NULL,
            created_by bigint,
            expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
            used_at timestamptz
        )
        """,
        "CREATE INDEX password_reset_links_user ON password_reset_links (user_id)",
    )
