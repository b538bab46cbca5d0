"""Refusal codes of editing a case in the browser (issue 15): {code: (English, German)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "client_changed_meanwhile": (
        "the client's data changed since the form was opened: check them and save again",
        "Die Angaben wurden inzwischen geändert (siehe Verlauf). Bitte prüfen Sie Ihre"
        " Eingaben und speichern Sie erneut."),
}
