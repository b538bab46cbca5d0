"""A handoff's directory on the partner's link page: listed whole while it is short, searched
by name, city or postal code once it is longer than DIRECTORY_LISTED (a thousand partners of
a kind at national scale made a page of 42 KB that a phone had to scroll through)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from network.links.service import DIRECTORY_LISTED, search_text
from network.partners.service import Partner
from network.settings import Settings
from tests.support.app import MadeUser, MakeUser, make_settings
from tests.support.partner_link import detail, opened_link, proof_of
from tests.support.referral_world import HELPERS, World, housing_helpers
from tests.support.smtp_server import SmtpServer


@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


@dataclass(frozen=True)
class LongDirectory:
    coordinator: MadeUser
    world: World
    referral_id: int
    link: str
    helpers: list[Partner]


@pytest.fixture
async def long_directory(client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
                         make_user: MakeUser) -> LongDirectory:
    """A sent referral's link whose directory holds HELPERS + 2 partners."""
    opened = await opened_link(client, settings, smtp, make_user)
    return LongDirectory(*opened, await housing_helpers())


def listed(page: str) -> list[str]:
    """The ids the handoff's select offers, in order."""
    select = re.search(r'<select id="handoff-partner".*?</select>', page, re.S)
    assert select, page
    return [value for value in re.findall(r'<option value="(\d*)"', select.group(0)) if value]


def hint(page: str) -> str:
    found = re.search(r'<p class="hint" id="handoff-found">(.*?)</p>', page, re.S)
    assert found, page
    return found.group(1)


async def test_a_short_directory_is_listed_whole_without_a_search(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    _coordinator, world, _referral_id, link = await opened_link(client, settings, smtp,
                                                                make_user)
    page = (await client.get(link)).text
    whole = [str(world.school.id), str(world.tafel.id)]  # by name: Berufskolleg, Tafel
    assert listed(page) == whole
    assert 'name="suche"' not in page and 'role="search"' not in page
    # a search in the address changes nothing on a short list
    assert listed((await client.get(link, params={"suche": "Tafel"})).text) == whole


async def test_a_long_directory_is_searched_by_name_city_or_postal_code(
        client: httpx.AsyncClient, long_directory: LongDirectory) -> None:
    world, link, helpers = long_directory.world, long_directory.link, long_directory.helpers
    by_id = {str(p.id): p for p in helpers}
    page = (await client.get(link)).text
    assert listed(page) == [] and "Bitte zuerst oben suchen" in page
    assert hint(page).startswith(f"{HELPERS + 2} Partner nehmen Anliegen dieser Art an")
    assert 'action="#weitergabe"' in page and 'name="suche"' in page

    in_dueren = (await client.get(link, params={"suche": "düren"})).text
    assert sorted(listed(in_dueren)) == sorted(str(p.id) for p in helpers[1::2])
    assert hint(in_dueren) == "15 Partner passen zu „düren“."
    assert 'value="düren"' in in_dueren and "<details class=\"action\" id=\"weitergabe\" open" \
        in in_dueren
    # every word in one of the three: the postal code of Aachen, "1" in the name
    by_code = listed((await client.get(link, params={"suche": "52062 hilfe 1"})).text)
    assert [by_id[i].name for i in by_code] == [f"Wohnhilfe {n:02d}"
                                                for n in (1, 11, 13, 15, 17, 19, 21)]
    assert listed((await client.get(link, params={"suche": world.tafel.name})).text) == [
        str(world.tafel.id)]

    many = (await client.get(link, params={"suche": "wohnhilfe"})).text
    assert len(listed(many)) == DIRECTORY_LISTED
    assert [by_id[i].name for i in listed(many)][:2] == ["Wohnhilfe 01", "Wohnhilfe 02"]
    assert hint(many) == (f"{HELPERS} Partner passen zu „wohnhilfe“; die ersten "
                          f"{DIRECTORY_LISTED} stehen in der Liste. Bitte genauer suchen.")

    # LIKE's wildcards are letters here; markup and odd bytes are text, never a 500
    assert listed((await client.get(link, params={"suche": "%_"})).text) == [
        str(helpers[-1].id)]
    assert listed((await client.get(link, params={"suche": "_"})).text) == [
        str(helpers[-1].id)]
    nothing = await client.get(link, params={"suche": "<b>x</b>"})
    assert nothing.status_code == 200 and listed(nothing.text) == []
    assert "Kein Partner passt zu „&lt;b&gt;x&lt;/b&gt;“" in nothing.text
    for odd in ("a\x00b", "\x1b[31m", "x" * 5000):
        answer = await client.get(link, params={"suche": odd})
        assert answer.status_code == 200, odd
    for encoded in ("%FF%FE", "%ED%A0%80", "%00"):  # not UTF-8, a lone surrogate, NUL
        assert (await client.get(f"{link}?suche={encoded}")).status_code == 200, encoded


async def test_a_searched_partner_takes_the_handoff_and_a_refusal_keeps_the_search(
        client: httpx.AsyncClient, long_directory: LongDirectory) -> None:
    d = long_directory
    coordinator, world, referral_id, link, helpers = (d.coordinator, d.world, d.referral_id,
                                                      d.link, d.helpers)
    chosen = helpers[3]  # Wohnhilfe 04, Düren
    page = (await client.get(link, params={"suche": "Düren 04"})).text
    assert listed(page) == [str(chosen.id)]
    assert '<input type="hidden" name="suche" value="Düren 04">' in page

    # no reason given: the page again, the search and the chosen partner kept
    refused = await client.post(link, data={**proof_of(page), "aktion": "handoff",
                                            "to_partner_id": str(chosen.id),
                                            "suche": "Düren 04"})
    assert refused.status_code == 422
    assert listed(refused.text) == [str(chosen.id)]
    assert f'<option value="{chosen.id}" selected>' in refused.text
    # a partner outside the directory (another kind) is refused, though its id is real
    outside = await client.post(link, data={**proof_of(page), "aktion": "handoff",
                                            "to_partner_id": str(world.vhs.id),
                                            "reason_code": "not_our_service"})
    assert outside.status_code == 422 and "Bitte einen Partner aus der Liste" in outside.text
    assert (await detail(client, coordinator, referral_id))["status"] == "sent"

    handed = await client.post(link, data={**proof_of(page), "aktion": "handoff",
                                           "to_partner_id": str(chosen.id),
                                           "reason_code": "not_our_service"})
    assert handed.status_code == 200 and "weitergegeben" in handed.text
    closed = await detail(client, coordinator, referral_id)
    assert (await detail(client, coordinator, closed["handed_off_to"]))["partner_id"] == \
        chosen.id


def test_a_search_keeps_printable_words_up_to_its_length() -> None:
    assert search_text("  Caritas   Düren ") == "Caritas Düren"
    assert search_text("a\x00b Aachen \x1b[31m") == "Aachen"
    assert search_text(None) is None and search_text(" \t\n") is None
    assert search_text("\x00") is None
    assert len(search_text("wort " * 100) or "") == 99  # 100, the trailing space trimmed
