"""Information material (issue 17): what is offered to a client (by open barrier and
language, German as the fallback; retired items never, overdue ones flagged), handing out
(a row, the case history, the audit), the printable bundle (one PDF: the slip and the
leaflets) and the upload's refusals (too large, not a PDF or image by content)."""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fpdf import FPDF
from pypdf import PdfReader

from network.accounts import audit
from network.actors import Actor
from network.cases import actions as case_actions
from network.cases.tables import CaseEvent
from network.clock import SYSTEM_CLOCK
from network.errors import NotFound, RuleViolation
from network.materials import actions, files, offer
from network.materials.tables import MaterialHandout
from tests.support.app import MakeUser
from tests.support.factories import SYSTEM_ACTOR, client_data
from tests.support.pages import sent, signed_in
from tests.support.referral_world import make_world

TODAY = date(2026, 11, 30)


def leaflet_pdf(text: str, pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"{text} {number + 1}")
    return bytes(pdf.output())


def tiny_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    topic: str
    languages: tuple[str, ...]
    review_on: date = date(2027, 1, 1)
    retired_at: datetime | None = None


# --- what fits (pure) -----------------------------------------------------------------------


def test_it_offers_by_open_barrier_and_language_main_language_first_german_as_fallback():
    items = [Item(1, "Wohnen auf Deutsch", "housing", ("de", "fa")),
             Item(2, "Wohnen auf Arabisch", "housing", ("ar",)),
             Item(3, "Sprachkurse", "language", ("ar", "de")),   # no open language barrier
             Item(4, "Nur Tigrinya", "housing", ("ti",)),        # no language the client has
             Item(5, "Willkommen", "arrival", ("en", "de"))]     # a general topic
    found = offer.offers(items, ["housing"], ["ar", "en"], TODAY)
    assert [(o.material_id, o.language, o.fallback) for o in found] == [
        (2, "ar", False), (5, "en", False), (1, "de", True)]


def test_a_retired_item_is_never_offered_and_an_overdue_one_is_flagged():
    items = [Item(1, "Alt", "housing", ("ar",), retired_at=datetime(2026, 1, 1, tzinfo=UTC)),
             Item(2, "Überfällig", "housing", ("ar",), review_on=TODAY - timedelta(days=1)),
             Item(3, "Aktuell", "housing", ("ar",), review_on=TODAY)]
    found = {o.material_id: o.overdue for o in offer.offers(items, ["housing"], ["ar"], TODAY)}
    assert found == {2: True, 3: False}


@pytest.mark.parametrize("body, code", [
    (b"%PDF-" + b"x" * files.MAX_FILE_BYTES, "material_file_too_large"),
    (b"<html>not a pdf</html>", "material_file_type"),
    (b"GIF89a....", "material_file_type"),
])
def test_a_file_is_judged_by_its_size_and_content(body, code):
    with pytest.raises(RuleViolation) as refused:
        files.checked_file(body)
    assert refused.value.code == code


def test_pdf_png_and_jpeg_are_recognised_by_their_first_bytes():
    assert files.sniff(leaflet_pdf("x")) == files.PDF
    assert files.sniff(tiny_png()) == files.PNG
    assert files.sniff(b"\xff\xd8\xff\xe0rest") == files.JPEG


# --- the case page, handing out, the bundle ------------------------------------------------


async def _case(coordinator) -> int:
    client = await case_actions.create_client(
        SYSTEM_ACTOR, SYSTEM_CLOCK, client_data(coordinator_id=coordinator.id),
        barrier_kinds=[])
    await case_actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id, "housing", None)
    return client.id


