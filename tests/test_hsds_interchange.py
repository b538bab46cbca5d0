"""HSDS 3.0 interchange (issue 16): the directory exported as an HSDS tabular data package that
the specification's compiled schemas accept, imported again without duplicates, changes shown
before they apply, malformed packages refused at their line and column, and the HSDS API's
read endpoints."""

from __future__ import annotations

import asyncio
import csv
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from network.cases.values import BarrierKind
from network.cli import main, run_on_database
from network.clock import SYSTEM_CLOCK
from network.partners import actions, hsds, hsds_directory, hsds_io, service
from network.partners.kinds import PartnerKind
from network.partners.service import ContactPerson
from tests.support.app import make_settings
from tests.support.database import ROOT, empty_tables
from tests.support.factories import SYSTEM_ACTOR, partner_data


def _reference() -> Path:
    """The HSDS 3.0 reference files: ../shared/hsds beside the checkout (as in CI), else the
    machine's shared copy. Missing files fail the tests: they are the point of them."""
    for folder in (ROOT.parent / "shared" / "hsds", Path("/work/shared/hsds")):
        if (folder / "datapackage.json").is_file():
            return folder
    raise AssertionError(f"HSDS reference files missing: expected {ROOT.parent}/shared/hsds")


HSDS = _reference()


