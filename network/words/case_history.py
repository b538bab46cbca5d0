"""The case history's and the edit pages' German words (issue 15): what each field is called
when a change to it is listed, what each case event is called, the headings and buttons."""

HEADING = "Verlauf und Beratungsvermerke"
EMPTY = "Noch nichts im Verlauf."
NOTE_FORM = "Beratungsvermerk hinzufügen"
NOTE_DAY = "Datum der Beratung"
NOTE_BODY = "Vermerk"
NOTE_BUTTON = "Vermerk speichern"
NOTE = "Beratungsvermerk"
NOTE_REMOVED = "(Text pseudonymisiert)"
CHANGED = "Geändert"
BARRIER_CHANGED = "Hindernis geändert: {kind}"
BARRIER_STATUS = "Hindernis „{kind}“: {status}"
VALUES_REMOVED = "(Werte pseudonymisiert)"
NOBODY = "System"
REFERRAL = "Vermittlung {id} an {partner}: {status}"
EMPTY_VALUE = "–"
BEFORE = "vorher"
AFTER = "nachher"
MAIN_LANGUAGE = "Hauptsprache"

EDIT_CLIENT = "Angaben bearbeiten"
EDIT_CLIENT_TITLE = "Angaben bearbeiten: {name}"
EDIT_BARRIER = "Bearbeiten"
EDIT_BARRIER_TITLE = "Hindernis bearbeiten"
SAVE = "Änderungen speichern"
CANCEL = "Abbrechen"
CHECK_FIELDS = "Bitte prüfen Sie die markierten Angaben."
LANGUAGE_HINT = "Die erste Sprache ist die Hauptsprache (für Laufzettel und Material)."
EDIT_HINT = ("Jede Änderung steht mit dem alten und dem neuen Wert im Verlauf des Falls."
             " Den Rechtskreis ändert eine Übergabe.")

# The fields of a client and of a barrier, as a change lists them.
FIELDS = {
    "first_name": "Vorname", "last_name": "Nachname", "date_of_birth": "Geburtsdatum",
    "gender": "Geschlecht", "country_of_origin": "Herkunftsland",
    "residence_status": "Aufenthaltsstatus", "legal_circle": "Rechtskreis",
    "case_kind": "Art", "enrolment_reason": "Begründung der Aufnahme",
    "coordinator_id": "Zuständig", "case_number": "Fallnummer", "phone": "Telefon",
    "email": "E-Mail", "address": "Anschrift", "notes": "Notizen", "languages": "Sprachen",
    "municipality": "Gemeinde", "kind": "Art des Hindernisses", "description": "Beschreibung",
}

# The case events (network.cases.actions writes them into case_events).
EVENTS = {
    "opened": "Fall eröffnet", "enrolled": "Ins Programm aufgenommen",
    "closed": "Fall abgeschlossen", "circle_changed": "Rechtskreis gewechselt",
    "pseudonymised": "Pseudonymisiert", "erased": "Gelöscht auf Antrag",
}