async def test_the_case_page_offers_fitting_material_and_hands_it_out(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    me = Actor.of_user(made.user)
    today = datetime.now(UTC).date()
    client_id = await _case(made.user)
    housing = await actions.add_material(
        me, SYSTEM_CLOCK, title="Wohnungssuche Leitfaden", topic="housing",
        languages=["ar", "de"], review_on=today + timedelta(days=90),
        file=leaflet_pdf("Wohnungssuche Seite", pages=2))
    poster = await actions.add_material(
        me, SYSTEM_CLOCK, title="Willkommensplakat", topic="arrival", languages=["de"],
        review_on=today + timedelta(days=90), file=tiny_png())
    link = await actions.add_material(
        me, SYSTEM_CLOCK, title="Arbeitsmarkt online", topic="work", languages=["ar"],
        review_on=today + timedelta(days=90), link="https://example.org/arbeit")
    old = await actions.add_material(
        me, SYSTEM_CLOCK, title="Alte Mietinfo", topic="housing", languages=["ar"],
        review_on=today - timedelta(days=1), file=leaflet_pdf("alt"))
    retired = await actions.add_material(
        me, SYSTEM_CLOCK, title="Zurückgezogenes Blatt", topic="housing", languages=["ar"],
        review_on=today + timedelta(days=90), file=leaflet_pdf("weg"))
    await actions.retire_material(me, SYSTEM_CLOCK, retired.id)

    html = (await client.get(f"/clients/{client_id}")).text
    assert "Wohnungssuche Leitfaden" in html and "Willkommensplakat" in html
    assert "Zurückgezogenes Blatt" not in html
    overdue_row = re.search(r"Alte Mietinfo.*?</tr>", html, re.S).group(0)
    assert "Prüfung überfällig" in overdue_row
    assert f"/material/{old.id}\"" not in html  # not handed out with one click
    assert html.index("Wohnungssuche Leitfaden") < html.index("Willkommensplakat")  # ar first

    for item in (housing, poster, link):
        answer = await client.post(f"/clients/{client_id}/material/{item.id}",
                                   data={"csrf_token": csrf})
        assert answer.status_code == 303, answer.text
    refused = await client.post(f"/clients/{client_id}/material/{retired.id}",
                                data={"csrf_token": csrf})
    assert refused.status_code == 422

    rows = await MaterialHandout.select().where(MaterialHandout.client_id == client_id)
    assert [(r["material_id"], r["language"], r["by_user"]) for r in rows] == [
        (housing.id, "ar", made.user.id), (poster.id, "de", made.user.id),
        (link.id, "ar", made.user.id)]
    history = await CaseEvent.select().where(CaseEvent.client_id == client_id,
                                             CaseEvent.event == actions.HANDED_OUT)
    assert [h["note"] for h in history] == ["Wohnungssuche Leitfaden (ar)",
                                            "Willkommensplakat (de)", "Arbeitsmarkt online (ar)"]
    logged, _ = await audit.entries(audit.AuditFilter(action="material.handed_out"), 10, 0)
    assert {e["entity_id"] for e in logged} >= {str(client_id)}
    assert "Wohnungssuche Leitfaden" in (await client.get(f"/clients/{client_id}")).text

    bundle = await client.get(f"/clients/{client_id}/material/bundle")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(bundle.content))
    assert len(reader.pages) == 1 + 2 + 1  # the slip, the two-page leaflet, the poster
    slip_text = reader.pages[0].extract_text()
    assert "ausgegebenes Informationsmaterial" in slip_text
    assert "Wohnungssuche Leitfaden" in slip_text and "https://example.org/arbeit" in slip_text
    assert "Wohnungssuche Seite 1" in reader.pages[1].extract_text()
    assert "Wohnungssuche Seite 2" in reader.pages[2].extract_text()


async def test_another_circle_cannot_hand_out(client: httpx.AsyncClient, make_user: MakeUser
                                              ) -> None:
    owner = (await make_user()).user
    client_id = await _case(owner)
    item = await actions.add_material(
        Actor.of_user(owner), SYSTEM_CLOCK, title="Wohnen", topic="housing", languages=["de"],
        review_on=date(2100, 1, 1), link="https://example.org/wohnen")
    other = (await make_user(legal_circle="sgb3")).user
    with pytest.raises(NotFound):
        await actions.hand_out(Actor.of_user(other), SYSTEM_CLOCK, client_id, item.id)


# --- the catalogue pages: upload ------------------------------------------------------------


