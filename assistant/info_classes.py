"""Information-class tables: which class of information a tool may be used for, and which class the question's is.

Many policies grade information (Klass 0–3, klass A–D, Låg / Måttlig / Hög) and list each tool with the highest class
it is approved for, as a table row: "AI-verktyg: Copilot Chat · Högsta tillåtna informationsklass: Klass 1 (intern)"
or "AI-tjänst: DeepL Pro · Låg: Ja · Måttlig: Ja · Hög: Nej". Such a row permits nothing in words; it permits the tool
for the question's information when that information's class is known and not above the row's highest.

The question's class is only taken as known where the question says so plainly: a class it names by its label or,
with personal data ruled out, by the organisation's name for it ("internt"); open (published) information is the
lowest class; information that is not published, with no personal data and no secrecy said to be involved, is
the class the organisation's own documents give unpublished information ("… räknas alltid som lägst Klass 1").
Anything else (personal data, a case, a customer) stays unknown and the row decides nothing.
How rows, fields and levels are written is data (assistant/data/domain.toml, [info_classes]).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from assistant.domain import shipped
from assistant.language import GLOSSARY, concepts_in
from assistant.question import Question
from assistant.terms import STOP, TOKEN, key

_DATA = shipped().info_classes
_NORMATIVE = shipped().normative
TOOL_FIELD, HIGHEST_FIELD, COMMENT_FIELD, UNPUBLISHED, DEFINITION, EXCLUDED, FLOOR, ACTIVITY, NAME, NAME_ENDING = (
    _DATA[k] for k in ("tool_field", "highest_field", "comment_field", "unpublished", "definition", "excluded",
                       "floor", "activity", "name", "name_ending"))
SCALES: tuple[tuple[str, ...], ...] = _DATA["scales"]
_NUMBERED = re.compile(r"\b(?:klass|class|nivå|level|informationsklass)\s++([0-9]|[a-d])\b", re.I)
_NAMED = re.compile(r"\b(" + "|".join(w for scale in SCALES for w in scale) + r")\b", re.I)
# A comment that waives or limits ("Ingen särskild behörighet krävs", "No customer personal data at all").
_NEGATED_COMMENT = re.compile(r"^\W*(?:ingen|inget|inga|no|none|not)\b", re.I)
# The kinds of information a ban can be about; a question that says none of them is involved is not under it.
DATA_KINDS = frozenset({"personal_data", "sensitive_data", "secrecy"})

Rank = tuple[str, int]       # (which scale, position on it): ("number", 2), ("letter", 1), ("låg måttlig hög", 0)


def rank(text: str) -> Rank | None:
    """The class a text names first: a numbered or lettered class, else a named level of a known scale."""
    m = _NUMBERED.search(text)
    if m:
        label = m.group(1).lower()
        return ("number", int(label)) if label.isdigit() else ("letter", ord(label) - ord("a"))
    m = _NAMED.search(text)
    if m:
        word = m.group(1).lower()
        scale = next(s for s in SCALES if word in s)
        return (" ".join(scale), scale.index(word))
    return None


@dataclass(frozen=True)
class ClassRow:
    tool: str                  # what the row's first field names
    highest: Rank | None       # the highest class the tool is approved for (None: none)
    comments: str = ""         # what the row adds beside every class (its comment fields)
    allowed: tuple[tuple[Rank, str], ...] = ()   # for level columns: (level, what its yes cell adds), each yes level

    @property
    def condition(self) -> str:
        """What the row adds beside its highest class (a comment, or the cell's "Ja, med undantag …")."""
        return self.condition_at(self.highest)

    def condition_at(self, level: Rank | None) -> str:
        """What the row asks of information of a class: the cell of that level where the row has level columns
        ("Låg: Ja · Måttlig: Ja, med undantag för personuppgifter om barn och elever" asks nothing of Låg), else
        the highest level's; and its comments."""
        cells = dict(self.allowed)
        return " ".join(c for c in (cells.get(level, cells.get(self.highest, "")), self.comments) if c)


def read_row(text: str) -> ClassRow | None:
    """The class row a sentence is, if it is one."""
    fields = [f.strip() for f in text.split(" · ")]
    name, _, tool = fields[0].partition(":")
    if len(fields) < 2 or not tool.strip() or not TOOL_FIELD.search(name.strip()):
        return None
    highest, comments, found, allowed = None, [], False, []
    for field in fields[1:]:
        key, _, value = (part.strip() for part in field.partition(":"))
        if HIGHEST_FIELD.search(key):
            found, highest = True, rank(value)
        elif COMMENT_FIELD.search(key):
            comments.append(value)
        elif (level := rank(key)) is not None:
            # A level column: the highest level whose cell says yes; what that cell adds is a condition.
            found = True
            if _NORMATIVE["answer_yes"].search(value):
                allowed.append((level, _NORMATIVE["answer_yes"].sub("", value, count=1).strip(" ,.")))
                if highest is None or level[1] > highest[1]:
                    highest = level
    if not found:
        return None
    return ClassRow(tool.strip(), highest, " ".join(comments), tuple(allowed))


_PARENTHESES = re.compile(r"\([^()]{0,200}+\)")


def activity_fit(row: ClassRow, question: Question) -> int | None:
    """How many of the activities a row is for with its tool ("Bildgenerering i Copilot Chat") the question names;
    None when it names one the question does not: that row is not the one for "Copilot Chat för information på nivå
    Måttlig"."""
    named = _PARENTHESES.sub(" ", row.tool)
    found = [p.search(question.text) is not None for p in ACTIVITY if p.search(named)]
    return None if not all(found) else len(found)


def other_activity(text: str, question: Question) -> bool:
    """Whether a text is about an activity the question does not name ("Meeting transcription … only where no Klass 3
    … information is discussed" for a question on drafting a contract)."""
    return any(p.search(text) and not p.search(question.text) for p in ACTIVITY)


def lowest(scale: str, text: str) -> Rank | None:
    """The lowest class of a scale that the organisation's documents name (Klass 0 or Klass 1, A, Låg)."""
    if scale not in ("number", "letter"):
        return (scale, 0)
    ranks = [r for m in _NUMBERED.finditer(text) if (r := rank(m.group(0))) and r[0] == scale]
    return min(ranks, key=lambda r: r[1]) if ranks else None


_LEVEL = r"(?:[0-9]|[a-d]|" + "|".join(w for scale in SCALES for w in scale) + r")"    # a class's number, letter or name
# The class a question names for its information ("för information på nivå Hög", "Klass 3 information", "ett klass
# C-dokument"): a class word and its level, not negated just before ("inte klass 3").
_STATED = re.compile(rf"\b(?:klass|class|nivå|nivån|level|informationsklass|\w+nivå)\s++{_LEVEL}\b", re.I)
# ... or a participle and its level: "klassad B", "klassat som C", "classified as Klass 3" (a capital letter only:
# "classified as a secret document" names no class A).
_STATED_AS = re.compile(r"\b(?:klassa[dt]e?|klassificera[dt]e?|classified|classed)(?:\s++(?:som|as))?\s++"
                        r"(?:klass\s++|class\s++|nivå\s++|level\s++)?((?-i:[A-D])|[0-9]|"
                        + "|".join(w for scale in SCALES for w in scale) + r")\b", re.I)
_NEGATED_BEFORE = re.compile(r"\b(?:inte|ej|icke|not|no|ingen|inget|inga|utan|without|än|than)\W++(?:\w++\W++){0,2}$", re.I)
# (a compound's head too: "konfidentialitetsnivå Låg", "informationsklass 2")
_CLASSES = re.compile(rf"(?:\b|(?<=\w\w\w))(?:klass|class|nivå|nivåerna|level|levels|klasserna|classes)\s++{_LEVEL}\b"
                      rf"(?:(?:\s*+,\s*+|\s++(?:och|eller|and|or)\s++){_LEVEL}\b)*+", re.I)


def class_runs(text: str) -> list[set[Rank]]:
    """The classes a text names, one set per mention: a run of them is one ("klass A och B", "Klass 1, 2 eller 3")."""
    runs = []
    for m in _CLASSES.finditer(text):
        word = m.group(0).split()[0]
        run = {r for level in re.findall(_LEVEL + r"\b", m.group(0)[len(word):], re.I)
               if (r := rank(f"{word} {level}")) is not None}
        if run:
            runs.append(run)
    return runs


def first_class_at(text: str) -> int | None:
    """Where the text first names a class ("… är Klass 3 och …"), or None."""
    m = _CLASSES.search(text)
    return m.start() if m else None


def classes_named(text: str) -> set[Rank]:
    """Every class a text names, a run of them too."""
    return set().union(*class_runs(text))


def stated_class(question: Question, scale: str | None = None) -> Rank | None:
    """The class the question itself names for its information, on the given scale (any, without one; the highest
    it names)."""
    said = [(m.start(), m.group(0)) for m in _STATED.finditer(question.text)]
    said += [(m.start(), f"klass {m.group(1)}") for m in _STATED_AS.finditer(question.text)]
    found = [r for at, text in said if not _NEGATED_BEFORE.search(question.text[:at])
             and not _tools_class(question.text, at)
             and (r := rank(text)) is not None and (scale is None or r[0] == scale)]
    return max(found, key=lambda r: r[1]) if found else None


def _tools_class(text: str, at: int) -> bool:
    """Whether the class named at `at` is what a tool is approved for, said in passing ("De omfattas av sekretess,
    men AI-portalen är ju godkänd för klass C."): not the class of the question's information. In the sentence that
    asks ("Är Copilot Chat godkänt för klass 3?") it is the class asked about."""
    start = max(text.rfind(end, 0, at) for end in ".!?\n") + 1
    stop = min((i for i in (text.find(end, at) for end in ".!?\n") if i >= 0), default=len(text))
    return text[stop:stop + 1] != "?" and bool(_APPROVED_FOR.search(text[start:at]))


# "godkänd för", "approved up to", "tillåtet för" right before a class
_APPROVED_FOR = re.compile(r"\b(?:godkän\w*|approved|tillåt\w*|allowed|permitted)\s++(?:\w++\s++)?"
                           r"(?:för|for|upp till|up to|till|to)\s*+$", re.I)


@lru_cache(maxsize=32)
def _names(scale: str, organisation_text: str) -> tuple[tuple[re.Pattern, Rank], ...]:
    """The organisation's own names for the classes of a scale ("Klass 1 (intern)", "Klass 2 Intern (internal)"),
    each as the pattern a question writes it with; a name given to two classes names neither. The lowest class's
    names are left to the open-information concept: "öppna AI-tjänster", "public AI tools" name tools, not data."""
    named: dict[str, set[Rank]] = {}
    bottom = lowest(scale, organisation_text)
    for m in _NUMBERED.finditer(organisation_text):
        r = rank(m.group(0))
        if r is None or r[0] != scale or r == bottom or not (n := NAME.match(organisation_text, m.end())):
            continue
        for name in filter(None, n.groups()):
            if name.lower() not in STOP and not name.isdigit() and len(name) >= MIN_NAME:
                named.setdefault(name.lower(), set()).add(r)
    endings = "|".join(re.escape(e) for e in NAME_ENDING)
    return tuple((re.compile(rf"\b{re.escape(name)}(?:{endings})?\b", re.I), next(iter(ranks)))
                 for name, ranks in named.items() if len(ranks) == 1)


def named_class(question: Question, scale: str, organisation_text: str) -> Rank | None:
    """The class the question calls its information by the class's own name ("Underlaget är internt"), not negated
    just before ("inte internt"); the highest it names."""
    found = [r for pattern, r in _names(scale, organisation_text) for m in pattern.finditer(question.text)
             if not _NEGATED_BEFORE.search(question.text[:m.start()])]
    return max(found, key=lambda r: r[1]) if found else None


def question_class(question: Question, scale: str, organisation_text: str) -> Rank | None:
    """The class of the information the question describes, on the given scale, where it says so plainly: by the
    class's label, or by its name with personal data ruled out ("Underlaget är internt, inga personuppgifter"; "ett
    internt PM" may hold personal data, which would put it above its everyday name)."""
    if question.risky or question.concepts & DATA_KINDS:
        return None
    stated = stated_class(question, scale)
    if stated is None and "personal_data" in question.absent:
        stated = named_class(question, scale, organisation_text)
    if stated is not None:
        return stated
    if "open_info" in question.concepts:
        return lowest(scale, organisation_text)
    if "open_info" in question.absent and {"personal_data", "secrecy"} <= question.absent:
        return _unpublished(scale, organisation_text)
    return None


def _unpublished(scale: str, organisation_text: str) -> Rank | None:
    """The class the organisation's documents give information that is not published ("… ska alltid behandlas som
    lägst nivå Måttlig")."""
    text = " ".join(organisation_text.split())
    for m in UNPUBLISHED.finditer(text):
        r = rank(text[m.end():m.end() + 40])
        if r is not None and r[0] == scale:
            return r
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])|\n+")
_CLASS_WORD = re.compile(r"\b(?:klass|class|nivå|level|informationsklass)\b", re.I)
_NEGATED = re.compile(r"\b(?:inte|ej|icke|not|no)\b", re.I)
MIN_STEM = 5          # shorter stems ("data", "uppg") say nothing about one class
SOLE_DEFINITION_WORDS = 2   # a scale's only class definition is matched by this many of its words
MIN_NAME = 3          # a class's name shorter than this ("Klass 1 (A)") is a label, not a word a question uses
FUNCTION_ZIPF = 5.5   # words this common ("about", "enligt") say nothing about a class, wherever they stand


