"""Frozen monthly reports, and attachments for outbox emails (the report's PDF)."""

from network.database import sql_migration

ID = "2026-11-26T07:07:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "reports: frozen monthly snapshots; outbox_attachment: files sent with an email",
        """
        CREATE TABLE reports (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            month date NOT NULL CHECK (extract(day FROM month) = 1),
            version integer NOT NULL CHECK (version >= 1),
            issued boolean NOT NULL DEFAULT false,
            generated_at timestamptz NOT NULL,
            generated_by text NOT NULL CHECK (generated_by IN ('scheduler', 'command', 'user')),
            generated_by_user_id bigint REFERENCES app_user (id),
            min_cell integer NOT NULL CHECK (min_cell >= 3),
            figures jsonb NOT NULL,
            pdf bytea NOT NULL CHECK (octet_length(pdf) > 0),
            csv_zip bytea NOT NULL CHECK (octet_length(csv_zip) > 0),
            UNIQUE (month, version),
            CHECK ((generated_by = 'user') = (generated_by_user_id IS NOT NULL))
        )
        """,
        # The report the committee receives: one per month, whichever instance builds it.
        "CREATE UNIQUE INDEX reports_issued_month ON reports (month) WHERE issued",
        """
        CREATE TABLE outbox_attachment (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            outbox_id bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            filename text NOT NULL CHECK (filename ~ '^[A-Za-z0-9._-]{1,100}$'),
            content_type text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
            content bytea NOT NULL,
            UNIQUE (outbox_id, position)
        )
        """,
    )
