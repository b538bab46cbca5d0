"""The data request's German words: the report's section headings and the page's texts."""

TITLE = "Auskunft nach Art. 15 DSGVO und § 83 SGB X"
INTRO = ("Alle Daten, die der Dienst über die Person speichert, nach Bereichen geordnet."
         " Stand: {produced}. Eingang des Auskunftsersuchens: {received}.")
NONE = "Keine Einträge."
PAGE = "Seite {page} von {{nb}}"
DUE = "Auskunftsersuchen fällig bis {due}"
DONE = "Auskunft erteilt am {answered}"
BUTTON_RECORD = "Auskunftsersuchen erfassen"
BUTTON_PRODUCE = "Auskunft erstellen (PDF)"
BUTTON_JSON = "Auskunft als JSON"
RECEIVED_LABEL = "Eingang am"
HEADING = "Auskunftsersuchen"

SECTION_HEADINGS: dict[str, str] = {
    "master_data": "Stammdaten",
    "languages": "Sprachen",
    "potential_analysis": "Potenzialanalyse und Qualifikationen",
    "consents": "Einwilligungen",
    "barriers": "Hindernisse",
    "barrier_events": "Verlauf der Hindernisse",
    "referrals": "Vermittlungen an Partner",
    "referral_events": "Verlauf der Vermittlungen",
    "partner_messages": "Rückmeldungen und Links der Partner",
    "case_history": "Verlauf des Falls",
    "reminders": "Erinnerungen",
    "emails": "Versandte E-Mails",
    "circle_handovers": "Übergaben zwischen Rechtskreisen",
    "access_log": "Wer den Datensatz gelesen oder geändert hat",
    "data_requests": "Auskunftsersuchen",
}

REMOVED = ("Die personenbezogenen Daten sind pseudonymisiert oder gelöscht: Eine Auskunft kann"
           " nicht mehr erstellt werden.")
