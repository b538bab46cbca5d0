"""Countries and languages: CLDR's full German lists, with the nationalities that are no
country, sorted the German way, under the names callers already use."""

from __future__ import annotations

from network import words
from network.words import places


def test_a_nationality_can_be_germany_stateless_or_unclear() -> None:
    assert words.country("DE") == "Deutschland"
    assert words.country(places.STATELESS) == "staatenlos"
    assert words.country(places.UNCLEAR) == "ungeklärt"
    assert words.label("XS", "country") == "staatenlos"  # the pages' filter


def test_they_sort_in_among_the_countries_the_german_way() -> None:
    names = list(words.COUNTRIES.values())
    assert names.index("Spanien") < names.index("staatenlos") < names.index("Sudan")
    assert names.index("Ungarn") < names.index("ungeklärt") < names.index("Uruguay")
    assert names.index("Österreich") < names.index("Pakistan")  # Ö with O
    assert names.index("Afghanistan") < names.index("Ägypten") < names.index("Albanien")


def test_languages_read_by_their_german_name() -> None:
    assert words.language("nl") == "Niederländisch" and words.language("ti") == "Tigrinya"
    assert words.language("prs") == "Dari" and words.language("ckb") == "Zentralkurdisch"
    names = list(words.LANGUAGES.values())
    assert names == sorted(names, key=words.collation_key)