async def test_the_upload_takes_a_pdf_and_refuses_what_is_too_large_or_not_a_pdf_or_image(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    _, csrf = await signed_in(client, make_user)
    fields = {"csrf_token": csrf, "title": "Kita-Anmeldung", "topic": "childcare",
              "languages": "ar, de", "review_on": "2100-01-01"}
    ok = await client.post("/materials", data=fields,
                           files={"file": ("kita.pdf", leaflet_pdf("Kita"), "application/pdf")})
    assert ok.status_code == 303, ok.text
    listed = (await client.get("/materials")).text
    assert "Kita-Anmeldung" in listed

    program = b"MZ\x90\x00 a program"
    named_pdf = await client.post("/materials", data=fields,
                                  files={"file": ("x.pdf", program, "application/pdf")})
    assert named_pdf.status_code == 422
    assert "Nur PDF-, PNG- oder JPEG-Dateien" in named_pdf.text

    too_large = b"%PDF-" + b"0" * files.MAX_FILE_BYTES
    large = await client.post("/materials", data=fields,
                              files={"file": ("big.pdf", too_large, "application/pdf")})
    assert large.status_code == 422
    assert "höchstens" in large.text
    huge = await client.post("/materials", data=fields, files={
        "file": ("huge.pdf", b"%PDF-" + b"0" * (3 * files.MAX_FILE_BYTES), "application/pdf")})
    assert huge.status_code == 413


async def test_the_api_adds_offers_and_hands_out_with_the_upload_limit(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made = await make_user()
    client_id = await _case(made.user)
    fields = {"title": "Mietrecht kurz", "topic": "housing", "languages": "fa,de",
              "review_on": "2100-01-01"}
    added = await client.post("/api/v1/materials", headers=made.headers, data=fields,
                              files={"file": ("m.pdf", leaflet_pdf("Miete"), "application/pdf")})
    assert added.status_code == 201, added.text
    material_id = added.json()["id"]
    offers = await client.get(f"/api/v1/clients/{client_id}/materials/offers",
                              headers=made.headers)
    assert [(o["material_id"], o["language"], o["fallback"]) for o in offers.json()] == [
        (material_id, "de", False)]  # the client speaks German too
    given = await client.post(f"/api/v1/clients/{client_id}/materials/{material_id}/hand-out",
                              headers=made.headers)
    assert given.status_code == 201 and given.json()["language"] == "de"
    wrong = await client.post("/api/v1/materials", headers=made.headers, data=fields,
                              files={"file": ("m.pdf", b"plain text", "application/pdf")})
    assert wrong.status_code == 422
    huge = await client.post("/api/v1/materials", headers=made.headers, data=fields, files={
        "file": ("m.pdf", b"%PDF-" + b"0" * (3 * files.MAX_FILE_BYTES), "application/pdf")})
    assert huge.status_code == 413


async def test_the_referral_slip_lists_what_was_handed_out_and_a_reviewed_file_is_offered_again(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    world = await make_world()
    referral_id = await sent(world, made)
    item = await actions.add_material(
        Actor.of_user(made.user), SYSTEM_CLOCK, title="Wohnberechtigungsschein erklärt",
        topic="housing", languages=["ar"], review_on=date(2026, 1, 1), file=leaflet_pdf("W"))
    assert (await client.post(f"/clients/{world.client_id}/material/{item.id}",
                              data={"csrf_token": csrf})).status_code == 422  # overdue
    replaced = await client.post(f"/materials/{item.id}/file",
                                 data={"csrf_token": csrf, "review_on": "2100-01-01"},
                                 files={"file": ("w.pdf", leaflet_pdf("W2"), "application/pdf")})
    assert replaced.status_code == 303, replaced.text
    assert (await client.post(f"/clients/{world.client_id}/material/{item.id}",
                              data={"csrf_token": csrf})).status_code == 303
    slip_page = (await client.get(f"/referrals/{referral_id}/slip")).text
    assert "Wohnberechtigungsschein erklärt" in slip_page
