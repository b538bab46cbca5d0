"""The `select` macro's options (network.web.render.option_tags): lists of strings are
rendered once and kept; they must come out as every other list does, the chosen one
selected, names escaped, and a renamed entry shown with its new name."""

from __future__ import annotations

from enum import StrEnum

from network.links.service import DirectoryEntry
from network.web.render import directory_options, option_tags, options_from_json


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def line(value: str, text: str, selected: bool = False) -> str:
    return f'    <option value="{value}"{" selected" if selected else ""}>{text}</option>\n'


def test_it_selects_the_chosen_option_and_escapes_the_names() -> None:
    options = {"1": "Caritas & Co", "2": "<Tafel>", "3": "Diakonie"}
    assert option_tags(options, "2") == (
        line("1", "Caritas &amp; Co") + line("2", "&lt;Tafel&gt;", True)
        + line("3", "Diakonie"))
    assert option_tags(options, "") == (
        line("1", "Caritas &amp; Co") + line("2", "&lt;Tafel&gt;") + line("3", "Diakonie"))
    assert option_tags(options, 3) == (
        line("1", "Caritas &amp; Co") + line("2", "&lt;Tafel&gt;") + line("3", "Diakonie", True))


def test_a_kept_list_changes_with_its_options() -> None:
    assert "Tafel" in option_tags({"1": "Tafel"}, "")
    renamed = option_tags({"1": "Tafel Nord"}, "1")
    assert renamed == line("1", "Tafel Nord", True)


def test_other_values_are_rendered_as_strings_are() -> None:
    assert option_tags({True: "ja", False: "nein"}, "True") == (
        line("True", "ja", True) + line("False", "nein"))
    assert option_tags({Colour.RED: "rot", Colour.BLUE: "blau"}, "blue") == (
        line("red", "rot") + line("blue", "blau", True))
    assert option_tags({0: "nein", 1: "ja"}, "1") == line("0", "nein") + line("1", "ja", True)


def test_options_from_json_keep_their_order_and_escape_the_names() -> None:
    options = options_from_json('{"7" : "Zahnarzt <Nord>", "3" : "Caritas & Co"}')
    assert option_tags(options, "3") == (
        line("7", "Zahnarzt &lt;Nord&gt;") + line("3", "Caritas &amp; Co", True))
    assert option_tags(options, "") == (
        line("7", "Zahnarzt &lt;Nord&gt;") + line("3", "Caritas &amp; Co"))
    assert option_tags(options_from_json('{"7" : "Zahnarzt Süd"}'), 7) == (
        line("7", "Zahnarzt Süd", True))
    assert option_tags(options_from_json("{}"), "") == ""


def test_a_handoffs_directory_offers_each_partner_with_its_kind_the_typed_one_chosen() -> None:
    directory = [DirectoryEntry(7, "Caritas & Co", "association"),
                 DirectoryEntry(9, "VHS", "course_provider")]
    options = directory_options(directory)
    assert options == {"7": "Caritas & Co (Verein / Verband)", "9": "VHS (Kursträger)"}
    assert option_tags(options, "9") == (line("7", "Caritas &amp; Co (Verein / Verband)")
                                         + line("9", "VHS (Kursträger)", True))
