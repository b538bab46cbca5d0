"""Refusal codes of the reminders and mail area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "mail_not_failed": ("only a failed email can be sent again",
                        "Nur eine fehlgeschlagene E-Mail kann erneut gesendet werden."),
    "reminder_reason_required": ("is required", "Bitte einen Grund angeben."),
    "reminder_not_pending": (
        "the reminder is {status}; only a pending one can be snoozed or skipped",
        "Diese Erinnerung ist nicht mehr geplant ({status}): Nur eine geplante kann verschoben"
        " oder ausgelassen werden."),
    "reminder_until_without_zone": (
        "needs a time zone (e.g. 2026-12-01T09:00:00+01:00)",
        "Braucht eine Zeitzone (z. B. 2026-12-01T09:00:00+01:00)."),
    "reminder_until_not_future": ("must be in the future", "Muss in der Zukunft liegen."),
    "reminder_until_too_far": ("must be within a year", "Höchstens ein Jahr im Voraus."),
    "reminder_rule_out_of_range": ("must be between {low} and {high}",
                                   "Muss zwischen {low} und {high} liegen."),
    "reminder_rule_unknown_kind": ("is not a kind of partner", "Keine Art von Partner."),
}
