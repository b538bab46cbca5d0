"""The letter of invitation to a prospect: in the prospect's first language that the slip has
(Arabic and Persian right to left), with the appointment of the latest invitation, the
Integration Point's address and the printing coordinator as contact; every print audited;
other circles' and erased prospects not found."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from network.clock import FixedClock
from network.outreach import letters
from network.transactions import transaction
from network.web import slip
from tests.support.app import MakeUser, make_settings, serving
from tests.support.outreach_rows import contact, prospect
from tests.support.pages import signed_in

ADDED = datetime(2026, 11, 2, 9, tzinfo=UTC)
PRINTED = datetime(2026, 11, 30, 10, tzinfo=UTC)
ADDRESS = "Valkenburger Straße 45; 52525 Heinsberg"
PHONE = "+49 2452 13-0"


@pytest.fixture
async def web(tmp_path: Path, db: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path, DATABASE_URL=db, INTEGRATION_POINT_ADDRESS=ADDRESS,
                             INTEGRATION_POINT_PHONE=PHONE)
    async with serving(settings, FixedClock(PRINTED)) as client:
        yield client


async def audit_entries() -> list[tuple]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT actor_id, entity, entity_id, details FROM audit_log"
            " WHERE action = 'prospect.letter_printed' ORDER BY id")
    return [(r["actor_id"], r["entity"], r["entity_id"], json.loads(r["details"]))
            for r in rows]


def test_the_letter_has_the_slips_languages_and_every_text_in_each():
    assert list(letters.languages()) == list(slip.languages())
    german = letters.texts("de")
    for code in letters.languages():
        own = json.loads((letters.FOLDER / f"{code}.json").read_text(encoding="utf-8"))
        assert set(own["text"]) == set(german.text), code
        assert set(own["items"]) == set(german.items), code
        assert len(own["weekdays"]) == 7, code
        assert "{name}" in own["text"]["greeting"], code
    assert letters.texts("ar").direction == letters.texts("fa").direction == "rtl"
    assert letters.texts("ti").direction == letters.texts("en").direction == "ltr"


def test_the_language_is_the_one_asked_for_else_the_prospects_first_with_a_letter():
    assert letters.language_for(["so", "ti", "ar"]) == "ti"
    assert letters.language_for(["so"]) == "de"
    assert letters.language_for(["ar"], "fa") == "fa"
    assert letters.language_for(["ar"], "xx") == "ar"


async def test_an_arabic_letter_names_the_latest_invitation_and_is_audited(
        web: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _ = await signed_in(web, make_user)
    amal = await prospect(ADDED, languages=["so", "ar", "de"], shelter="Unterkunft Wassenberg",
                          address="Roermonder Straße 10, 41849 Wassenberg")
    await contact(amal, date(2026, 11, 5), "invited", channel="shelter_visit",
                  appointment_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
                  appointment_place="Altes Rathaus")
    await contact(amal, date(2026, 11, 9), "invited",
                  appointment_at=datetime(2026, 12, 3, 9, 30, tzinfo=UTC),  # 10:30 in Berlin
                  appointment_place="Kreishaus, Raum 2.14")
    await contact(amal, date(2026, 11, 10), "not_reached")

    answer = await web.get(f"/outreach/prospects/{amal}/letter")
    assert answer.status_code == 200
    html = answer.text
    assert '<html lang="ar" dir="rtl">' in html and "30.11.2026" in html  # issued
    assert "دعوة إلى لقاء" in html and "مرحباً <bdi>Amal Haddad</bdi>،" in html
    assert "الخميس" in html and "03.12.2026" in html and "10:30" in html  # Thursday
    assert "Kreishaus, Raum 2.14" in html and "Altes Rathaus" not in html
    assert "Unterkunft Wassenberg" in html and "Roermonder Straße 10" in html
    assert ">Valkenburger Straße 45<" in html and ">52525 Heinsberg<" in html and PHONE in html
    assert made.email in html and made.user.display_name in html
    assert "Kein Termin erfasst" not in html and "in der Vergangenheit" not in html
    assert f'href="/outreach/prospects/{amal}"' in html
    assert "<script" not in html and "style=" not in html
    assert await audit_entries() == [
        (made.user.id, "prospect", str(amal), {"language": "ar", "appointment": True})]

    persian = (await web.get(f"/outreach/prospects/{amal}/letter?sprache=fa")).text
    assert '<html lang="fa" dir="rtl">' in persian and "دعوت به گفت‌وگو" in persian
    english = (await web.get(f"/outreach/prospects/{amal}/letter?sprache=en")).text
    assert '<html lang="en" dir="ltr">' in english and "Thursday <bdi" in english
    assert [entry[3]["language"] for entry in await audit_entries()] == ["ar", "fa", "en"]


async def test_without_an_invitation_the_letter_asks_to_make_an_appointment(
        web: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(web, make_user)
    someone = await prospect(ADDED, languages=["so"], first_name=None, last_name=None)
    await contact(someone, date(2026, 11, 5), "reached")
    html = (await web.get(f"/outreach/prospects/{someone}/letter")).text
    assert '<html lang="de" dir="ltr">' in html
    assert "Guten Tag," in html and "damit wir einen Termin mit Ihnen vereinbaren" in html
    assert "Kein Termin erfasst" in html and "Uhrzeit" not in html
    assert (await audit_entries())[0][3] == {"language": "de", "appointment": False}


async def test_other_circles_erased_and_unknown_prospects_are_not_found(
        web: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(web, make_user, role="coordinator")
    theirs = await prospect(ADDED, legal_circle="sgb3")
    erased = await prospect(ADDED, first_name=None, last_name=None, erased_at=ADDED)
    for prospect_id in (theirs, erased, 987654):
        answer = await web.get(f"/outreach/prospects/{prospect_id}/letter")
        assert answer.status_code == 404, prospect_id
        assert "Haddad" not in answer.text
    assert await audit_entries() == []


async def test_a_viewer_prints_no_letters(web: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(web, make_user, role="viewer")
    amal = await prospect(ADDED)
    answer = await web.get(f"/outreach/prospects/{amal}/letter")
    assert answer.status_code == 403 and "Haddad" not in answer.text
    assert await audit_entries() == []


async def test_an_invitation_without_a_place_names_the_integration_point_and_a_past_one_warns(
        web: httpx.AsyncClient, make_user: MakeUser) -> None:
    await signed_in(web, make_user)
    amal = await prospect(ADDED, languages=["en"])
    await contact(amal, date(2026, 11, 5), "invited",
                  appointment_at=datetime(2026, 11, 12, 13, tzinfo=UTC))  # 14:00 in Berlin
    html = (await web.get(f"/outreach/prospects/{amal}/letter")).text
    place = html[html.index("<dt>Place</dt>"):html.index("</dl>")]
    assert "Integration Point Kreis Heinsberg" in place and "52525 Heinsberg" in place
    assert "14:00" in html and "Thursday" in html
    assert "Der Termin dieses Briefes liegt in der Vergangenheit" in html  # 12.11.2026 passed
