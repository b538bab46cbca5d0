"""What the partner pages (the emailed link, no account) say: the notice after each action,
the hint next to a field, and the texts of pages that show no referral."""

PARTNER_NOTICES = {
    "accept": "Danke! Sie haben die Anfrage angenommen.",
    "decline": "Sie haben die Anfrage abgelehnt. Danke für die Rückmeldung.",
    "hold": "Die Anfrage ist pausiert.",
    "start": "Gespeichert: Die Anfrage ist in Bearbeitung.",
    "complete": "Danke! Die Anfrage ist abgeschlossen.",
    "handoff": "Danke! Die Anfrage ist an den gewählten Partner weitergegeben.",
    "message": "Ihre Nachricht ist unterwegs.",
}
PARTNER_FIELD_ERRORS = {
    "reason_code": "Bitte einen Grund wählen.",
    "reason_text": "Bitte den Grund in Worten angeben.",
    "outcome": "Bitte angeben, ob das Hindernis behoben ist.",
    "to_partner_id": "Bitte einen Partner aus der Liste wählen.",
    "message": "Bitte eine Nachricht eingeben (höchstens 5000 Zeichen).",
}
STALE_PAGE = ("Diese Seite war zu lange geöffnet oder stammt nicht von uns. Wir haben nichts "
              "geändert; bitte versuchen Sie es jetzt noch einmal.")
CLOSED_TEXT = ("Diese Anfrage ist nicht mehr offen (Stand: {status}). Über diesen Link ist "
               "nichts mehr zu tun. Vielen Dank!")
NOT_POSSIBLE = "Das ist so nicht möglich; es wurde nichts geändert."
