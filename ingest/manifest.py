"""Metadata that travels with local files: `--council/--committee/--date` flags and a manifest beside them.

A manifest is `manifest.csv` or `manifest.json` in a paper's folder (or a parent folder up to two
levels, when its `file` column names the paper by its path relative to the manifest). Columns:
file (required), council, committee, meeting_date (YYYY-MM-DD; dd/mm/yyyy accepted), title, url,
paper_kind (report, minutes, decision notice, agenda, appendix, forward plan, item minute),
and the harvester's meeting_id, agenda_item, agenda_item_number, publication_date.
JSON is a list of such objects, or an object mapping each file name to its fields.

Precedence: a flag given on the command line applies to every file and wins over the manifest
(as command-line arguments win over environment settings); manifest fields fill the rest. Both
win over what extraction finds in the text, which nlp keeps beside them as `Metadata.extracted`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from ingest.dates import given_date
from ingest.errors import IngestError
from ingest.kinds import paper_kinds

MANIFEST_FILES = ("manifest.csv", "manifest.json")
FIELDS = (
    "council",
    "committee",
    "meeting_date",
    "title",
    "url",
    "meeting_id",
    "agenda_item",
    "agenda_item_number",
    "publication_date",
    "paper_kind",
)
_DATES = ("meeting_date", "publication_date")
_SEARCH_LEVELS = 3  # the paper's folder and two parents

Pairs = tuple[tuple[str, str], ...]


def parse_date(value: str, where: str, field: str) -> str:
    """ "2025-01-15" or "15/01/2025" -> "2025-01-15"; anything else is an IngestError naming `where` and `field`."""
    day = given_date(value)
    if day is None:
        raise IngestError(where, f"{field}: {value!r} is not a date (use YYYY-MM-DD)")
    return day


def _check_row(raw: dict[str, object], where: str) -> tuple[str, dict[str, str]]:
    """One manifest row -> (file as written, cleaned fields); IngestError names the field at fault."""
    row = {_column(k): "" if v is None else str(v).strip() for k, v in raw.items() if k is not None}
    unknown = sorted(k for k in row if k not in FIELDS and k != "file" and row[k])
    if unknown:
        raise IngestError(where, f"unknown column {unknown[0]!r} (known: file, {', '.join(FIELDS)})")
    file = row.pop("file", "")
    if not file:
        raise IngestError(where, "file: missing (name the paper this row describes)")
    out = {k: v for k, v in row.items() if k in FIELDS and v}
    for field in _DATES:
        if field in out:
            out[field] = parse_date(out[field], where, field)
    if "paper_kind" in out:
        out["paper_kind"] = out["paper_kind"].lower()
        if out["paper_kind"] not in paper_kinds():
            raise IngestError(
                where, f"paper_kind: {out['paper_kind']!r} is not one of {', '.join(paper_kinds())}"
            )
    if "url" in out and urlsplit(out["url"]).scheme not in {"http", "https"}:
        raise IngestError(where, f"url: {out['url']!r} is not an http(s) address")
    return file, out


def _column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower().lstrip("\ufeff"))


def _rows(path: Path) -> Iterable[tuple[str, dict[str, object]]]:
    """(location for messages, raw row) for each row of a manifest file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise IngestError(str(path), f"cannot read manifest: {e}") from None
    if path.suffix == ".csv":
        for n, raw in enumerate(csv.DictReader(text.splitlines()), start=2):  # row 1 is the header
            extra = raw.pop(None, None)  # type: ignore[call-overload]
            if extra:
                raise IngestError(f"{path}: row {n}", f"{len(extra)} more value(s) than columns")
            yield f"{path}: row {n}", raw
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise IngestError(str(path), f"not valid JSON: {e.msg} at line {e.lineno}") from None
    if isinstance(data, dict):
        data = [{"file": k, **v} if isinstance(v, dict) else v for k, v in data.items()]
    if not isinstance(data, list):
        raise IngestError(str(path), "a manifest is a list of objects, or an object keyed by file name")
    for n, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            raise IngestError(f"{path}: row {n}", 'each entry must be an object with a "file" field')
        yield f"{path}: row {n}", raw


def read_manifest(path: Path) -> dict[Path, dict[str, str]]:
    """Resolved paper path -> its fields. Every problem is an IngestError naming the manifest, row and field."""
    entries: dict[Path, dict[str, str]] = {}
    for where, raw in _rows(path):
        file, fields = _check_row(raw, where)
        target = (path.parent / file).resolve()
        if not target.is_file():
            raise IngestError(where, f"file: {file!r} not found beside the manifest")
        if target in entries:
            raise IngestError(where, f"file: {file!r} is listed twice")
        entries[target] = fields
    return entries


def _manifests_for(paper: Path) -> list[Path]:
    folder, found = paper.resolve().parent, []
    for _ in range(_SEARCH_LEVELS):
        found.extend(folder / name for name in MANIFEST_FILES if (folder / name).is_file())
        if folder.parent == folder:
            break
        folder = folder.parent
    return found


def given_for(
    paths: Iterable[Path], council: str | None = None, committee: str | None = None, date: str | None = None
) -> Callable[[Path], Pairs]:
    """Read the manifests beside `paths` now (errors raise IngestError) and return path -> metadata pairs.

    Flags win over manifest fields; the nearest manifest naming a file wins over one further up.
    """
    flags: dict[str, str] = {}
    for field, value in (("council", council), ("committee", committee)):
        if value is not None:
            if not value.strip():
                raise IngestError(f"--{field}", "empty value")
            flags[field] = value.strip()
    if date:
        flags["meeting_date"] = parse_date(date, "--date", "date")
    read: dict[Path, dict[Path, dict[str, str]]] = {}
    table: dict[Path, Pairs] = {}
    for p in paths:
        fields: dict[str, str] = {}
        for manifest in _manifests_for(Path(p)):
            if manifest not in read:
                read[manifest] = read_manifest(manifest)
            if Path(p).resolve() in read[manifest]:
                fields = read[manifest][Path(p).resolve()]
                break
        merged = {**fields, **flags}
        table[Path(p).resolve()] = tuple((k, merged[k]) for k in FIELDS if merged.get(k))
    fallback = tuple((k, flags[k]) for k in FIELDS if k in flags)
    return lambda path: table.get(Path(path).resolve(), fallback)
