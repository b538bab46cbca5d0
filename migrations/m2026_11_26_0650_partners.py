"""Partners of the network: organisations a coordinator refers clients' barriers to."""

from network.database import sql_migration

ID = "2026-11-26T06:50:00:000000"

PARTNER_KINDS = (
    "'bamf', 'immigration_office', 'youth_office', 'social_office', 'school', 'health_office',"
    " 'municipal_integration_centre', 'integration_officer', 'volunteer_group', 'association',"
    " 'course_provider', 'recognition_advice', 'clothing_store', 'furniture_provider', 'other'"
)
BARRIER_KINDS = (
    "'language', 'qualification_recognition', 'residence_legal', 'health', 'childcare',"
    " 'housing', 'school', 'vocational_training', 'university', 'documents', 'financial',"
    " 'mobility', 'other'"
)
EMAIL = r"'^[^@\s]+@[^@\s]+\.[^@\s]+$'"
LANGUAGE = "'^[a-z]{2,3}$'"


async def forwards():
    return sql_migration(
        ID,
        "partners with their contact persons",
        # A CHECK cannot hold a subquery: this immutable helper checks every element of an array.
        """
        CREATE FUNCTION every_element_matches(items text[], pattern text) RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT coalesce(bool_and(item ~ pattern), true) FROM unnest(items) AS item $$
        """,
        f"""
        CREATE TABLE partners (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
            kind text NOT NULL CHECK (kind IN ({PARTNER_KINDS})),
            street text CHECK (length(street) <= 200),
            postal_code text CHECK (postal_code ~ '^[0-9]{{5}}$'),
            city text CHECK (length(city) <= 100),
            phone text CHECK (phone ~ '^\\+?[0-9 ()/-]{{3,40}}$'),
            referral_emails text[] NOT NULL DEFAULT '{{}}'
                CHECK (cardinality(referral_emails) <= 10
                       AND every_element_matches(referral_emails, {EMAIL})),
            languages text[] NOT NULL DEFAULT '{{}}'
                CHECK (every_element_matches(languages, {LANGUAGE})),
            barrier_kinds text[] NOT NULL DEFAULT '{{}}'
                CHECK (barrier_kinds <@ ARRAY[{BARRIER_KINDS}]::text[]),
            opening_hours text CHECK (length(opening_hours) <= 2000),
            notes text CHECK (length(notes) <= 5000),
            active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        # The natural key: coordinators tell partners apart by name (with the place in it).
        "CREATE UNIQUE INDEX partners_name_key ON partners (lower(name))",
        "CREATE INDEX partners_kind ON partners (kind)",
        "CREATE INDEX partners_barrier_kinds ON partners USING gin (barrier_kinds)",
        "CREATE INDEX partners_languages ON partners USING gin (languages)",
        f"""
        CREATE TABLE partner_contacts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
            role text CHECK (length(role) <= 200),
            email text CHECK (email ~ {EMAIL}),
            phone text CHECK (phone ~ '^\\+?[0-9 ()/-]{{3,40}}$'),
            UNIQUE (partner_id, position)
        )
        """,
    )
