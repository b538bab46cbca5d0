"""The information material's German words: the general topics beside the barrier kinds,
the flags of the catalogue and the case page."""

from network.words.vocabularies import BARRIER_KINDS

GENERAL_TOPICS: dict[str, str] = {
    "arrival": "Ankommen im Kreis",
    "work": "Arbeit und Ausbildung",
}
MATERIAL_TOPICS: dict[str, str] = {**GENERAL_TOPICS, **BARRIER_KINDS}
OVERDUE = "Prüfung überfällig"
RETIRED = "zurückgezogen"
INTEGRATION_POINT = "Integration Point"
HANDED_OUT_EVENT = "Material ausgegeben"
BUNDLE_TITLE = "Laufzettel: ausgegebenes Informationsmaterial"
BUNDLE_NONE = "Es wurde noch kein Material ausgegeben."
BUNDLE_LINK = "Link"
