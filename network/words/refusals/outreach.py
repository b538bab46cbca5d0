"""Refusal codes of outreach (issue 19: prospects, their import, attempts and conversion):
{code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "possible_duplicate_prospect": (
        "a prospect or client with a similar name and the same birth date or year exists"
        " ({ids}): confirm to enter another one",
        "Es gibt schon eine Person mit ähnlichem Namen und demselben Geburtsdatum bzw."
        " -jahr ({ids}). Bitte prüfen; erfassen Sie sie nur mit Bestätigung."),
    "prospect_year_not_birth_date": (
        "the birth year does not match the birth date",
        "Das Geburtsjahr passt nicht zum Geburtsdatum."),
    "prospect_unknown_country": ("is not a known country",
                                 "Dieses Land ist nicht bekannt (Ländername oder -kürzel)."),
    "prospect_unknown_language": ("is not a known language",
                                  "Diese Sprache ist nicht bekannt (Sprachname oder -kürzel)."),
    "prospect_too_many_languages": ("at most {max} languages",
                                    "Höchstens {max} Sprachen."),
    "prospect_first_consultation_only": (
        "a prospect without good prospects of staying is offered a first consultation only",
        "Ohne gute Bleibeperspektive ist nur eine Erstberatung möglich."),
    "prospect_not_waiting": ("the prospect is not waiting (parked or converted)",
                             "Diese Person ist geparkt oder schon Kundin bzw. Kunde."),
    "prospect_not_parked": ("the prospect is not parked", "Diese Person ist nicht geparkt."),
    "prospect_erased": ("the prospect's data were erased", "Die Angaben sind gelöscht."),
    "prospect_appointment_needed": (
        "an invitation needs the appointment's date and time",
        "Für eine Einladung bitte Datum und Uhrzeit des Termins angeben."),
    "prospect_appointment_only_when_invited": (
        "an appointment belongs to an invitation",
        "Einen Termin gibt es nur bei der Einladung."),
    "prospect_needs_birth_date": (
        "the case needs the full birth date",
        "Für den Fall ist das vollständige Geburtsdatum nötig."),
    "prospect_import_malformed": (
        "the file was not imported: line {line}, column {column} is at fault ({problems}"
        " problems in all)",
        "Die Datei wurde nicht übernommen: Zeile {line}, Spalte {column} ist fehlerhaft"
        " ({problems} Fehler insgesamt)."),
    "prospect_import_too_large": ("the file is larger than {max} KiB",
                                  "Die Datei ist größer als {max} KiB."),
    "prospect_import_encoding": (
        "the file is neither UTF-8, UTF-16 nor Windows-1252 text",
        "Die Datei ist kein lesbarer Text (UTF-8, UTF-16 oder Windows-1252)."),
    "prospect_import_unreadable": ("the CSV cannot be read here (a quote left open?)",
                                   "Die CSV-Datei ist hier nicht lesbar (z. B. ein nicht"
                                   " geschlossenes Anführungszeichen)."),
    "prospect_import_empty": ("the file holds no prospects",
                              "Die Datei enthält keine Personen."),
    "prospect_import_no_name_column": (
        "no column holds a name (Vorname or Nachname)",
        "Keine Spalte enthält einen Namen (Vorname oder Nachname)."),
    "prospect_import_duplicate_column": (
        "the same as the column {other}", "Bedeutet dasselbe wie die Spalte {other}."),
    "prospect_import_too_many_columns": ("more than {max} columns",
                                         "Mehr als {max} Spalten."),
    "prospect_import_too_many_rows": ("more than {max} rows", "Mehr als {max} Zeilen."),
    "prospect_import_too_many_cells": (
        "{found} cells where the header has {expected}",
        "{found} Zellen, die Kopfzeile hat aber {expected} Spalten."),
    "prospect_import_changed": (
        "the file changed between preview and confirmation",
        "Die Datei hat sich seit der Vorschau geändert; bitte neu hochladen."),
}
