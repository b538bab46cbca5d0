"""Accounts: users, browser sessions, API tokens, the first-run setup token, login failures
for throttling, and the append-only audit log."""

from network.database import sql_migration

ID = "2026-11-26T06:42:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "accounts, sessions, API tokens, login throttling and the audit log",
        """
        CREATE TABLE app_user (
            id bigserial PRIMARY KEY,
            email text NOT NULL
                CHECK (length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
            display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
            role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'viewer')),
            legal_circle text NOT NULL CHECK (legal_circle IN ('sgb2', 'sgb3')),
            active boolean NOT NULL DEFAULT true,
            password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
            password_changed_at timestamptz NOT NULL DEFAULT now(),
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))",
        """
        CREATE TABLE user_session (
            id bigserial PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
            id_hash text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL,
            last_seen_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            CHECK (expires_at > created_at)
        )
        """,
        "CREATE INDEX user_session_user_id ON user_session (user_id)",
        """
        CREATE TABLE api_token (
            id bigserial PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
            name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
            token_hash text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now(),
            last_used_at timestamptz,
            revoked_at timestamptz
        )
        """,
        "CREATE INDEX api_token_user_id ON api_token (user_id)",
        """
        CREATE TABLE setup_token (
            id bigserial PRIMARY KEY,
            token_hash text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now(),
            used_at timestamptz
        )
        """,
        """
        CREATE TABLE login_failure (
            id bigserial PRIMARY KEY,
            subject text NOT NULL,
            failed_at timestamptz NOT NULL
        )
        """,
        "CREATE INDEX login_failure_subject ON login_failure (subject, failed_at)",
        """
        CREATE TABLE audit_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor_id bigint,
            action text NOT NULL CHECK (action <> ''),
            entity text NOT NULL CHECK (entity <> ''),
            entity_id text,
            client_address text,
            details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object')
        )
        """,
        "CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)",
        "CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC)",
        "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC)",
        """
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()
        """,
    )
