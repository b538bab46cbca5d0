"""German names for the closed vocabularies and for the service's English rule messages, so
every page speaks German while the services and the API keep their English codes."""

from __future__ import annotations

from network.accounts.access import Role
from network.cases.values import (
    BarrierKind,
    BarrierStatus,
    CaseKind,
    CaseStatus,
    Gender,
    LegalCircle,
    Outcome,
    QualificationKind,
    ResidenceStatus,
)
from network.partners.kinds import PartnerKind
from network.referrals import wording
from network.referrals.lifecycle import Outcome as ReferralOutcome
from network.referrals.lifecycle import Status
from network.words.refusals import legacy

BARRIER_KINDS = {
    BarrierKind.LANGUAGE: "Sprache", BarrierKind.QUALIFICATION_RECOGNITION: "Berufsanerkennung",
    BarrierKind.RESIDENCE_LEGAL: "Aufenthaltsrecht", BarrierKind.HEALTH: "Gesundheit",
    BarrierKind.CHILDCARE: "Kinderbetreuung", BarrierKind.HOUSING: "Wohnen",
    BarrierKind.SCHOOL: "Schule", BarrierKind.VOCATIONAL_TRAINING: "Ausbildung",
    BarrierKind.UNIVERSITY: "Studium", BarrierKind.DOCUMENTS: "Dokumente",
    BarrierKind.FINANCIAL: "Finanzen", BarrierKind.MOBILITY: "Mobilität",
    BarrierKind.OTHER: "Sonstiges",
}
BARRIER_STATUSES = {
    BarrierStatus.OPEN: "offen", BarrierStatus.IN_PROGRESS: "in Bearbeitung",
    BarrierStatus.RESOLVED: "behoben", BarrierStatus.UNRESOLVABLE: "nicht lösbar",
}
CASE_KINDS = {CaseKind.FIRST_CONSULTATION: "Erstberatung",
              CaseKind.ENROLLED: "Im Programm aufgenommen"}
CASE_STATUSES = {CaseStatus.OPEN: "offen", CaseStatus.CLOSED: "abgeschlossen"}
OUTCOMES = {
    Outcome.EMPLOYMENT: "Arbeitsaufnahme", Outcome.VOCATIONAL_TRAINING: "Ausbildung",
    Outcome.SCHOOL: "Schule", Outcome.UNIVERSITY: "Studium", Outcome.MOVED_AWAY: "Verzogen",
    Outcome.NO_LONGER_ELIGIBLE: "Kein Anspruch mehr", Outcome.OTHER: "Sonstiges",
}
GENDERS = {Gender.FEMALE: "weiblich", Gender.MALE: "männlich", Gender.DIVERSE: "divers",
           Gender.UNSPECIFIED: "keine Angabe"}
RESIDENCE_STATUSES = {
    ResidenceStatus.PERMISSION_TO_RESIDE: "Aufenthaltsgestattung",
    ResidenceStatus.RESIDENCE_PERMIT: "Aufenthaltserlaubnis",
    ResidenceStatus.TOLERATION: "Duldung",
    ResidenceStatus.SETTLEMENT_PERMIT: "Niederlassungserlaubnis",
    ResidenceStatus.OTHER: "Sonstiges",
}
LEGAL_CIRCLES = {LegalCircle.SGB2: "SGB II (Jobcenter)",
                 LegalCircle.SGB3: "SGB III (Agentur für Arbeit)"}
QUALIFICATION_KINDS = {QualificationKind.SCHOOL: "Schulabschluss",
                       QualificationKind.VOCATIONAL: "Berufsabschluss",
                       QualificationKind.ACADEMIC: "Hochschulabschluss"}
ROLES = {Role.ADMIN: "Administration", Role.COORDINATOR: "Koordination",
         Role.VIEWER: "Nur Berichte"}
