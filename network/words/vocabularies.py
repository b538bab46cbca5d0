"""The German word for every value of the closed vocabularies, one word for each thing on
every surface (pages, emails, partner pages, the report, the slip, the CLI).

Keyed by the plain string codes the services and the database use; a StrEnum member is such
a string, so `GENDERS[Gender.FEMALE]` works, and this module imports no domain module. The
order of each map is the order forms and report tables list them in.
"""

from __future__ import annotations

BARRIER_KINDS = {
    "language": "Sprache", "qualification_recognition": "Berufsanerkennung",
    "residence_legal": "Aufenthaltsrecht", "health": "Gesundheit",
    "childcare": "Kinderbetreuung", "housing": "Wohnen", "school": "Schule",
    "vocational_training": "Ausbildung", "university": "Studium", "documents": "Dokumente",
    "financial": "Finanzen", "mobility": "Mobilität", "other": "Sonstiges",
}
BARRIER_STATUSES = {
    "open": "offen", "in_progress": "in Bearbeitung", "resolved": "behoben",
    "unresolvable": "nicht lösbar",
}
CASE_KINDS = {"first_consultation": "Erstberatung", "enrolled": "Programmteilnahme"}
CASE_STATUSES = {"open": "offen", "closed": "abgeschlossen"}
# How a case ended.
OUTCOMES = {
    "employment": "Arbeitsaufnahme", "vocational_training": "Ausbildung", "school": "Schule",
    "university": "Studium", "moved_away": "Wegzug", "no_longer_eligible": "Kein Anspruch mehr",
    "other": "Sonstiger Grund",
}
GENDERS = {"female": "weiblich", "male": "männlich", "diverse": "divers",
           "unspecified": "ohne Angabe"}
RESIDENCE_STATUSES = {
    "permission_to_reside": "Aufenthaltsgestattung", "residence_permit": "Aufenthaltserlaubnis",
    "toleration": "Duldung", "settlement_permit": "Niederlassungserlaubnis",
    "other": "Sonstiges",
}
LEGAL_CIRCLES = {"sgb2": "SGB II (Jobcenter)", "sgb3": "SGB III (Agentur für Arbeit)"}
QUALIFICATION_KINDS = {"school": "Schulabschluss", "vocational": "Berufsabschluss",
                       "academic": "Hochschulabschluss"}
AGE_GROUPS = {"under_25": "unter 25 Jahre", "from_25": "25 Jahre und älter"}
ROLES = {"admin": "Administration", "coordinator": "Koordination", "viewer": "Nur Berichte"}
PARTNER_KINDS = {
    "bamf": "BAMF", "immigration_office": "Ausländerbehörde", "youth_office": "Jugendamt",
    "social_office": "Sozialamt", "school": "Schule", "health_office": "Gesundheitsamt",
    "municipal_integration_centre": "Kommunales Integrationszentrum",
    "integration_officer": "Integrationsbeauftragte", "volunteer_group": "Ehrenamtliche",
    "association": "Verein / Verband", "course_provider": "Kursträger",
    "recognition_advice": "Anerkennungsberatung", "clothing_store": "Kleiderkammer",
    "furniture_provider": "Möbellager", "other": "Sonstige",
}

REFERRAL_STATUSES = {
    "draft": "Entwurf", "sent": "gesendet, wartet auf Antwort", "accepted": "angenommen",
    "declined": "abgelehnt", "in_progress": "in Bearbeitung", "on_hold": "pausiert",
    "completed": "abgeschlossen", "failed": "gescheitert", "cancelled": "zurückgezogen",
    "expired": "ohne Antwort abgelaufen",
}
# What the button for moving a referral to a status says.
REFERRAL_ACTIONS = {
    "sent": "Jetzt an den Partner senden",
    "accepted": "Annahme durch den Partner erfassen",
    "declined": "Ablehnung durch den Partner erfassen",
    "in_progress": "Als „in Bearbeitung“ erfassen", "on_hold": "Pausieren",
    "completed": "Abschließen", "failed": "Als gescheitert erfassen",
    "cancelled": "Zurückziehen",
}
DECLINE_REASONS = {
    "no_capacity": "Keine freien Plätze / keine Kapazität",
    "not_eligible": "Voraussetzungen nicht erfüllt",
    "not_our_service": "Gehört nicht zu unserem Angebot",
    "client_unreachable": "Person nicht erreichbar",
    "other": "Anderer Grund",
}
# Whether a completed referral removed the barrier.
REFERRAL_OUTCOMES = {"yes": "Ja, das Hindernis ist behoben", "partly": "Teilweise",
                     "no": "Nein"}
