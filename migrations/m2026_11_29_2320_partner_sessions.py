"""The partner inbox (issue 16): sign-in links a partner asks for by email, and the partner
sessions they open. Both store only hashes. A partner session is not a staff session (its own
table and cookie); the audit trail names the session an inbox action came through."""

from network.database import sql_migration

ID = "2026-11-29T23:20:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "partner sign-in links and partner sessions; audit_log.partner_session_id",
        """
        CREATE TABLE partner_sign_in_links (
            id bigserial PRIMARY KEY,
            partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
            token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
            used_at timestamptz
        )
        """,
        "CREATE INDEX partner_sign_in_links_partner ON partner_sign_in_links (partner_id)",
        """
        CREATE TABLE partner_sessions (
            id bigserial PRIMARY KEY,
            partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
            sign_in_link_id bigint REFERENCES partner_sign_in_links (id) ON DELETE SET NULL,
            id_hash text NOT NULL UNIQUE CHECK (length(id_hash) = 64),
            created_at timestamptz NOT NULL,
            last_seen_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
            ended_at timestamptz
        )
        """,
        "CREATE INDEX partner_sessions_partner ON partner_sessions (partner_id)",
        "ALTER TABLE audit_log ADD COLUMN partner_session_id bigint",
    )
