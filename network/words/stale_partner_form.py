"""What a partner's page says when its form met a referral changed meanwhile (issue 15): the
form comes back with what the partner typed, so nothing typed is lost."""

CHANGED_KEPT = ("Die Anfrage wurde inzwischen geändert; oben steht der aktuelle Stand. Gespeichert"
                " wurde nichts. Ihre Eingaben sind erhalten: Bitte prüfen Sie sie und senden Sie"
                " sie erneut.")
KEPT_HEADING = "Ihre Eingaben (nicht gespeichert)"
KEPT_HINT = ("Dieser Schritt ist beim aktuellen Stand nicht mehr möglich. Ihren Text können Sie"
             " hier kopieren, zum Beispiel für eine Nachricht an die Koordination.")
KEPT_LABELS = {"reason_text": "Grund", "note": "Anmerkung", "message": "Nachricht"}


def kept_texts(values: dict[str, str]) -> dict[str, str]:
    """The free texts a partner typed into a form, by their label."""
    return {label: values[name].strip() for name, label in KEPT_LABELS.items()
            if values.get(name, "").strip()}
