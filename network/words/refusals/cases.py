"""Refusal codes of the cases area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    # values (shared with the partners area; "not_a_list" is the common area's)
    "not_boolean": ("must be true or false", "Bitte ja oder nein angeben."),
    "too_many_entries": ("must have at most {max} entries", "Höchstens {max} Einträge."),
    "listed_twice": ("is listed twice", "Ist doppelt angegeben."),
    "in_future": ("cannot lie in the future", "Darf nicht in der Zukunft liegen."),
    # clients
    "not_a_municipality": ("must be one of the district's municipalities: {allowed}",
                           "Bitte eine Gemeinde des Kreises Heinsberg wählen."),
    "not_a_client_field": ("is not a field of a client", "Ist keine Angabe zu einem Fall."),
    "not_a_language_skill": ("must be a language with a level",
                             "Bitte eine Sprache mit ihrem Niveau angeben."),
    "enrolled_stays_enrolled": (
        "an enrolled case cannot go back to a first consultation",
        "Ein aufgenommener Fall kann nicht zurück zur Erstberatung."),
    "enrolment_needs_reason": (
        "the country of origin has no good prospects of staying: enrolling needs a reason",
        "Das Herkunftsland hat keine gute Bleibeperspektive: Für die Aufnahme ins Programm"
        " ist eine Begründung nötig."),
    "not_a_coordinator_id": ("is not the user id of an active coordinator of the case's legal"
                             " circle",
                             "Ist keine aktive Koordinatorin bzw. kein aktiver Koordinator"
                             " im Rechtskreis des Falls."),
    "not_own_circle": (
        "you work on clients of your own legal circle ({circle}) only: a client of the other"
        " circle is opened by its coordinators, or handed over",
        "Sie betreuen nur Kundschaft Ihres Rechtskreises ({circle}): Fälle des anderen"
        " Rechtskreises legen die Kolleginnen und Kollegen dort an, oder sie werden"
        " übergeben."),
    "cases_for_coordinators": ("only coordinators work on cases",
                               "Nur Koordinatorinnen und Koordinatoren bearbeiten Fälle."),
    "handover_pending": (
        "a handover of this client to the other legal circle is pending already"
        " (handover {handover_id})",
        "Eine Übergabe an den anderen Rechtskreis wartet schon auf Antwort (Übergabe"
        " {handover_id})."),
    "handover_decided": ("the handover is {status} already: nothing more to decide",
                         "Über diese Übergabe ist schon entschieden ({status})."),
    "handover_receiving_side": (
        "only a coordinator of the receiving legal circle accepts or declines a handover",
        "Annehmen oder ablehnen kann nur der aufnehmende Rechtskreis."),
    "handover_sending_side": (
        "only a coordinator of the sending legal circle withdraws a handover",
        "Zurücknehmen kann nur der abgebende Rechtskreis."),
    "circle_changes_by_handover": (
        "the legal circle changes only by a handover that the other circle accepts",
        "Der Rechtskreis ändert sich nur durch eine Übergabe, die der andere Rechtskreis"
        " annimmt."),
    "case_number_taken": ("another client has this case number",
                          "Diese Fallnummer ist schon vergeben."),
    "client_pseudonymised": ("the client has been pseudonymised and cannot change",
                             "Die Daten dieses Falls sind pseudonymisiert und bleiben so."),
    "case_closed": ("the case is closed", "Der Fall ist abgeschlossen."),
    "case_closed_already": ("the case is already closed", "Der Fall ist abgeschlossen."),
    "case_closed_barriers_fixed": ("the case is closed: its barriers cannot change",
                                   "Der Fall ist abgeschlossen."),
    "closing_needs_outcome": ("closing a case needs an outcome",
                              "Bitte das Ergebnis des Falls wählen."),
    "barriers_unfinished": (
        "{count} barrier(s) still open or in progress: resolve them or mark them unresolvable"
        " with a reason before closing",
        "{count} Hindernis(se) noch offen oder in Bearbeitung: erst beheben oder mit"
        " Begründung als nicht lösbar markieren."),
    "only_closed_pseudonymised": (
        "only a closed case is pseudonymised; erase an open one on request",
        "Nur ein abgeschlossener Fall wird pseudonymisiert; ein offener wird auf Antrag"
        " gelöscht."),
    # potential analysis
    "not_a_qualification": ("must be a qualification", "Bitte einen Abschluss angeben."),
    # consent
    "no_partner_kind": ("must name at least one partner kind",
                        "Bitte mindestens eine Art von Partner wählen."),
    "consent_withdrawn_already": ("the consent is withdrawn already",
                                  "Die Einwilligung ist schon widerrufen."),
    "withdrawn_before_given": ("cannot lie before the consent was given",
                               "Darf nicht vor der Einwilligung liegen."),
    "consent_of_other_case": ("this consent belongs to another case",
                              "Diese Einwilligung gehört nicht zu diesem Fall."),
    # barriers
    "not_changeable_here": ("cannot be changed here", "Lässt sich hier nicht ändern."),
    # The page offers only the possible changes, so the codes rarely reach a German reader.
    "barrier_transition": ("a barrier cannot go from {current} to {target}",
                           "Dieser Statuswechsel ist nicht möglich ({current} → {target})."),
    "unresolvable_needs_reason": ("an unresolvable barrier needs a reason",
                                  "Bitte begründen, warum das Hindernis nicht lösbar ist."),
    "barrier_of_other_case": ("this barrier belongs to another case",
                              "Dieses Hindernis gehört nicht zu diesem Fall."),
    # data requests (network.cases.data_requests)
    "client_data_removed": (
        "the client's personal data have been pseudonymised or erased: no data report can be"
        " produced any more (that earlier requests were answered stays recorded)",
        "Die personenbezogenen Daten wurden pseudonymisiert oder gelöscht: Eine Auskunft kann"
        " nicht mehr erstellt werden (dass frühere Ersuchen beantwortet wurden, bleibt"
        " vermerkt)."),
    "data_request_for_coordinators": (
        "data requests are answered by the coordinators of the client's legal circle",
        "Auskunftsersuchen beantworten die Koordinatorinnen und Koordinatoren des"
        " Rechtskreises."),
}