@lru_cache(maxsize=1)
def stemmers():
    import Stemmer

    return Stemmer.Stemmer("swedish"), Stemmer.Stemmer("english")


def _word_stems(text: str) -> dict[str, set[str]]:
    """Each content word's stems in both languages (a definition may be in either and the question in the other's
    form)."""
    from wordfreq import zipf_frequency

    words = [w for w in TOKEN.findall(text.lower()) if w not in STOP and not _CLASS_WORD.fullmatch(w)
             and max(zipf_frequency(w, "sv"), zipf_frequency(w, "en")) < FUNCTION_ZIPF]
    return {w: {s for stemmer in stemmers() if len(s := stemmer.stemWord(w)) >= MIN_STEM} for w in words}


def _stems(text: str) -> set[str]:
    return set().union(*_word_stems(text).values())


@lru_cache(maxsize=32)
def _definitions(scale: str, organisation_text: str) -> tuple[tuple[Rank, frozenset[str]], ...]:
    """The organisation's class definitions on a scale: each class with the stems that it lists and no other
    definition does. "Klass 3 Konfidentiell: customer data, contracts" lists what follows its class; "Uppgifter …
    inom elevhälsa är klass D" what comes before. A definition by what information is not ("… that is not published
    is at least Klass 2") lists nothing a question's words could match."""
    found = []
    for sentence in _SENTENCE_END.split(organisation_text):
        m = DEFINITION.search(sentence)
        if not m or (r := rank(sentence[m.end():m.end() + 20])) is None or r[0] != scale:
            continue
        listed = sentence if m.start() == 0 else sentence[:m.start()]
        if m.start() > 0 and _NEGATED.search(listed):
            continue
        # An English definition lists its words in Swedish too, through the glossary: a Swedish question about an
        # English policy ("ett personalärende" and "Klass 3 Konfidentiell: … personnel matters").
        words = TOKEN.findall(listed.lower())
        listed += " " + " ".join(GLOSSARY[w] for w in words if w in GLOSSARY)
        found.append((r, _stems(_NUMBERED.sub(" ", listed))))
    count = Counter(stem for _, stems_ in found for stem in stems_)
    return tuple((r, frozenset(stem for stem in stems_ if count[stem] == 1)) for r, stems_ in found)


