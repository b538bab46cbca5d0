"""Refusal codes of the reports area: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "month_format": ("must be a month like 2026-10", "Bitte einen Monat wie 2026-10 angeben."),
    "month_in_future": ("{month} has not begun: a report covers this month or an earlier one",
                        "{month} hat noch nicht begonnen. Berichte gibt es für den laufenden"
                        " Monat (vorläufig) und frühere Monate."),
    "month_not_over": ("{month} is not over: only a finished month is issued to the committee",
                       "{month} ist noch nicht zu Ende. Versandt wird nur der Bericht eines"
                       " abgeschlossenen Monats; bis dahin ist er vorläufig."),
}
