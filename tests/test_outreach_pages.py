"""The outreach pages over HTTP (issue 19): the legal circle holds for prospects like for
clients, a malformed upload is refused naming the line and column with nothing written, the
confirmation applies the previewed file at once, hostile sizes are refused, a bad attempt
names its field."""

from __future__ import annotations

import html
import re
from datetime import date

import httpx

from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import SYSTEM_CLOCK
from network.outreach import actions, csv_import
from network.outreach.rules import ProspectData
from network.outreach.tables import Prospect, ProspectImport
from tests.support.app import MakeUser, login_browser
from tests.support.factories import client_data

GOOD = ("Vorname;Nachname;Geburtsjahr;Herkunftsland\n"
        "Amal;Haddad;1990;Syrien\nYohannes;Tesfaye;1988;Eritrea\n")


async def signed_in(client: httpx.AsyncClient, make_user: MakeUser, role: str = "coordinator",
                    circle: str = "sgb3") -> tuple[Actor, str]:
    made = await make_user(role=role, legal_circle=circle)
    return Actor.of_user(made.user), await login_browser(client, made.email, made.password)


async def upload(client: httpx.AsyncClient, csrf: str, body: bytes) -> httpx.Response:
    return await client.post("/outreach/import", data={"csrf_token": csrf,
                                                       "source": "shelter"},
                             files={"file": ("liste.csv", body, "text/csv")})


async def test_prospects_keep_to_their_legal_circle(client: httpx.AsyncClient,
                                                    make_user: MakeUser) -> None:
    theirs = Actor.of_user((await make_user(legal_circle="sgb2")).user)
    prospect_id = await actions.add_prospect(theirs, SYSTEM_CLOCK, ProspectData(
        legal_circle="sgb2", source="shelter", first_name="Amal", last_name="Haddad",
        country_code="SY"))
    _, csrf = await signed_in(client, make_user, circle="sgb3")
    assert (await client.get(f"/outreach/prospects/{prospect_id}")).status_code == 404
    listed = await client.get("/outreach")
    assert listed.status_code == 200 and "Haddad" not in listed.text
    parked = await client.post(f"/outreach/prospects/{prospect_id}/park",
                               data={"csrf_token": csrf, "reason": "other"})
    assert parked.status_code == 404
    assert (await Prospect.select(Prospect.status).first())["status"] == "waiting"


async def test_only_coordinators_work_on_outreach(client: httpx.AsyncClient,
                                                 make_user: MakeUser) -> None:
    await signed_in(client, make_user, role="admin")
    assert (await client.get("/outreach")).status_code == 403


