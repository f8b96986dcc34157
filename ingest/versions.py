"""Document versions and the dates they are in force.

A document (one id) may be stored in several versions. Each version has a store key: the document id for a
version without a label (every document declared before versions existed), `id@version` otherwise. A version
applies from its `valid_from` (`gäller från`; empty: since always) and, when `valid_to` (`gäller till`, the last
day it applies, inclusive) is set, until that day. A later version replaces an earlier one on its own `valid_from`
date, so a maintainer publishes the new version ahead of time and nothing has to happen on the day itself.

On a given day a document has at most one version in force: among its versions that have started, the one that
started last, unless that one has expired (then none: an expired document is not silently replaced by an older
one). Which day it is comes from the settings' clock (`clock_date`, `clock_file`) so tests can move it.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ingest.errors import IngestError

VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def key_for(doc_id: str, version: str = "") -> str:
    return f"{doc_id}@{version}" if version else doc_id


def split_key(key: str) -> tuple[str, str]:
    doc_id, _, version = key.partition("@")
    return doc_id, version


def parse_date(value, what: str = "date") -> str:
    """An ISO date as text ("" stays ""), or IngestError naming what was wrong."""
    if value in (None, ""):
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise IngestError(f"{what} must be a date as YYYY-MM-DD, not {text!r}") from None


def check_version(version: str, valid_from: str, valid_to: str, where: str) -> None:
    if version and not VERSION_PATTERN.match(version):
        raise IngestError(f"{where}: version {version!r} must be letters, digits, '.', '_' or '-' (at most 40)")
    if valid_from and valid_to and valid_to < valid_from:
        raise IngestError(f"{where}: valid_to {valid_to} is before valid_from {valid_from}")


def today(settings=None) -> date:
    """The day the answers are for: the settings' clock when set, else the real date.

    `clock_file` (a file holding YYYY-MM-DD, read every time) lets a test move the clock of a running server;
    `clock_date` does the same inside one process. A malformed clock is an error, never silently today."""
    clock_file = getattr(settings, "clock_file", "") if settings is not None else ""
    if clock_file:
        try:
            text = Path(clock_file).read_text(encoding="utf-8").strip()
        except OSError:
            text = ""
        if text:
            return date.fromisoformat(parse_date(text, "clock_file"))
    clock = getattr(settings, "clock_date", "") if settings is not None else ""
    return date.fromisoformat(parse_date(clock, "clock_date")) if clock else date.today()


def _info(rec: dict) -> dict:
    return rec.get("info", rec)


def doc_id_of(key: str, rec: dict) -> str:
    return _info(rec).get("id") or split_key(key)[0]


def in_force(records: dict[str, dict], day: date | str) -> dict[str, str]:
    """{document id: store key of the version in force on `day`} for the registry records (key -> record with
    "info"); documents with no version in force are absent."""
    day = day if isinstance(day, str) else day.isoformat()
    by_doc: dict[str, list[tuple[str, str, str]]] = {}
    for key, rec in records.items():
        info = _info(rec)
        by_doc.setdefault(doc_id_of(key, rec), []).append((info.get("valid_from") or "", info.get("valid_to") or "", key))
    out = {}
    for doc_id, versions in by_doc.items():
        started = [v for v in versions if v[0] <= day]
        if not started:
            continue
        valid_from, valid_to, key = max(started)
        if not valid_to or day <= valid_to:
            out[doc_id] = key
    return out


def status_on(records: dict[str, dict], key: str, day: date | str) -> str:
    """"in_force", "upcoming", "replaced" or "expired": where a version stands on `day`."""
    day = day if isinstance(day, str) else day.isoformat()
    rec = records[key]
    info = _info(rec)
    if in_force(records, day).get(doc_id_of(key, rec)) == key:
        return "in_force"
    if (info.get("valid_from") or "") > day:
        return "upcoming"
    if info.get("valid_to") and info["valid_to"] < day:
        return "expired"
    return "replaced"


def one_per_document(records: dict[str, dict], day: date | str) -> dict[str, dict]:
    """{document id: record}: the version in force, else the newest one. What readers that know nothing of
    versions (eval-case validation, practice titles) see as "the document"."""
    current = in_force(records, day)
    chosen = {doc: records[key] for doc, key in current.items()}
    for key, rec in sorted(records.items(), key=lambda kv: _info(kv[1]).get("valid_from") or ""):
        doc = doc_id_of(key, rec)
        if doc not in current:
            chosen[doc] = rec
    return chosen
