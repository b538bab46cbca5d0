from network.database import sql_migration

ID = "2026-11-26T07:32:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "partner action links: bound to one referral and its partner, only the hash stored",
        """
        CREATE TABLE partner_links (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
            partner_id bigint NOT NULL REFERENCES partners (id),
            token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            last_used_at timestamptz,
            CHECK (expires_at > created_at)
        )
        """,
        "CREATE INDEX partner_links_referral ON partner_links (referral_id)",
    )
