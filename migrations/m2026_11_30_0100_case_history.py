"""The case history (issue 15): a client's languages keep their order (the first is the main
one), every edit of a case or a barrier keeps what it changed from and to, and dated
consultation notes (Beratungsvermerke) with their author.

- client_languages.position: 0 is the main language. Rows from before keep their former
  (alphabetical) order, the only order they had.
- case_changes: one row per edit of a client's data or of a barrier; `fields` names what
  changed (no personal data), `changes` holds [{field, before, after}].
- case_notes: a consultation note, dated `noted_on` (the day of the consultation), written by
  `author_id` at `created_at`.

Both are append-only like case_events: no TRUNCATE, no DELETE, and the one UPDATE allowed is
pseudonymisation's (network.cases.erasure.scrub): `changes` and `body` set to NULL, nothing
else changed.
"""

from network.database import sql_migration

ID = "2026-11-30T01:00:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "languages in order; case changes with before and after; consultation notes",
        "ALTER TABLE client_languages ADD COLUMN position integer",
        """
        UPDATE client_languages l SET position = o.position
        FROM (SELECT client_id, language,
                     row_number() OVER (PARTITION BY client_id ORDER BY language) - 1
                     AS position
              FROM client_languages) o
        WHERE o.client_id = l.client_id AND o.language = l.language
        """,
        "ALTER TABLE client_languages ALTER COLUMN position SET NOT NULL",
        "ALTER TABLE client_languages ADD CONSTRAINT client_languages_position"
        " CHECK (position BETWEEN 0 AND 50)",
        """
        CREATE TABLE case_changes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id),
            barrier_id bigint REFERENCES barriers (id),
            at timestamptz NOT NULL,
            actor_id bigint,
            fields text[] NOT NULL CHECK (cardinality(fields) > 0),
            changes jsonb CHECK (changes IS NULL OR jsonb_typeof(changes) = 'array')
        )
        """,
        "CREATE INDEX case_changes_client ON case_changes (client_id, at)",
        """
        CREATE TABLE case_notes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id),
            noted_on date NOT NULL,
            body text CHECK (body IS NULL OR (btrim(body) <> '' AND length(body) <= 10000)),
            author_id bigint,
            created_at timestamptz NOT NULL
        )
        """,
        "CREATE INDEX case_notes_client ON case_notes (client_id, noted_on)",
        # TG_ARGV: the columns pseudonymisation may set to NULL (and nothing else may change).
        """
        CREATE FUNCTION history_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NOT (jsonb_strip_nulls(to_jsonb(NEW)) ?| TG_ARGV)
               AND to_jsonb(NEW) - TG_ARGV = to_jsonb(OLD) - TG_ARGV THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER case_changes_append_only BEFORE UPDATE OR DELETE ON case_changes
        FOR EACH ROW EXECUTE FUNCTION history_refuse_change('changes')
        """,
        """
        CREATE TRIGGER case_notes_append_only BEFORE UPDATE OR DELETE ON case_notes
        FOR EACH ROW EXECUTE FUNCTION history_refuse_change('body')
        """,
        """
        CREATE TRIGGER case_changes_no_truncate BEFORE TRUNCATE ON case_changes
        FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_truncate()
        """,
        """
        CREATE TRIGGER case_notes_no_truncate BEFORE TRUNCATE ON case_notes
        FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_truncate()
        """,
    )
