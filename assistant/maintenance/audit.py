"""The audit log: who published, replaced or removed which document version, when, and the content's hash.

Kept in SQLite in the data directory (settings.workspace_path, next to the feedback database), one row per action,
never updated or deleted by the application; exportable as CSV for whoever reviews the municipality's records.
"""
from __future__ import annotations

import csv
import io
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

ACTIONS = ("publish", "new_version", "remove")
COLUMNS = ("id", "at", "maintainer", "action", "document", "version", "organisation", "valid_from", "valid_to",
           "content_hash", "generation", "detail")

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,                 -- UTC, ISO 8601
    maintainer TEXT NOT NULL,         -- the account that acted
    action TEXT NOT NULL,             -- publish | new_version | remove
    document TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',   -- sha256 of the file as uploaded
    generation TEXT NOT NULL DEFAULT '',     -- the store generation the action produced
    detail TEXT NOT NULL DEFAULT ''
)
"""


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def record(self, maintainer: str, action: str, document: str, version: str = "", organisation: str = "",
               valid_from: str = "", valid_to: str = "", content_hash: str = "", generation: str = "",
               detail: str = "") -> int:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._lock, self._connect() as db:
            cur = db.execute("INSERT INTO audit (at, maintainer, action, document, version, organisation, valid_from, "
                             "valid_to, content_hash, generation, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                             (at, maintainer, action, document, version, organisation, valid_from, valid_to,
                              content_hash, generation, detail))
            return int(cur.lastrowid)

    def rows(self, document: str | None = None) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            sql = "SELECT * FROM audit" + (" WHERE document = ?" if document else "") + " ORDER BY id"
            return [dict(r) for r in db.execute(sql, (document,) if document else ())]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in self.rows():
            # A cell starting with = + - @ is a formula to a spreadsheet; a maintainer name or title must not be.
            writer.writerow({k: _inert(str(row[k])) for k in COLUMNS})
        return out.getvalue()

    def export(self, path: Path) -> int:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.csv(), encoding="utf-8")
        return len(self.rows())


def _inert(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_log(settings) -> AuditLog:
    return AuditLog(settings.workspace_path)
