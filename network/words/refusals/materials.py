"""Refusal codes of the information material: {code: (English for the API, German for pages)}."""

REFUSALS: dict[str, tuple[str, str]] = {
    "material_topic_unknown": ("is not a known topic", "Kein bekanntes Thema."),
    "material_file_or_link": ("give either a file or a link, not both",
                              "Bitte entweder eine Datei oder einen Link angeben."),
    "material_file_too_large": ("the file may be at most {limit} bytes",
                                "Die Datei darf höchstens {limit} Bytes groß sein."),
    "material_file_type": ("only a PDF, PNG or JPEG file is accepted (by its content)",
                           "Nur PDF-, PNG- oder JPEG-Dateien (nach Inhalt geprüft)."),
    "material_link_https": ("must be an https:// address", "Muss mit https:// beginnen."),
    "material_no_languages": ("at least one language is required",
                              "Mindestens eine Sprache angeben."),
    "material_retired": ("the item is retired", "Dieses Material ist zurückgezogen."),
    "material_not_offered": ("the item is not offered in this language",
                             "Dieses Material gibt es nicht in dieser Sprache."),
    "material_for_staff": ("only administrators and coordinators manage the material",
                           "Nur Verwaltung und Koordination pflegen das Material."),
    "material_review_overdue": ("the item is past its review date; review it first",
                                "Prüfung überfällig: Bitte das Material erst prüfen."),
    "material_is_link": ("the item is a link, not a file", "Dieses Material ist ein Link."),
}
