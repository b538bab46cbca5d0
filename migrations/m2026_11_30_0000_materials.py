"""Issue 17: the catalogue of information material (leaflets as files in the database, or
links) and what was handed out to whom."""

from network.database import sql_migration

ID = "2026-11-30T00:00:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "materials: the catalogue of information material and its handouts",
        """
        CREATE TABLE materials (
            id bigserial PRIMARY KEY,
            title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
            topic text NOT NULL,
            languages text[] NOT NULL CHECK (cardinality(languages) >= 1),
            file_data bytea,
            file_type text CHECK (file_type IN ('application/pdf', 'image/png', 'image/jpeg')),
            link text CHECK (link LIKE 'https://%'),
            partner_id bigint REFERENCES partners (id),
            review_on date NOT NULL,
            retired_at timestamptz,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            CHECK ((file_data IS NULL) <> (link IS NULL)),
            CHECK ((file_data IS NULL) = (file_type IS NULL))
        )
        """,
        """
        CREATE TABLE material_handouts (
            id bigserial PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id),
            material_id bigint NOT NULL REFERENCES materials (id),
            language text NOT NULL,
            at timestamptz NOT NULL,
            by_user bigint REFERENCES app_user (id)
        )
        """,
        "CREATE INDEX material_handouts_client ON material_handouts (client_id, at)",
        "ALTER TABLE case_events DROP CONSTRAINT case_events_event_check",
        "ALTER TABLE case_events ADD CONSTRAINT case_events_event_check CHECK (event IN"
        " ('opened', 'enrolled', 'closed', 'pseudonymised', 'erased', 'circle_changed',"
        " 'material_handed_out'))",
    )
