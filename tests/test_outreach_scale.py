"""A full-size import (issue 19): the largest file the import takes (1000 lines) is previewed
and applied in one go, quickly enough for a page."""

from __future__ import annotations

import time

from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.outreach import actions, csv_import
from network.outreach.tables import Prospect
from tests.support.app import MakeUser

FIRST = ["Amal", "Yohannes", "Reza", "Lina", "Omar", "Sara", "Ali", "Nour", "Semhar", "Mina"]
LAST = ["Haddad", "Tesfaye", "Ahmadi", "Khalil", "Saleh", "Jafari", "Ghebre", "Karimi"]


def big_file() -> str:
    lines = ["Vorname;Nachname;Geburtsdatum;Herkunftsland;Sprachen"]
    for n in range(csv_import.MAX_ROWS):
        lines.append(f"{FIRST[n % 10]}{n};{LAST[n % 8]};{1 + n % 28:02d}.{1 + n % 12:02d}."
                     f"{1960 + n % 45};Syrien;Arabisch")
    return "\n".join(lines) + "\n"


async def test_the_largest_file_is_previewed_and_applied_in_seconds(
        pool, make_user: MakeUser) -> None:
    me = Actor.of_user((await make_user(legal_circle="sgb3")).user)
    text = big_file()
    started = time.perf_counter()
    preview = await actions.preview_import(me, SYSTEM_CLOCK, text.encode(), "other")
    previewed = time.perf_counter() - started
    assert preview.parsed.problems == [] and len(preview.parsed.rows) == csv_import.MAX_ROWS
    started = time.perf_counter()
    result = await actions.import_prospects(me, SYSTEM_CLOCK, text, "other",
                                            skip_duplicates=False)
    applied = time.perf_counter() - started
    assert result.added == csv_import.MAX_ROWS == await Prospect.count()
    print(f"preview {previewed:.2f}s, apply {applied:.2f}s")
    assert previewed < 5 and applied < 10


async def test_a_file_of_one_person_a_thousand_times_stays_cheap(
        pool, make_user: MakeUser) -> None:
    me = Actor.of_user((await make_user(legal_circle="sgb3")).user)
    text = "Vorname;Nachname;Geburtsdatum\n" + "Amal;Haddad;01.02.1990\n" * csv_import.MAX_ROWS
    started = time.perf_counter()
    preview = await actions.preview_import(me, SYSTEM_CLOCK, text, "other")
    took = time.perf_counter() - started
    assert len(preview.duplicates) == csv_import.MAX_ROWS - 1  # each line after the first
    assert all(len(found) == 10 for line, found in preview.duplicates.items() if line > 12)
    print(f"preview of one person 1000 times {took:.2f}s")
    assert took < 5