PARTNER_KINDS = {
    PartnerKind.BAMF: "BAMF", PartnerKind.IMMIGRATION_OFFICE: "Ausländerbehörde",
    PartnerKind.YOUTH_OFFICE: "Jugendamt", PartnerKind.SOCIAL_OFFICE: "Sozialamt",
    PartnerKind.SCHOOL: "Schule", PartnerKind.HEALTH_OFFICE: "Gesundheitsamt",
    PartnerKind.MUNICIPAL_INTEGRATION_CENTRE: "Kommunales Integrationszentrum",
    PartnerKind.INTEGRATION_OFFICER: "Integrationsbeauftragte",
    PartnerKind.VOLUNTEER_GROUP: "Ehrenamtliche", PartnerKind.ASSOCIATION: "Verein/Verband",
    PartnerKind.COURSE_PROVIDER: "Sprach- und Integrationskurse",
    PartnerKind.RECOGNITION_ADVICE: "Anerkennungsberatung",
    PartnerKind.CLOTHING_STORE: "Kleiderkammer", PartnerKind.FURNITURE_PROVIDER: "Möbellager",
    PartnerKind.OTHER: "Sonstige",
}
# The countries of origin offered in the intake form (ISO 3166-1 alpha-2).
COUNTRIES = {
    "AF": "Afghanistan", "AL": "Albanien", "AM": "Armenien", "AZ": "Aserbaidschan",
    "DZ": "Algerien", "EG": "Ägypten", "ER": "Eritrea", "ET": "Äthiopien", "GE": "Georgien",
    "GN": "Guinea", "IQ": "Irak", "IR": "Iran", "LB": "Libanon", "LY": "Libyen",
    "MA": "Marokko", "NG": "Nigeria", "PK": "Pakistan", "PS": "Palästinensische Gebiete",
    "RU": "Russland", "SO": "Somalia", "SD": "Sudan", "SY": "Syrien", "TN": "Tunesien",
    "TR": "Türkei", "UA": "Ukraine", "VE": "Venezuela", "YE": "Jemen", "XK": "Kosovo",
}
# Languages offered in forms (ISO 639-1, or 639-3 where there is no two-letter code).
LANGUAGES = {
    "de": "Deutsch", "en": "Englisch", "ar": "Arabisch", "fa": "Persisch (Farsi/Dari)",
    "ti": "Tigrinya", "ku": "Kurdisch", "ps": "Paschtu", "tr": "Türkisch", "so": "Somali",
    "ru": "Russisch", "uk": "Ukrainisch", "fr": "Französisch", "am": "Amharisch",
    "ur": "Urdu", "sq": "Albanisch", "es": "Spanisch",
}
# One wording for coordinators, partners and the report (network/referrals/wording.py).
REFERRAL_STATUSES = wording.STATUSES
# What the button for moving a referral to a status says.
REFERRAL_ACTIONS = {
    Status.SENT: "Jetzt an den Partner senden",
    Status.ACCEPTED: "Annahme durch den Partner erfassen",
    Status.DECLINED: "Ablehnung durch den Partner erfassen",
    Status.IN_PROGRESS: "Als „in Bearbeitung“ erfassen", Status.ON_HOLD: "Pausieren",
    Status.COMPLETED: "Abschließen", Status.FAILED: "Als gescheitert erfassen",
    Status.CANCELLED: "Zurückziehen",
}
DECLINE_REASONS = wording.DECLINE_REASONS
REFERRAL_OUTCOMES = {ReferralOutcome.YES: "Ja, Hindernis behoben",
                     ReferralOutcome.PARTLY: "Teilweise", ReferralOutcome.NO: "Nein"}
REFERRAL_EVENTS = {"created": "angelegt", "status_changed": "Status geändert",
                   "handed_off": "an einen anderen Partner übergeben",
                   "reassigned": "an eine andere Koordination übergeben"}
AUDIT_ACTIONS = {
    "login": "Anmeldung", "login.failed": "Fehlgeschlagene Anmeldung", "logout": "Abmeldung",
    "user.created": "Konto angelegt", "user.changed": "Konto geändert",
    "password.changed": "Passwort geändert", "client.viewed": "Kundenakte angesehen",
    "api_token.created": "API-Token angelegt", "api_token.revoked": "API-Token widerrufen",
    "referral.create": "Vermittlung angelegt", "referral.replay": "Vermittlung erneut gesendet",
    "referral.read": "Vermittlung angesehen", "referral.list": "Vermittlungen aufgelistet",
    "referral.transition": "Vermittlungsstatus geändert",
    "referral.handoff": "Vermittlung an anderen Partner übergeben",
    "referral.reassign": "Vermittlung an andere Koordination übergeben",
    "referral.slip": "Laufzettel gedruckt",
    "reminder.snooze": "Erinnerung verschoben", "reminder.skip": "Erinnerung ausgelassen",
    "report.built": "Monatsbericht erstellt",
}
REMINDER_KINDS = {
    "no_answer": "Nachfrage beim Partner (keine Antwort)",
    "escalation": "Hinweis an die Koordination (Partner antwortet nicht)",
    "last_warning": "Letzte Erinnerung an den Partner",
    "expire": "Vermittlung läuft ab",
    "outcome_follow_up": "Nachfrage beim Partner: Ergebnis",
    "hold_check": "Nachfrage beim Partner: noch pausiert?",
    "barrier_uncovered": "Hindernis ohne Vermittlung",
    "case_inactive": "Fall ohne Aktivität",
    "weekly_digest": "Wochenübersicht",
}
REMINDER_STATUSES = {"pending": "geplant", "sent": "gesendet", "cancelled": "entfallen",
                     "skipped": "ausgelassen"}

ENTITIES = {"client": "Fall", "user": "Konto", "api_token": "API-Token", "partner": "Partner",
            "referral": "Vermittlung", "barrier": "Hindernis"}

def message(text: str) -> str:
    """The German wording of a service's rule message (see network.words.refusals)."""
    return legacy.german(text)


def country(code: str | None) -> str:
    return "" if code is None else COUNTRIES.get(code, code)


def language(code: str | None) -> str:
    return "" if code is None else LANGUAGES.get(code, code)


FILTERS = {
    "barrier_kind": BARRIER_KINDS, "barrier_status": BARRIER_STATUSES, "case_kind": CASE_KINDS,
    "case_status": CASE_STATUSES, "outcome": OUTCOMES, "gender": GENDERS,
    "residence_status": RESIDENCE_STATUSES, "legal_circle": LEGAL_CIRCLES,
    "qualification_kind": QUALIFICATION_KINDS, "role": ROLES, "partner_kind": PARTNER_KINDS,
    "audit_action": AUDIT_ACTIONS, "entity": ENTITIES, "referral_status": REFERRAL_STATUSES,
    "referral_action": REFERRAL_ACTIONS, "decline_reason": DECLINE_REASONS,
    "referral_outcome": REFERRAL_OUTCOMES, "referral_event": REFERRAL_EVENTS,
    "reminder_kind": REMINDER_KINDS, "reminder_status": REMINDER_STATUSES,
}
