"""The client's own status page (issue 17): one live link per client. The database holds a
random seed and the SHA-256 of the token; the token is HMAC(SECRET_KEY, seed), so only the
service can print it on the slip again, and a copy of the database alone opens nothing."""

from network.database import sql_migration

ID = "2026-11-30T00:20:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "client page links",
        """
        CREATE TABLE client_page_links (
            id bigserial PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            seed text NOT NULL,
            token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
            created_at timestamptz NOT NULL,
            created_by bigint,
            revoked_at timestamptz
        )
        """,
        "CREATE UNIQUE INDEX client_page_links_live ON client_page_links (client_id)"
        " WHERE revoked_at IS NULL",
    )
