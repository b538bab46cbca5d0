"""Refusal codes of the pages' own form checks (what a form lacks before any service sees it):
{code: (English, German)}. The pages show the German."""

REFUSALS: dict[str, tuple[str, str]] = {
    "page.choose_role": ("choose a role", "Bitte eine Rolle wählen."),
    "page.choose_legal_circle": ("choose a legal circle", "Bitte einen Rechtskreis wählen."),
    "page.date_format": ("must be a date (DD.MM.YYYY)",
                         "Bitte ein gültiges Datum eingeben (TT.MM.JJJJ)."),
    "page.whole_number": ("must be a whole number", "Bitte eine ganze Zahl eingeben."),
    "page.choose_partner": ("choose a partner", "Bitte einen Partner wählen."),
    "page.send_or_draft": ("choose send or save as draft",
                           "Bitte „senden“ oder „als Entwurf speichern“ wählen."),
    "page.form_used": ("this form was sent for another referral already; reload the page",
                       "Dieses Formular wurde schon für eine andere Vermittlung abgeschickt."
                       " Bitte die Seite neu laden."),
    "page.incomplete": ("the page is incomplete; reload it",
                        "Die Seite ist unvollständig. Bitte neu laden."),
    "page.choose_person": ("choose a person", "Bitte eine Person wählen."),
    "page.time_format": ("must be a time like 09:30", "Bitte eine Uhrzeit wie 09:30 eingeben."),
    "page.reminder_gone": ("the reminder is no longer planned; check the list",
                           "Diese Erinnerung ist nicht mehr geplant; bitte die Liste prüfen."),
    "page.passwords_differ": ("the two new passwords differ",
                              "Die beiden neuen Passwörter stimmen nicht überein."),
    "page.too_many_attempts": ("too many failed attempts; try again later",
                               "Zu viele Fehlversuche. Bitte später erneut."),
}
