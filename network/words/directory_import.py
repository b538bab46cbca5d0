"""The words of `network directory import`: what it would do to each partner, in German and
English (an operator's terminal), and the names of the fields it compares."""

from __future__ import annotations

OUTCOMES = {  # outcome: (german, english)
    "new": ("neu", "new"),
    "changed": ("geändert", "changed"),
    "unchanged": ("unverändert", "unchanged"),
    "ambiguous": ("mehrdeutig, nicht übernommen", "ambiguous, refused"),
}
FIELDS = {
    "name": "Name", "kind": "Art", "street": "Straße", "postal_code": "PLZ", "city": "Ort",
    "phone": "Telefon", "referral_emails": "Adressen für Zuweisungen",
    "contacts": "Ansprechpersonen", "languages": "Sprachen",
    "barrier_kinds": "Hindernisarten", "opening_hours": "Öffnungszeiten", "active": "aktiv",
    "paused_until": "keine Aufnahme bis", "served_municipalities": "Gemeinden",
}
SUMMARY = ("{new} neu / new, {changed} geändert / changed, {unchanged} unverändert / "
           "unchanged, {ambiguous} mehrdeutig / ambiguous")
CONFIRM = "Übernehmen? / Apply?"
NOTHING = "Nichts übernommen. / Nothing imported."
APPLIED = "Übernommen. / Applied."