async def test_a_malformed_upload_names_line_and_column_and_writes_nothing(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _, csrf = await signed_in(client, make_user)
    bad = await upload(client, csrf, (GOOD + "Mina;Karimi;neunzehn;Iran\n").encode())
    assert bad.status_code == 422
    assert "Zeile 4, Spalte „Geburtsjahr“" in bad.text and "nicht übernommen" in bad.text
    assert await Prospect.count() == 0

    preview = await upload(client, csrf, GOOD.encode("utf-16"))
    assert preview.status_code == 200 and "Vorschau: 2 Personen" in preview.text
    assert await Prospect.count() == 0
    tampered = await client.post("/outreach/import/apply", data={
        "csrf_token": csrf, "content": GOOD + "X;Y;1800;Iran\n", "source": "shelter",
        "expected_rows": "3"})
    assert tampered.status_code == 422 and "Zeile 4" in tampered.text
    assert await Prospect.count() == 0 and await ProspectImport.count() == 0
    applied = await client.post("/outreach/import/apply", data={
        "csrf_token": csrf, "content": GOOD, "source": "shelter", "file_name": "liste.csv",
        "expected_rows": "2"})
    assert applied.status_code == 303 and applied.headers["location"] == "/outreach?eingelesen=2"
    assert await Prospect.count() == 2
    worklist = await client.get("/outreach")
    assert worklist.text.index("Haddad") < worklist.text.index("Tesfaye")


async def test_hostile_uploads_are_refused(client: httpx.AsyncClient,
                                          make_user: MakeUser) -> None:
    _, csrf = await signed_in(client, make_user)
    too_large = await upload(client, csrf, b"Vorname;Nachname\n" + b"A;B\n" * 150_000)
    assert too_large.status_code == 422 and "größer als 512 KiB" in too_large.text
    far_too_large = await upload(client, csrf, b"A;B\n" * 400_000)
    assert far_too_large.status_code == 413
    binary = await upload(client, csrf, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert binary.status_code == 422 and "Zeile 3: Enthält ein unzulässiges Zeichen" in binary.text
    nothing = await client.post("/outreach/import", data={"csrf_token": csrf,
                                                          "source": "shelter"})
    assert nothing.status_code == 422
    assert await Prospect.count() == 0


async def test_a_bad_attempt_is_refused_naming_its_field(client: httpx.AsyncClient,
                                                        make_user: MakeUser) -> None:
    me, csrf = await signed_in(client, make_user)
    prospect_id = await actions.add_prospect(me, SYSTEM_CLOCK, ProspectData(
        legal_circle="sgb3", source="shelter", first_name="Amal", last_name="Haddad",
        country_code="SY"))
    invited = await client.post(f"/outreach/prospects/{prospect_id}/attempts", data={
        "csrf_token": csrf, "on_day": "2026-11-20", "channel": "letter", "outcome": "invited"})
    assert invited.status_code == 422
    assert "Für eine Einladung bitte Datum und Uhrzeit" in invited.text
    nonsense = await client.post(f"/outreach/prospects/{prospect_id}/attempts", data={
        "csrf_token": csrf, "on_day": "gestern", "channel": "pigeon", "outcome": "reached"})
    assert nonsense.status_code == 422
    page = await client.get(f"/outreach/prospects/{prospect_id}")
    assert "Noch kein Kontaktversuch" in page.text


async def test_converting_shows_a_possible_duplicate_case_until_confirmed(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    me, csrf = await signed_in(client, make_user)
    await case_actions.create_client(me, SYSTEM_CLOCK, client_data(
        first_name="Amal", last_name="Haddad", date_of_birth=date(1990, 2, 1),
        legal_circle="sgb3", coordinator_id=me.user_id), barrier_kinds=[])
    prospect_id = await actions.add_prospect(me, SYSTEM_CLOCK, ProspectData(
        legal_circle="sgb3", source="shelter", first_name="Amaal", last_name="Hadad",
        date_of_birth=date(1990, 2, 1), country_code="SY",
        residence_status="permission_to_reside"), duplicate_confirmed=True)
    parked = await client.post(f"/outreach/prospects/{prospect_id}/park",
                               data={"csrf_token": csrf, "reason": "moved_away"})
    assert parked.status_code == 303
    assert "Verzogen" in (await client.get(f"/outreach/prospects/{prospect_id}")).text
    assert (await client.post(f"/outreach/prospects/{prospect_id}/unpark",
                              data={"csrf_token": csrf})).status_code == 303
    form = {"csrf_token": csrf, "case_kind": "enrolled", "gender": "female"}
    warned = await client.post(f"/outreach/prospects/{prospect_id}/convert", data=form)
    assert warned.status_code == 409 and "Diese Person gibt es vielleicht schon" in warned.text
    assert (await Prospect.select(Prospect.status).first())["status"] == "waiting"
    opened = await client.post(f"/outreach/prospects/{prospect_id}/convert",
                               data={**form, "duplicate_confirmed": "ja"})
    assert opened.status_code == 303 and opened.headers["location"].startswith("/clients/")
    assert (await Prospect.select(Prospect.status).first())["status"] == "converted"


async def test_a_prospect_entered_by_hand(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _, csrf = await signed_in(client, make_user)
    form = {"csrf_token": csrf, "first_name": "Amal", "last_name": "Haddad",
            "birth_year": "1990", "country_code": "SY", "source": "walk_in",
            "languages[0]": "ar", "languages[1]": "ku", "shelter": "ZUE Heinsberg"}
    assert (await client.get("/outreach/new")).status_code == 200
    nameless = await client.post("/outreach/prospects", data={**form, "last_name": "",
                                                              "first_name": ""})
    assert nameless.status_code == 422 and "Bitte ausfüllen." in nameless.text
    wrong_year = await client.post("/outreach/prospects", data={**form, "birth_year": "19x0"})
    assert wrong_year.status_code == 422
    added = await client.post("/outreach/prospects", data=form)
    assert added.status_code == 303
    shown = await client.get(added.headers["location"])
    assert "ZUE Heinsberg" in shown.text and "Arabisch, Kurdisch" in shown.text
    again = await client.post("/outreach/prospects", data={**form, "first_name": "Amaal"})
    assert again.status_code == 409 and "Diese Person gibt es vielleicht schon" in again.text
    confirmed = await client.post("/outreach/prospects", data={
        **form, "first_name": "Amaal", "duplicate_confirmed": "ja"})
    assert confirmed.status_code == 303 and await Prospect.count() == 2
    listed = await client.get("/outreach")
    assert listed.text.count("Haddad") == 2


async def test_the_largest_file_goes_through_preview_and_confirmation(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _, csrf = await signed_in(client, make_user)
    lines = [f"Name{n};Familie{n % 97};{1950 + n % 50};Syrien;{'x' * 300}"
             for n in range(csv_import.MAX_ROWS)]
    text = "Vorname;Nachname;Geburtsjahr;Herkunftsland;Farbe\n" + "\n".join(lines) + "\n"
    assert len(text.encode()) < csv_import.MAX_BYTES
    preview = await upload(client, csrf, text.encode())
    assert preview.status_code == 200 and f"Vorschau: {csv_import.MAX_ROWS}" in preview.text
    hidden = re.search(r'name="content" value="([^"]*)"', preview.text)
    assert hidden is not None
    applied = await client.post("/outreach/import/apply", data={
        "csrf_token": csrf, "source": "shelter", "expected_rows": str(csv_import.MAX_ROWS)},
        files={"content": (None, html.unescape(hidden[1]))})  # as the browser sends it
    assert applied.status_code == 303, applied.text[-500:]
    assert await Prospect.count() == csv_import.MAX_ROWS
