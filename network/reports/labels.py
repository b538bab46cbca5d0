"""German labels for the stored vocabularies, as the committee reads them."""

from __future__ import annotations

CASE_KINDS = {"first_consultation": "Erstberatung", "enrolled": "Programmteilnahme"}
LEGAL_CIRCLES = {"sgb2": "SGB II (Jobcenter)", "sgb3": "SGB III (Agentur für Arbeit)"}
AGE_GROUPS = {"under_25": "unter 25 Jahre", "from_25": "25 Jahre und älter"}
GENDERS = {"female": "weiblich", "male": "männlich", "diverse": "divers",
           "unspecified": "ohne Angabe"}
OUTCOMES = {
    "employment": "Arbeitsaufnahme", "vocational_training": "Ausbildung", "school": "Schule",
    "university": "Studium", "moved_away": "Wegzug", "no_longer_eligible": "Kein Anspruch mehr",
    "other": "Sonstiger Grund",
}
BARRIER_KINDS = {
    "language": "Sprache", "qualification_recognition": "Berufsanerkennung",
    "residence_legal": "Aufenthaltsrecht", "health": "Gesundheit", "childcare": "Kinderbetreuung",
    "housing": "Wohnen", "school": "Schule", "vocational_training": "Ausbildung",
    "university": "Studium", "documents": "Dokumente", "financial": "Finanzen",
    "mobility": "Mobilität", "other": "Sonstiges",
}
PARTNER_KINDS = {
    "bamf": "BAMF", "immigration_office": "Ausländerbehörde", "youth_office": "Jugendamt",
    "social_office": "Sozialamt", "school": "Schule", "health_office": "Gesundheitsamt",
    "municipal_integration_centre": "Kommunales Integrationszentrum",
    "integration_officer": "Integrationsbeauftragte", "volunteer_group": "Ehrenamt",
    "association": "Verein / Verband", "course_provider": "Kursträger",
    "recognition_advice": "Anerkennungsberatung", "clothing_store": "Kleiderkammer",
    "furniture_provider": "Möbelbörse", "other": "Sonstige",
}
COUNTRIES = {
    "SY": "Syrien", "IR": "Iran", "IQ": "Irak", "ER": "Eritrea", "AF": "Afghanistan",
    "UA": "Ukraine", "TR": "Türkei", "SO": "Somalia", "NG": "Nigeria", "GN": "Guinea",
    "RU": "Russland", "GE": "Georgien", "PK": "Pakistan", "ET": "Äthiopien", "LB": "Libanon",
    "PS": "Palästinensische Gebiete", "YE": "Jemen", "SD": "Sudan", "MA": "Marokko",
    "DZ": "Algerien", "TN": "Tunesien", "AL": "Albanien", "XK": "Kosovo", "RS": "Serbien",
}
OTHER_COUNTRIES = "Übrige Länder"


def country(code: str) -> str:
    return COUNTRIES.get(code, code)
