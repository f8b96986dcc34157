"""Ratings of answers, kept in SQLite in the data directory, and their export as draft eval cases.

Only redacted text is ever written: the engine's redacted question, the answer (quotes from the documents) and
the user's comment after the same redaction. Identity numbers, e-mail addresses and phone numbers never reach
the file.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import yaml

from assistant.sensitive import redact
from assistant.ui.strings import FEEDBACK_REASONS
from ingest.errors import PolicyAssistantError

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating INTEGER NOT NULL,          -- +1 thumbs up, -1 thumbs down
    reason TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL,
    question TEXT NOT NULL,           -- redacted
    history TEXT NOT NULL DEFAULT '[]',
    verdict TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,          -- JSON: [{n, document, title, section, quote, start, end}]
    mode TEXT NOT NULL,
    app_version TEXT NOT NULL,
    answer_key TEXT                   -- one rating per answer shown: rating it again replaces the rating
)
"""
# Stores made before answer_key existed get the column; old rows keep NULL (several NULLs are allowed).
MIGRATIONS = ("ALTER TABLE feedback ADD COLUMN answer_key TEXT",)
KEY_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS feedback_answer_key ON feedback(answer_key)"


def app_version() -> str:
    try:
        return metadata.version("policy-assistant")
    except metadata.PackageNotFoundError:
        return "unknown"


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
            if "answer_key" not in columns:
                for sql in MIGRATIONS:
                    db.execute(sql)
            db.execute(KEY_INDEX)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, answer: dict, rating: int, reason: str = "", comment: str = "", history: list[dict] | None = None,
            key: str | None = None) -> int:
        """Store one rating of an answer (Answer.as_dict()); returns its id. With `key` (the answer's identity in a
        conversation), a second rating of the same answer replaces the first instead of adding a row."""
        if rating not in (1, -1):
            raise PolicyAssistantError("rating must be +1 or -1")
        if reason and reason not in FEEDBACK_REASONS:
            raise PolicyAssistantError(f"unknown feedback reason '{reason}' ({', '.join(FEEDBACK_REASONS)})")
        citations = [{k: c[k] for k in ("n", "document", "title", "section", "quote", "start", "end")}
                     for c in answer.get("citations", [])]
        earlier = [{"question": redact(h.get("question", "")), "answer": h.get("answer", "")} for h in history or []]
        row = (datetime.now(timezone.utc).isoformat(timespec="seconds"), rating, reason, redact(comment or "")[:2000],
               answer["organisation"], redact(answer["question"]), json.dumps(earlier, ensure_ascii=False), answer["verdict"],
               answer.get("text", ""), json.dumps(citations, ensure_ascii=False), answer.get("mode", "extractive"), app_version(),
               key)
        with self._lock, self._connect() as db:
            cur = db.execute("INSERT INTO feedback (created, rating, reason, comment, organisation, question, history, verdict, "
                             "answer, citations, mode, app_version, answer_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                             "ON CONFLICT(answer_key) DO UPDATE SET created = excluded.created, rating = excluded.rating, "
                             "reason = excluded.reason, comment = excluded.comment RETURNING id", row)
            return int(cur.fetchone()[0])

    def update(self, feedback_id: int, reason: str = "", comment: str = "") -> None:
        """Add the reason and comment a user gives after the thumbs-down."""
        if reason and reason not in FEEDBACK_REASONS:
            raise PolicyAssistantError(f"unknown feedback reason '{reason}'")
        with self._lock, self._connect() as db:
            db.execute("UPDATE feedback SET reason = ?, comment = ? WHERE id = ?", (reason, redact(comment or "")[:2000], feedback_id))

    def rows(self, rating: int | None = None) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            sql = "SELECT * FROM feedback" + (" WHERE rating = ?" if rating is not None else "") + " ORDER BY id"
            out = [dict(r) for r in db.execute(sql, () if rating is None else (rating,))]
        for r in out:
            r["citations"], r["history"] = json.loads(r["citations"]), json.loads(r["history"])
        return out


def draft_cases(rows: list[dict]) -> str:
    """Thumbs-down answers as eval cases for a maintainer to complete: the verdict and gold passages are the
    assistant's own (the ones the user disputed), with what the user said as comments above each case."""
    chunks = ["# Draft eval cases from thumbs-down feedback. Check each verdict, gold passage and must_mention",
              "# against the policy before moving a case into an eval set.", ""]
    for r in rows:
        case = {"id": f"feedback-{r['id']}-{_slug(r['question'])}", "organisation": r["organisation"], "question": r["question"]}
        if r["history"]:
            case["history"] = r["history"]
        case |= {"verdict": r["verdict"], "gold": [{"document": c["document"], "quote": c["quote"]} for c in r["citations"]],
                 "must_mention": [], "tags": ["feedback"]}
        chunks.append(f"# feedback {r['id']} ({r['created']}, {r['mode']}, app {r['app_version']}): "
                      f"reason={r['reason'] or '-'}; comment: {' '.join(r['comment'].split()) or '-'}")
        chunks.append(f"# the assistant answered '{r['verdict']}': {' '.join(r['answer'].split())[:300]}")
        chunks.append(yaml.safe_dump([case], allow_unicode=True, sort_keys=False, width=120).rstrip())
        chunks.append("")
    return "\n".join(chunks)


def export_drafts(store: FeedbackStore, path: Path) -> int:
    rows = store.rows(rating=-1)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(draft_cases(rows), encoding="utf-8")
    return len(rows)


def _slug(text: str) -> str:
    words = re.findall(r"[a-zåäö0-9]+", text.lower())[:5]
    return "-".join(words).translate(str.maketrans("åäö", "aao")) or "question"
