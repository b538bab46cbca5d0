"""What a page says after a successful change, keyed by the `?hinweis=` mark the redirect
sets (so the wording stays here, and the address carries only a short key)."""

from network.words.user_admin import NOTICES as ACCOUNT_NOTICES

NOTICES = {
    "angemeldet": "Sie sind angemeldet.",
    "passwort": "Ihr Passwort ist geändert. Ihre anderen Sitzungen wurden beendet und Ihre"
                " API-Tokens widerrufen.",
    "passwort-tokens-behalten": "Ihr Passwort ist geändert. Ihre anderen Sitzungen wurden"
                                " beendet; Ihre API-Tokens gelten weiter.",
    "aufgenommen": "Die Kundin bzw. der Kunde ist aufgenommen.",
    "analyse": "Die Potenzialanalyse ist gespeichert.",
    "einwilligung": "Die Einwilligung ist erfasst.",
    "widerrufen": "Die Einwilligung ist widerrufen.",
    "formular-hinterlegt": "Das unterschriebene Formular ist hinterlegt.",
    "termin": "Der Termin ist eingetragen.",
    "hindernis": "Das Hindernis ist erfasst.",
    "gemeinde": "Die Gemeinde ist gespeichert.",
    "status": "Der Status des Hindernisses ist geändert.",
    "abgeschlossen": "Der Fall ist abgeschlossen.",
    "partner-angelegt": "Der Partner ist angelegt.",
    "partner-gespeichert": "Der Partner ist gespeichert.",
    "konto": "Das Konto ist angelegt.",
    "vermittelt": "Die Vermittlung ist an den Partner gesendet.",
    "entwurf": "Die Vermittlung ist als Entwurf gespeichert.",
    "vermittlung-status": "Der Status der Vermittlung ist geändert.",
    "erinnerung-verschoben": "Die Erinnerung ist verschoben.",
    "erinnerung-ausgelassen": "Die Erinnerung wird ausgelassen.",
    "bericht-erstellt": "Eine neue Fassung des Monatsberichts ist erstellt.",
    "uebergeben": "Die Vermittlung ist an den neuen Partner übergeben.",
    "koordination": "Die Vermittlung ist an die andere Koordination übergeben.",
    "uebergabe-vorgeschlagen": ("Die Übergabe an den anderen Rechtskreis ist vorgeschlagen. Der"
                                " Fall bleibt bei Ihnen, bis dort jemand sie annimmt."),
    "uebergabe-zurueck": "Der Vorschlag zur Übergabe ist zurückgenommen.",
    "uebergabe-angenommen": "Sie haben den Fall übernommen: Er gehört jetzt zu Ihrem Rechtskreis.",
    "uebergabe-abgelehnt": "Die Übergabe ist abgelehnt; der Fall bleibt im anderen Rechtskreis.",
    "fall-uebergeben": "Der Fall ist übergeben: Zuständig ist jetzt Ihre Kollegin bzw. Ihr"
                       " Kollege.",
    "mail-erneut": "Die E-Mail ist wieder in der Warteschlange und geht gleich hinaus.",
    "mail-schon": "Diese E-Mail ist nicht mehr fehlgeschlagen (schon erneut gesendet?).",
    "angaben": "Die Angaben sind gespeichert; die Änderung steht im Verlauf.",
    "hindernis-geaendert": "Das Hindernis ist gespeichert; die Änderung steht im Verlauf.",
    "vermerk": "Der Beratungsvermerk ist gespeichert.",
}
NOTICES |= ACCOUNT_NOTICES
