"""Caseload: new, closed and open cases, by case kind, legal circle, country of origin, age
group and gender, and closed cases by outcome.

A case's kind is the one it had at month end (a first consultation enrolled later in the
month counts as enrolled); age is taken on the month's last day."""

from __future__ import annotations

from network import words
from network.reports import queries
from network.reports.document import Chart, Section, ShownTable, count_table
from network.reports.sections import Scope

TOP_COUNTRIES = 5
MEASURES = ["Neu im Monat", "Abgeschlossen im Monat", "Offen am Monatsende"]


async def build(scope: Scope) -> Section:
    rows = await queries.rows(queries.CASELOAD_BREAKDOWNS, scope.start, scope.end,
                                  scope.month.last_day, TOP_COUNTRIES)
    counts: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        counts.setdefault(row["dimension"], {})[row["value"]] = [
            row["new"], row["closed"], row["open"]]
    outcomes = {row["outcome"]: row["n"]
                for row in await queries.rows(queries.CASELOAD_OUTCOMES, scope.start, scope.end)}

    def breakdown(key: str, title: str, header: str, dimension: str,
                  vocabulary: dict[str, str]) -> ShownTable:
        found = counts.get(dimension, {})
        return count_table(
            key, title, header, list(vocabulary.values()), MEASURES,
            [found.get(code, [0, 0, 0]) for code in vocabulary], scope.min_cell,
            row_totals=False)

    countries = counts.get("country", {})
    top = sorted((code for code in countries if code),
                 key=lambda code: (-countries[code][2], -sum(countries[code]), code))
    country_labels = {code: words.country(code) for code in top}
    country_labels[""] = words.OTHER_COUNTRIES
    tables = [
        breakdown("faelle_nach_art", "Fälle nach Art", "Art des Falls", "kind",
                  words.CASE_KINDS),
        count_table("faelle_abschluss", "Abgeschlossene Fälle nach Ergebnis", "Ergebnis",
                    list(words.OUTCOMES.values()), ["Anzahl"],
                    [[outcomes.get(code, 0)] for code in words.OUTCOMES], scope.min_cell,
                    row_totals=False),
        breakdown("faelle_nach_rechtskreis", "Fälle nach Rechtskreis", "Rechtskreis",
                  "legal_circle", words.LEGAL_CIRCLES),
        breakdown("faelle_nach_herkunft",
                  f"Fälle nach Herkunftsland (die {TOP_COUNTRIES} häufigsten)", "Herkunftsland",
                  "country", country_labels),
        breakdown("faelle_nach_alter", "Fälle nach Altersgruppe", "Altersgruppe", "age_group",
                  words.AGE_GROUPS),
        breakdown("faelle_nach_geschlecht", "Fälle nach Geschlecht", "Geschlecht", "gender",
                  words.GENDERS),
    ]
    return Section(
        key="fallzahlen", title="Fallzahlen", tables=tables,
        charts=[Chart("fallzahlen_art", "Fälle nach Art", "bar", "faelle_nach_art", MEASURES)],
        notes=["Art des Falls und Alter am Monatsende."],
    )
