"""Refusal codes of the referrals area: {code: (English for the API, German for pages)}.

English and German name the same placeholders (tests/test_words.py); `allowed`, the list of
English codes, is the API's only."""

REFUSALS: dict[str, tuple[str, str]] = {
    # the lifecycle (network.referrals.lifecycle.decide)
    "referral.status_unknown": (
        "'{status}' is not a referral status; use one of {allowed}.",
        "„{status}“ ist kein Schritt dieser Vermittlung: Bitte einen der angebotenen wählen."),
    "referral.party_unknown": (
        "'{party}' is not an actor; use one of {allowed}.",
        "„{party}“ ist bei einer Vermittlung keine Rolle."),
    "referral.already": (
        "The referral is already {status}.",
        "Die Vermittlung hat diesen Stand ({status}) schon."),
    "referral.closed": (
        "The referral is {status} and therefore closed; it cannot change any more.",
        "Die Vermittlung ist abgeschlossen ({status}) und ändert sich nicht mehr."),
    "referral.no_such_transition": (
        "A referral cannot go from {current} to {target}; from {current} it can go to "
        "{targets}.",
        "Dieser Statuswechsel ({current} → {target}) ist im jetzigen Stand der Vermittlung "
        "nicht möglich; möglich: {targets}."),
    "referral.not_permitted": (
        "The {party} may not move a referral from {current} to {target}; only {parties} may.",
        "Diesen Schritt macht nur der Partner oder das System, nicht die Koordination "
        "({current} → {target}: nur {parties}, nicht {party})."),
    "referral.handoff_closing": (
        "A handoff closes the referral as {allowed}, not as {target}.",
        "Eine Übergabe schließt die Vermittlung als „abgelehnt“ oder „abgeschlossen“, nicht "
        "als {target}."),
    "referral.handoff_party": (
        "Only the {allowed} may hand a referral to another partner.",
        "Nur die Koordination oder der Partner kann an einen anderen Partner übergeben."),
    "referral.reason_too_long": (
        "The reason is too long ({length} characters); at most {max} are allowed.",
        "Der Grund ist zu lang ({length} Zeichen; höchstens {max})."),
    "referral.decline_reason_missing": (
        "A decline needs a reason code: one of {allowed}.",
        "Bitte einen Ablehnungsgrund wählen."),
    "referral.decline_reason_unknown": (
        "'{reason_code}' is not a decline reason; use one of {allowed}.",
        "„{reason_code}“ ist kein Ablehnungsgrund: Bitte einen der angebotenen wählen."),
    "referral.decline_reason_words": (
        "A decline for another reason ('other') needs the reason in words.",
        "Bitte den Grund in Worten angeben."),
    "referral.reason_code_not_for": (
        "Only a decline takes a reason code, not a change to {target}; give the reason in "
        "reason_text instead.",
        "Ein Ablehnungsgrund gehört nur zu einer Ablehnung, nicht zu „{target}“."),
    "referral.reason_missing": (
        "Moving a referral to {target} needs a reason.",
        "Bitte einen Grund angeben (nötig für „{target}“)."),
    "referral.outcome_missing": (
        "Completing a referral needs an outcome (was the barrier removed?): one of {allowed}.",
        "Bitte angeben, ob das Hindernis behoben ist."),
    "referral.outcome_unknown": (
        "'{outcome}' is not an outcome; use one of {allowed}.",
        "„{outcome}“ ist kein Ergebnis: Bitte angeben, ob das Hindernis behoben ist."),
    "referral.outcome_not_for": (
        "Only completing a referral takes an outcome, not a change to {target}.",
        "Ein Ergebnis gehört nur zum Abschließen, nicht zu „{target}“."),
    # creating a referral
    "referral.required": ("is required", "Bitte ausfüllen."),
    "referral.true_or_false": ("must be true or false", "Bitte ja oder nein wählen."),
    "referral.creatable": (
        "a referral is created as draft or sent",
        "Bitte „senden“ oder „als Entwurf speichern“ wählen."),
    "referral.idempotency_key_reused": (
        "was used before for another referral ({referral_id}); use a new key",
        "Dieses Formular wurde schon für eine andere Vermittlung ({referral_id}) abgeschickt. "
        "Bitte die Seite neu laden."),
    "referral.idempotency_key_length": (
        "must be 1 to {max} characters",
        "Muss 1 bis {max} Zeichen lang sein."),
    "referral.no_barrier": (
        "there is no barrier {barrier_id}",
        "Das Hindernis {barrier_id} gibt es nicht."),
    "referral.case_closed": (
        "the client's case is closed: nothing is referred",
        "Der Fall ist abgeschlossen: Es wird nichts mehr vermittelt."),
    "referral.barrier_finished": (
        "the barrier is {status}; reopen it before referring it",
        "Das Hindernis ist erledigt ({status}): Bitte erst wieder öffnen."),
    "referral.no_partner": (
        "there is no partner {partner_id}",
        "Den Partner {partner_id} gibt es nicht."),
    "referral.partner_inactive": (
        "{name} is inactive and takes no referrals",
        "{name} ist inaktiv und nimmt keine Vermittlungen an."),
    "referral.consent_missing": (
        "the client's consent does not cover partners of kind {kind}; record a consent first",
        "Die Einwilligung deckt diese Art von Partner ({kind}) nicht ab: Bitte zuerst die "
        "Einwilligung erfassen."),
    "referral.kind_not_listed": (
        "{name} does not list {kind} barriers; give an override_reason to refer anyway",
        "{name} bietet diese Hilfe nicht an ({kind}): Bitte begründen, warum der Partner "
        "trotzdem passt."),
    "referral.not_coordinator": (
        "user {user_id} is not an active coordinator of the client's legal circle",
        "Die Person {user_id} ist keine aktive Koordinatorin bzw. kein aktiver Koordinator"
        " im Rechtskreis des Falls."),
    "referral.still_open": (
        "referral {referral_id} of this barrier to this partner is still open",
        "Dieses Hindernis ist an diesen Partner schon vermittelt (Vermittlung {referral_id}, "
        "noch offen)."),
    # changing one
    "referral.case_closed_meanwhile": (
        "The client's case has been closed in the meantime: this referral can no longer "
        "change; it can only be cancelled.",
        "Der Fall wurde inzwischen abgeschlossen: Diese Vermittlung kann nicht mehr geändert, "
        "nur noch zurückgezogen werden. Es wurde nichts gespeichert."),
    "referral.stale": (
        "The referral changed in the meantime (you saw version {expected}, it is now "
        "{version} and {status}); look at it again before changing it.",
        "Die Vermittlung wurde inzwischen geändert (Version {expected} → {version}, Stand "
        "{status}). Bitte den aktuellen Stand prüfen."),
    "referral.handoff_not_open": (
        "The referral is already {status}; only an open referral can be handed off.",
        "Die Vermittlung ist schon abgeschlossen ({status}); nur eine offene kann übergeben "
        "werden."),
    "referral.barrier_removed": (
        "the barrier was removed, so there is nothing to hand off; complete the referral "
        "instead",
        "Das Hindernis ist behoben, es gibt nichts zu übergeben: Bitte die Vermittlung"
        " abschließen."),
    "referral.own_partner": (
        "is this referral's own partner; hand off to another one",
        "Das ist der bisherige Partner: Bitte einen anderen wählen."),
    "referral.keeps_coordinator": (
        "The referral is {status} and therefore closed; it keeps its coordinator.",
        "Die Vermittlung ist abgeschlossen ({status}) und behält ihre Koordination."),
    "referral.owns_already": ("already owns this referral", "Betreut diese Vermittlung schon."),
    "referral.handoff_target": (
        "give either to_partner_id (another partner) or to_coordinator_id (another "
        "coordinator)",
        "Bitte einen Partner oder eine Person wählen."),
    "referral.closing_status_missing": (
        "a handoff to another partner closes this referral: give declined or completed",
        "Bitte wählen, wie die Vermittlung endet."),
    "referral.not_partners": (
        "the referral is not this partner's",
        "Diese Anfrage ist nicht (mehr) Ihre."),
    "referral.step_unknown": (
        "is not a step of this referral",
        "Bitte einen der angebotenen Schritte wählen."),
    # the partner's link page
    "referral.handoff_impossible": (
        "a handoff is not possible now",
        "Das ist so nicht möglich; es wurde nichts geändert."),
    "referral.not_an_action": (
        "is not an action of this page",
        "Das ist so nicht möglich; es wurde nichts geändert."),
    "referral.message_too_long": (
        "must be at most {max} characters",
        "Höchstens {max} Zeichen."),
}
