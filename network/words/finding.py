"""Words of finding people and of who is responsible for a case (issue 15): the client
list's views, the duplicate warning at intake, the case page's section."""

CLIENT_VIEWS = {"mine": "Meine Fälle", "all": "Alle Fälle im Rechtskreis"}
DEFAULT_VIEW = "mine"

DUPLICATE_HEADING = "Diese Person gibt es vielleicht schon"
DUPLICATE_TEXT = ("Im Rechtskreis gibt es schon einen Fall mit ähnlichem Namen und demselben"
                  " Geburtsdatum. Bitte prüfen Sie, ob es dieselbe Person ist, bevor Sie einen"
                  " zweiten Fall öffnen.")
DUPLICATE_CONFIRM = ("Es ist eine andere Person (oder ein weiterer Fall ist nötig): trotzdem"
                     " neu aufnehmen")

RESPONSIBLE = "Zuständig"
NOBODY = "niemand eingetragen"
HAND_OVER = "An Kollegin bzw. Kollegen übergeben"
HAND_OVER_HINT = ("Für Urlaub oder Vertretung: Zuständig wird eine Koordinatorin bzw. ein"
                  " Koordinator Ihres Rechtskreises; offene Vermittlungen gehen mit.")
NO_COLLEAGUE = "Im Rechtskreis gibt es keine weitere aktive Koordination."

# The case history's word for the event (case_events.event = 'handed_over').
CASE_EVENTS = {"handed_over": "Fall an Kollegin bzw. Kollegen übergeben"}