def _schema(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((HSDS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


ORGANIZATION = _schema("organization.json")
SERVICE = _schema("service.json")


def _valid(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == [], errors


PARTNERS = (
    partner_data(contacts=(ContactPerson("Petra Lenzen", "Beratung",
                                         "p.lenzen@caritas-hs.example", "02452 1234-12"),
                           ContactPerson("Ali Karimi", None, None, None)),
                 referral_emails=("migration@caritas-hs.example", "info@caritas-hs.example")),
    partner_data(name="Ausländerbehörde Kreis Heinsberg", kind=PartnerKind.IMMIGRATION_OFFICE,
                 street=None, postal_code=None, city=None, phone=None, contacts=(),
                 referral_emails=("abh@kreis-heinsberg.example",), languages=("de",),
                 barrier_kinds=(BarrierKind.RESIDENCE_LEGAL, BarrierKind.DOCUMENTS),
                 opening_hours=None),
    partner_data(name="Sprachschule Erkelenz", kind=PartnerKind.COURSE_PROVIDER,
                 street="Markt 5", postal_code="41812", city="Erkelenz",
                 referral_emails=(), languages=("de", "en", "uk"),
                 barrier_kinds=(BarrierKind.LANGUAGE,), active=False,
                 opening_hours="Mo–Fr 8–16 Uhr\nSa nach Vereinbarung"),
)


def test_the_resources_have_the_fields_of_the_hsds_datapackage_in_its_order() -> None:
    reference = json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in reference["resources"]}
    for name, (path, fields) in hsds.RESOURCES.items():
        assert path == by_name[name]["path"], name
        assert [(f["name"], f["type"]) for f in by_name[name]["schema"]["fields"]] == list(
            fields), name


async def test_every_exported_organization_and_service_validates_against_hsds_3(
        pool: str) -> None:
    for data in PARTNERS:
        await actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, data)
    entries = [entry for _id, entry in await hsds_directory.directory()]
    assert len(entries) == 3
    for entry in entries:
        _valid(ORGANIZATION, hsds.organization_document(entry, date(2026, 11, 30)))
        _valid(SERVICE, hsds.service_document(entry, date(2026, 11, 30)))
    caritas = next(e for e in entries if e.name.startswith("Caritas"))
    document = hsds.organization_document(caritas, date(2026, 11, 30))
    assert [c["name"] for c in document["contacts"]] == ["Petra Lenzen", "Ali Karimi"]
    assert document["contacts"][0]["phones"][0]["number"] == "02452 1234-12"
    assert document["locations"][0]["addresses"][0]["postal_code"] == "52525"
    assert document["attributes"][0]["taxonomy_term"]["code"] == "partner_kind:association"
    school = hsds.service_document(next(e for e in entries if e.name.startswith("Sprach")),
                                   date(2026, 11, 30))
    assert school["status"] == "inactive"
    assert [lang["code"] for lang in school["languages"]] == ["de", "en", "uk"]
    assert school["schedules"][0]["description"] == "Mo–Fr 8–16 Uhr\nSa nach Vereinbarung"


def test_the_mapping_reads_back_what_it_writes_pause_and_municipalities_included() -> None:
    entries = [
        hsds.Entry(organization_id=hsds.partner_organization_id(i), name=d.name, kind=d.kind,
                   street=d.street, postal_code=d.postal_code, city=d.city, phone=d.phone,
                   referral_emails=d.referral_emails, contacts=d.contacts,
                   languages=d.languages, barrier_kinds=d.barrier_kinds,
                   opening_hours=d.opening_hours, active=d.active)
        for i, d in enumerate(PARTNERS, start=1)]
    entries[0] = replace(entries[0], paused_until=date(2026, 12, 31),
                         served_municipalities=("Heinsberg", "Wassenberg"))
    tables = hsds.package_tables(entries, date(2026, 11, 30))
    [service_row] = [s for s in tables["service"] if s["name"] == entries[0].name]
    assert service_row["status"] == "temporarily closed"
    assert service_row["alert"] == "Keine Aufnahme bis 2026-12-31"
    rows = {name: hsds_io.read_csv(name, path, hsds_io.csv_text(name, tables[name]).encode())
            for name, (path, _fields) in hsds.RESOURCES.items()}
    read = [entry for entry, _row in hsds.entries_from(rows)]
    assert sorted(read, key=lambda e: e.name) == sorted(entries, key=lambda e: e.name)
    after_the_pause = hsds.package_tables(entries, date(2027, 1, 1))
    assert {s["status"] for s in after_the_pause["service"]} == {"active", "inactive"}


# -- the command, against the real database -----------------------------------------------------

def _cli(db: str, tmp_path: Path, *args: str, answer: str | None = None) -> Result:
    env = {"DATABASE_URL": db, "DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    return CliRunner().invoke(main, list(args), env=env, input=answer)


def _on_database(db: str, tmp_path: Path, work: Any) -> Any:
    return run_on_database(make_settings(tmp_path, DATABASE_URL=db), lambda _run: work())


async def _add_partners() -> None:
    for data in PARTNERS:
        await actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, data)


async def _partners() -> list[service.Partner]:
    return list((await service.search_partners(active=None, limit=100)).items)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_directory(
        db: str, app_tables: list[str], tmp_path: Path) -> None:
    _on_database(db, tmp_path, _add_partners)
    first = _cli(db, tmp_path, "directory", "export", str(tmp_path / "first"))
    assert first.exit_code == 0, first.output
    reference = json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))
    for resource in reference["resources"]:
        if (tmp_path / "first" / resource["path"]).exists():
            with (tmp_path / "first" / resource["path"]).open(encoding="utf-8") as file:
                header = next(csv.reader(file))
            assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]

    asyncio.run(empty_tables(db, app_tables))
    imported = _cli(db, tmp_path, "directory", "import", str(tmp_path / "first"), "--yes")
    assert imported.exit_code == 0, imported.output
    assert "3 neu / new, 0 geändert / changed" in imported.output
    second = _cli(db, tmp_path, "directory", "export", str(tmp_path / "second"))
    assert second.exit_code == 0, second.output
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    stored = _on_database(db, tmp_path, _partners)
    assert {(p.name, p.kind, p.contacts, p.referral_emails, p.languages, p.barrier_kinds,
             p.opening_hours, p.active) for p in stored} == {
        (d.name, d.kind, d.contacts, d.referral_emails, d.languages, d.barrier_kinds,
         d.opening_hours, d.active) for d in PARTNERS}

    again = _cli(db, tmp_path, "directory", "import", str(tmp_path / "second"), "--yes")
    assert again.exit_code == 0, again.output
    assert "0 neu / new, 0 geändert / changed, 3 unverändert / unchanged" in again.output
    assert len(_on_database(db, tmp_path, _partners)) == 3


