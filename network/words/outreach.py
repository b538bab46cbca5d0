"""Words of outreach (issue 19, "Erstansprache"): the sources of a prospect's name, the
channels and outcomes of a contact attempt, the statuses and park reasons, the import's
field names and the pages' headings."""

NAV = "Erstansprache"

SOURCES = {"immigration_office": "Liste der Ausländerbehörde", "shelter": "Unterkunft",
           "volunteer": "Ehrenamtliche", "walk_in": "Selbst gekommen", "other": "Sonstiges"}
CHANNELS = {"letter": "Brief", "phone": "Telefon", "shelter_visit": "Besuch in der Unterkunft",
            "volunteer": "Über Ehrenamtliche", "walk_in": "Persönlich vorbeigekommen"}
OUTCOMES = {"reached": "Erreicht", "not_reached": "Nicht erreicht",
            "invited": "Eingeladen (Termin)", "declined": "Möchte nicht"}
STATUSES = {"waiting": "Wartet", "parked": "Geparkt", "converted": "Fall geöffnet"}
PARK_REASONS = {"no_contact": "Nach mehreren Versuchen nicht erreicht",
                "declined": "Möchte keine Beratung", "moved_away": "Verzogen",
                "other": "Anderer Grund"}

FIELDS = {"first_name": "Vorname", "last_name": "Nachname", "date_of_birth": "Geburtsdatum",
          "birth_year": "Geburtsjahr", "country_code": "Herkunftsland",
          "residence_status": "Aufenthaltsstatus", "residence_since": "Aufenthaltsstatus seit",
          "shelter": "Unterkunft", "address": "Anschrift", "phone": "Telefon",
          "languages": "Sprachen", "source_note": "Bemerkung"}
NOT_TAKEN = "wird nicht übernommen"

DUPLICATE_KINDS = {"prospect": "Erstansprache", "client": "Fall", "line": "Zeile dieser Datei"}
DUPLICATE_HEADING = "Diese Person gibt es vielleicht schon"
DUPLICATE_TEXT = ("Ähnlicher Name und dasselbe Geburtsdatum (oder Geburtsjahr) wie eine Person"
                  " der Erstansprache oder ein Fall Ihres Rechtskreises.")
DUPLICATE_CONFIRM = "Es ist eine andere Person: trotzdem erfassen"
SKIP_DUPLICATES = "Mögliche Doppelte nicht übernehmen"

WORKLIST_TEXT = ("Personen mit guter Bleibeperspektive, die noch keine Kundschaft sind; wer am"
                 " längsten wartet, steht oben.")
OTHERS_TEXT = ("Ohne gute Bleibeperspektive: ihnen wird eine Erstberatung angeboten, keine"
               " Aufnahme ins Programm.")
NO_CONTACT_RULE = ("Nach {n} Versuchen ohne Kontakt wird die Person geparkt und verlässt die"
                   " Arbeitsliste.")
