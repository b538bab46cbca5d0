from network.database import sql_migration

ID = "2026-11-26T06:55:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "outbox: every email is a row, written in the transaction of the change that causes it",
        """
        CREATE TABLE outbox (
            id bigserial PRIMARY KEY,
            message_id text NOT NULL UNIQUE,
            template text NOT NULL,
            recipients text[] NOT NULL CHECK (cardinality(recipients) > 0),
            subject text NOT NULL,
            body_text text NOT NULL,
            body_html text NOT NULL,
            status text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
            due_at timestamptz NOT NULL DEFAULT now(),
            lease_until timestamptz,
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            last_error text,
            dedupe_key text UNIQUE,
            client_id bigint,
            referral_id bigint,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz,
            CHECK ((status = 'sending') = (lease_until IS NOT NULL)),
            CHECK ((status = 'sent') = (sent_at IS NOT NULL))
        )
        """,
        "CREATE INDEX outbox_queued_due ON outbox (due_at) WHERE status = 'queued'",
        "CREATE INDEX outbox_sending_lease ON outbox (lease_until) WHERE status = 'sending'",
        "CREATE INDEX outbox_failed ON outbox (created_at) WHERE status = 'failed'",
        "CREATE INDEX outbox_client ON outbox (client_id) WHERE client_id IS NOT NULL",
        "CREATE INDEX outbox_referral ON outbox (referral_id) WHERE referral_id IS NOT NULL",
    )
