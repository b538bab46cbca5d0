"""What the partner's own entry says: the confirm page opened from a reminder email
(/p/<token>/eintrag) and, on the coordinators' partner page, the names of the fields a
partner changed."""

ENTRY_TITLE = "Ihr Eintrag im Partnerverzeichnis"
ENTRY_INTRO = ("So steht Ihre Einrichtung in unserem Partnerverzeichnis. Die Koordinatorinnen "
               "und Koordinatoren des Integration Point finden Sie darüber. Stimmt alles?")
ENTRY_CONFIRMED = "Danke! Ihr Eintrag ist bestätigt."
ENTRY_WRONG = ("Stimmt etwas nicht? Bitte schreiben Sie Ihrer Ansprechperson beim "
               "Integration Point, was sich geändert hat.")
CONFIRM_BUTTON = "Stimmt so"
NOTHING = "–"

# The fields a partner keeps, as the change list on the partner page names them.
FIELD_LABELS = {
    "opening_hours": "Öffnungszeiten",
    "phone": "Telefon",
    "languages": "Sprachen",
    "barrier_kinds": "Hilft bei",
    "paused_until": "Keine Aufnahme bis",
    "pause_note": "Hinweis zur Pause",
    "confirmed_at": "Eintrag bestätigt",
}
# Who made a change in the list: the partner itself, or staff on its behalf.
BY_PARTNER = "der Partner"
BY_STAFF = "{name} (für den Partner)"
BY_STAFF_UNKNOWN = "Integration Point (für den Partner)"
