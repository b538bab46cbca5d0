"""What the partner pages (the emailed link, no account) say: the notice after each action,
the hint next to a field, and the texts of pages that show no referral."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from network.links.service import Directory

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
    "appointment_day": "Bitte den Tag des Termins angeben (ab heute, höchstens ein Jahr im"
                       " Voraus).",
    "appointment_time": "Bitte die Uhrzeit angeben, zum Beispiel 14:30.",
    "appointment_place": "Bitte den Ort des Termins angeben (höchstens 300 Zeichen).",
}
STALE_PAGE = ("Diese Seite war zu lange geöffnet oder stammt nicht von uns. Wir haben nichts "
              "geändert; bitte versuchen Sie es jetzt noch einmal.")
CLOSED_TEXT = ("Diese Anfrage ist nicht mehr offen (Stand: {status}). Über diesen Link ist "
               "nichts mehr zu tun. Vielen Dank!")
NOT_POSSIBLE = "Das ist so nicht möglich; es wurde nichts geändert."

# The pages that show no referral: (title, text).
UNKNOWN_LINK = ("Link nicht gültig",
                "Dieser Link ist nicht gültig. Bitte nutzen Sie den Link aus der neuesten "
                "E-Mail oder wenden Sie sich an den Integration Point.")
EXPIRED_LINK = ("Link abgelaufen",
                "Dieser Link ist abgelaufen. Aus Datenschutzgründen zeigen wir die Anfrage "
                "hier nicht mehr an.")
CLOSED_TITLE = "Anfrage abgeschlossen"
REFERRAL_TITLE = "Anfrage des Integration Point"
TOO_MANY = ("Zu viele Aufrufe",
            "Dieser Link wurde in kurzer Zeit sehr oft aufgerufen. Bitte warten Sie eine "
            "Minute und versuchen Sie es dann erneut.")
RELOAD = ("Bitte erneut versuchen", "Diese Seite war zu lange geöffnet. Bitte laden Sie sie neu.")
FAILED = ("Nicht möglich", "Diese Anfrage konnte nicht bearbeitet werden.")
CHANGED_MEANWHILE = ("Die Anfrage wurde inzwischen geändert; hier ist der aktuelle Stand. Es "
                     "wurde nichts weiter gespeichert.")
ALREADY_SAVED = "Das war schon gespeichert; hier ist der aktuelle Stand."
FRESH_LINK_SENT = ("Wir haben einen neuen Link an die E-Mail-Adresse geschickt, die für Ihre "
                   "Einrichtung bei uns hinterlegt ist.")
# What a refusal says on the partner page, by its code where the field alone says too little.
PARTNER_REFUSALS = {
    "referral.case_closed_meanwhile": "Der Fall wurde inzwischen abgeschlossen; diese Anfrage "
                                      "kann nicht mehr geändert werden. Es wurde nichts "
                                      "gespeichert. Bei Fragen wenden Sie sich bitte an die "
                                      "Koordination.",
    "referral.consent_missing": "Die Einwilligung der Person deckt diesen Partner nicht ab. Es "
                                "wurde nichts geändert; bitte wenden Sie sich an die "
                                "Koordination.",
    "referral.still_open": "Dieser Partner hat diese Anfrage schon.",
}

# The handoff's directory when it is too long to list whole (network.links.service.Directory).
DIRECTORY_SEARCH = "Partner suchen (Name, Ort oder Postleitzahl)"
DIRECTORY_FIRST_SEARCH = "Bitte zuerst oben suchen"


def directory_hint(directory: Directory) -> str | None:
    """What the search field of a long directory says: how many partners there are before a
    search, how many match after one."""
    if not directory.searchable:
        return None
    if directory.search is None:
        return (f"{directory.size} Partner nehmen Anliegen dieser Art an. Bitte suchen Sie "
                "nach Name, Ort oder Postleitzahl und wählen Sie dann aus der Liste.")
    if not directory.matching:
        return f"Kein Partner passt zu „{directory.search}“. Bitte anders suchen."
    if directory.matching > len(directory.entries):
        return (f"{directory.matching} Partner passen zu „{directory.search}“; die ersten "
                f"{len(directory.entries)} stehen in der Liste. Bitte genauer suchen.")
    found = "1 Partner passt" if directory.matching == 1 else (
        f"{directory.matching} Partner passen")
    return f"{found} zu „{directory.search}“."