def _rewrite(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_phone_shows_as_a_change_and_applies_only_on_yes(
        db: str, tmp_path: Path) -> None:
    _on_database(db, tmp_path, _add_partners)
    package = tmp_path / "package"
    assert _cli(db, tmp_path, "directory", "export", str(package)).exit_code == 0
    _rewrite(package / "phones.csv", "02452 1234-0", "02452 9999-0")

    declined = _cli(db, tmp_path, "directory", "import", str(package), answer="n\n")
    assert "geändert / changed: Caritasverband Heinsberg" in declined.output
    assert "Telefon (phone): '02452 1234-0' -> '02452 9999-0'" in declined.output
    assert "Nichts übernommen. / Nothing imported." in declined.output
    phones = {p.name: p.phone for p in _on_database(db, tmp_path, _partners)}
    assert phones["Caritasverband Heinsberg – Migrationsberatung"] == "02452 1234-0"

    applied = _cli(db, tmp_path, "directory", "import", str(package), "--yes")
    assert applied.exit_code == 0, applied.output
    assert "1 geändert / changed" in applied.output
    partners = _on_database(db, tmp_path, _partners)
    assert len(partners) == 3
    phones = {p.name: p.phone for p in partners}
    assert phones["Caritasverband Heinsberg – Migrationsberatung"] == "02452 9999-0"


def test_a_partner_matched_by_name_gets_no_twin_and_keeps_the_hsds_id_it_came_with(
        db: str, tmp_path: Path) -> None:
    _on_database(db, tmp_path, _add_partners)
    package = tmp_path / "package"
    assert _cli(db, tmp_path, "directory", "export", str(package)).exit_code == 0
    caritas = next(p for p in _on_database(db, tmp_path, _partners)
                   if p.name.startswith("Caritas"))
    theirs = "0b6f1c3e-8f7a-4c1e-9d2b-5a4e3f2d1c0b"
    for file in package.glob("*.csv"):
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace(str(hsds.partner_organization_id(caritas.id)), theirs),
                        encoding="utf-8")
    result = _cli(db, tmp_path, "directory", "import", str(package), "--yes")
    assert result.exit_code == 0, result.output
    assert "0 neu / new" in result.output
    assert len(_on_database(db, tmp_path, _partners)) == 3
    exported = tmp_path / "exported"
    assert _cli(db, tmp_path, "directory", "export", str(exported)).exit_code == 0
    assert theirs in (exported / "organizations.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "where"), [
    ("organizations.csv", "\n", ",extra\n", "organizations.csv, line 2, column 14"),
    ("services.csv", ",Ausländerbehörde", "x,Ausländerbehörde",
     "services.csv, line 2, column 3: program_id is not a UUID"),
    ("languages.csv", ",uk,", ",ukrainisch,", "languages.csv, line 8, column 6: code: "),
    ("contacts.csv", ",p.lenzen@caritas-hs.example", ",p.lenzen(at)caritas",
     "contacts.csv, line 3, column 9: email: "),
])
def test_a_malformed_package_is_refused_with_file_line_and_column_and_nothing_imported(
        db: str, app_tables: list[str], tmp_path: Path, file: str, old: str, new: str,
        where: str) -> None:
    _on_database(db, tmp_path, _add_partners)
    package = tmp_path / "package"
    assert _cli(db, tmp_path, "directory", "export", str(package)).exit_code == 0
    asyncio.run(empty_tables(db, app_tables))
    _rewrite(package / file, old, new)
    result = _cli(db, tmp_path, "directory", "import", str(package), "--yes")
    assert result.exit_code == 1
    assert "malformed package, nothing imported" in result.output
    assert where in result.output
    assert _on_database(db, tmp_path, _partners) == []


# -- the HSDS API ----------------------------------------------------------------------------

