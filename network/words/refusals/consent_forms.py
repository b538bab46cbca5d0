"""Refusal codes of the signed consent forms (network.cases.consent_forms)."""

REFUSALS: dict[str, tuple[str, str]] = {
    "consent_form_too_large": ("the file may be at most {limit} bytes",
                               "Die Datei darf höchstens {limit} Bytes groß sein."),
    "consent_form_type": ("only a PDF, PNG or JPEG file is accepted (by its content)",
                          "Nur PDF-, PNG- oder JPEG-Dateien (nach Inhalt geprüft)."),
    "consent_form_missing": ("no signed form is attached to this consent",
                             "Zu dieser Einwilligung ist kein unterschriebenes Formular"
                             " hinterlegt."),
}
