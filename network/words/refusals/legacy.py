"""Transitional: the German wording of refusals that services still raise as English
sentences instead of codes. Every entry here goes once its service raises a code; then this
module goes too."""

from __future__ import annotations

import re

_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^is required$"), "Bitte ausfüllen."),
    (re.compile(r"^must be at most (\d+) characters$"), r"Höchstens \1 Zeichen."),
    (re.compile(r"^must be between (\S+) and (\S+)$"), r"Muss zwischen \1 und \2 liegen."),
    (re.compile(r"^the country of origin has no good prospects of staying.*"),
     "Das Herkunftsland hat keine gute Bleibeperspektive: Für die Aufnahme ins Programm"
     " ist eine Begründung nötig."),
    (re.compile(r"^closing a case needs an outcome$"), "Bitte das Ergebnis des Falls wählen."),
    (re.compile(r"^(\d+) barrier\(s\) still open or in progress.*"),
     r"\1 Hindernis(se) noch offen oder in Bearbeitung: erst beheben oder mit Begründung"
     " als nicht lösbar markieren."),
    (re.compile(r"^an unresolvable barrier needs a reason$"),
     "Bitte begründen, warum das Hindernis nicht lösbar ist."),
    (re.compile(r"^a barrier cannot go from (\S+) to (\S+)$"),
     "Dieser Statuswechsel ist nicht möglich."),
    (re.compile(r"^must name at least one partner kind$"),
     "Bitte mindestens eine Art von Partner wählen."),
    (re.compile(r"^cannot lie in the future$"), "Darf nicht in der Zukunft liegen."),
    (re.compile(r"^the consent is withdrawn already$"), "Die Einwilligung ist schon widerrufen."),
    (re.compile(r"^the case is (already )?closed.*"), "Der Fall ist abgeschlossen."),
    (re.compile(r"^another client has this case number$"),
     "Diese Fallnummer ist schon vergeben."),
    (re.compile(r"^a partner with this name exists already.*"),
     "Ein Partner mit diesem Namen existiert schon."),
    (re.compile(r"^is listed twice$"), "Ist doppelt angegeben."),
    (re.compile(r"^is wrong$"), "Ist falsch."),
    (re.compile(r"^is not an email address$"), "Ist keine gültige E-Mail-Adresse."),
    (re.compile(r"^a user with this email address already exists$"),
     "Für diese E-Mail-Adresse gibt es schon ein Konto."),
    (re.compile(r"^must be at least (\d+) characters.*"), r"Mindestens \1 Zeichen."),
    (re.compile(r"^must be at most (\d+) characters long$"), r"Höchstens \1 Zeichen."),
    (re.compile(r"^is one of the most common passwords.*"),
     "Dieses Passwort ist zu verbreitet; bitte ein anderes wählen."),
    (re.compile(r"^uses too few different characters$"),
     "Enthält zu wenige verschiedene Zeichen."),
    (re.compile(r"^must not contain your email address$"),
     "Darf die E-Mail-Adresse nicht enthalten."),
    (re.compile(r"^must have at most (\d+) entries$"), r"Höchstens \1 Einträge."),
    (re.compile(r"^A decline needs a reason code.*"), "Bitte einen Ablehnungsgrund wählen."),
    (re.compile(r"^A decline for another reason .*"), "Bitte den Grund in Worten angeben."),
    (re.compile(r"^Moving a referral to \S+ needs a reason\.$"), "Bitte einen Grund angeben."),
    (re.compile(r"^Completing a referral needs an outcome.*"),
     "Bitte angeben, ob das Hindernis behoben ist."),
    (re.compile(r"^The reason is too long.*"), "Der Grund ist zu lang (höchstens 2000 Zeichen)."),
    (re.compile(r"^.* does not list \S+ barriers; give an override_reason.*"),
     "Dieser Partner bietet diese Hilfe nicht an: Bitte begründen, warum er trotzdem passt."),
    (re.compile(r"^the client's consent does not cover partners of kind.*"),
     "Die Einwilligung deckt diese Art von Partner nicht ab: Bitte zuerst die Einwilligung"
     " erfassen."),
    (re.compile(r"^.* is inactive and takes no referrals$"),
     "Dieser Partner ist inaktiv und nimmt keine Vermittlungen an."),
    (re.compile(r"^referral \d+ of this barrier to this partner is still open$"),
     "Dieses Hindernis ist an diesen Partner schon vermittelt (noch offen)."),
    (re.compile(r"^the barrier is \S+; reopen it before referring it$"),
     "Das Hindernis ist erledigt: Bitte erst wieder öffnen."),
    (re.compile(r"^the client's case is closed: nothing is referred$"),
     "Der Fall ist abgeschlossen: Es wird nichts mehr vermittelt."),
    (re.compile(r"^there is no partner \d+$"), "Diesen Partner gibt es nicht."),
    (re.compile(r"^user \d+ is not an active coordinator$"),
     "Ist keine aktive Koordinatorin bzw. kein aktiver Koordinator."),
    (re.compile(r"^already owns this referral$"), "Betreut diese Vermittlung schon."),
    (re.compile(r"^is this referral's own partner.*"),
     "Das ist der bisherige Partner: Bitte einen anderen wählen."),
    (re.compile(r"^the barrier was removed, so there is nothing to hand off.*"),
     "Das Hindernis ist behoben, es gibt nichts zu übergeben: Bitte die Vermittlung"
     " abschließen."),
    (re.compile(r"^A handoff closes the referral as .*"),
     "Eine Übergabe schließt die Vermittlung als „abgelehnt“ oder „abgeschlossen“."),
    (re.compile(r"^Only a decline takes a reason code.*"),
     "Ein Ablehnungsgrund gehört nur zu einer Ablehnung."),
    (re.compile(r"^Only completing a referral takes an outcome.*"),
     "Ein Ergebnis gehört nur zum Abschließen."),
    (re.compile(r"^A referral cannot go from .*|^The referral is \S+ and therefore closed.*"),
     "Dieser Statuswechsel ist im jetzigen Stand der Vermittlung nicht möglich."),
    (re.compile(r"^The \S+ may not move a referral .*"),
     "Diesen Schritt macht nur der Partner oder das System, nicht die Koordination."),
    (re.compile(r"^a referral is created as draft or sent$"),
     "Bitte „senden“ oder „als Entwurf speichern“ wählen."),
    (re.compile(r"^an enrolled case cannot go back.*"),
     "Ein aufgenommener Fall kann nicht zurück zur Erstberatung."),
]


def german(text: str) -> str:
    """The German wording of a service's rule message; unknown ones stay as they are."""
    for pattern, german in _MESSAGES:
        if pattern.match(text):
            return pattern.sub(german, text)
    return text
