"""What the partner inbox says (/partner: sign-in by email link, the inbox, the partner's own
entry and capacity pause). Titles and texts as (title, text) where a page shows both."""

SIGN_IN_TITLE = "Partner-Postfach"
SIGN_IN_INTRO = ("Melden Sie sich ohne Passwort an: Geben Sie die E-Mail-Adresse Ihrer "
                 "Einrichtung ein, an die der Integration Point seine Anfragen schickt. Wir "
                 "senden Ihnen einen Anmeldelink, der {minutes} Minuten gilt.")
SIGN_IN_SENT = ("Wenn diese Adresse bei uns für eine Partner-Einrichtung hinterlegt ist, ist "
                "der Anmeldelink jetzt unterwegs. Bitte sehen Sie in Ihrem Postfach nach (auch "
                "im Spam-Ordner). Der Link gilt {minutes} Minuten und nur einmal.")
SIGN_IN_ADDRESS_MISSING = "Bitte eine E-Mail-Adresse eingeben."
SIGNED_OUT = "Sie sind abgemeldet."
SESSION_ENDED = "Bitte melden Sie sich erneut an (Ihre Sitzung ist abgelaufen)."
LINK_TITLE = "Anmelden"
LINK_TEXT = "Mit diesem Link melden Sie sich im Partner-Postfach für {partner} an."
LINK_BUTTON = "Jetzt anmelden"
LINK_INVALID = ("Link nicht gültig",
                "Dieser Anmeldelink ist nicht (mehr) gültig: Er gilt nur kurz und nur einmal. "
                "Sie können sich einen neuen schicken lassen.")
TOO_MANY = ("Zu viele Versuche",
            "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.")
STALE_FORM = ("Diese Seite war zu lange geöffnet. Wir haben nichts geändert; bitte versuchen "
              "Sie es jetzt noch einmal.")
NOT_FOUND = ("Nicht gefunden", "Diese Anfrage gibt es in Ihrem Postfach nicht.")
FAILED = ("Nicht möglich", "Das konnte nicht bearbeitet werden.")

INBOX_TITLE = "Partner-Postfach"
DUE_HEADING = "Bitte antworten"
OPEN_HEADING = "In Arbeit"
CLOSED_HEADING = "Abgeschlossen (letzte 90 Tage)"
NOTHING_OPEN = "Zurzeit liegen keine offenen Anfragen vor."
NOTHING_CLOSED = "In den letzten 90 Tagen wurde keine Anfrage abgeschlossen."
REFERRAL_NUMBER = "Anfrage Nr. {id}"
ANSWER_DUE = "Antwort erbeten bis {day}"

ENTRY_TITLE = "Unser Eintrag"
ENTRY_SAVED = "Ihr Eintrag ist gespeichert. Danke!"
ENTRY_CONFIRMED = "Danke! Ihr Eintrag ist als aktuell bestätigt."
PAUSE_HEADING = "Aufnahmestopp"
PAUSE_SET = "Gespeichert: keine Aufnahme bis {day}."
PAUSE_ENDED = "Der Aufnahmestopp ist beendet: Sie bekommen wieder neue Anfragen."
PAUSED_NOW = "Zurzeit keine Aufnahme bis {day}."
PAUSE_DATE_NEEDED = "Bitte ein Datum ab morgen angeben."
