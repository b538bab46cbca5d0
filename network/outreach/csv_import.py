"""Reading a CSV file of prospects, pure: bytes in, the column mapping, the records and every
problem (line and column) out. Hostile files are refused with a reason, never half read: a size
and a row limit, UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252 (what German
spreadsheets write), no NUL bytes, a quote left open named by its line. The delimiter is the
header's: semicolon (German Excel), comma or tab. Headers are matched by their German or
English names; unknown columns are shown and left out."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from network.errors import RuleViolation
from network.outreach import rules
from network.outreach.rules import ProspectData
from network.words.places import COUNTRIES, LANGUAGES
from network.words.vocabularies import RESIDENCE_STATUSES

MAX_BYTES = 512 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 40
MOST_PROBLEMS = 50

HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("vorname", "vornamen", "first name", "firstname", "given name"),
    "last_name": ("nachname", "familienname", "name", "last name", "lastname", "surname"),
    "date_of_birth": ("geburtsdatum", "geb", "geboren", "geboren am", "date of birth",
                      "birth date", "dob"),
    "birth_year": ("geburtsjahr", "jahrgang", "year of birth", "birth year"),
    "country_code": ("herkunftsland", "land", "herkunft", "staatsangehörigkeit",
                     "nationalität", "country", "nationality"),
    "residence_status": ("aufenthaltsstatus", "status", "aufenthalt", "residence status"),
    "residence_since": ("seit", "status seit", "aufenthalt seit", "gestattung seit",
                        "aufenthaltsstatus seit", "residence since"),
    "shelter": ("unterkunft", "einrichtung", "wohnheim", "shelter"),
    "address": ("anschrift", "adresse", "address"),
    "phone": ("telefon", "tel", "telefonnummer", "handy", "mobil", "phone"),
    "languages": ("sprachen", "sprache", "languages", "language"),
    "source_note": ("bemerkung", "bemerkungen", "hinweis", "notiz", "quelle", "note", "notes"),
}
_BY_HEADER = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
_COUNTRY_NAMES = {name.casefold(): code for code, name in COUNTRIES.items()}
_LANGUAGE_NAMES = {name.casefold(): code for code, name in LANGUAGES.items()}
_STATUS_NAMES = {name.casefold(): code for code, name in RESIDENCE_STATUSES.items()} | {
    "gestattung": "permission_to_reside", **{code: code for code in RESIDENCE_STATUSES}}


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header
    column: str | None  # the header as the file has it, or None for the whole line
    code: str  # a refusal code (network.words.refusals)
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # None: not taken over


@dataclass(frozen=True)
class Parsed:
    text: str  # the file as text, for the confirmation to send back
    columns: list[Column]
    rows: list[tuple[int, ProspectData]]  # (line, record)
    problems: list[Problem]

    def refuse(self) -> None:
        """RuleViolation naming the first problem's line and column, if there is one."""
        if self.problems:
            first = self.problems[0]
            raise RuleViolation("file", "prospect_import_malformed", line=first.line,
                                column=first.column or "–", problems=len(self.problems))


class Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def _line_of(body: bytes, offset: int) -> int:
    return body.count(b"\n", 0, offset) + 1


