"""HSDS tabular data packages on disk: writing the directory's tables as datapackage.json and
one CSV per resource (the fields and their order of the HSDS 3.0 data package), and reading
such a package back into rows that know their file, line and column (network.partners.hsds)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from network.partners.hsds import RESOURCES, PackageError, Record, Row

DESCRIPTOR = "datapackage.json"


def descriptor() -> dict:
    return {
        "name": "network-partner-directory",
        "title": "Partner directory of the Integration Point",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "homepage": "http://docs.openreferral.org",
        "license": {"url": "https://creativecommons.org/licenses/by-sa/4.0/",
                    "type": "CC-BY-SA-4.0"},
        "resources": [
            {"name": name, "path": path, "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {"fields": [{"name": f, "type": t} for f, t in fields],
                        "primaryKey": "id"}}
            for name, (path, fields) in RESOURCES.items()],
    }


def csv_text(name: str, rows: Sequence[Record]) -> str:
    fields = [f for f, _ in RESOURCES[name][1]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row.get(f) is None else str(row[f]) for f in fields])
    return out.getvalue()


def write_package(directory: Path, tables: Mapping[str, Sequence[Record]]) -> list[Path]:
    """Write the package into `directory` (made if missing); the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / DESCRIPTOR
    target.write_text(json.dumps(descriptor(), indent=2) + "\n", encoding="utf-8")
    written = [target]
    for name, (path, _fields) in RESOURCES.items():
        (directory / path).write_text(csv_text(name, tables.get(name, ())), encoding="utf-8")
        written.append(directory / path)
    return written


def read_package(path: Path) -> dict[str, list[Row]]:
    """The rows of every resource we use, from a package directory or its datapackage.json.
    Raises PackageError naming the file, line and column at fault."""
    folder, described = (path, path / DESCRIPTOR) if path.is_dir() else (path.parent, path)
    if not described.is_file():
        raise PackageError(str(described), 1, 1, "no datapackage.json here")
    try:
        package = json.loads(described.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise PackageError(described.name, 1, error.start + 1, "not UTF-8") from None
    except json.JSONDecodeError as error:
        raise PackageError(described.name, error.lineno, error.colno, error.msg) from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise PackageError(described.name, 1, 1, "no list of resources")
    tables: dict[str, list[Row]] = {}
    for resource in resources:
        name = resource.get("name") if isinstance(resource, dict) else None
        if name in RESOURCES and isinstance(resource.get("path"), str):
            file = folder / resource["path"]
            if not file.is_file():
                raise PackageError(resource["path"], 1, 1, "file missing")
            tables[name] = read_csv(name, resource["path"], file.read_bytes())
    return tables


def read_csv(name: str, file: str, data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise PackageError(file, line, column, "not UTF-8") from None
    known = {f for f, _ in RESOURCES[name][1]}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    line = 1
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not values:
                continue
            if header is None:
                header = _header(file, values)
                if "id" not in header:
                    raise PackageError(file, start, 1, "no id column")
                continue
            if len(values) != len(header):
                column = min(len(values), len(header)) + 1
                raise PackageError(file, start, column, f"{len(values)} values where the "
                                   f"header has {len(header)} columns")
            columns = {f: i + 1 for i, f in enumerate(header) if f in known}
            rows.append(Row(file, start, {f: values[i].strip() for f, i0 in columns.items()
                                          for i in [i0 - 1]}, columns))
    except csv.Error as error:
        raise PackageError(file, reader.line_num, 1, f"not CSV: {error}") from None
    return rows


def _header(file: str, values: list[str]) -> list[str]:
    header = [v.strip() for v in values]
    for i, name in enumerate(header):
        if header.index(name) != i:
            raise PackageError(file, 1, i + 1, f"column {name!r} appears twice")
    return header
