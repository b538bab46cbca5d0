"""Outreach (issue 19): prospects entered by hand and imported from CSV (the mapping, likely
duplicates among prospects and clients, a malformed file refused naming the line and column,
nothing half-imported, hostile sizes and encodings), the worklist's order and the prospect
rule, contact attempts and parking, and conversion into a case."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from network.accounts.tables import AuditLog
from network.actors import Actor
from network.cases import actions as case_actions
from network.cases import subject_access
from network.clock import BERLIN, FixedClock
from network.errors import Conflict, NotFound, RuleViolation
from network.outreach import actions, csv_import, queries, rules
from network.outreach.rules import ProspectData
from network.outreach.tables import Prospect, ProspectContact, ProspectImport
from tests.support.app import MakeUser
from tests.support.factories import client_data

TODAY = date(2026, 11, 20)
CSV = (
    "Vorname;Nachname;Geburtsdatum;Herkunftsland;Aufenthaltsstatus;Unterkunft;Sprachen;Farbe\n"
    "Amal;Haddad;01.02.1990;Syrien;Aufenthaltsgestattung;ZUE Heinsberg;Arabisch, Kurdisch;rot\n"
    "Yohannes;Tesfaye;1988;ER;;Haus am See;ti;blau\n"
    "Reza;Ahmadi;1995-07-03;Iran;Gestattung;;fa;\n"
)


def clock(days: int = 0) -> FixedClock:
    return FixedClock(datetime(2026, 11, 20, 9, tzinfo=UTC) + timedelta(days=days))


async def coordinator(make_user: MakeUser, circle: str = "sgb3") -> Actor:
    return Actor.of_user((await make_user(legal_circle=circle)).user)


def person(**changes) -> ProspectData:
    values = dict(legal_circle="sgb3", source="shelter", first_name="Amal",
                  last_name="Haddad", date_of_birth=date(1990, 2, 1), country_code="SY",
                  languages=("ar",))
    return ProspectData(**(values | changes))  # type: ignore[arg-type]


# --- the file, pure --------------------------------------------------------------------------


def test_the_import_maps_german_headers_and_reads_names_of_countries_and_languages() -> None:
    parsed = csv_import.parse(CSV.encode(), "sgb3", "shelter", TODAY)
    assert parsed.problems == []
    assert [(c.header, c.field) for c in parsed.columns] == [
        ("Vorname", "first_name"), ("Nachname", "last_name"),
        ("Geburtsdatum", "date_of_birth"), ("Herkunftsland", "country_code"),
        ("Aufenthaltsstatus", "residence_status"), ("Unterkunft", "shelter"),
        ("Sprachen", "languages"), ("Farbe", None)]
    (line1, amal), (line2, yohannes), (_, reza) = parsed.rows
    assert (line1, amal.date_of_birth, amal.country_code, amal.languages,
            amal.residence_status) == (2, date(1990, 2, 1), "SY", ("ar", "ku"),
                                       "permission_to_reside")
    assert (line2, yohannes.date_of_birth, yohannes.birth_year) == (3, None, 1988)
    assert reza.residence_status == "permission_to_reside" and reza.country_code == "IR"


def test_a_malformed_file_names_the_line_and_the_column_at_fault() -> None:
    bad = CSV.replace("1995-07-03", "31.02.1995").replace("ER;", "Atlantis;")
    parsed = csv_import.parse(bad.encode(), "sgb3", "shelter", TODAY)
    assert [(p.line, p.column, p.code) for p in parsed.problems] == [
        (3, "Herkunftsland", "prospect_unknown_country"),
        (4, "Geburtsdatum", "not_a_date")]
    with pytest.raises(RuleViolation) as refused:
        parsed.refuse()
    assert refused.value.code == "prospect_import_malformed"
    assert (refused.value.params["line"], refused.value.params["column"]) == (3, "Herkunftsland")
    assert "Zeile 3, Spalte Herkunftsland" in refused.value.german


@pytest.mark.parametrize(("body", "line", "code"), [
    (b"", 1, "prospect_import_empty"),
    (b"Farbe;Form\nrot;rund\n", 1, "prospect_import_no_name_column"),
    (b"Vorname;Nachname\nA;B\nC;\"D\n", 3, "prospect_import_unreadable"),  # quote left open
    (b"Vorname;Nachname\nA;B\nC\x00;D\n", 3, "contains_nul"),
    (b"Vorname;Nachname\nA;B;C\n", 2, "prospect_import_too_many_cells"),
    (b"Vorname;Name;Nachname\nA;B;C\n", 1, "prospect_import_duplicate_column"),
    (b"Vorname;Nachname\n" + b"A;B\n" * (csv_import.MAX_ROWS + 1), csv_import.MAX_ROWS + 2,
     "prospect_import_too_many_rows"),
    (b"Vorname;Nachname\n" + b"x" * csv_import.MAX_BYTES, 1, "prospect_import_too_large"),
    (b"Vorname;Nachname\nA;" + b"B" * 200 + b"\n", 2, "too_long"),
])
def test_hostile_files_are_refused_with_their_line(body: bytes, line: int, code: str) -> None:
    parsed = csv_import.parse(body, "sgb3", "other", TODAY)
    assert parsed.rows == [] or parsed.problems
    assert (parsed.problems[0].line, parsed.problems[0].code) == (line, code)


def test_spreadsheet_encodings_are_read() -> None:
    text = "Vorname;Nachname;Geburtsjahr\nAyşe;Öztürk;1990\n"
    windows = "Vorname;Nachname;Geburtsjahr\nJosé;Müller;1990\n".encode("cp1252")
    for body in (text.encode("utf-8-sig"), text.encode("utf-16"),
                 text.replace(";", ",").encode()):
        (_, record), = csv_import.parse(body, "sgb3", "other", TODAY).rows
        assert (record.first_name, record.last_name, record.birth_year) == (
            "Ayşe", "Öztürk", 1990)
    (_, record), = csv_import.parse(windows, "sgb3", "other", TODAY).rows
    assert record.last_name == "Müller"
    undecodable = b"Vorname;Nachname\nA;B\n\x81\xff;C\n"  # neither UTF-8 nor Windows-1252
    assert [(p.line, p.code) for p in csv_import.parse(undecodable, "sgb3", "o", TODAY)
            .problems] == [(3, "prospect_import_encoding")]


def test_parking_after_the_configured_attempts_without_contact() -> None:
    assert rules.park_reason_after(["not_reached"] * 2, 3) is None
    assert rules.park_reason_after(["not_reached"] * 3, 3) == "no_contact"
    assert rules.park_reason_after(["reached", "not_reached", "not_reached"], 3) is None
    assert rules.park_reason_after(["not_reached", "declined"], 3) == "declined"
    assert rules.park_reason_after(["not_reached"], 1) == "no_contact"
    assert rules.park_reason_after(["not_reached"] * 4, 3) is None  # taken back: a new run
    assert rules.park_reason_after(["not_reached"] * 6, 3) == "no_contact"
    assert rules.park_reason_after(["reached"] + ["not_reached"] * 3, 3) == "no_contact"


# --- with the database -----------------------------------------------------------------------


async def test_the_preview_warns_of_duplicates_and_the_import_applies_all_or_nothing(
        pool, make_user: MakeUser) -> None:
    me = await coordinator(make_user)
    other_circle = await coordinator(make_user, "sgb2")
    await case_actions.create_client(me, clock(), client_data(
        first_name="Reza", last_name="Ahmadi", date_of_birth=date(1995, 7, 3),
        legal_circle="sgb3", coordinator_id=me.user_id), barrier_kinds=[])
    await actions.add_prospect(me, clock(), person(first_name="Amaal", last_name="Hadad"))
    await actions.add_prospect(other_circle, clock(), person(legal_circle="sgb2",
                                                             first_name="Yohannes",
                                                             last_name="Tesfaye",
                                                             date_of_birth=None,
                                                             birth_year=1988))
    twice = CSV + "Johannes;Tesfay;;Eritrea;;;;\n"  # the same person again, by year only
    twice = twice.replace("Johannes;Tesfay;;", "Johannes;Tesfay;1988;")
    preview = await actions.preview_import(me, clock(), twice.encode(), "shelter")
    assert preview.parsed.problems == []
    assert {line: [(m.kind, m.first_name) for m in found]
            for line, found in preview.duplicates.items()} == {
        2: [("prospect", "Amaal")], 4: [("client", "Reza")], 5: [("line", "Yohannes")]}
    assert await Prospect.count() == 2  # the preview writes nothing

    broken = twice + "Mina;Karimi;99.99.2000;Iran;;;;\n"
    with pytest.raises(RuleViolation) as refused:
        await actions.import_prospects(me, clock(), broken, "shelter")
    assert refused.value.params["line"] == 6 and refused.value.params["column"] == "Geburtsdatum"
    assert await Prospect.count() == 2 and await ProspectImport.count() == 0

    result = await actions.import_prospects(me, clock(), twice, "shelter",
                                            file_name="liste.csv", expected_rows=4)
    assert (result.added, result.skipped) == (1, 3)  # the three likely duplicates left out
    batch = await ProspectImport.select().first()
    assert (batch["rows_added"], batch["legal_circle"], batch["file_name"]) == (
        1, "sgb3", "liste.csv")
    added = await Prospect.select().where(Prospect.import_id == result.import_id).first()
    assert added["first_name"] == "Yohannes" and added["name_codes"]
    everything = await actions.import_prospects(me, clock(), twice, "shelter",
                                                skip_duplicates=False)
    assert everything.added == 4
    entry = await AuditLog.select().where(AuditLog.action == "prospect.imported").order_by(
        AuditLog.id, ascending=False).first()
    assert "Haddad" not in entry["details"] and '"added": 4' in entry["details"]


async def test_a_hand_entry_refuses_a_likely_duplicate_until_confirmed(
        pool, make_user: MakeUser) -> None:
    me = await coordinator(make_user)
    await actions.add_prospect(me, clock(), person())
    with pytest.raises(Conflict) as conflict:
        await actions.add_prospect(me, clock(), person(first_name="Amal", last_name="Hadad"))
    assert conflict.value.code == "possible_duplicate_prospect"
    await actions.add_prospect(me, clock(), person(last_name="Hadad"), duplicate_confirmed=True)
    with pytest.raises(RuleViolation) as refused:
        await actions.add_prospect(me, clock(), person(country_code="XX"))
    assert refused.value.field == "country_code"
    with pytest.raises(RuleViolation):  # a coordinator enters prospects of their own circle
        await actions.add_prospect(me, clock(), person(legal_circle="sgb2",
                                                       first_name="Neu"))


async def test_the_worklist_holds_good_prospects_the_longest_waiting_first_within_the_circle(
        pool, make_user: MakeUser) -> None:
    me = await coordinator(make_user)
    colleague = await coordinator(make_user, "sgb2")
    ids = {}
    for days, first, country in ((2, "Zweite", "IQ"), (0, "Erste", "SY"), (5, "Dritte", "ER"),
                                 (1, "Ohne", "TR"), (3, "Kein Land", None)):
        ids[first] = await actions.add_prospect(me, clock(days), person(
            first_name=first, last_name="Test", date_of_birth=None, country_code=country))
    await actions.add_prospect(colleague, clock(), person(legal_circle="sgb2"))
    good = await actions.good_countries(TODAY)
    assert {"SY", "IR", "IQ", "ER"} <= set(good) and "TR" not in good
    listed = await queries.waiting(me, good, good=True, limit=50)
    assert [row["first_name"] for row in listed] == ["Erste", "Zweite", "Dritte"]
    others = await queries.waiting(me, good, good=False, limit=50)
    assert [row["first_name"] for row in others] == ["Ohne", "Kein Land"]
    assert [row["first_name"] for row in await queries.waiting(colleague, good, good=True,
                                                                limit=50)] == ["Amal"]
    with pytest.raises(NotFound):  # the other circle's prospect is not found
        await actions.read_prospect(colleague, clock(), ids["Erste"])
    await actions.park(me, clock(), ids["Erste"], "moved_away")
    assert [row["first_name"] for row in await queries.waiting(me, good, good=True, limit=50)
            ] == ["Zweite", "Dritte"]
    assert [row["first_name"] for row in await queries.parked(me, 10)] == ["Erste"]
    await actions.unpark(me, clock(), ids["Erste"])
    assert (await queries.waiting(me, good, good=True, limit=1))[0]["first_name"] == "Erste"


async def test_attempts_without_contact_park_the_prospect(pool, make_user: MakeUser) -> None:
    me = await coordinator(make_user)
    prospect_id = await actions.add_prospect(me, clock(), person())
    for day in (1, 2):
        assert await actions.record_attempt(
            me, clock(5), prospect_id, on_day=TODAY + timedelta(days=day), channel="phone",
            outcome="not_reached", max_attempts=3) is None
    with pytest.raises(RuleViolation) as refused:  # an invitation needs its appointment
        await actions.record_attempt(me, clock(5), prospect_id, on_day=TODAY,
                                     channel="letter", outcome="invited")
    assert refused.value.field == "appointment_at"
    with pytest.raises(RuleViolation):  # no attempts in the future
        await actions.record_attempt(me, clock(), prospect_id, on_day=TODAY + timedelta(1),
                                     channel="phone", outcome="not_reached")
    assert await actions.record_attempt(
        me, clock(5), prospect_id, on_day=TODAY + timedelta(days=3), channel="shelter_visit",
        outcome="not_reached", max_attempts=3) == "no_contact"
    row = await Prospect.select().where(Prospect.id == prospect_id).first()
    assert (row["status"], row["park_reason"], row["first_contact_at"]) == (
        "parked", "no_contact", None)
    with pytest.raises(RuleViolation):
        await actions.record_attempt(me, clock(5), prospect_id, on_day=TODAY,
                                     channel="phone", outcome="reached")
    await actions.unpark(me, clock(6), prospect_id)
    appointment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert await actions.record_attempt(
        me, clock(6), prospect_id, on_day=TODAY + timedelta(days=6), channel="letter",
        outcome="invited", appointment_at=appointment, appointment_place="Raum 3") is None
    row = await Prospect.select().where(Prospect.id == prospect_id).first()
    assert row["status"] == "waiting"
    assert row["first_contact_at"].astimezone(BERLIN).date() == date(2026, 11, 26)
    invited = await ProspectContact.select().where(ProspectContact.outcome == "invited").first()
    assert (invited["appointment_at"], invited["appointment_place"]) == (appointment, "Raum 3")


async def test_converting_carries_the_data_over_once_and_links_the_two(
        pool, make_user: MakeUser) -> None:
    me = await coordinator(make_user)
    prospect_id = await actions.add_prospect(me, clock(), person(
        date_of_birth=None, birth_year=1990, shelter="ZUE Heinsberg", phone="0170 123",
        residence_status="permission_to_reside", languages=("ar", "ku")))
    without = await actions.add_prospect(me, clock(), person(
        first_name="Deniz", last_name="Kaya", country_code="TR",
        residence_status="permission_to_reside"))
    with pytest.raises(RuleViolation) as refused:  # a year is not a birth date
        await actions.convert(me, clock(1), prospect_id, actions.Conversion(
            case_kind="enrolled", gender="female"))
    assert refused.value.code == "prospect_needs_birth_date"
    with pytest.raises(RuleViolation) as refused:  # no good prospects: first consultation
        await actions.convert(me, clock(1), without, actions.Conversion(
            case_kind="enrolled", gender="male", enrolment_reason="Ausnahme"))
    assert refused.value.code == "prospect_first_consultation_only"
    client = await actions.convert(me, clock(1), prospect_id, actions.Conversion(
        case_kind="enrolled", gender="female", date_of_birth=date(1990, 2, 1),
        levels={"ar": "C2"}))
    assert (client.first_name, client.last_name, client.date_of_birth, client.country_of_origin,
            client.case_kind.value, client.legal_circle.value, client.phone) == (
        "Amal", "Haddad", date(1990, 2, 1), "SY", "enrolled", "sgb3", "0170 123")
    assert [s.language for s in client.languages] == ["ar"] and "ku" in (client.notes or "")
    assert client.address == "ZUE Heinsberg"
    row = await Prospect.select().where(Prospect.id == prospect_id).first()
    assert (row["status"], row["client_id"]) == ("converted", client.id)
    good = await actions.good_countries(TODAY)
    assert prospect_id not in [r["id"] for r in await queries.waiting(me, good, good=True,
                                                                      limit=50)]
    with pytest.raises(RuleViolation):  # once
        await actions.convert(me, clock(1), prospect_id, actions.Conversion(
            case_kind="first_consultation", gender="female"))
    first = await actions.convert(me, clock(1), without, actions.Conversion(
        case_kind="first_consultation", gender="male"))
    assert first.case_kind.value == "first_consultation"
    outreach = (await subject_access.gather(client.id))["outreach"]
    assert [row["part"] for row in outreach] == ["prospect"]  # the client's data report


async def test_a_refused_case_leaves_the_prospect_waiting(pool, make_user: MakeUser) -> None:
    me = await coordinator(make_user)
    await case_actions.create_client(me, clock(), client_data(
        first_name="Amal", last_name="Haddad", date_of_birth=date(1990, 2, 1),
        legal_circle="sgb3", coordinator_id=me.user_id), barrier_kinds=[])
    prospect_id = await actions.add_prospect(me, clock(), person(
        residence_status="permission_to_reside"), duplicate_confirmed=True)
    with pytest.raises(Conflict):  # a possible duplicate client: confirm first
        await actions.convert(me, clock(1), prospect_id, actions.Conversion(
            case_kind="enrolled", gender="female"))
    row = await Prospect.select().where(Prospect.id == prospect_id).first()
    assert (row["status"], row["client_id"]) == ("waiting", None)
    client = await actions.convert(me, clock(1), prospect_id, actions.Conversion(
        case_kind="enrolled", gender="female"), duplicate_confirmed=True)
    assert client.id
