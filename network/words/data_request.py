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
    "material_handed_out": "Ausgegebenes Informationsmaterial",
    "client_page_links": "Links zur eigenen Seite",
    "consent_forms": "Unterschriebene Einwilligungsformulare",
    "appointments": "Termine bei Partnern",
}

REMOVED = ("Die personenbezogenen Daten sind pseudonymisiert oder gelöscht: Eine Auskunft kann"
           " nicht mehr erstellt werden.")

# The headings also in the client's language, where the referral slip has that language and
# the report's font can show it correctly: English. (Arabic and Farsi need right-to-left
# shaping the PDF library does not do here, Tigrinya a font it does not have: German only.)
CLIENT_LANGUAGE_HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "master_data": "Personal details",
        "languages": "Languages",
        "potential_analysis": "Skills assessment and qualifications",
        "consents": "Consents",
        "barriers": "Barriers",
        "barrier_events": "History of the barriers",
        "referrals": "Referrals to partners",
        "referral_events": "History of the referrals",
        "partner_messages": "Partners' answers and links",
        "case_history": "History of the case",
        "reminders": "Reminders",
        "emails": "Emails sent",
        "circle_handovers": "Handovers between the legal circles",
        "access_log": "Who read or changed the record",
        "data_requests": "Requests for access",
        "material_handed_out": "Information material handed out",
        "client_page_links": "Links to your own page",
    },
}