async def test_the_hsds_api_pages_organizations_and_services_that_validate(
        client: Any, make_user: Any) -> None:
    await _add_partners()
    coordinator = await make_user("coordinator")
    listed = await client.get("/api/v1/hsds/organizations", params={"per_page": 2},
                              headers=coordinator.headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert {k: body[k] for k in ("total_items", "total_pages", "page_number", "size",
                                 "first_page", "last_page", "empty")} == {
        "total_items": 3, "total_pages": 2, "page_number": 1, "size": 2,
        "first_page": True, "last_page": False, "empty": False}
    second = (await client.get("/api/v1/hsds/organizations",
                               params={"per_page": 2, "page": 2},
                               headers=coordinator.headers)).json()
    assert second["size"] == 1 and second["last_page"] is True
    for organization in body["contents"] + second["contents"]:
        _valid(ORGANIZATION, organization)
        one = await client.get(f"/api/v1/hsds/organizations/{organization['id']}",
                               headers=coordinator.headers)
        assert one.status_code == 200
        _valid(ORGANIZATION, one.json())
        assert one.json()["services"]
    services = (await client.get("/api/v1/hsds/services", params={"full": "true"},
                                 headers=coordinator.headers)).json()
    assert services["total_items"] == 3
    for item in services["contents"]:
        _valid(SERVICE, item)
        one = await client.get(f"/api/v1/hsds/services/{item['id']}",
                               headers=coordinator.headers)
        _valid(SERVICE, one.json())
        assert one.json()["organization"]["id"] == item["organization_id"]
    missing = await client.get("/api/v1/hsds/services/" + "0" * 8 + "-0000-0000-0000-"
                               + "0" * 12, headers=coordinator.headers)
    assert missing.status_code == 404
    viewer = await make_user("viewer")
    assert (await client.get("/api/v1/hsds/organizations",
                             headers=viewer.headers)).status_code == 403
    assert (await client.get("/api/v1/hsds/services")).status_code == 401


def test_ambiguous_matches_are_reported_and_refused(db: str, tmp_path: Path) -> None:
    _on_database(db, tmp_path, _add_partners)
    package = tmp_path / "package"
    assert _cli(db, tmp_path, "directory", "export", str(package)).exit_code == 0
    organizations = package / "organizations.csv"
    lines = organizations.read_text(encoding="utf-8").splitlines(keepends=True)
    twin = lines[2].replace(lines[2].split(",", 1)[0], "1d3e5f7a-9b8c-4d6e-8f0a-1b2c3d4e5f6a")
    organizations.write_text("".join([*lines, twin]), encoding="utf-8")

    result = _cli(db, tmp_path, "directory", "import", str(package), "--yes")
    assert result.exit_code == 0, result.output
    assert ("mehrdeutig, nicht übernommen / ambiguous, refused: Caritasverband Heinsberg – "
            "Migrationsberatung (organizations.csv, line 5): the same name as "
            "organizations.csv, line 3") in result.output
    assert "0 neu / new, 0 geändert / changed, 3 unverändert / unchanged, 1 mehrdeutig" \
        in result.output
    assert len(_on_database(db, tmp_path, _partners)) == 3

    minimal = tmp_path / "minimal"  # another system's package: organizations only
    minimal.mkdir()
    (minimal / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "organization", "path": "organizations.csv"}]}), encoding="utf-8")
    (minimal / "organizations.csv").write_text("".join([lines[0], twin]), encoding="utf-8")
    first = _cli(db, tmp_path, "directory", "import", str(minimal), answer="n\n")
    assert "0 neu / new, 1 geändert / changed" in first.output, first.output
    assert "Telefon (phone): '02452 1234-0' -> None" in first.output
    assert "Art (kind)" not in first.output  # no kinds in the package: kept
    applied = _cli(db, tmp_path, "directory", "import", str(minimal), "--yes")
    assert applied.exit_code == 0, applied.output
    other = "2e4f6a8b-0c1d-4e3f-9a5b-7c8d9e0f1a2b"
    (minimal / "organizations.csv").write_text(
        "".join([lines[0], twin.replace(twin.split(",", 1)[0], other)]), encoding="utf-8")
    second = _cli(db, tmp_path, "directory", "import", str(minimal), "--yes")
    assert second.exit_code == 0, second.output
    assert "which has the HSDS id 1d3e5f7a-9b8c-4d6e-8f0a-1b2c3d4e5f6a" in second.output
    assert "0 neu / new, 0 geändert / changed, 0 unverändert / unchanged, 1 mehrdeutig" \
        in second.output
    partners = _on_database(db, tmp_path, _partners)
    assert len(partners) == 3
    caritas = next(p for p in partners if p.name.startswith("Caritas"))
    assert caritas.phone is None and caritas.kind == PartnerKind.ASSOCIATION
