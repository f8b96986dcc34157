"""The domain vocabulary as data: assistant/data/domain.toml, read, checked against its schema and compiled here.

The file holds the words that bridge how employees ask and how the policies say it: language-detection words,
tool names (for question normalisation), the words that mark the subject (AI, the policy documents), concepts
(a pattern for how people ask, Swedish policy terms for retrieval), an English-to-Swedish glossary and the
answer types (what a "when" or "who" question is answered by). Its own comments say how to add words.

The schema is the code below (SCHEMA and the checks under it): every section is required, unknown sections and
keys are refused, every value has its type, every pattern alternative compiles and cannot match the empty
string, concept names are unique. Any problem raises PolicyAssistantError with one line naming the file, the
entry and the problem (the CLI prints it and exits 2). A file is read and compiled once (cached by path and
modification time). assistant.language loads the shipped file when it is imported, so every start of the
assistant checks it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.errors import PolicyAssistantError

SHIPPED_FILE = Path(__file__).with_name("data") / "domain.toml"
FLAGS = re.I          # every pattern in the file is case-insensitive

# A language-detection word and a glossary word: what the code's tokenisers can produce (lower case, one word).
_DETECTION_WORD = r"[a-zåäöéü]+"
_GLOSSARY_WORD = r"[a-z]+"
_NAME = r"[a-z][a-z0-9_]*"
# Texts a pattern alternative is tried on: one that matches the empty string there would match every question.
_EMPTY_PROBES = ("", "x", "Får jag? Ja.")

# section -> its kind and, for tables, key -> value kind. "pattern" is a list of regular-expression alternatives.
SCHEMA: dict[str, tuple[str, dict[str, str]]] = {
    "language": ("table", {"swedish_words": "detection words", "english_words": "detection words"}),
    "tools": ("table", {"names": "names", "editions": "names"}),
    "ai_domain": ("table", {"pattern": "pattern"}),
    "concepts": ("array of tables", {"name": "name", "pattern": "pattern", "swedish": "text",
                                     "names_use": "optional bool", "names_people": "optional bool"}),
    "glossary": ("map", {}),                                 # English word -> Swedish policy words
    "data_subjects": ("map", {}),                            # group of people -> how their data is named
    "answer_types": ("map of tables", {"question": "pattern", "answer": "pattern", "ranks_only": "optional bool",
                                                   "in_manifest": "optional bool"}),
    "normative": ("table", {k: "pattern" for k in ("prohibit", "only", "condition", "permit", "oblige", "public_scope",
                                                   "custom_scope", "denies", "exception", "only_scope", "approved",
                                                   "answer_yes", "answer_no", "only_if", "only_word", "only_place",
                                                   "unit", "every_unit", "awaits_approval", "at_most",
                                                   "at_least", "relative_negation", "contrast_negation",
                                                   "own_account", "embedded", "place", "even_in", "concession",
                                                   "not_for", "document_itself", "data_about",
                                                   "data_noun", "decided_by", "objection", "majority")}),
    "info_classes": ("table", {"tool_field": "pattern", "highest_field": "pattern", "comment_field": "pattern",
                               "unpublished": "pattern", "definition": "pattern", "excluded": "pattern",
                               "floor": "pattern", "scales": "names", "activity": "pattern", "name": "pattern",
                               "name_ending": "names"}),
    "question": ("table", {k: "pattern" for k in ("injection", "permission", "factual", "info_start", "asks_permission_too",
                                                  "followup", "not_open", "absent", "skip", "not_done", "pending", "handling",
                                                  "predicate", "duty", "asks_for", "chat_opener", "refers_back",
                                                  "points_back", "documents", "same_again", "outsiders",
                                                  "uses", "outsider_object", "staff", "new_tool",
                                                  "trial", "approved_said", "stated_open",
                                                  "sufficiency", "second_question", "claim", "claim_check",
                                                  "claimed_permission", "universal", "at_all", "may", "background",
                                                  "background_turn", "to_be_published", "already_out",
                                                  "counts_as", "sentence_adverb", "review", "decided_by",
                                                  "objects", "if_anyone", "minor_share", "major_share",
                                                  "tool_help")}),
    "quoting": ("table", {"continues": "pattern", "asks_list": "pattern", "refers_back": "pattern",
                           "ban_lifted_by": "pattern"}),
    "durations": ("table", {"deadline": "pattern", "stated": "pattern", "units": "number map", "numbers": "number map",
                            "in_force": "pattern", "valid_from": "pattern", "valid_until": "pattern",
                            "range": "pattern", "months": "number map"}),
}


@dataclass(frozen=True)
class Concept:
    name: str
    pattern: re.Pattern
    swedish: str      # how the policies phrase it (for retrieval)
    # It names a way of using a tool (a subscription of one's own), not a topic: a ban that names it is a ban on any
    # question that involves it, as a ban naming what the question asks is.
    names_use: bool = False
    # It names who someone is (förtroendevalda): the setting of a scope question about the asker ("Jag sitter i
    # socialnämnden. Gäller reglerna mig?") says whom it asks about by it.
    names_people: bool = False


@dataclass(frozen=True)
class Domain:
    path: Path
    swedish_words: frozenset[str]
    english_words: frozenset[str]
    tools: tuple[str, ...]
    editions: tuple[str, ...]                                  # words after a tool's name that name its edition
    ai_domain: re.Pattern
    concepts: tuple[Concept, ...]
    glossary: dict[str, str]
    data_subjects: dict[str, re.Pattern]                       # whom personal data is about (invånare, kollegor)
    answer_types: dict[str, tuple[re.Pattern, re.Pattern]]     # name -> (question asks for it, answer has its form)
    ranks_only: frozenset[str]                                 # answer types whose absence does not refuse
    in_manifest: frozenset[str]                                # answer types the manifest's decision facts hold
    normative: dict[str, re.Pattern]                           # how a rule says what it says
    question: dict[str, re.Pattern]                            # how a question says what it asks
    info_classes: dict                                         # how class tables are read (patterns, scales)
    quoting: dict[str, re.Pattern]                             # how a quote is cut (where the answer goes on)
    durations: dict                                            # how lengths of time are written (deadline, units)

    def concepts_in(self, text: str) -> list[Concept]:
        return [c for c in self.concepts if c.pattern.search(text)]


def load(path: str | Path | None = None) -> Domain:
    """The domain file at path (default: the shipped one), checked and compiled; cached while the file is unchanged."""
    path = Path(path) if path is not None else SHIPPED_FILE
    try:
        stat = path.stat()
    except OSError as exc:
        raise PolicyAssistantError(f"domain file {path}: cannot be read ({exc.strerror or exc})") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def shipped() -> Domain:
    return load(SHIPPED_FILE)


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> Domain:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyAssistantError(f"domain file {path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyAssistantError(f"domain file {path}: not valid TOML: {exc}") from None
    return _Checker(path).domain(data)


class _Checker:
    """Checks the parsed file against SCHEMA and builds the Domain; the first problem raises, in one line."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, problem: str):
        raise PolicyAssistantError(f"domain file {self.path}: {where}: {problem}".replace("\n", " "))

    def domain(self, data: dict) -> Domain:
        self.keys(data, set(SCHEMA), "the file", "section")
        for section, (kind, _) in SCHEMA.items():
            expected = list if kind == "array of tables" else dict
            if not isinstance(data[section], expected):
                shape = f"an array of tables [[{section}]]" if expected is list else "a table"
                self.fail(f"[{section}]", f"must be {shape}")
        language, tools = data["language"], data["tools"]
        self.table(language, "language")
        self.table(tools, "tools")
        self.table(data["ai_domain"], "ai_domain")
        names = self.names(tools["names"], "[tools] names")
        concepts, seen = [], {}
        for i, entry in enumerate(data["concepts"]):
            where = f"[[concepts]] #{i + 1}"
            if not isinstance(entry, dict):
                self.fail(where, "must be a table")
            if isinstance(entry.get("name"), str):
                where += f" (name = {entry['name']!r})"
            self.table(entry, "concepts", where)
            name = entry["name"]
            if not isinstance(name, str) or not re.fullmatch(_NAME, name):
                self.fail(where, "name must be a string of lower case letters, digits and _ (such as \"public_ai\")")
            if name in seen:
                self.fail(where, f"concept name {name!r} is already used by [[concepts]] #{seen[name]}")
            seen[name] = i + 1
            for flag in ("names_use", "names_people"):
                if not isinstance(entry.get(flag, False), bool):
                    self.fail(f"{where} {flag}", "must be true or false")
            concepts.append(Concept(name, self.pattern(entry["pattern"], f"{where} pattern"),
                                    self.text(entry["swedish"], f"{where} swedish"), entry.get("names_use", False),
                                    entry.get("names_people", False)))
        if not concepts:
            self.fail("[[concepts]]", "at least one concept is needed")
        glossary = {}
        for word, swedish in data["glossary"].items():
            where = f"[glossary] {word!r}"
            if not re.fullmatch(_GLOSSARY_WORD, word):
                self.fail(where, "a glossary key must be one English word in lower case letters a-z")
            glossary[word] = self.text(swedish, where)
        data_subjects = {}
        for name, alternatives in data["data_subjects"].items():
            where = f"[data_subjects] {name!r}"
            if not re.fullmatch(_NAME, name):
                self.fail(where, "a name must be lower case letters, digits and _")
            data_subjects[name] = self.pattern(alternatives, where)
        answer_types, ranks_only, in_manifest = {}, set(), set()
        for name, entry in data["answer_types"].items():
            where = f"[answer_types.{name}]"
            if not re.fullmatch(_NAME, name):
                self.fail(where, "a name must be lower case letters, digits and _")
            if not isinstance(entry, dict):
                self.fail(where, "must be a table with question and answer")
            self.table(entry, "answer_types", where)
            answer_types[name] = (self.pattern(entry["question"], f"{where} question"),
                                  self.pattern(entry["answer"], f"{where} answer"))
            for flag, flagged in (("ranks_only", ranks_only), ("in_manifest", in_manifest)):
                if not isinstance(entry.get(flag, False), bool):
                    self.fail(f"{where} {flag}", "must be true or false")
                if entry.get(flag, False):
                    flagged.add(name)
        return Domain(
            path=Path(self.path),
            swedish_words=self.words(language["swedish_words"], "[language] swedish_words"),
            english_words=self.words(language["english_words"], "[language] english_words"),
            tools=names,
            editions=self.names(tools["editions"], "[tools] editions"),
            ai_domain=self.pattern(data["ai_domain"]["pattern"], "[ai_domain] pattern"),
            concepts=tuple(concepts),
            glossary=glossary,
            data_subjects=data_subjects,
            answer_types=answer_types,
            ranks_only=frozenset(ranks_only),
            in_manifest=frozenset(in_manifest),
            normative=self.patterns(data["normative"], "normative"),
            question=self.patterns(data["question"], "question"),
            info_classes=self.info_classes(data["info_classes"]),
            quoting=self.patterns(data["quoting"], "quoting"),
            durations=self.durations(data["durations"]),
        )

    def durations(self, table: dict) -> dict:
        self.table(table, "durations")
        out = {k: self.pattern(table[k], f"[durations] {k}")
               for k in ("deadline", "stated", "in_force", "valid_from", "valid_until", "range")}
        for k in ("units", "numbers", "months"):
            where = f"[durations] {k}"
            if not isinstance(table[k], dict) or not table[k]:
                self.fail(where, "must be a non-empty table of word = number")
            for word, n in table[k].items():
                if not re.fullmatch(_DETECTION_WORD, word):
                    self.fail(f"{where} {word!r}", "must be one word in lower case letters")
                if isinstance(n, bool) or not isinstance(n, (int, float)) or n <= 0:
                    self.fail(f"{where} {word!r}", "must be a positive number")
            out[k] = {w: float(n) for w, n in table[k].items()}
        return out

    def info_classes(self, table: dict) -> dict:
        self.table(table, "info_classes")
        out = {k: self.pattern(table[k], f"[info_classes] {k}") for k in ("tool_field", "highest_field", "comment_field",
                                                                           "unpublished", "definition", "excluded",
                                                                           "floor", "name")}
        scales = []
        for scale in self.names(table["scales"], "[info_classes] scales"):
            words = tuple(scale.lower().split())
            if len(words) < 2 or not all(re.fullmatch(_DETECTION_WORD, w) for w in words):
                self.fail("[info_classes] scales", f"{scale!r} must be two or more level names, lowest first")
            scales.append(words)
        out["scales"] = tuple(scales)
        out["name_ending"] = tuple(e.lower() for e in self.names(table["name_ending"], "[info_classes] name_ending"))
        # Each activity on its own: a row names one the question may not.
        out["activity"] = tuple(self.pattern([p], f"[info_classes] activity")
                                for p in self.list_of_strings(table["activity"], "[info_classes] activity"))
        return out

    def patterns(self, table: dict, section: str) -> dict[str, re.Pattern]:
        self.table(table, section)
        return {name: self.pattern(value, f"[{section}] {name}") for name, value in table.items()}

    # -- the value kinds ------------------------------------------------------------------------------

    def keys(self, table: dict, allowed: set[str], where: str, what: str = "key", optional: frozenset[str] = frozenset()) -> None:
        unknown = [k for k in table if k not in allowed]
        if unknown:
            self.fail(where, f"unknown {what} {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
        missing = [k for k in sorted(allowed) if k not in table and k not in optional]
        if missing:
            self.fail(where, f"missing {what} {missing[0]!r}")

    def table(self, table: dict, section: str, where: str | None = None) -> None:
        kinds = SCHEMA[section][1]
        self.keys(table, set(kinds), where or f"[{section}]",
                  optional=frozenset(k for k, kind in kinds.items() if kind.startswith("optional")))

    def list_of_strings(self, value, where: str) -> list[str]:
        if not isinstance(value, list) or not value:
            self.fail(where, "must be a non-empty list of strings")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(where, f"item {i + 1} must be a string, not {type(item).__name__} {item!r}")
            if not item.strip():
                self.fail(where, f"item {i + 1} is empty")
        return value

    def words(self, value, where: str) -> frozenset[str]:
        for word in self.list_of_strings(value, where):
            if not re.fullmatch(_DETECTION_WORD, word):
                self.fail(where, f"{word!r} must be one word in lower case letters (a-z, å, ä, ö, é, ü)")
        return frozenset(value)

    def names(self, value, where: str) -> tuple[str, ...]:
        seen = set()
        for name in self.list_of_strings(value, where):
            key = name.lower().replace(" ", "")
            if key in seen:
                self.fail(where, f"{name!r} is listed twice")
            seen.add(key)
        return tuple(value)

    def text(self, value, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty string")
        return value

    def pattern(self, value, where: str) -> re.Pattern:
        """A list of regular-expression alternatives, compiled as one case-insensitive pattern."""
        seen = set()
        for i, alternative in enumerate(self.list_of_strings(value, where)):
            at = f"{where}, alternative {i + 1} {alternative!r}"
            if alternative in seen:
                self.fail(at, "is listed twice")
            seen.add(alternative)
            try:
                compiled = re.compile(alternative, FLAGS)
            except re.error as exc:
                self.fail(at, f"is not a valid regular expression: {exc}")
            if any((m := compiled.search(probe)) is not None and m.end() == m.start() for probe in _EMPTY_PROBES):
                self.fail(at, "matches the empty string, so it would match every text")
        try:
            return re.compile("|".join(value), FLAGS)
        except re.error as exc:           # an alternative that compiles alone but not with the others
            self.fail(where, f"the alternatives do not compile together: {exc}")
