"""A case handed to a colleague of the same legal circle is an event of its history
('handed_over'). The allowed events grow by this one value whatever the list holds when this
runs (other migrations of the same round add theirs), so the constraint is extended, not
restated."""

from network.database import sql_migration

ID = "2026-11-30T01:11:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "case event handed_over",
        """
        DO $$
        DECLARE definition text;
        BEGIN
            SELECT pg_get_constraintdef(oid) INTO definition FROM pg_constraint
             WHERE conname = 'case_events_event_check'
               AND conrelid = 'case_events'::regclass;
            IF position('''handed_over''' IN definition) = 0 THEN
                EXECUTE 'ALTER TABLE case_events DROP CONSTRAINT case_events_event_check';
                EXECUTE 'ALTER TABLE case_events ADD CONSTRAINT case_events_event_check '
                    || replace(definition, 'ARRAY[', 'ARRAY[''handed_over''::text, ');
            END IF;
        END
        $$
        """,
    )