REFERRAL_EVENTS = {"created": "angelegt", "status_changed": "Status geändert",
                   "handed_off": "an einen anderen Partner übergeben",
                   "reassigned": "an eine andere Koordination übergeben"}

REMINDER_KINDS = {
    "no_answer": "Nachfrage beim Partner (keine Antwort)",
    "escalation": "Hinweis an die Koordination (Partner antwortet nicht)",
    "last_warning": "Letzte Erinnerung an den Partner",
    "expire": "Vermittlung läuft ab",
    "outcome_follow_up": "Nachfrage beim Partner: Ergebnis",
    "hold_check": "Nachfrage beim Partner: noch pausiert?",
    "barrier_uncovered": "Hindernis ohne Vermittlung",
    "case_inactive": "Fall ohne Aktivität",
    "weekly_digest": "Wochenübersicht",
}
REMINDER_STATUSES = {"pending": "geplant", "sent": "gesendet", "cancelled": "entfallen",
                     "skipped": "ausgelassen", "failed": "fehlgeschlagen"}

HANDOVER_STATUSES = {"pending": "wartet auf Annahme", "accepted": "angenommen",
                     "declined": "abgelehnt", "withdrawn": "zurückgenommen"}

AUDIT_ACTIONS = {
    "case_note.added": "Beratungsvermerk hinzugefügt",
    "referral.message": "Nachricht des Partners an die Koordination",
    "referral.message_replay": "Nachricht des Partners erneut gesendet (schon gespeichert)",
    "reminder.sent": "Erinnerung gesendet",
    "reminder.failed": "Erinnerung fehlgeschlagen (E-Mail nicht erstellbar)",
    "login": "Anmeldung", "login.failed": "Fehlgeschlagene Anmeldung", "logout": "Abmeldung",
    "user.created": "Konto angelegt", "user.changed": "Konto geändert",
    "password.changed": "Passwort geändert", "client.viewed": "Kundenakte angesehen",
    "password.reset_sent": "Link für ein neues Passwort gesendet",
    "client_page.created": "Eigene Seite der Kundin/des Kunden: Link erzeugt",
    "client_page.revoked": "Eigene Seite der Kundin/des Kunden: Link widerrufen",
    "api_token.created": "API-Token angelegt", "api_token.revoked": "API-Token widerrufen",
    "referral.create": "Vermittlung angelegt", "referral.replay": "Vermittlung erneut gesendet",
    "referral.read": "Vermittlung angesehen", "referral.list": "Vermittlungen aufgelistet",
    "referral.transition": "Vermittlungsstatus geändert",
    "referral.handoff": "Vermittlung an anderen Partner übergeben",
    "referral.reassign": "Vermittlung an andere Koordination übergeben",
    "referral.slip": "Laufzettel gedruckt",
    "reminder.snooze": "Erinnerung verschoben", "reminder.skip": "Erinnerung ausgelassen",
    "report.built": "Monatsbericht erstellt",
    "client.created": "Fall angelegt", "client.changed": "Fall geändert",
    "client.listed": "Fälle aufgelistet", "client.closed": "Fall abgeschlossen",
    "client.pseudonymised": "Fall pseudonymisiert", "client.erased": "Fall gelöscht",
    "client.data_request": "Auskunftsersuchen erfasst",
    "client.data_report": "Auskunft erteilt",
    "client.handover_proposed": "Übergabe an den anderen Rechtskreis vorgeschlagen",
    "client.handover_accepted": "Übergabe aus dem anderen Rechtskreis angenommen",
    "client.handover_declined": "Übergabe aus dem anderen Rechtskreis abgelehnt",
    "client.handover_withdrawn": "Übergabe an den anderen Rechtskreis zurückgenommen",
    "client.handed_over": "Fall an Kollegin bzw. Kollegen übergeben",
    "circle_handovers.listed": "Übergaben zwischen Rechtskreisen aufgelistet",
    "potential_analysis.recorded": "Potenzialanalyse erfasst",
    "consent.given": "Einwilligung erfasst", "consent.withdrawn": "Einwilligung widerrufen",
    "consent.form_printed": "Einwilligungsformular gedruckt",
    "consent.form_attached": "Unterschriebene Einwilligung hinterlegt",
    "consent.form_opened": "Unterschriebene Einwilligung geöffnet",
    "referral.appointment": "Termin beim Partner eingetragen",
    "barrier.added": "Hindernis erfasst", "barrier.changed": "Hindernis geändert",
    "barrier.status_changed": "Status des Hindernisses geändert",
    "barrier.read": "Hindernis angesehen", "barriers.listed": "Hindernisse aufgelistet",
    "prospect.set": "Bleibeperspektive festgelegt",
    "partner.created": "Partner angelegt", "partner.changed": "Partner geändert",
    "directory.imported": "Partnerverzeichnis aus HSDS eingelesen",
    "reminder.list": "Erinnerungen aufgelistet",
    "reminder_rule.set": "Erinnerungsregel geändert",
    "reminder_rule.reset": "Erinnerungsregel zurückgesetzt",
    "mail.retry": "E-Mail erneut gesendet",
    "mail.demo_history_withdrawn": "E-Mails der Demo-Vorgeschichte zurückgezogen",
    "partner.sign_in_sent": "Anmeldelink an einen Partner gesendet",
    "partner.signed_in": "Anmeldung eines Partners im Partner-Postfach",
    "partner.signed_out": "Abmeldung eines Partners aus dem Partner-Postfach",
    "material.added": "Informationsmaterial aufgenommen",
    "material.file_replaced": "Datei eines Informationsmaterials ersetzt",
    "material.retired": "Informationsmaterial zurückgezogen",
    "material.handed_out": "Informationsmaterial ausgegeben",
    "material.bundle_printed": "Laufzettel mit Informationsmaterial gedruckt",
    "prospect.letter_printed": "Einladungsbrief an eine Person der Erstansprache gedruckt",
    "prospect.erased": "Person der Erstansprache gelöscht (Aufbewahrungsfrist abgelaufen)",
    # outreach (issue 19): prospects
    "prospect.added": "Person für die Erstansprache erfasst",
    "prospect.imported": "Personen für die Erstansprache eingelesen (CSV)",
    "prospect.viewed": "Person der Erstansprache angesehen",
    "prospect.contact_recorded": "Kontaktversuch erfasst",
    "prospect.parked": "Person der Erstansprache geparkt",
    "prospect.unparked": "Person der Erstansprache wieder aufgenommen",
    "prospect.converted": "Aus der Erstansprache ein Fall geöffnet",
}
ENTITIES = {"client": "Fall", "user": "Konto", "api_token": "API-Token", "partner": "Partner",
            "referral": "Vermittlung", "barrier": "Hindernis", "report": "Monatsbericht",
            "reminder": "Erinnerung", "reminder_rule": "Erinnerungsregel",
            "prospect_country": "Herkunftsland", "outbox": "E-Mail",
            "material": "Informationsmaterial",
            "prospect": "Person der Erstansprache", "prospect_import": "Einlesen (CSV)"}

# The report's bucket for the countries outside its top list.
OTHER_COUNTRIES = "Übrige Länder"
