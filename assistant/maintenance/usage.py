"""Usage counts per organisation and ISO week, and the unanswered-questions queue.

`UsageLog.record_answer(answer, organisation)` is called by the chat for every answer. It adds one to the week's
counts (questions and the verdict mix: counts only, no question text), and for an answer refused as not covered
it keeps the question in the queue: `Answer.question` is already the redacted question, and it is redacted again
here, so no identity number, e-mail address or phone number can reach the file whatever the caller passes.
Thumbs-down counts come from the feedback database (assistant/feedback.py) by the week they were given.

The queue is read grouped by similarity: questions whose rapidfuzz token_set_ratio to a group's first question
reaches GROUP_SIMILARITY join that group (greedy, in order of arrival), so a policy owner sees which questions
the documents do not answer and how often they come.
"""
from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timezone
from pathlib import Path

from assistant.sensitive import redact

VERDICTS = ("yes", "no", "conditional", "info", "not_covered")
GROUP_SIMILARITY = 70       # token_set_ratio (0-100): "får jag boka friskvård?" ~ "hur bokar jag friskvårdstimmen?"
MAX_QUESTION = 500

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS usage (
        organisation TEXT NOT NULL,
        week TEXT NOT NULL,                 -- ISO week, 2026-W49
        questions INTEGER NOT NULL DEFAULT 0,
        yes INTEGER NOT NULL DEFAULT 0, no INTEGER NOT NULL DEFAULT 0, conditional INTEGER NOT NULL DEFAULT 0,
        info INTEGER NOT NULL DEFAULT 0, not_covered INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (organisation, week))""",
    """CREATE TABLE IF NOT EXISTS gaps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created TEXT NOT NULL,
        week TEXT NOT NULL,
        organisation TEXT NOT NULL,
        question TEXT NOT NULL,             -- redacted
        resolved INTEGER NOT NULL DEFAULT 0 -- turned into a draft eval case or dismissed
    )""",
)


def iso_week(day: date | datetime) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class UsageLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            for sql in SCHEMA:
                db.execute(sql)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def record_answer(self, answer, organisation: str, when: datetime | None = None) -> None:
        """Count one answer (an Answer or its as_dict()); queue its redacted question when it was not covered."""
        get = answer.get if isinstance(answer, dict) else lambda k, d=None: getattr(answer, k, d)
        verdict = get("verdict", "")
        if verdict not in VERDICTS:
            return
        now = when or datetime.now(timezone.utc)
        week = iso_week(now)
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO usage (organisation, week) VALUES (?, ?) ON CONFLICT DO NOTHING", (organisation, week))
            db.execute(f"UPDATE usage SET questions = questions + 1, {verdict} = {verdict} + 1 "
                       "WHERE organisation = ? AND week = ?", (organisation, week))
            if verdict == "not_covered":
                question = redact(" ".join(str(get("question", "") or "").split()))[:MAX_QUESTION]
                if question:
                    db.execute("INSERT INTO gaps (created, week, organisation, question) VALUES (?,?,?,?)",
                               (now.isoformat(timespec="seconds"), week, organisation, question))

    def weeks(self, organisation: str, feedback_path: Path | None = None) -> list[dict]:
        """Per ISO week: questions, the verdict mix, the not-covered rate and thumbs-down (count and rate)."""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = {r["week"]: dict(r) for r in db.execute("SELECT * FROM usage WHERE organisation = ? ORDER BY week",
                                                             (organisation,))}
        down = _thumbs_down(feedback_path, organisation)
        for week in set(down) - set(rows):
            rows[week] = {"organisation": organisation, "week": week, "questions": 0, **{v: 0 for v in VERDICTS}}
        out = []
        for week in sorted(rows):
            r = rows[week]
            r["thumbs_down"] = down.get(week, 0)
            n = r["questions"]
            r["not_covered_rate"] = round(r["not_covered"] / n, 4) if n else None
            r["thumbs_down_rate"] = round(r["thumbs_down"] / n, 4) if n else None
            out.append(r)
        return out

    def queue(self, organisation: str, include_resolved: bool = False) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            sql = "SELECT * FROM gaps WHERE organisation = ?" + ("" if include_resolved else " AND resolved = 0") + " ORDER BY id"
            return [dict(r) for r in db.execute(sql, (organisation,))]

    def groups(self, organisation: str, threshold: int = GROUP_SIMILARITY) -> list[dict]:
        """The open queue grouped by similarity, most asked first: {question, count, ids, examples, last}."""
        from rapidfuzz import fuzz, utils

        groups: list[dict] = []
        for item in self.queue(organisation):
            text = utils.default_process(item["question"])     # case and punctuation do not make a question new
            for g in groups:
                if fuzz.token_set_ratio(text, g["_key"]) >= threshold:
                    break
            else:
                g = {"_key": text, "question": item["question"], "count": 0, "ids": [], "examples": [], "last": ""}
                groups.append(g)
            g["count"] += 1
            g["ids"].append(item["id"])
            g["last"] = item["created"]
            if item["question"] not in g["examples"] and len(g["examples"]) < 5:
                g["examples"].append(item["question"])
        for g in groups:
            del g["_key"]
        return sorted(groups, key=lambda g: (-g["count"], g["ids"][0]))

    def resolve(self, ids: list[int]) -> None:
        with self._lock, self._connect() as db:
            db.executemany("UPDATE gaps SET resolved = 1 WHERE id = ?", [(int(i),) for i in ids])

    def item(self, gap_id: int) -> dict | None:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM gaps WHERE id = ?", (int(gap_id),)).fetchone()
            return dict(row) if row else None


def _thumbs_down(feedback_path: Path | None, organisation: str) -> dict[str, int]:
    if feedback_path is None or not Path(feedback_path).is_file():
        return {}
    with sqlite3.connect(feedback_path, timeout=10) as db:
        rows = db.execute("SELECT created FROM feedback WHERE rating = -1 AND organisation = ?", (organisation,)).fetchall()
    out: dict[str, int] = {}
    for (created,) in rows:
        try:
            week = iso_week(datetime.fromisoformat(created))
        except ValueError:
            continue
        out[week] = out.get(week, 0) + 1
    return out


def usage_log(settings) -> UsageLog:
    return UsageLog(settings.workspace_path)


def record_answer(settings, answer, organisation: str) -> None:
    """What the chat calls for each answer (see UsageLog.record_answer)."""
    usage_log(settings).record_answer(answer, organisation)