def class_floor(question: Question, scale: str, organisation_text: str) -> Rank | None:
    """The class the question's information is at least, by the organisation's own definitions: a word of the
    question that one definition lists and no other does ("contract" under "Klass 3 Konfidentiell: customer data,
    contracts, …"; "elevhälsomöten" under "… inom elevhälsa är klass D"). Only ever a floor: it can say that a
    tool's class or a rule's is too low, never that a tool may be used."""
    found = [r for r in (stated_class(question, scale) or named_class(question, scale, organisation_text),) if r]
    # Information the question says is not published is at least the class the documents give such information,
    # whatever else it holds.
    found += [r] if "open_info" in question.absent and (r := _unpublished(scale, organisation_text)) else []
    definitions = _definitions(scale, organisation_text)
    # (not the words the question names as not involved: "inga personuppgifter")
    asked = [stems for w, stems in _word_stems(question.text).items() if key(w) not in question.absent_words]
    # Among several definitions one word a single one lists tells them apart; a scale's only definition ("Uppgifter
    # som omfattas av sekretess har alltid nivå Hög") is told by two of the question's words, as one ("uppgifter")
    # is everywhere.
    needed = 1 if len(definitions) >= 2 else SOLE_DEFINITION_WORDS
    found += [r for r, distinct in definitions
              if sum(any(a.startswith(d) for d in distinct for a in stems) for stems in asked) >= needed]
    return max(found, key=lambda r: r[1]) if found else None


