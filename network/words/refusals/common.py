"""Refusal codes of the common area (the checks of single input values in `network.fields`
and the paging bounds): {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "required": ("is required", "Bitte ausfüllen."),
    # The database's own constraints, a safety net behind the services' checks
    # (network/transactions.py).
    "not_allowed": ("is not an allowed value", "Dieser Wert ist nicht erlaubt."),
    "taken": ("is already taken", "Ist schon vergeben."),
    "does_not_exist": ("does not exist", "Gibt es nicht."),
    "value_too_long": ("a value is too long", "Eine Angabe ist zu lang."),
    "must_not_be_empty": ("must not be empty", "Bitte ausfüllen."),
    "not_text": ("must be text", "Bitte einen Text eingeben."),
    "too_long": ("must be at most {max} characters", "Höchstens {max} Zeichen."),
    "contains_nul": ("must not contain NUL characters", "Enthält ein unzulässiges Zeichen."),
    "not_unicode": ("must be valid Unicode text", "Enthält ungültige Zeichen."),
    "invalid_format": ("is not valid (expected something like {example})",
                       "Ungültige Angabe (erwartet z. B. {example})."),
    # {allowed} lists the English codes: for API clients, not for the German page.
    "not_one_of": ("must be one of {allowed}", "Bitte einen der angebotenen Werte wählen."),
    "not_a_list": ("must be a list", "Bitte eine Liste angeben."),
    "whole_number": ("must be a whole number", "Bitte eine ganze Zahl eingeben."),
    "between": ("must be between {low} and {high}", "Muss zwischen {low} und {high} liegen."),
    "not_a_date": ("must be a date", "Bitte ein gültiges Datum eingeben."),
    "not_a_moment": ("must be a time with a time zone",
                     "Bitte einen Zeitpunkt mit Zeitzone angeben."),
    "out_of_range": ("is out of range", "Liegt außerhalb des möglichen Bereichs."),
    "years_between": ("must lie between {low} and {high}",
                      "Muss zwischen {low} und {high} liegen."),
}
