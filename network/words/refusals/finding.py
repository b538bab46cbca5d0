"""Refusal codes of finding people and of who is responsible for a case (issue 15):
{code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "possible_duplicate": (
        "a client with a similar name and the same birth date has a case already (clients"
        " {client_ids}): confirm to open another one",
        "Es gibt schon einen Fall mit ähnlichem Namen und demselben Geburtsdatum (Fall"
        " {client_ids}). Bitte prüfen Sie ihn; einen weiteren Fall öffnen Sie nur mit"
        " Bestätigung."),
    "responsible_already": ("is responsible for this case already",
                            "Ist für diesen Fall schon zuständig."),
}
