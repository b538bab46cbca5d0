"""Refusal codes of the partners area: {code: (English for the API, German for pages)}.
(The value codes not_boolean and too_many_entries are the cases area's, not_a_list the
common area's.)"""

REFUSALS: dict[str, tuple[str, str]] = {
    "not_a_partner_field": ("is not a field of a partner", "Ist keine Angabe zu einem Partner."),
    "not_a_contact_person": ("must be a contact person",
                             "Bitte eine Ansprechperson angeben."),
    "partner_name_taken": ("a partner with this name exists already (id {id})",
                           "Ein Partner mit diesem Namen existiert schon (Nr. {id})."),
    "not_an_own_entry": ("must be the partner's own entry", "Bitte den Eintrag angeben."),
    "entry.not_your_partner": (
        "only the partner itself or a coordinator may keep this entry",
        "Diesen Eintrag kann nur der Partner selbst oder eine Koordinatorin ändern."),
    "pause.in_the_past": ("a pause must end today or later",
                          "Das Ende der Pause darf nicht in der Vergangenheit liegen."),
    "pause.too_long": ("a pause may end at the latest on {latest}",
                       "Eine Pause kann höchstens bis zum {latest} dauern."),
    "pause.not_a_date": ("must be a date (YYYY-MM-DD)", "Bitte ein Datum angeben."),
}
