"""Refusal codes of the partners area: {code: (English for the API, German for pages)}.
(The value codes not_boolean and too_many_entries are the cases area's, not_a_list the
common area's.)"""

REFUSALS: dict[str, tuple[str, str]] = {
    "not_a_partner_field": ("is not a field of a partner", "Ist keine Angabe zu einem Partner."),
    "not_a_contact_person": ("must be a contact person",
                             "Bitte eine Ansprechperson angeben."),
    "partner_name_taken": ("a partner with this name exists already (id {id})",
                           "Ein Partner mit diesem Namen existiert schon (Nr. {id})."),
}
