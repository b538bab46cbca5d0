"""Refusal codes of the accounts area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "not_an_email": ("is not an email address", "Ist keine gültige E-Mail-Adresse."),
    "length_between": ("must be {min} to {max} characters", "{min} bis {max} Zeichen."),
    "password_too_short": ("must be at least {min} characters long", "Mindestens {min} Zeichen."),
    "password_too_long": ("must be at most {max} characters long", "Höchstens {max} Zeichen."),
    "password_common": ("is one of the most common passwords; choose another",
                        "Dieses Passwort ist zu verbreitet; bitte ein anderes wählen."),
    "password_monotonous": ("uses too few different characters",
                            "Enthält zu wenige verschiedene Zeichen."),
    "password_contains_email": ("must not contain your email address",
                                "Darf die E-Mail-Adresse nicht enthalten."),
    "password_wrong": ("is wrong", "Ist falsch."),
    "email_taken": ("a user with this email address already exists",
                    "Für diese E-Mail-Adresse gibt es schon ein Konto."),
    "last_admin": ("the last active administrator cannot be demoted or deactivated",
                   "Das letzte aktive Administrationskonto kann weder herabgestuft noch"
                   " deaktiviert werden."),
}