def decode(body: bytes) -> str:
    """The file as text, or Refused naming the line at fault."""
    if len(body) > MAX_BYTES:
        raise Refused(Problem(1, None, "prospect_import_too_large", {"max": MAX_BYTES // 1024}))
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = body.decode("utf-16")
        except UnicodeDecodeError:
            raise Refused(Problem(1, None, "prospect_import_encoding")) from None
    else:
        if b"\x00" in body:
            raise Refused(Problem(_line_of(body, body.index(b"\x00")), None, "contains_nul"))
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            try:
                text = body.decode("cp1252")
            except UnicodeDecodeError:
                raise Refused(Problem(_line_of(body, error.start), None,
                                      "prospect_import_encoding")) from None
    if "\x00" in text:
        raise Refused(Problem(1, None, "contains_nul"))
    return text


def _header_key(header: str) -> str:
    return " ".join(re.sub(r"[._\-:/*]+", " ", header).casefold().split())


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def _day(value: str) -> date:
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if found:
        return date(int(found[3]), int(found[2]), int(found[1]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    raise ValueError(value)


def _code(value: str, names: dict[str, str], codes: dict[str, str], upper: bool) -> str:
    code = value.upper() if upper else value.lower()
    if code in codes:
        return code
    if value.casefold() in names:
        return names[value.casefold()]
    raise ValueError(value)


def _record(cells: dict[str, str], legal_circle: str, source: str
            ) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The cells as ProspectData's fields, and (field, refusal code) for each unreadable one."""
    values: dict[str, object] = {}
    bad: list[tuple[str, str]] = []
    for name, raw in cells.items():
        value = raw.strip()
        if not value:
            continue
        try:
            if name in ("date_of_birth", "residence_since"):
                if name == "date_of_birth" and re.fullmatch(r"\d{4}", value):
                    values["birth_year"] = int(value)
                    continue
                values[name] = _day(value)
            elif name == "birth_year":
                if not re.fullmatch(r"\d{4}", value):
                    raise ValueError(value)
                values[name] = int(value)
            elif name == "country_code":
                values[name] = _code(value, _COUNTRY_NAMES, COUNTRIES, upper=True)
            elif name == "residence_status":
                values[name] = _STATUS_NAMES[value.casefold()]
            elif name == "languages":
                values[name] = tuple(_code(part.strip(), _LANGUAGE_NAMES, LANGUAGES, upper=False)
                                     for part in re.split(r"[,/|+]", value) if part.strip())
            else:
                values[name] = value
        except (ValueError, KeyError):
            bad.append((name, {"date_of_birth": "not_a_date", "residence_since": "not_a_date",
                               "birth_year": "whole_number",
                               "country_code": "prospect_unknown_country",
                               "residence_status": "not_allowed",
                               "languages": "prospect_unknown_language"}.get(name, "not_text")))
    values.update(legal_circle=legal_circle, source=source)
    return values, bad


def parse(body: bytes | str, legal_circle: str, source: str, today: date) -> Parsed:
    """Read the whole file; a file with any problem is one the import refuses as a whole."""
    try:
        text = body if isinstance(body, str) else decode(body)
    except Refused as refused:
        return Parsed("", [], [], [refused.problem])
    if len(text.encode("utf-8")) > 2 * MAX_BYTES:
        return Parsed("", [], [], [Problem(1, None, "prospect_import_too_large",
                                           {"max": MAX_BYTES // 1024})])
    text = text.lstrip("\ufeff")
    if not text.strip():
        return Parsed(text, [], [], [Problem(1, None, "prospect_import_empty")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(
        text.splitlines()[0]), strict=True)
    problems: list[Problem] = []
    rows: list[tuple[int, ProspectData]] = []
    try:
        headers = [h.strip() for h in next(reader)]
    except csv.Error:
        return Parsed(text, [], [], [Problem(1, None, "prospect_import_unreadable")])
    if len(headers) > MAX_COLUMNS:
        return Parsed(text, [], [], [Problem(1, None, "prospect_import_too_many_columns",
                                             {"max": MAX_COLUMNS})])
    columns = [Column(h, _BY_HEADER.get(_header_key(h))) for h in headers]
    seen: dict[str, str] = {}
    for column in columns:
        if column.field is None:
            continue
        if column.field in seen:
            problems.append(Problem(1, column.header, "prospect_import_duplicate_column",
                                    {"other": seen[column.field]}))
        seen.setdefault(column.field, column.header)
    if "first_name" not in seen and "last_name" not in seen:
        problems.append(Problem(1, None, "prospect_import_no_name_column"))
    header_of = {column.field: column.header for column in reversed(columns) if column.field}
    while len(problems) < MOST_PROBLEMS:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(Problem(line, None, "prospect_import_unreadable"))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(line, None, "prospect_import_too_many_rows",
                                    {"max": MAX_ROWS}))
            break
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append(Problem(line, None, "prospect_import_too_many_cells",
                                    {"expected": len(columns), "found": len(cells)}))
            continue
        mapped = {c.field: cell for c, cell in zip(columns, cells, strict=False)
                  if c.field and seen.get(c.field) == c.header}
        values, bad = _record(mapped, legal_circle, source)
        for name, code in bad:
            problems.append(Problem(line, header_of.get(name), code))
        if bad:
            continue
        try:
            record = rules.checked(ProspectData(**values), today,  # type: ignore[arg-type]
                                   COUNTRIES, LANGUAGES)
        except RuleViolation as violation:
            problems.append(Problem(line, header_of.get(violation.field), violation.code,
                                    dict(violation.params)))
            continue
        rows.append((line, record))
    if not rows and not problems:
        problems.append(Problem(1, None, "prospect_import_empty"))
    return Parsed(text, columns, rows, problems[:MOST_PROBLEMS])
