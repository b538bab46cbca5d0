"""German words for the referral vocabularies, for emails and the partner pages (the services
and the API keep their English codes)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from network.referrals.lifecycle import DeclineReason, Outcome, Status

BERLIN = ZoneInfo("Europe/Berlin")

STATUSES = {
    Status.DRAFT: "Entwurf", Status.SENT: "gesendet, wartet auf Antwort",
    Status.ACCEPTED: "angenommen", Status.DECLINED: "abgelehnt",
    Status.IN_PROGRESS: "in Bearbeitung", Status.ON_HOLD: "pausiert",
    Status.COMPLETED: "abgeschlossen", Status.FAILED: "gescheitert",
    Status.CANCELLED: "zurückgezogen", Status.EXPIRED: "ohne Antwort abgelaufen",
}
DECLINE_REASONS = {
    DeclineReason.NO_CAPACITY: "Keine freien Plätze / keine Kapazität",
    DeclineReason.NOT_ELIGIBLE: "Voraussetzungen nicht erfüllt",
    DeclineReason.NOT_OUR_SERVICE: "Gehört nicht zu unserem Angebot",
    DeclineReason.CLIENT_UNREACHABLE: "Person nicht erreichbar",
    DeclineReason.OTHER: "Anderer Grund",
}
OUTCOMES = {Outcome.YES: "Ja, das Hindernis ist behoben",
            Outcome.PARTLY: "Teilweise", Outcome.NO: "Nein"}


def day(moment: datetime) -> str:
    """A date as Germans write it, in Berlin: 26.11.2026."""
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y")


def moment(value: datetime) -> str:
    return value.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M Uhr")