def any_floor(question: Question, organisation_text: str) -> Rank | None:
    """`class_floor` on whichever of the organisation's scales it finds one (the first that does)."""
    for scale in ("number", "letter", *(" ".join(s) for s in SCALES)):
        if (floor := class_floor(question, scale, organisation_text)) is not None:
            return floor
    return None


def bans_its_class(rule: str, question: Question, organisation_text: str) -> bool:
    """Whether a rule is on one class, or one run of classes ("Klass 4 (skyddad) information must never be
    entered …"), and the question's information is that class by the organisation's own definitions ("the SCADA
    system" under "Klass 4 Skyddad: information about the grid and heating control systems (SCADA/OT)")."""
    runs = class_runs(rule)
    if len(runs) != 1:
        return False
    floor = any_floor(question, organisation_text)
    return floor is not None and floor in runs[0]


def excluded_classes(rule: str) -> set[Rank]:
    """The classes a permitting rule leaves out ("where no Klass 3 or Klass 4 information is discussed")."""
    text = " ".join(rule.split())
    out = set()
    for m in EXCLUDED.finditer(text):
        window = text[m.end():m.end() + 40]
        out |= {r for c in _NUMBERED.finditer(window) if (r := rank(c.group(0))) is not None}
    return out


# Where a row's comment parts into requirements of its own: "Licence approved by your manager; no personnummer, no
# Klass 4", "Kräver att din chef har beställt behörighet och att du har gått AI-körkortet".
_COMMENT_PART = re.compile(r"[;.]\s*+|,\s*+(?=(?:ingen|inget|inga|no|not)\b)|\s(?:och|and)\s++(?=att\b|that\b)", re.I)


def comment_parts(condition: str) -> list[str]:
    return [p.strip() for p in _COMMENT_PART.split(condition) if p.strip()]


def comment_met(condition: str, question: Question, asked: Rank | None = None) -> bool:
    """Whether what the row adds asks nothing of this question: nothing, a waiver ("Ingen särskild behörighet
    krävs"), a limit on data the question says is not involved ("No customer personal data at all"), or a limit on
    classes above the question's (`asked`: "no Klass 4" for Klass 2)."""
    if not condition.strip():
        return True
    if not _NEGATED_COMMENT.match(condition):
        return False
    if limits := classes_named(condition):
        return asked is not None and all(r[0] == asked[0] and r[1] > asked[1] for r in limits)
    about = {c.name for c in concepts_in(condition)} & DATA_KINDS
    return about <= question.absent
