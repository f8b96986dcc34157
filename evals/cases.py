"""Eval cases: the YAML format, and validation that names the file and the case for every mistake.

A case file is a YAML list of mappings:

    - id: nacka-social-records-chatgpt          # unique across every file loaded together
      organisation: nacka                       # a known organisation
      question: "Får jag klistra in ...?"
      history: [{question: ..., answer: ...}]   # optional: earlier turns of the conversation
      verdict: "no"                             # yes | no | conditional | info | not_covered (quote yes/no!)
      gold:                                     # passages that answer it; any one counts; [] for not_covered
        - {document: nacka-handledning, quote: "får bara användas med öppen information"}
      must_mention: ["sekretess|öppen information"]   # terms the answer must contain; "a|b" = either
      tags: [english, paraphrase]               # optional; "english" marks an English question
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from assistant.answer import VERDICTS
from ingest.errors import PolicyAssistantError

REQUIRED = ("id", "organisation", "question", "verdict", "gold")
OPTIONAL = ("history", "must_mention", "tags")
FIELDS = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class Gold:
    document: str
    quote: str


@dataclass(frozen=True)
class Case:
    id: str
    organisation: str
    question: str
    verdict: str
    gold: tuple[Gold, ...] = ()
    must_mention: tuple[str, ...] = ()
    history: tuple[dict, ...] = ()     # ({"question": ..., "answer": ...}, ...), oldest first
    tags: tuple[str, ...] = ()
    source: str = ""                   # the file the case came from

    @property
    def language(self) -> str:
        return "en" if "english" in self.tags else "sv"


class CaseError(PolicyAssistantError):
    pass


def load_cases(paths: Iterable[Path | str], documents: set[str], organisations: set[str]) -> list[Case]:
    """Every case in `paths`, in file order. `documents` and `organisations` are the ids the store (or the
    manifest) knows; a case naming anything else is an error, so a typo cannot silently score zero."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        for index, entry in enumerate(_read(path), 1):
            case = _case(path, index, entry, documents, organisations)
            if case.id in seen:
                raise CaseError(f"{path}: case '{case.id}': duplicate id (first in {seen[case.id]})")
            seen[case.id] = str(path)
            cases.append(case)
    return cases


def _read(path: Path) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseError(f"{path}: eval set not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError(f"{path}: cannot read the eval set ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CaseError(f"{path}: not valid YAML ({where}{problem})") from None
    if data is None:
        raise CaseError(f"{path}: the eval set is empty")
    if not isinstance(data, list):
        raise CaseError(f"{path}: expected a YAML list of cases, found a {_kind(data)}")
    return data


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), type(value).__name__)


def _case(path: Path, index: int, entry: Any, documents: set[str], organisations: set[str]) -> Case:
    def fail(message: str) -> CaseError:
        name = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry.get("id") else None
        return CaseError(f"{path}: case {repr(name) if name else f'#{index}'}: {message}")

    if not isinstance(entry, dict):
        raise fail(f"expected a mapping with {', '.join(REQUIRED)}, found a {_kind(entry)}")
    unknown = [str(k) for k in entry if k not in FIELDS]
    if unknown:
        raise fail(f"unknown field(s) {', '.join(repr(k) for k in unknown)} (expected {', '.join(FIELDS)})")
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        raise fail(f"missing required field(s) {', '.join(missing)}")

    for key in ("id", "organisation", "question"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise fail(f"{key} must be a non-empty string")
    verdict = entry["verdict"]
    if isinstance(verdict, bool):
        # YAML 1.1 reads a bare yes/no as a boolean; say so rather than reporting "True".
        raise fail(f"verdict is the boolean {str(verdict).lower()}: write it in quotes, verdict: \"{'yes' if verdict else 'no'}\"")
    if verdict not in VERDICTS:
        raise fail(f"unknown verdict {verdict!r} (expected {', '.join(VERDICTS)})")
    if entry["organisation"] not in organisations:
        raise fail(f"unknown organisation {entry['organisation']!r} (known: {', '.join(sorted(organisations))})")

    gold = _gold(entry["gold"], documents, fail)
    # not_covered means the documents say nothing, so nothing can be gold; any other verdict rests on a passage,
    # and without one the case could never be scored on retrieval or citations.
    if verdict == "not_covered" and gold:
        raise fail("a not_covered case must have gold: []")
    if verdict != "not_covered" and not gold:
        raise fail(f"a {verdict!r} case needs at least one gold passage")

    return Case(
        id=entry["id"], organisation=entry["organisation"], question=entry["question"], verdict=verdict, gold=gold,
        must_mention=tuple(_strings(entry.get("must_mention"), "must_mention", fail)),
        history=tuple(_history(entry.get("history"), fail)),
        tags=tuple(_strings(entry.get("tags"), "tags", fail)),
        source=str(path),
    )


def _gold(value: Any, documents: set[str], fail) -> tuple[Gold, ...]:
    if not isinstance(value, list):
        raise fail(f"gold must be a list of {{document, quote}}, found a {_kind(value)}")
    out = []
    for n, item in enumerate(value, 1):
        if not isinstance(item, dict) or set(item) != {"document", "quote"}:
            raise fail(f"gold #{n} must have exactly the fields document and quote")
        doc, quote = item["document"], item["quote"]
        if not isinstance(doc, str) or doc not in documents:
            raise fail(f"gold #{n}: unknown document {doc!r} (known: {', '.join(sorted(documents))})")
        if not isinstance(quote, str) or not quote.strip():
            raise fail(f"gold #{n}: quote must be a non-empty string")
        out.append(Gold(doc, quote))
    return tuple(out)


def _strings(value: Any, name: str, fail) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"{name} must be a list of non-empty strings")
    return list(value)


def _history(value: Any, fail) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(f"history must be a list of {{question, answer}}, found a {_kind(value)}")
    for n, turn in enumerate(value, 1):
        if not isinstance(turn, dict) or set(turn) != {"question", "answer"} \
                or not all(isinstance(v, str) for v in turn.values()):
            raise fail(f"history #{n} must have exactly the string fields question and answer")
    return [dict(turn) for turn in value]
