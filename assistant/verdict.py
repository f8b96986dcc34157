"""The verdict from the kind of question, what it involves, and the normative words in the quoted rules.

Never "yes" unless a quoted rule permits; a prohibition that covers what the question involves means "no";
a rule that permits only under a condition the question does not settle means "conditional".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from assistant.domain import shipped
from assistant.language import DEFINITION_QUESTION, GLOSSARY, concepts_in, detect_language
from assistant.question import NOT_OPEN, Question, said_absent
from assistant.sensitive import sensitive_words
from assistant.situation.reader import clauses, condition_of, requirement_of
from assistant.terms import PRODUCT_NAME, STOP, TOKEN, content_words, key, names_part_of, specific_words, stems
from assistant.validity import ended_by, in_force_at, out_of_force
from assistant.info_classes import (DATA_KINDS, FLOOR, MIN_STEM, ClassRow, activity_fit, any_floor, bans_its_class,
                                    class_floor, classes_named, comment_met, comment_parts, excluded_classes,
                                    first_class_at, other_activity, lowest, question_class, Rank, rank, read_row,
                                    stated_class, stemmers)
from ingest.rules.reader import condition_span
from ingest.sentences import INLINE_ITEM, split_spans

# The normative lexicon is data (assistant/data/domain.toml, [normative]).
_LEXICON = shipped().normative
PROHIBIT, ONLY, CONDITION, PERMIT, OBLIGE = (_LEXICON[k] for k in ("prohibit", "only", "condition", "permit", "oblige"))
# The rule speaks of publicly available AI services, or of services the municipality has procured.
PUBLIC_SCOPE, CUSTOM_SCOPE = _LEXICON["public_scope"], _LEXICON["custom_scope"]
EXCEPTION = _LEXICON["exception"]
APPROVED = _LEXICON["approved"]
AWAITS_APPROVAL = _LEXICON["awaits_approval"]
OBJECTION = _LEXICON["objection"]
AT_MOST, AT_LEAST = _LEXICON["at_most"], _LEXICON["at_least"]
_EMBEDDED, _PLACE = _LEXICON["embedded"], _LEXICON["place"]
_COUNT = re.compile(r"(\d{1,6}+)\s*+([a-zåäöé]{3,}+)", re.I)     # "45 medarbetare", "3 months"


@dataclass
class Norms:
    prohibit: bool = False
    only: bool = False
    condition: bool = False
    permit: bool = False
    oblige: bool = False

    def __or__(self, other: "Norms") -> "Norms":
        return Norms(*(a or b for a, b in zip(self.__dict__.values(), other.__dict__.values())))


def norms(sentence: str) -> Norms:
    text = " ".join(sentence.split())
    if not text.endswith(":"):
        text = _EMBEDDED.sub(" ", text)        # "… tells you which tools you may use": what it is about, no rule
    prohibit = bool(PROHIBIT.search(text))
    condition = bool(CONDITION.search(_unlabelled(text)))
    return Norms(prohibit, bool(ONLY.search(text)), condition, bool(PERMIT.search(text)),
                 not prohibit and bool(OBLIGE.search(text)))


def _unlabelled(text: str) -> str:
    """A sentence without the label of a field it opens with: the label names its topic, not a condition ("Frågor
    om AI-policyn: digitaliseringschefen, …"). A label that opens with a condition states one ("Om du är osäker:
    …")."""
    label = _FIELD_LABEL.match(text)
    return text[label.end():] if label and not CONDITION.match(text) else text


def own_condition(sentence: str, condition: str) -> str:
    """The condition read at ingest, unless it lies in the label of a field the sentence opens with."""
    text = " ".join(sentence.split())
    unlabelled = _unlabelled(text)
    return condition if unlabelled == text or " ".join(condition.split()) in unlabelled else ""


# What each modality the rule reader assigns means for a permission question.
MODALITY_NORMS = {
    "prohibition": Norms(prohibit=True), "advice_against": Norms(prohibit=True), "restriction": Norms(only=True),
    "obligation": Norms(oblige=True), "permission": Norms(permit=True),   # a duty decides when the question skips it
    "conditional_permission": Norms(condition=True, permit=True), "recommendation": Norms(permit=True),
    "exception": Norms(condition=True), "definition_scope": Norms(), "none": Norms(),
}
USE_READINGS = True
USE_SITUATION = True
READING_CONFIDENCE = 0.6


def sentence_norms(sentence) -> Norms:
    """The norms of a quoted sentence: from the reading made at ingest when there is one (a learned model over
    the sentence), else from the normative-word patterns. A prohibition that states its own condition ("får inte …
    utan …") is a conditional ban. A question in a document ("Vill din verksamhet använda ett verktyg som inte
    finns i tabellen?") asks what the text after it answers: it states no rule itself."""
    if sentence.text.rstrip().endswith("?"):
        return Norms()
    own = _own_norms(sentence)
    if own.prohibit or own.permit or own.oblige or own.only:
        return own
    # A list item ("- att språkgranska en egen text, om …") is under its lead-in's modality ("Följande är tillåtet
    # …:", "Det är inte tillåtet att:"), with its own condition.
    lead = sentence.lead_in() if hasattr(sentence, "lead_in") else ""
    if not lead.endswith(":"):
        return own
    led = norms(lead)
    if not (led.prohibit or led.permit or led.oblige or led.only):
        return own
    condition = (getattr(sentence, "reading", None) or {}).get("condition", "")
    item_condition = bool(condition) and not _TEMPORAL.match(condition)
    return replace(led, condition=own.condition or item_condition or led.condition)


def _own_norms(sentence) -> Norms:
    lexical = norms(sentence.text)
    reading = getattr(sentence, "reading", None) if USE_READINGS else None
    if reading is None:
        return lexical
    if reading["modality"] in ("prohibition", "advice_against") and reading["confidence"] >= READING_CONFIDENCE:
        # A prohibition the patterns missed ("Skriv aldrig in …, inte heller i …") is still a prohibition; whether
        # it has a condition is the reading's call too (a condition word is a feature of it, not the decision).
        return Norms(prohibit=True, condition=bool(reading.get("condition")), only=lexical.only)
    return lexical | MODALITY_NORMS.get(reading["modality"], Norms()) if reading["confidence"] >= READING_CONFIDENCE else lexical


def applies(sentence: str, question: Question) -> bool:
    """A rule scoped to one kind of AI service does not decide a question about the other kind."""
    public = bool(PUBLIC_SCOPE.search(sentence))
    custom = bool(CUSTOM_SCOPE.search(sentence))
    if public and not custom and "custom_ai" in question.concepts and "public_ai" not in question.concepts:
        return False
    if custom and not public and "public_ai" in question.concepts and "custom_ai" not in question.concepts:
        return False
    return True


@dataclass(frozen=True)
class Evidence:
    """A sentence that will be quoted: its own text, the text with where it stands (section heading, list lead-in),
    from which a rule's scope is read as well, and its norms."""
    text: str
    context: str
    norms: Norms
    condition: str = ""     # the condition or exception the rule states ("om det inte har gjorts en analys …")
    situation: object = None  # the situation reader's reading of the question under this rule (assistant/situation)
    faq: str = ""             # "yes" / "no": the answer of an FAQ entry that asks the question (assistant/faq.py)
    advice: bool = False      # read at ingest as advising against ("Avråds", "Discouraged"), not forbidding
    recommends: bool = False  # read at ingest as a recommendation ("Märkning rekommenderas …"), not a duty
    asked_in: str = ""        # the FAQ question the sentence answers, its section's heading ("Får jag använda ChatGPT …?")
    binding: bool = True      # from the organisation's own documents; general guidance advises, it never rules


@dataclass(frozen=True)
class Decision:
    verdict: str
    deciding: int | None = None          # index of the evidence that decided the verdict (quoted first)
    conditions: tuple[int, ...] = ()     # for "conditional": the rules whose conditions stay open
    reason: str = ""                     # which part of the decision applied (for reports and tests)
    rule: Norms | None = None            # the deciding rule as it was read for this question


ADVICE_WORDS = 3          # a row's comment this short that advises against the tool is only that advice
# A sentence that settles a yes/no question negatively ("Policyn gäller inte för bolagen", "är inte godkänt").
_DENIES = _LEXICON["denies"]
_RELATIVE_NEGATION, _CONTRAST_NEGATION = _LEXICON["relative_negation"], _LEXICON["contrast_negation"]
_PREDICATE = shipped().question["predicate"]
_DUTY = shipped().question["duty"]
_COUNTS_AS = shipped().question["counts_as"]
_SENTENCE_ADVERB = shipped().question["sentence_adverb"]
_ASKS = shipped().question["permission"]
# A clause that only says when something happens ("innan vi börjar …") is not a condition on the answer.
_TEMPORAL = re.compile(r"(?:innan|efter|before|after)\b", re.I)
_SUFFICIENCY = shipped().question["sufficiency"]
_MAY = shipped().question["may"]                  # "kan", "får", "can", "may": whether something can be done
_AT_ALL = shipped().question["at_all"]            # "över huvud taget", "alls", "at all", "in any way"
_UNIVERSAL = shipped().question["universal"]      # "för allt", "vad som helst", "anything", "regardless"
_ASKER = shipped().question["staff"]     # the asker and their colleagues: "jag", "vi", "oss", "we", "us"
_UNTIL = re.compile(r"(?:innan|före|tills|until|before)\b", re.I)
# Words that frame a yes/no question rather than name what it asks about.
_FRAME = stems("omfattas gäller räknas policy policyn ai-policyn riktlinje kommun också även considered apply applies "
               "counts count does also too document regler rules någon några något finns måste behöver should must are "
               "will ai-verktyg ai-tjänst ai-system ai-lösning")


# Where a sentence holds two rules: "AI får inte ersätta beslut …, utan ska användas som stöd".
_CLAUSES = re.compile(r",\s*+(?=(?:utan|men|but|while)\b)|(?<!\s)\s++(?=utan (?:ska|skall|bör|får|kan)\b)|;\s++")
_NEGATION = re.compile(r"\b(inte|ej|aldrig|inga|ingen|inget|utan|not|no|never|without|hasn't|haven't|isn't)\b|n't\b", re.I)
_PART = re.compile(r"[a-zåäöéü0-9]+", re.I)


def _part_stems(text: str) -> set[str]:
    """Stems of every part of hyphenated compounds too ("GDPR-analys": gdpr, analys)."""
    return stems(" ".join(_PART.findall(text)))


def clause_norms(e: Evidence, question: Question) -> Norms:
    """A sentence that bans one thing and prescribes another is read by the clause that shares most words with the
    question; a tie keeps the whole sentence's norms (the stricter reading)."""
    if not e.norms.prohibit:
        return e.norms
    parts = [p for p in _CLAUSES.split(e.text) if p.strip()]
    if len(parts) < 2:
        return e.norms
    asked = _part_stems(question.text)
    scored = sorted(((len(asked & _part_stems(p)), k) for k, p in enumerate(parts)), reverse=True)
    (best, k), (second, _) = scored[0], scored[1]
    if best == second:
        return e.norms
    chosen = norms(parts[k])
    if chosen.prohibit:
        return e.norms
    # What a rule says shall be done ("utan ska användas som stöd") is allowed.
    return Norms(only=chosen.only, condition=chosen.condition, permit=chosen.permit or chosen.oblige, oblige=chosen.oblige)


# What a question can settle by saying so: its information is open, or anonymised.
SETTLES = frozenset({"open_info", "anonymised"})
# What a question tells of its setting (which kind of AI service, whether its information is open) rather than what
# it asks about.
SETTING = SETTLES | {"public_ai", "custom_ai"}
# How a question asks (whether rules apply to something: "vilka regler gäller för …") rather than what about: the
# something is its topic.
FRAMING = frozenset({"scope"})


def settled(e: Evidence, question: Question) -> bool | None:
    """Whether the question says the rule's condition holds (True) or not (False), by what the condition is about
    and the question states ("om informationen är öppen" and "texten ligger redan på webbplatsen"); None: silent.
    A kind of sensitive data settles only a condition that excepts it, and only by the question saying there is none
    ("om inte testet omfattar personuppgifter" and "inga personuppgifter"): naming it ("innan personuppgifter
    används") says nothing of the rest of the condition, nor does its absence fail one that names it."""
    # (when a duty is due, "innan de publiceras", is no state the question's "på webbplatsen" settles)
    timed = bool(e.condition) and e.norms.oblige and _TEMPORAL.match(e.condition.strip())
    concepts = {c.name for c in concepts_in(e.condition)} if e.condition and not timed else set()
    about, kinds = concepts & SETTLES, concepts & DATA_KINDS
    if not about and not kinds:
        return None
    negated = bool(_NEGATION.search(e.condition))
    if about & question.concepts:
        return not negated
    if about & question.absent:
        return negated
    if kinds & question.absent and negated:
        return True
    return None


def condition_state(e: Evidence, question: Question) -> bool | None:
    """Like `settled`, and else by the condition's words (at least two shared with the question) and the negation on
    each side ("om det inte har gjorts en analys" and "vi har inte gjort någon analys": the condition holds). Words
    alone are only trusted where the answer gets stricter: to apply a ban, or to find a condition unmet."""
    state = settled(e, question)
    if state is not None or not e.condition:
        return state
    cond = _part_stems(e.condition)
    if len(cond & _part_stems(question.text)) < min(2, len(cond)):
        return None
    # An exception ("utom när sammanträdet behandlar ärenden bakom stängda dörrar") or a limit in time ("får inte
    # användas innan den har godkänts") is a negated condition: it holds when the question says what it names is
    # not the case.
    negated = bool(_NEGATION.search(e.condition)) != bool(EXCEPTION.match(e.condition) or _UNTIL.match(e.condition))
    # The negation of the part of the question that says it ("Nämnden har fattat ett särskilt beslut …, inga
    # personnummer"): another clause's "inga" says nothing about the decision.
    shared, said = max(((len(cond & _part_stems(p)), p) for p in _QUESTION_PART.split(question.text) if p.strip()),
                       key=lambda scored: scored[0], default=(0, question.text))
    state = negated == bool(_NEGATION.search(said if shared >= min(2, len(cond)) else question.text))
    if state is False and not _every_part_said(e.condition, question):
        # A condition of several parts holds only when the question speaks to each: "utan att alla deltagare har
        # informerats i förväg och ingen har motsatt sig det" is not settled by "alla fick information".
        return None
    return state


_CONJUNCT = re.compile(r"\s(?:och|samt|and)\s", re.I)


def _every_part_said(condition: str, question: Question) -> bool:
    """Whether the question shares words with each part of a condition joined by "och"/"and" (two, or all a short
    part has)."""
    asked = _part_stems(question.text)
    parts = [stems_ for part in _CONJUNCT.split(condition) if (stems_ := _part_stems(part))]
    return all(len(part & asked) >= min(2, len(part)) for part in parts)


_QUESTION_PART = re.compile(r"[.;:!?()]++|,\s*+")


def unless_involved(condition: str, question: Question, rule: str = "") -> bool:
    """Whether a permission's condition holds it only while a kind of data is left out ("om inte testet omfattar
    personuppgifter", "utom när det gäller känsliga personuppgifter") and the question involves that kind
    ("brukarenkäter med namn i"), or a class its information is at or above ("om inte testet omfattar … uppgifter
    med nivå Hög" and "de har nivå Hög", when the rule names what the question asks about: a test, not any use of
    such information): the permission does not hold for it."""
    kinds = {c.name for c in concepts_in(condition)} & DATA_KINDS
    involved = (question.concepts & DATA_KINDS) - question.absent
    negated = bool(_NEGATION.search(condition)) != bool(EXCEPTION.match(condition))
    stated = stated_class(question)
    at_class = stated is not None and any(r[0] == stated[0] and r[1] <= stated[1] for r in classes_named(condition)) \
        and names_what_is_asked(rule, question)
    return (bool(kinds & involved) or at_class) and negated


def asks_tool_for_information(question: Question) -> bool:
    """Whether a yes/no question asks if a tool may be used for a class or a kind of information: "Is Copilot Chat
    approved for Klass 3?", "Is DeepL approved for confidential documents?" (a permission, decided by the tool's
    row, not by a sentence that only names the kind of information)."""
    if not tools_in(question.text):
        return False
    kinds = (question.concepts & DATA_KINDS) - question.absent
    return stated_class(question) is not None or bool(kinds and APPROVED.search(question.text))


def asks_unapproved(question: Question, allowed: frozenset[str]) -> bool:
    """Whether a permission question (or "Är X godkänt?") names a tool the documents do not allow, where they allow
    tools by name. A product named by two tool names ("GitHub Copilot") is not the one the documents approve by one
    of them ("Copilot Chat"): every name of it must be approved."""
    asked = tools_in(question.text)
    unapproved = allowed and asked and (not asked & allowed
                                        or any(not product <= allowed for product in products_in(question.text)))
    return bool(unapproved) and (question.kind == "permission"
                                 or question.kind == "factual" and bool(APPROVED.search(question.text)))


def decide(question: Question, evidence: list[Evidence], names: str = "", allowed: frozenset[str] = frozenset(),
           organisation_text: str = "") -> Decision:
    """The verdict from the sentences that will be quoted, and which of them decided it.

    `names` are words that only name the organisation or its documents ("Norsjö kommuns AI-policy", "Norstedts
    checklista"): they never settle a factual question by themselves. `allowed`: the tools the organisation's
    documents allow by name (assistant/approval.py); a tool the question names that is not among them is not approved.
    `organisation_text`: all of the organisation's documents, where an information-class table's classes are defined.
    """
    asked = tools_in(question.text)
    if asks_unapproved(question, allowed):
        # "Är Midjourney godkänt?", "Får jag använda ChatGPT Plus?" where only approved tools may be used and the
        # approved ones are named: no, by the rule that says only approved tools (or the list that names them).
        # (not an "only if" on something else: "AI-stöd … i verksamhetssystemet är tillåtet endast om funktionen har
        # godkänts")
        only = [i for i, e in enumerate(evidence)
                if e.norms.only and not only_if(e.text) and not only_met(e.text, question)]
        # The list that names the approved tools (or a table row of one) says so best; any sentence on approval else.
        listing = sorted((i for i, e in enumerate(evidence) if APPROVED.search(e.text) or read_row(e.text)),
                         key=lambda i: not (tools_in(evidence[i].text) and APPROVED.search(evidence[i].text)
                                            or read_row(evidence[i].text)))
        # A sentence that says the very tool asked about is not approved says it best of all ("Fria AI-tjänster …,
        # till exempel gratisversionen av ChatGPT, är inte godkända").
        named = [i for i in listing if evidence[i].norms.prohibit and tools_in(evidence[i].text) & asked]
        if named or only or listing:
            return Decision("no", (named or only or listing)[0], reason="not_approved")
    if question.kind not in ("factual", "permission"):
        return Decision("info")
    faq = next((i for i, e in enumerate(evidence) if e.faq), None)
    if faq is not None and evidence[faq].faq == "no":
        # The documents answer this very question "Nej": a no, whatever the question adds.
        return Decision("no", faq, reason="faq", rule=Norms(prohibit=True))
    if question.kind == "factual":
        if faq is not None:
            span = condition_span(evidence[faq].text)
            if span and not _TEMPORAL.match(evidence[faq].text, span[0]):
                return Decision("conditional", faq, (faq,), reason="faq")
            return Decision("yes", faq, reason="faq")
        if asked and (asks_tool_for_information(question)
                      or APPROVED.search(question.text) and any_floor(question, organisation_text) is not None):
            # "Is Copilot Chat approved for Klass 3?", "funkar copilot chat för info på nivå måttlig?": whether a tool
            # may be used for a class of information is a permission, decided by the tool's row as one (and for
            # information of a class by the organisation's definitions: "är github copilot godkänt för scada-kod?" and
            # "Klass 4 Skyddad: … (SCADA/OT)").
            return _permission(question, evidence, allowed, organisation_text)
        if evidence and evidence[0].norms.permit and not evidence[0].norms.prohibit \
                and other_unit(evidence[0].text, question) and unit_unnamed(question, organisation_text):
            # "Jag jobbar på socialförvaltningen – kan vi vara med i piloten?" and "I piloten får … användas i interna
            # möten i de två förvaltningarna", where the asker's unit is nowhere in the documents: not one of them.
            return Decision("no", 0, reason="other_unit", rule=Norms(permit=True, condition=True))
        # "Räcker det att skriva ”Texten är skapad med AI” …, utan att det står vem som ansvarar för innehållet?"
        skipped = skipped_duty(question, applicable(evidence, question))
        decision = skipped or _factual(question, evidence, names)
        if (decision.verdict == "yes" or decision.verdict == "info" and _MAY.search(question.text)) \
                and not DEFINITION_QUESTION.search(question.text):
            # The safety invariant for a yes/no question too: no "yes" while a quoted rule bans the class its
            # information is ("can class D information go into AI-portalen just this once?" and "Information i klass
            # D får under inga omständigheter användas …"); not for what counts as that class ("Räknas … som klass D?").
            # Where nothing else settles whether it can, that ban does.
            banned = next((i for i, e in enumerate(evidence) if e.norms.prohibit and not e.norms.condition
                           and bans_its_class(e.text, question, organisation_text)), None)
            if banned is not None:
                return Decision("no", banned, reason="class_banned", rule=Norms(prohibit=True))
        share = ai_share(question.text)
        if decision.verdict == "yes" and decision.deciding is not None and share != "major" \
                and _MAJORITY.search(evidence[decision.deciding].text):
            # "Text … som till största delen har skapats med AI ska märkas" and "Copilot hjälpte mig bara med
            # ingressen, ungefär en femtedel": a duty for mostly AI-made text is not on a text AI made a small share
            # of; for a question that does not say how much, it depends on that.
            if share == "minor":
                return Decision("no", decision.deciding, reason="minor_share")
            return Decision("conditional", decision.deciding, (decision.deciding,), reason="factual_condition")
        if decision.verdict == "yes" and _SUFFICIENCY.search(question.text) \
                and evidence[decision.deciding].norms.oblige:
            # "Vår chattbot skriver att den är en AI. Räcker det?" and "AI-funktioner … ska godkännas innan de
            # publiceras": the duty says what is required; whether what is done meets it is the condition.
            return Decision("conditional", decision.deciding, (decision.deciding,), reason="sufficiency")
        return decision
    decision = _permission(question, evidence, allowed, organisation_text)
    if decision.verdict == "conditional" and _UNIVERSAL.search(question.claim):
        # "En kollega säger att vi får använda ChatGPT till i stort sett allt": a claim that something may be done
        # whatever the case is wrong where the documents allow it only under conditions (quoted as what decides).
        return replace(decision, verdict="no", reason="claim_too_wide")
    return decision


def _permission(question: Question, evidence: list[Evidence], allowed: frozenset[str], organisation_text: str) -> Decision:
    """The permission decision with the deciding rule's norms as the decision read them."""
    decision = _decide_permission(question, evidence, allowed, organisation_text)
    if decision.rule is not None:
        return decision                        # read as the decision read it (the exception of a permission)
    read = decision.deciding is not None and _read_norms(evidence[decision.deciding], question)
    row = read and read.prohibit and decision.verdict != "no" and read_row(evidence[decision.deciding].text)
    if row and (evidence[decision.deciding].advice or _row_allows(row, question, organisation_text)):
        # A tool's row that advises against it ("Discouraged") allows its class: advice is no ban to contradict; nor
        # is the ban of a row's comment that the question says is not the case ("Bilder får inte föreställa …
        # verkliga, igenkännbara personer" and "det är ingen riktig eller igenkännbar person").
        read = replace(read, prohibit=False, permit=True)
    return replace(decision, rule=read or None)


def _read_norms(e: Evidence, question: Question) -> Norms:
    """A rule's norms as the decision reads them for this question: by clause, and with the condition the question
    states or settles."""
    n = clause_norms(e, question)
    if n.prohibit and n.condition and condition_state(e, question):
        return Norms(prohibit=True)
    return n


def class_row_for(question: Question, texts: list[str]) -> tuple[int | None, ClassRow | None, set[int]]:
    """Of the texts, the information-class row for the tool the question names (its index and reading, or None when
    no row or no single row names it best), and the rows about other tools, which decide nothing for this question."""
    rows = {i: row for i, t in enumerate(texts) if (row := read_row(t)) is not None}
    asked_tools = tools_in(question.text)
    asked = {key(w) for w in specific_words(question.text, question.language)}

    def match(row: ClassRow) -> int:
        fit = activity_fit(row, question)
        if fit is None:
            return 0                  # the row is for another activity with the tool ("Bildgenerering i Copilot Chat")
        if any(not product <= asked_tools for product in products_in(row.tool)):
            return 0                  # another product of the tool's maker ("GitHub Copilot" for "Copilot Chat")
        shared = {key(w) for w in specific_words(row.tool, question.language)} & asked
        tools = len(tools_in(row.tool) & asked_tools)
        return len(shared) + tools + fit if tools or len(shared) >= 2 else 0

    def plain(row: ClassRow) -> int:
        # On a tie, the plain words of the tool's name the question uses too: "Chat" of "Microsoft Copilot Chat
        # (company account)" against "Microsoft 365 Copilot (licensed users only)" for "Is Copilot Chat approved …?"
        name = {w.lower() for w in TOKEN.findall(row.tool.split("(")[0])} - STOP
        # (spelled the Swedish way too: "copilot chatt")
        words = {w.lower() for w in TOKEN.findall(question.text)}
        return sum(any(w == n or len(n) >= 4 and abs(len(w) - len(n)) == 1 and (w.startswith(n) or n.startswith(w))
                       for w in words) for n in name)

    scores = sorted((((m := match(row)), plain(row) if m else 0), i) for i, row in rows.items())[::-1]
    if not scores or scores[0][0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None, None, set()
    best = scores[0][1]
    return best, rows[best], set(rows) - {best} if asked_tools else set()


def applicable(evidence: list[Evidence], question: Question) -> list[tuple[int, Evidence]]:
    """The quoted rules (with their index) whose scope is the question's (`applies`): the organisation's own, not
    general guidance to whoever writes a policy ("Klargör att AI inte får fatta myndighetsbeslut")."""
    return [(i, e) for i, e in enumerate(evidence) if e.binding and applies(e.context, question)]


def skipped_duty(question: Question, relevant: list[tuple[int, Evidence]]) -> Decision | None:
    """Leaving out what a rule requires ("utan att läsa igenom den", "utan att det står vem på kommunen som ansvarar
    för innehållet") is not allowed, nor enough: "no" by the first duty that names what the question leaves out."""
    if not question.skipped:
        return None
    skipped = stems(question.skipped) | {c.name for c in concepts_in(question.skipped)}
    for i, e in relevant:
        if e.norms.oblige and skipped & (stems(e.text) | {c.name for c in concepts_in(e.text)}):
            return Decision("no", i, reason="skipped_duty")
    return None


def _decide_permission(question: Question, evidence: list[Evidence], allowed: frozenset[str],
                       organisation_text: str = "") -> Decision:
    relevant = applicable(evidence, question)
    if (skipped := skipped_duty(question, relevant)) is not None:
        return skipped
    # "Kan vi fortsätta köra den … i april 2026?" and a pilot "under perioden 2025-10-01–2026-03-31": it has ended.
    ended = next((i for i, e in relevant if ended_by(e.text, question.text)), None)
    if ended is not None:
        return Decision("no", ended, reason="out_of_force", rule=Norms(prohibit=True))
    bans, data_bans, cond_bans, only, conditions, permits, unmet, read_met, lifted = [], [], [], [], [], [], [], [], []
    # Bans on a kind of information the question says is not there: no requirement left open below, though the
    # situation reader, which reads the ban and not its subject, reads them as applying.
    absent = []
    pasted = carries_data(question)
    row_at, row, other_rows = class_row_for(question, [e.text for e in evidence])
    # The row of the tool asked about is read first: what it says of the question's class decides before any rule
    # on something else that happens to be quoted above it ("Is Le Chat ok for internal docs?" and an FAQ answer on
    # labelling texts, whose condition "om texten … publiceras externt" internal documents do not meet). What is
    # collected below stays in the order the rules are quoted.
    for i, e in sorted(relevant, key=lambda pair: pair[0] != row_at):
        if i in other_rows:
            continue                           # a table row about another tool than the one asked about
        # "Information i klass C får användas endast i AI-portalen" for klass D; not a ban on the class the
        # information is by the definitions, above the one the question states ("… sekretess inom socialtjänsten …
        # AI-portalen är ju godkänd för klass C" and "Information i klass D får under inga omständigheter …").
        if i != row_at and other_class(e.text, question) and not bans_its_class(e.text, question, organisation_text):
            continue
        if i != row_at and other_product_row(e.text, question):
            continue                           # "GitHub Copilot Business" for "copilot"
        if i == row_at:
            if private_account(e.text, question):
                unmet.append(i)                # the row's tool is the organisation's account, not the asker's own
                continue
            if row.highest is None:
                return Decision("no", i, reason="class_row")        # the tool is approved for no class at all
            asked = question_class(question, row.highest[0], organisation_text)
            floor = asked or class_floor(question, row.highest[0], organisation_text)
            if floor is not None and floor[1] > row.highest[1]:
                # The information is above the tool's class; a ban on that class among the quotes says so in words
                # ("Uppgifter om skyddade personuppgifter … är Klass 3 och får aldrig skrivas in i något AI-verktyg").
                said = next((j for j, x in relevant if j != i and _read_norms(x, question).prohibit
                             and bans_its_class(x.text, question, organisation_text)), i)
                return Decision("no", said, reason="class_exceeds")
            if asked is not None:
                # A comment that only advises against the tool ("Discouraged", "Avråds") asks nothing of information
                # the class allows.
                advice_only = e.advice and len(TOKEN.findall(row.condition)) <= ADVICE_WORDS
                (permits if row_met(row.condition_at(asked), question, asked) or advice_only else conditions).append(i)
                continue
            if floor is not None:
                # The information is at least a class the row allows, and may be more: the row's class is the
                # condition, not a limit the question breaks.
                conditions.append(i)
                continue
        n = _read_norms(e, question)
        if i == row_at and n == Norms():
            # The tool's row, read as saying nothing, and the question's class unknown: which class its information
            # is, is the condition.
            n = Norms(permit=True, condition=True)
        if i == row_at and n.prohibit and e.advice:
            # A row that approves the tool up to a class and advises against it ("Discouraged") bans nothing: with the
            # question's class unknown, which class its information is, is a condition.
            n = replace(n, prohibit=False, condition=True, permit=True)
        if not n.prohibit and (n.permit or n.only) and (left_out := excluded_classes(e.text)) \
                and not other_activity(e.text, question):
            # "… permitted only in internal meetings where no Klass 3 or Klass 4 information is discussed", and a
            # supplier contract, which the organisation's definitions put in Klass 3.
            floor = class_floor(question, next(iter(left_out))[0], organisation_text)
            if floor is not None and any(r[0] == floor[0] and r[1] <= floor[1] for r in left_out):
                return Decision("no", i, reason="class_excluded", rule=Norms(prohibit=True))
        if i != row_at and not n.prohibit and (subject := data_subject(e.text)) and subject <= question.absent:
            continue                           # "Personuppgifter får användas … endast …", and there are none
        if beyond_limit(e.text, question) or beyond_deadline(e.text, question):
            # "Piloten omfattar högst 40 medarbetare" and "Vi är 45 medarbetare …": the question states what the
            # rule's limit rules out.
            return Decision("no", i, reason="beyond_limit", rule=Norms(prohibit=True))
        if question.objected and OBJECTION.search(e.text):
            # "… utan att alla deltagare har informerats i förväg och ingen har motsatt sig det" and "en kollega säger
            # nej": the question states what the rule holds only without.
            return Decision("no", i, reason="objected", rule=Norms(prohibit=True))
        if not n.prohibit and (n.permit or i == row_at) and excepted(e.text, question) \
                and not about_other_tools(e.text, question, allowed):
            # "Copilot Chat får användas för information på nivå Måttlig, med undantag för personuppgifter om barn och
            # elever" and a question about the pupils' names: what it permits excepts what the question is about
            # (in Copilot Chat: not in SkrivStöd, which the question asks about).
            return Decision("no", i, reason="excepted", rule=Norms(prohibit=True))
        if n.only and (only_if(e.text) or only_place_named(e.text, question)):
            # "endast om …": a condition; and so is "endast när … och endast i AI-portalen" for a question about
            # AI-portalen
            n = replace(n, only=False, condition=True, permit=True)
        if question.pending and (n.condition or n.only or n.prohibit) and AWAITS_APPROVAL.search(e.text):
            # "får tas i bruk först efter beslut" and "medan vi väntar på beskedet": what the rule waits for has not
            # come, so the ban applies and the permission is not yet given.
            return Decision("no", i, reason="pending_approval", rule=Norms(prohibit=True) if n.prohibit else None)
        # Naming the kind of data a permission under a condition is about ("uppgifter som omfattas av sekretess …
        # kan behandlas … om det säkerställts att …") is what the question asks about, not data pasted into it: what
        # it says about the condition counts. (An "only" rule's scope is not settled so.)
        beyond = _pasted_beyond(e.text, question, pasted)
        pasted_here = beyond or (pasted and not (n.condition and n.permit))
        allows, forbids = _situation(e, pasted_here)
        if allows and n.prohibit and EXCEPTION.match(e.condition or "") \
                and not any(_names_exception(words, question) for _, words in _exceptions(e.text)):
            # A ban's exception ("med undantag för språkgranskning av allmänna informationstexter") lifts it only
            # for a question that names what it excepts, however the situation reader reads the rest.
            allows = False
        if n.prohibit and n.condition and (condition_state(e, question) is False or allows):
            if allows or settled(e, question) is False or _states_exception(e.condition, question):
                lifted.append(i)               # (common words alone lift a ban, but never make a "yes")
            continue                           # the question settles the condition the ban depends on
        if n.prohibit and exempted(e.text, question):
            # What the exception allows, the question states in words of its own ("språkgranska en mall" for "med
            # undantag för språkgranskning av allmänna informationstexter och mallar"), or the situation reader
            # reads it as allowing: "… med undantag för SkrivStöd, där sekretessbelagda uppgifter får hanteras om de
            # inte omfattas av sekretess enligt 26 kap. (socialtjänst …)" and "inget från socialtjänst eller vård"
            # (its kind of data is what the question asks about, not data it pastes).
            if any(_names_exception(words, question) for _, words in _exceptions(e.text)) \
                    or (e.norms.condition and _situation(e, beyond)[0]):
                lifted.append(i)
            continue                           # the ban's own exception is what the question is about
        if n.prohibit and not_involved(e.text, question):
            continue                           # what the ban is about, the question says is not involved
        if n.prohibit and others_data(e.text, question):
            continue                           # a ban on data about other people than the question's
        if n.prohibit and _NOT_FOR.search(e.text):
            # Whom the document leaves out, and what they are told instead ("Familjehem … omfattas inte av
            # instruktionen, men ska informeras … att uppgifter om placerade barn aldrig får föras in …"): no ban on
            # the asker, whom a document that leaves them out no longer answers (assistant/document_scope.py).
            continue
        if n.prohibit and "open_info" in question.concepts and not question.risky and NOT_OPEN.search(e.text) \
                and not (question.to_be_published and not _class_told(question)):
            # A ban on information that is not published, and it is published (not only going to be: "ska ut på
            # webben på måndag" is unpublished until Monday, unless the question says which class it is).
            continue
        if n.prohibit and about_other_tools(e.text, question, allowed):
            continue
        if n.prohibit and row is not None and (floor := FLOOR.search(e.text)) and row.highest is not None \
                and (least := rank(e.text[floor.end():])) is not None and least[0] == row.highest[0] \
                and least[1] <= row.highest[1]:
            # "… is at least Klass 2, and must not be entered into a tool approved only for Klass 1": a ban on tools
            # approved below the class the information is at least, and the tool asked about is approved for it.
            continue
        if n.prohibit and tools_in(e.asked_in) and about_other_tools(e.asked_in, question, allowed) \
                and not {c.name for c in concepts_in(e.text)} & DATA_KINDS:
            # An FAQ answer is about what its question asks: "Vi avråder ändå från det, eftersom Copilot Chat finns …"
            # under "Får jag använda ChatGPT på min privata telefon?" advises against ChatGPT, not Copilot Chat.
            continue
        if forbids and not n.prohibit and (n.permit or n.only or n.oblige) and not settled(e, question):
            # The question states that what the rule requires does not hold ("inte inloggad", "inte publicerat").
            # (Of a bare condition, an exception to where the rules apply, that decides nothing by itself.)
            unmet.append(i)
            continue
        if n.prohibit:
            about = {c.name for c in concepts_in(e.text)} & DATA_KINDS
            if about and about <= question.absent:
                absent.append(i)
                continue                       # a ban on personal data, and the question says there is none
            if about and not question.risky and not (about & question.concepts):
                data_bans.append(i)            # whether it applies depends on the information: a condition
            elif n.condition or e.advice:
                cond_bans.append(i)            # (advice against, "Undvik att publicera …", is no outright ban)
            else:
                bans.append(i)
        else:
            if n.only and only_concepts(e.text) & question.absent:
                # "får bara användas för öppen information", and the question's information is not open.
                return Decision("no", i, reason="outside_only")
            if n.only and (elsewhere(e.text, question) or private_account(e.text, question)):
                return Decision("no", i, reason="outside_only")
            if n.condition and (n.permit or n.only) and not n.oblige \
                    and (condition_state(e, question) is False or unless_involved(e.condition, question, e.text)):
                # Allowed only if …, and it is not so. (A duty under a condition, "Om du behöver hjälp med en text om
                # en viss person, skriv om texten …", does not apply when its condition does not hold.)
                return Decision("no", i, reason="condition_fails")
            said = settled(e, question) or allows or _leans_met(e, question, pasted_here and not _of_the_person(e))
            # "endast Copilot Chat med kommunens konto" is met by a question about Copilot Chat with that account;
            # a condition beside it ("när det är nödvändigt") still has to be said.
            placed = n.only and not n.condition and only_met(e.text, question)
            # (Not when the rule gives the least class the information is, "… är minst klass C och får därmed endast
            # användas i AI-portalen": it may be above the class that place is for, which is then the condition;
            # unless the question says its information is that very class: "Informationsägaren har klassat
            # underlaget som klass C".)
            floor_met = not FLOOR.search(e.text) or names_class_stated(e.text, question)
            met = (n.condition or n.only) and (said or placed and floor_met)
            if met and not settled(e, question):
                read_met.append(i)
            if n.only and not met:
                (conditions if placed else only).append(i)
            # A condition that neither permits, restricts nor obliges ("Den gäller inte när kommunen bygger AI-tjänster
            # som invånare använder direkt"), and that the situation reader finds beside the question, is none of
            # its conditions; a table row's is always one.
            if n.condition and not met and (n.permit or n.only or n.oblige or i == row_at or read_row(e.text)
                                            or e.situation is None or e.situation.label != "irrelevant"):
                conditions.append(i)
            if n.permit or met:
                permits.append(i)
    for found in (bans, data_bans, cond_bans, only, conditions, permits, unmet, read_met, lifted, absent):
        found.sort()
    public = "public_ai" in question.concepts and "custom_ai" not in question.concepts
    safe = ("open_info" in question.concepts or "anonymised" in question.concepts) and not question.risky
    # A ban on a kind of information (secrecy, personal data) does not hold for information the question says is
    # open, whatever words it shares with it ("en offentlig rapport" and "Offentlighets- och sekretesslagen").
    named = [i for i in bans + ([] if safe else data_bans) if names_what_is_asked(evidence[i].text, question)
             or bans_its_class(evidence[i].text, question, organisation_text) or uses_named(evidence[i].text, question)
             or bans_kind_involved(evidence[i].text, question)]
    # A ban whose only condition is an exception the question does not speak of ("AI får inte användas för att
    # bedöma eller rangordna arbetssökande, utom när det gäller att formulera … platsannonser" and applicants to rank)
    # bans what it names outside the exception as outright.
    # (unless the question asks whether it may be done at all: then the exception is the answer's condition)
    named += [i for i in cond_bans if EXCEPTION.match(evidence[i].condition or "")
              and condition_state(evidence[i], question) is None and not _AT_ALL.search(question.text)
              and names_what_is_asked(_without_exceptions(evidence[i].text), question)]
    if named:
        # An outright ban on the very thing the question asks about ("kallelser … får inte översättas med AI" and a
        # kallelse to translate) decides, whatever else is quoted beside it.
        return Decision("no", named[0], reason="named_ban")
    if question.risky and (bans or only or (public and cond_bans)):
        return Decision("no", (bans or only or cond_bans)[0], reason="risky")
    # The safety invariant: never "yes" while an applicable outright ban is among the quoted rules, whatever the
    # question settles; a ban with a condition needs that condition settled, which open information does not.
    if safe and (only or permits) and not bans and not cond_bans:
        # (decided by the table row of the tool asked about, else by a permission that speaks to the question: not
        # by a recommendation on something else that ranked first, "Märkning rekommenderas även i interna underlag")
        candidates = only or permits
        asked_tools = tools_in(question.text)
        deciding = next((i for i in sorted(set(candidates + conditions))
                         if (row := read_row(evidence[i].text)) is not None and tools_in(row.tool) & asked_tools),
                        next((i for i in candidates if _speaks_to(evidence[i].text, question)), candidates[0]))
        # Anonymised information is not open: it does not settle a rule or row for open information only ("Klass 0
        # (öppen)", "får bara användas med öppen information").
        if "open_info" in question.concepts or not any(_open_only(evidence[i].text, organisation_text)
                                                       for i in {deciding, *only}):
            return Decision("yes", deciding, reason="settled")
        if not unmet:
            # whether the information is open is what the answer depends on
            return Decision("conditional", deciding, (deciding,), reason="anonymised_not_open")
    if bans and not (conditions or only):
        return Decision("no", bans[0], reason="ban")
    if bans and bans[0] < min(conditions + only):
        # The sentence that answers the question best is an outright ban: the conditions of rules quoted after it
        # ("Ja, om inte uppgifterna omfattas av sekretess" in a table row beside "Ladda inte upp köpta rapporter")
        # do not lift it.
        return Decision("no", bans[0], reason="ban_first")
    if unmet:
        return Decision("no", unmet[0], reason="situation_forbids")
    open_conditions = sorted(set(only + conditions + cond_bans + data_bans + bans))
    if open_conditions:
        return Decision("conditional", open_conditions[0], tuple(open_conditions), reason="condition")
    if permits and read_met:
        # A "yes" that rests on the situation reader needs every other requirement among the quotes (a duty, a
        # condition) read as met too: "my manager approved the licence" does not settle "complete the e-learning
        # first". (Not a rule whose condition the question settles: "om inte testet omfattar personuppgifter" and
        # "inga personuppgifter".)
        pending = [i for i, e in relevant if i not in read_met + absent + lifted and e.situation is not None
                   and (e.norms.oblige or e.norms.condition or e.norms.only) and e.situation.label != "irrelevant"
                   and not settled(e, question)
                   and not _situation(e, pasted)[0] and not _leans_met(e, question, pasted and not _of_the_person(e))]
        if pending:
            return Decision("conditional", pending[0], tuple(pending), reason="condition")
    # A "yes" rests on a permission about what the question asks: its words, its tool or its subject. A rule on
    # something else ("Text som publiceras … bör märkas" under a question on drafting a decision) permits nothing.
    speaking = [i for i in permits if _speaks_to(evidence[i].text, question)]
    permits = [i for i in speaking if not _denies(question, evidence[i].text)]
    if speaking and not permits and not (unmet or open_conditions):
        # Every permission that speaks to the question is for what the question says does not hold ("Any manager may
        # request …" and "I'm not a manager"): a permission under a condition that is not met, as when the situation
        # reader reads it so.
        return Decision("no", speaking[0], reason="denied", rule=Norms(permit=True, condition=True))
    # A permission for named parts of the organisation ("i de två förvaltningarna") does not say the asker's own unit
    # ("Jag jobbar på socialförvaltningen") may, nor that an asker who names no unit may: it depends on whether theirs
    # is one of them.
    elsewhere_units = [i for i in permits if other_unit(evidence[i].text, question)
                       or not _units(question.text) and for_units(evidence[i].text)]
    permits = [i for i in permits if i not in elsewhere_units]
    # The safety invariant for a requirement beside the permission: a duty or condition the situation reader reads
    # as broken by the question, below the confidence it is trusted from alone ("inspelningen ska avbrytas om någon
    # deltagare motsätter sig den" and "en av deltagarna vill inte bli inspelad, kan vi köra vidare ändå?"), is not
    # settled: no "yes" while it stands, and it is quoted as the condition.
    if permits:
        leaning = [i for i, e in relevant if i not in permits and i not in absent and e.situation is not None
                   and e.situation.label == "forbids" and (e.norms.oblige or e.norms.condition or e.norms.only)]
        if leaning:
            return Decision("conditional", leaning[0], tuple(leaning), reason="leans_forbids")
        if lifted and not any(evidence[i].norms.permit for i in permits):
            # What allows it is a ban's exception; the duties met beside it only say who may (quoted after it).
            return Decision("yes", lifted[0], reason="exception_met", rule=Norms(permit=True, condition=True))
        return Decision("yes", permits[0], reason="permit")
    if elsewhere_units:
        if unit_unnamed(question, organisation_text):
            # The asker's unit ("Jag jobbar på socialförvaltningen") is nowhere in the organisation's documents: the
            # permission for the parts they name is not for it.
            return Decision("no", elsewhere_units[0], reason="other_unit", rule=Norms(permit=True, condition=True))
        return Decision("conditional", elsewhere_units[0], tuple(elsewhere_units), reason="other_unit")
    asked = tools_in(question.text)
    if safe and asked and asked <= allowed and not bans and not cond_bans:
        # No rule quoted says whether, but the tool asked about is one the documents approve by name and the
        # information is open: the sentence that approves it answers.
        listing = [i for i, e in relevant if asked & tools_in(e.text) and APPROVED.search(e.text)]
        if listing:
            return Decision("yes", listing[0], reason="approved_tool")
    if lifted and not (bans or cond_bans or data_bans or only or conditions or unmet):
        # Every rule that speaks to the question is a ban whose exception the question states ("om inte den
        # ansvariga nämnden har fattat ett särskilt beslut" and "Nämnden har fattat ett särskilt beslut om att …"):
        # the exception allows it.
        return Decision("yes", lifted[0], reason="exception_met", rule=Norms(permit=True, condition=True))
    return Decision("conditional", None, reason="no_rule")


# Tool names name where a rule applies, not what it is about: "… får inte skrivas in i Copilot Chat" is not about
# every question that names Copilot (nor its product word: "Copilot Chat", "ChatGPT Plus").
_TOOLS = re.compile(r"\b(" + "|".join(re.escape(t) for t in shipped().tools) + r")\b", re.I)
# A tool's name with its edition: "Copilot Chat", "ChatGPT-4o", "chatgpt plus"; not "Copilot rangordna".
_TOOL_MENTION = re.compile(_TOOLS.pattern + r"(?:[ -](?:(?:" + "|".join(re.escape(e) for e in shipped().editions)
                           + r")\b|(?-i:[A-ZÅÄÖ0-9])[\w-]{0,19}+))?", re.I)


# A number before a tool's name names its edition too: "Microsoft 365 Copilot", "M365 Copilot".
_EDITION_BEFORE = re.compile(r"\bm?(\d{1,4})[ -]*+$", re.I)


def tool_editions(text: str) -> dict[str, set[str]]:
    """The known tools a text names, each with the words of the editions it names ("Copilot Chat": {"chat"};
    "Microsoft 365 Copilot": {"365"}; a plain "Copilot": none), by every mention."""
    out: dict[str, set[str]] = {}
    for m in _TOOL_MENTION.finditer(text):
        edition = out.setdefault(m.group(1).lower(), set())
        if after := m.group(0)[len(m.group(1)):].strip(" -").lower():
            edition.add(after)
        if before := _EDITION_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            edition.add(before.group(1))
    return out


def other_edition(text: str, question: Question) -> bool:
    """Whether a text names a tool the question names only as another edition of it than the question's: "endast
    Copilot Chat med kommunens konto" and "Microsoft 365 Copilot" (not a plain "Copilot", which may be either)."""
    said = tool_editions(text)
    return any(asked and tool in said and said[tool] and not said[tool] & asked
               for tool, asked in tool_editions(question.text).items())


def beyond_limit(rule: str, question: Question) -> bool:
    """Whether the question states a number of what the rule sets a limit on, beyond it: "högst 40 medarbetare" and
    "vi är 45 medarbetare", "minst 3 dagar" and "2 dagar"."""
    for pattern, beyond in ((AT_MOST, lambda stated, limit: stated > limit), (AT_LEAST, lambda stated, limit: stated < limit)):
        for m in pattern.finditer(rule):
            limit = _COUNT.match(rule, m.end())
            if limit is None:
                continue
            what = key(limit.group(2).lower())
            if any(key(c.group(2).lower()) == what and beyond(int(c.group(1)), int(limit.group(1)))
                   for c in _COUNT.finditer(question.text)):
                return True
            # A follow-up's bare number counts what the question before it counted ("vi är 30 medarbetare, får vi
            # vara med?" and then "och om vi är 50?").
            if question.followup and any(key(c.group(2).lower()) == what for c in _COUNT.finditer(question.query)) \
                    and any(beyond(int(n), int(limit.group(1))) for n in _BARE_NUMBER.findall(question.text)):
                return True
    return False


_BARE_NUMBER = re.compile(r"\b(\d{1,6}+)\b(?!\s*+[^\W\d_])")

_DURATIONS = shipped().durations
_LENGTH = re.compile(r"(?:(\d{1,4}+|[a-zåäö]++)\s++)?([a-zåäö]++)", re.I)


def _hours(text: str, at: int) -> float | None:
    """The length of time written at `at` ("sju dagar", "24 timmar", "månaden": a unit alone is one) in hours."""
    m = _LENGTH.match(text, at)
    if not m:
        return None
    count, unit = (m.group(1) or "").lower(), m.group(2).lower()
    if count and not count.isdigit() and count not in _DURATIONS["numbers"]:
        return None
    hours = next((h for start, h in _DURATIONS["units"].items() if unit.startswith(start)), None)
    if hours is None:
        return None
    n = float(count) if count.isdigit() else _DURATIONS["numbers"].get(count, 1.0)
    return n * hours


def beyond_deadline(rule: str, question: Question) -> bool:
    """Whether the question states a longer time than the latest a rule sets for what it asks about: "… ska raderas
    senast efter sju dagar" and "jag rensar chathistoriken en gång i månaden"; "report it … within 24 hours" and "I
    reported it after two days"."""
    limits = [h for m in _DURATIONS["deadline"].finditer(rule) if (h := _hours(rule, m.end()))]
    if not limits:
        return False
    stated = [h for m in _DURATIONS["stated"].finditer(question.text) if (h := _hours(question.text, m.end()))]
    return bool(stated) and max(stated) > min(limits) and names_what_is_asked(rule, question)


# A tool's name that is an ordinary English word ("Translate", "Word", "Designer") names the tool in an English text
# only when capitalised: "Can I use AI to translate a letter?" names no tool.
_ENGLISH_WORD_ZIPF = 3.9


def tools_in(text: str) -> frozenset[str]:
    """The known tools a text names (lower-cased)."""
    found = _TOOLS.findall(text)
    ordinary = {t for t in found if t.islower() and _english_word(t)}
    if ordinary and detect_language(text) == "en":
        found = [t for t in found if t not in ordinary]
    return frozenset(t.lower() for t in found)


@lru_cache(maxsize=None)
def _english_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= _ENGLISH_WORD_ZIPF


_PRODUCT = re.compile(_TOOLS.pattern + r"(?:[ -]" + _TOOLS.pattern + r")+", re.I)


def products_in(text: str) -> list[frozenset[str]]:
    """The products a text names by two or more known tool names in a row ("GitHub Copilot"), as their names."""
    return [tools_in(m.group(0)) for m in _PRODUCT.finditer(text)]


def other_product_row(text: str, question: Question) -> bool:
    """Whether a table row is for a product of a tool's maker that the question does not name: "GitHub Copilot"
    for a question on "copilot"."""
    asked = tools_in(question.text)
    row = read_row(text) if asked else None
    return row is not None and any(not product <= asked for product in products_in(row.tool))


def about_other_tools(rule: str, question: Question, allowed: frozenset[str]) -> bool:
    """Whether a ban is about tools other than the allowed one the question asks about ("Fria AI-tjänster, till
    exempel gratisversionen av ChatGPT, är inte godkända" and a question about Copilot Chat, which the documents
    allow). The organisation's own products among the allowed are asked about by name too: "Personuppgifter om barn
    och elever får inte skrivas in i Copilot Chat" is not about SkrivStöd."""
    named, asked = _tools_named(rule, allowed), _tools_named(question.text, allowed)
    return bool(named and asked and not named & asked and asked <= allowed and not _covers_every_tool(rule, allowed))


def _covers_every_tool(rule: str, allowed: frozenset[str]) -> bool:
    """Whether a rule names tools as ones it covers as well (`even_in`: "… i en AI-tjänst – inte heller i Copilot
    Chat eller SkrivStöd"), not as the only ones it is about."""
    return any(_tools_named(rule[m.end():], allowed) for m in _EVEN_IN.finditer(rule))


def _tools_named(text: str, allowed: frozenset[str]) -> frozenset[str]:
    """The known tools a text names, and the organisation's own allowed products it names ("… inte heller i Copilot
    Chat eller SkrivStöd")."""
    plain = " ".join(text.lower().split())
    return tools_in(text) | {t for t in allowed if not tools_in(t) and re.search(rf"\b{re.escape(t)}\b", plain)}


def uses_named(text: str, question: Question) -> set[str]:
    """The ways of using a tool (concepts marked names_use: a subscription of one's own) that the text names and the
    question involves."""
    return {c.name for c in concepts_in(text) if c.names_use} & (question.concepts - question.absent)


def what_is_asked(question: Question) -> set[str]:
    """The question's specific words that say what it is about: not the tools it names, not framing words, not
    what it says is not involved."""
    tools = _tool_keys(question.text)
    return {w for w in specific_words(question.text, question.language)
            if key(w) not in tools and key(w) not in _FRAME and key(w) not in question.absent_words}


def _tool_keys(text: str) -> set[str]:
    """The keys of the words of the tools a text names with their editions ("Copilot Chat")."""
    return {key(w.lower()) for m in _TOOL_MENTION.finditer(text) for w in TOKEN.findall(m.group(0))}


def _denies(question: Question, rule: str) -> bool:
    """Whether the question states that what a permission is for does not hold: "I'm not a manager" under "Any
    manager may request a new AI tool", "Det är inte publicerat" under "… får användas för publicerad information"."""
    if _NEGATION.search(rule):
        return False
    parts = clauses(question.text)
    denying = [c for c in parts if _NEGATION.search(c) and not _ASKS.search(c)]
    denied = set().union(*map(_part_stems, denying))
    # What the question also asks about or states elsewhere is not what it denies ("Jag använder inte min privata
    # dator. Får jag använda Copilot?"; "… for the front-end code. No OT code involved.").
    said = set().union(*(_part_stems(c) for c in parts if c not in denying))
    # What the permission excepts, the question may well deny ("Inga elever nämns" under "… med undantag för
    # personuppgifter om barn och elever").
    return bool((denied - said - _FRAME) & _part_stems(_without_exceptions(rule)))


_UNIT, _EVERY_UNIT = _LEXICON["unit"], _LEXICON["every_unit"]
_EVEN_IN = _LEXICON["even_in"]
_CONCESSION = _LEXICON["concession"]


_WORD = re.compile(r"[\w-]++")


def _units(text: str) -> list[re.Match]:
    """The words of a text that name a part of the organisation (whole words: "socialförvaltningen")."""
    return [m for m in _WORD.finditer(text) if _UNIT.search(m.group(0))]


# A part of the organisation named by two words, as English does ("IT department"): a Swedish question names it by
# one compound ("IT-avdelningen").
_UNIT_PHRASE = re.compile(r"(?<![\w-])([\w-]++)\s++(" + _UNIT.pattern + r")", re.I)


def _translated_units(text: str) -> set[str]:
    """The keys of the Swedish names, through the glossary, of the parts of the organisation an English text names
    ("IT department": "it-avdel" and "avdeln")."""
    forms = set()
    for m in _UNIT_PHRASE.finditer(text):
        for swedish in TOKEN.findall(GLOSSARY.get(m.group(2).lower().rstrip("s"), "").lower()):
            forms |= {key(swedish), key(f"{m.group(1).lower()}-{swedish}")}
    return forms


def for_units(rule: str) -> bool:
    """Whether a rule names parts of the organisation, none of them for every unit ("i de två förvaltningarna", not
    "i alla förvaltningar")."""
    flat = " ".join(rule.split())
    units = _units(flat)
    return bool(units) and not any(_EVERY_UNIT.search(flat[max(0, m.start() - 30):m.start()]) for m in units)


def other_unit(rule: str, question: Question) -> bool:
    """Whether a rule is for named parts of the organisation (`for_units`), and not for the one the question names (its
    own unit, by the key of its word: "socialförvaltningen" is not "förvaltningarna")."""
    asked = {key(m.group(0).lower()) for m in _units(question.text)}
    if not asked or not for_units(rule):
        return False
    flat = " ".join(rule.split())
    return not asked & ({key(m.group(0).lower()) for m in _units(flat)} | _translated_units(flat))


def _open_only(rule: str, organisation_text: str) -> bool:
    """Whether a rule or a table row is for open information: it says so, or the row's highest class is the lowest."""
    row = read_row(rule)
    if row is not None and row.highest is not None:
        return row.highest == lowest(row.highest[0], organisation_text or rule)
    return "open_info" in {c.name for c in concepts_in(rule)}


def unit_unnamed(question: Question, organisation_text: str) -> bool:
    """Whether the question names its own part of the organisation by name ("socialförvaltningen", not "vår
    förvaltning") and the organisation's documents never do."""
    named = [w for m in _units(question.text) if _UNIT.search(w := m.group(0).lower()).start() > 0]
    text = organisation_text.lower()
    if not (named and text) or any(w[:max(8, len(w) - 3)] in text for w in named):
        return False
    # (the Swedish names of an English text's units are read only when no name is found as it stands)
    return not {key(w) for w in named} & _translated_units(text)


def _speaks_to(rule: str, question: Question) -> bool:
    """Whether a rule is about what the question asks: it names a word of it, a tool it names, or a concept of it
    (of a follow-up, with the question before it: "men kan den hjälpa mig att skriva brevet?")."""
    asked = replace(question, text=question.query) if question.followup else question
    # An English rule names a Swedish question's words through the glossary ("letter" -> "brev").
    translated = {key(t) for w in TOKEN.findall(rule.lower()) if w in GLOSSARY for t in TOKEN.findall(GLOSSARY[w].lower())}
    named = any(k.startswith(t) for t in translated if len(t) >= 4 for k in map(key, what_is_asked(asked)))
    return bool(names_what_is_asked(rule, asked) or named or tools_in(rule) & tools_in(asked.text)
                or {c.name for c in concepts_in(rule)} & question.concepts
                or names_class_stated(rule, question))     # "klass A och B" for "klass B"


def names_class_stated(rule: str, question: Question) -> bool:
    """Whether a rule names the class the question states its information is ("klass C" and "klassat som klass C")."""
    stated = stated_class(question)
    return stated is not None and stated in classes_named(rule)


def other_class(rule: str, question: Question) -> bool:
    """Whether a rule says what holds for classes of information on the scale of the class the question states, and
    not for that one: what it says of klass C does not decide a question about klass D. A rule that names classes
    to leave them out ("where no Klass 3 or Klass 4 information is discussed") speaks of the others too."""
    stated = stated_class(question)
    named = classes_named(rule) if stated is not None else set()
    if not named or stated in named or stated[0] not in {r[0] for r in named}:
        return False
    # (a ban on a class, "Information i klass D får under inga omständigheter användas", is still about that class)
    return not excluded_classes(rule)


# The term a definition defines ("AI-portalen: kommunens upphandlade AI-tjänst …, där leverantörens avtal förbjuder
# …"): what it says is about the term, not a rule on using it.
_DEFINED = re.compile(r"^\W{0,3}+[A-ZÅÄÖa-zåäö][\w -]{1,40}?:\s++")
# The capitalised label a field opens with ("Frågor om AI-policyn: …"); `_DEFINED` also reads a defined term in
# lower case or after a list mark.
_FIELD_LABEL = re.compile(r"[A-ZÅÄÖ][\w -]{1,40}?:\s")


# The kinds of information a ban names that say what it is about by themselves (personal data is named by nearly
# every rule and question, so it does not).
_TELLING_KINDS = DATA_KINDS - {"personal_data"}


def bans_kind_involved(rule: str, question: Question) -> bool:
    """Whether a ban is on a telling kind of information (sensitive personal data, secrecy) that the question's
    information is, in its own words ("känsliga personuppgifter (till exempel uppgifter om hälsa …)" and "an e-mail
    about a colleague's sick leave")."""
    kinds = {c.name for c in concepts_in(rule)} & _TELLING_KINDS
    return bool(kinds & (question.concepts - question.absent))


def names_what_is_asked(rule: str, question: Question) -> bool:
    # A product the rule names says where it applies ("… inte heller i Copilot Chat eller SkrivStöd"), as a tool
    # does, not what it is about.
    rule = _DEFINED.sub("", rule, count=1)
    products = {m.group(0).lower() for m in PRODUCT_NAME.finditer(rule)} | _places(rule)
    return names_part_of(specific_words(rule, question.language) - products, asked_words(question))


def glossed(question: Question) -> list[set[str]]:
    """For an English question, the Swedish policy words of each of its words the glossary knows (not function or
    framing words): "council meeting" -> {"nämnd", "fullmäktige"}, {"möte", "sammanträde"}."""
    if question.language != "en":
        return []
    out = []
    for w in dict.fromkeys(TOKEN.findall(question.text.lower())):
        if w in GLOSSARY and w not in STOP and key(w) not in _FRAME and key(w) not in question.absent_words:
            swedish = {t for t in TOKEN.findall(GLOSSARY[w].lower()) if key(t) not in _FRAME and t not in STOP}
            if swedish:
                out.append(swedish)
    return out


def asked_words(question: Question) -> set[str]:
    """What is asked, and for an English question the glossary's Swedish words for it too: an English word names
    what is asked in a Swedish policy by them ("rank" -> "rangordna", "applicants" -> "sökande arbetssökande")."""
    asked = what_is_asked(question)
    if question.language == "en":
        asked |= {t for w in asked for t in TOKEN.findall(GLOSSARY.get(w.lower(), "").lower()) if key(t) not in _FRAME}
    return asked


def says_more_of(following: str, rule: str, question: Question) -> bool:
    """Whether a sentence that goes on from a rule names something of the question's that the rule does not ("It is
    not permitted in meetings with customers" after "… permitted only in internal meetings …", for a customer who
    joins the call); not what the question names only as not involved ("no customer data")."""
    shared = (_part_stems(following) & _part_stems(question.text)) - _part_stems(rule) - _FRAME
    return any(not said_absent(question.text, m.start()) for m in _PART.finditer(question.text)
               if _part_stems(m.group(0)) & shared)


def _states_exception(condition: str, question: Question) -> bool:
    """Whether the question says in uncommon words of its own what the ban's condition names ("Nämnden har fattat ett
    särskilt beslut om att …" and "om inte den ansvariga nämnden har fattat ett särskilt beslut …"; not "has already
    been published" and "before it has been approved")."""
    said = {key(w) for w in specific_words(condition, question.language)} & {
        key(w) for w in specific_words(question.text, question.language)}
    return len(said) >= 2


def _names_exception(words: list[str], question: Question) -> bool:
    """Whether the question names what an exception excepts in two words of its own, in any of their forms
    ("språkgranska en mall" and "språkgranskning av … mallar")."""
    excepted = specific_words(" ".join(words), question.language)
    asked = specific_words(question.text, question.language)
    return sum(any(e.startswith(key(a)) or a.startswith(key(e)) for e in excepted) for a in asked) >= 2


def not_involved(rule: str, question: Question) -> bool:
    """Whether everything the rule and the question both name is something the question says is not involved
    ("Not permitted for OT code or configuration" and "No OT code or configuration involved")."""
    if not question.absent_words:
        return False
    shared = {key(w) for w in specific_words(rule, question.language)} & {
        key(w) for w in specific_words(question.text, question.language)}
    # The names the ban says it holds in ("… inte heller i Copilot Chat eller SkrivStöd") say where, not what: a
    # question about one of them is still not about what the ban is on.
    shared -= {key(w.lower()) for w in _NAME_WORD.findall(" ".join(rule.split()))} | {key(w) for w in _places(rule)}
    return bool(shared) and shared <= question.absent_words


def _places(rule: str) -> set[str]:
    """The words of the places a rule names by name ("… inte heller i AI-portalen"), lower-cased."""
    return {w.lower() for m in _PLACE.finditer(rule) for w in TOKEN.findall(m.group(1))}


def carries_data(question: Question) -> bool:
    """The question holds data of its own (an identity number, an e-mail address, a phone number) or names sensitive
    or confidential material without saying it is not involved ("ur en personakt", not "inte hämtad ur någon
    personakt")."""
    if question.findings.personal_data:
        return True
    return any(key(w) not in question.absent_words for w in sensitive_words(question.text))


_MODAL = re.compile(r"\b(?:får|ska|skall|måste|bör|kan|may|must|shall|should|can|is|are)\b", re.I)


def data_subject(rule: str) -> set[str]:
    """The kinds of sensitive data a rule is about as its subject, named before its verb ("Personuppgifter får
    användas … endast i AI-portalen"; not "Copilot Chat får användas …, med undantag för personuppgifter om barn")."""
    verb = _MODAL.search(rule)
    return {c.name for c in concepts_in(rule[:verb.start()])} & DATA_KINDS if verb else set()


_DATA_SUBJECTS = shipped().data_subjects
_NOT_FOR = _LEXICON["not_for"]
_DATA_ABOUT = _LEXICON["data_about"]
_DATA_NOUN = _LEXICON["data_noun"]
_WHOSE_WINDOW = 80      # how far after "personuppgifter om" the people it names may stand


def _groups(text: str) -> set[str]:
    return {g for g, p in _DATA_SUBJECTS.items() if p.search(text)}


def rule_subjects(rule: str) -> set[str]:
    """Whom the data a rule is about belongs to, where it says so: "personuppgifter om invånare", "uppgifter om
    klienter, deras anhöriga eller anmälare", "kunduppgifter", "customer personal data"."""
    flat = " ".join(rule.split())
    found = set()
    for m in _DATA_ABOUT.finditer(flat):
        # (up to where the rule goes on to what may not be done: "… om invånare får inte föras in …")
        tail = flat[m.end():m.end() + _WHOSE_WINDOW]
        verb = _MODAL.search(tail)
        found |= _groups(re.split(r"[.;:]", tail[:verb.start()] if verb else tail)[0])
    for m in _DATA_NOUN.finditer(flat):
        # (the word's own start, "kund" of "kunduppgifter", or the word before, "customer" of "customer data")
        found |= _groups(" ".join(flat[:m.start()].rsplit(None, 1)[-1:]))
    return found


def asked_subjects(question: Question) -> set[str]:
    """The groups of people the question names, but those it says are not involved ("inget om invånare")."""
    text = question.text
    return {g for g, p in _DATA_SUBJECTS.items() if any(not said_absent(text, m.start()) for m in p.finditer(text))}


def others_data(rule: str, question: Question) -> bool:
    """Whether a rule is on data about people the question's data is not about: "Personnummer och andra
    personuppgifter om invånare …" and the colleagues' names on a rota."""
    theirs = rule_subjects(rule)
    mine = asked_subjects(question)
    return bool(theirs and mine and not theirs & mine)


def _pasted_beyond(rule: str, question: Question, pasted: bool) -> bool:
    """Whether the question carries data (`pasted`) other than the kind the rule is about: an identity number, or
    material of a kind the rule does not name."""
    return pasted and (question.findings.personal_data or not _about_its_data(rule, question))


def _about_its_data(rule: str, question: Question) -> bool:
    """Whether a rule is about every kind of sensitive data the question names (and does not say is absent:
    "… och inga personuppgifter eller personnummer i dem")."""
    named = ({c.name for c in concepts_in(question.text)} & DATA_KINDS) - question.absent
    return bool(named) and named <= {c.name for c in concepts_in(rule)}


def _situation(e: Evidence, pasted: bool = False) -> tuple[bool, bool]:
    """(the question states what this rule requires, the question states it does not hold), each only when the
    situation reader is confident enough (its thresholds are chosen for precision when it is trained). A question
    that pastes personal data settles no rule by what it says about itself."""
    s = e.situation if USE_SITUATION else None
    return (bool(s and s.allows and not pasted), bool(s and s.forbids))


def _of_the_person(e: Evidence) -> bool:
    """A duty on the user that names no kind of data ("Den som ska använda SkrivStöd måste först genomgå kommunens
    introduktion …"): what the question says of its user settles it whatever material the question is about."""
    return e.norms.oblige and not e.norms.prohibit and not {c.name for c in concepts_in(e.text)} & DATA_KINDS


def row_met(condition: str, question: Question, asked: Rank) -> bool:
    """Whether the question meets each requirement a table row adds for its class (`asked`): each asks nothing of it
    (`comment_met`), is one the question states in its words ("Licence approved by your manager" and "Jag har en
    licens … som min chef har godkänt"), or bans what the question says is not the case."""
    return all(comment_met(part, question, asked) or _states(part, question) or _denied(part, question)
               for part in comment_parts(condition))


def _row_allows(row: ClassRow, question: Question, organisation_text: str) -> bool:
    """Whether a row allows its tool for the question's information: its class is known, not above the row's, and
    the question meets what the row adds for it."""
    asked = row.highest and question_class(question, row.highest[0], organisation_text)
    return bool(asked) and asked[1] <= row.highest[1] and row_met(row.condition_at(asked), question, asked)


def _denied(ban: str, question: Question) -> bool:
    """Whether a clause of the question denies what a ban is on, in two of its words: "Bilder får inte föreställa …
    verkliga, igenkännbara personer" and "det är ingen riktig eller igenkännbar person". (Not a clause that restates
    a rule, with a modal verb: "jag vet att bilder inte får föreställa verkliga personer".)"""
    if not _NEGATION.search(ban):
        return False
    words = _part_stems(ban) - _FRAME - _part_stems(" ".join(_NEGATION.findall(ban)))
    denials = [_part_stems(c) for c in clauses(question.text) if _NEGATION.search(c) and not _MODAL.search(c)
               and not _ASKS.search(c)]
    return any(len(words & c) >= min(2, len(words)) for c in denials)


def _states(requirement: str, question: Question) -> bool:
    """Whether a clause of the question that denies and asks nothing says a requirement in its words: two of them
    besides tool names (English ones also by their Swedish glossary words: "manager", "chef"), or, of a requirement
    of two words, its uncommon one ("att du har gått AI-körkortet" and "jag gick AI-körkortet")."""
    if _NEGATION.search(requirement):
        return False
    words = _untooled_stems(requirement)
    words |= _part_stems(" ".join(GLOSSARY[w] for w in TOKEN.findall(requirement.lower()) if w in GLOSSARY)) - _FRAME
    rare = _part_stems(" ".join(specific_words(requirement, detect_language(requirement)))) & words \
        if len(words) <= 2 else set()
    said = [_part_stems(c) for c in _stating_clauses(question)]
    return any(len(words & c) >= min(2, len(words)) or rare and rare <= c for c in said)


def _untooled_stems(text: str) -> set[str]:
    """The stems of a text's words besides tool names and framing words."""
    return _part_stems(text) - _part_stems(" ".join(m.group(0) for m in _TOOL_MENTION.finditer(text))) - _FRAME


def _stating_clauses(question: Question) -> list[str]:
    """The clauses of the question that state something (they deny and ask nothing), and its sentences, which "och"
    does not split ("… och har gått introduktionen i AI och informationssäkerhet")."""
    sentences = [question.text[a:b] for a, b in split_spans(question.text)]
    return [c for c in clauses(question.text) + sentences if not _NEGATION.search(c) and not _ASKS.search(c)]


def _leans_met(e: Evidence, question: Question, pasted: bool) -> bool:
    """Two weak signals that agree: the situation reader leans to "allows" (its most likely reading, below the
    threshold it is trusted from alone), and a clause of the question that denies nothing says what the rule asks in
    its words, two of them besides tool names ("Jag har gått kommunens introduktion i AI och informationssäkerhet"
    under "… måste först genomgå kommunens introduktion i AI och informationssäkerhet")."""
    s = e.situation if USE_SITUATION else None
    if s is None or s.label != "allows" or pasted:
        return False
    if not e.norms.prohibit and e.condition and EXCEPTION.match(e.condition) and condition_state(e, question):
        # An exception the question says is not the case, in its words ("… får textas med AI utom när sammanträdet
        # behandlar ärenden bakom stängda dörrar" and "Det är inga ärenden bakom stängda dörrar på nästa möte").
        return True
    if _NEGATION.search(e.text):
        return False
    # What the rule asks to be so: a duty's requirement ("complete the e-learning"), else its condition.
    asked = requirement_of(e.text) if e.norms.oblige else condition_of(e.text)
    if e.norms.oblige and (modal := OBLIGE.search(asked)):
        # (what the duty requires, from its verb: not whom or what it is on, which the question names as its topic:
        # "AI-funktioner som kommunen erbjuder invånare, till exempel chattbotar på webbplatsen, ska godkännas …")
        asked = asked[modal.start():]
    rule = _untooled_stems(asked)
    # Only what the question states, not what it asks: "Får jag använda Microsoft 365 Copilot …" names the tool of a
    # rule on that tool without saying anything about the training the rule requires.
    return any(len(rule & _part_stems(c)) >= 2 for c in _stating_clauses(question))


ONLY_SCOPE = _LEXICON["only_scope"]
_ONLY_IF, _ONLY_WORD = _LEXICON["only_if"], _LEXICON["only_word"]


def only_if(rule: str) -> bool:
    """Whether every "only" of a rule opens a condition ("tillåtet endast om funktionen har godkänts") rather than a
    scope ("endast i AI-portalen")."""
    text = " ".join(rule.split())
    return len(_ONLY_IF.findall(text)) == len(_ONLY_WORD.findall(text)) > 0


_ONLY_PLACE, _OWN_ACCOUNT = _LEXICON["only_place"], _LEXICON["own_account"]


def elsewhere(rule: str, question: Question) -> bool:
    """Whether the question asks about a tool outside the one place an "only" rule allows ("Information i klass C får
    användas endast i AI-portalen" and a question about Copilot Chat): the question names a known tool, the rule's
    "only i …" names none of the question's tools, and the question does not name that place too."""
    asked = tools_in(question.text)
    if not asked:
        return False
    for m in ONLY_SCOPE.finditer(" ".join(rule.split())):
        scope = m.group(1)
        if other_edition(scope, question):
            return True                 # "endast Copilot Chat …" and a question on Microsoft 365 Copilot
        if not _ONLY_PLACE.search(scope) or tools_in(scope) & asked:
            continue
        place = {key(w) for w in specific_words(scope, question.language)}
        if not place & {key(w) for w in specific_words(question.text, question.language)}:
            return True
    return False


def private_account(rule: str, question: Question) -> bool:
    """Whether an "only" rule or a table row allows a tool with the organisation's own account ("endast Copilot Chat
    med kommunens konto", "Microsoft Copilot Chat (company account)") and the question is about a private account or
    subscription of the asker's. (Not "bara för öppen information och utan att logga in med kommunkontot": that one
    is for a private account.)"""
    if "paid_private" not in question.concepts or "paid_private" in question.absent:
        return False
    row = read_row(rule)
    scopes = [m.group(1) for m in ONLY_SCOPE.finditer(" ".join(rule.split()))] + ([row.tool] if row else [])
    for scope in scopes:
        own = _OWN_ACCOUNT.search(scope)
        if own and not _NEGATION.search(scope[:own.start()]):
            return True
    return False


def only_concepts(rule: str) -> set[str]:
    """The kinds of information or use an "only" rule restricts to ("får bara användas med öppen information"), not
    those it is about: "Uppgifter som omfattas av sekretess … är minst Klass 2 (känslig) och får därför bara hanteras i
    Solbacka Assistenten" restricts to a place, whatever its class is called."""
    m = _ONLY_WORD.search(rule)
    return {c.name for c in concepts_in(rule[m.end():])} if m else set()


def only_place_named(rule: str, question: Question) -> bool:
    """Whether an "only" rule that asks both a condition and a place ("endast när det är nödvändigt för uppgiften och
    endast i AI-portalen") is about a question that names each place: only its condition is left to say."""
    text = " ".join(rule.split())
    starts = [m.start() for m in _ONLY_WORD.finditer(text)]
    parts = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    places = [p for p in parts if not _ONLY_IF.match(p)]
    if len(places) == len(parts) or not places:
        return False

    def named(part: str) -> bool:
        m = ONLY_SCOPE.match(part)
        scope = m.group(1) if m else ""
        if not _ONLY_PLACE.search(scope):
            return False
        place = {key(w) for w in specific_words(scope, question.language)} | tools_in(scope)
        return any(key(w) in place or w.lower() in place for w in _stated_words(question))

    return all(named(p) for p in places)


def only_met(rule: str, question: Question) -> bool:
    """Whether the question is within what an "only" rule allows: a word it names (a tool too), not negated in the
    question, stands in the rule's "endast …" clause."""
    # (its words and its hyphenated compounds whole: "endast i AI-portalen" names "AI-portalen")
    scopes = [m.group(1).lower() for m in ONLY_SCOPE.finditer(" ".join(rule.split()))]
    if not scopes:
        return False
    stated = [key(w) for w in _stated_words(question)]

    def said(word: str) -> bool:
        return any(word.startswith(k) for k in stated)

    for scope in scopes:
        words = TOKEN.findall(scope)
        if any(said(w) for w in _PART.findall(scope) if w not in words):
            return True
        # A word the scope qualifies ("only for office IT and web code") is met only with its qualifier: "our code"
        # may be any code.
        if any(said(w) and (k == 0 or words[k - 1] in STOP or said(words[k - 1])) for k, w in enumerate(words)):
            return True
    return False


def _stated_words(question: Question) -> list[str]:
    """The question's specific words that it names as involved: not said to be absent, not framing, not negated
    just before ("inte i Copilot Chat") and not left out ("något annat än Copilot Chat", "utanför AI-portalen")."""
    excluded = [m.span() for m in EXCEPTION.finditer(question.text)]
    out = []
    for w in specific_words(question.text, question.language):
        k = key(w)
        if k in question.absent_words or k in _FRAME:
            continue
        at = question.text.lower().find(w)
        if at >= 0 and not _NEGATION.search(" ".join(question.text[:at].split()[-3:])) \
                and not any(a <= at < b for a, b in excluded):
            out.append(w)
    return out


def exempted(rule: str, question: Question) -> bool:
    """Whether the question is about what a ban exempts ("… annan än Copilot Chat med kommunens konto" and a question
    about Copilot Chat): an uncommon word of the question in the exception."""
    asked = {key(w) for w in specific_words(question.text, question.language)} - _FRAME
    return any(any(w.startswith(k) for k in asked for w in words) for _, words in _exceptions(rule))


HEAD = 5      # letters of an excepted word found as a compound's head ("elever" in "gymnasieeleverna")


def excepted(rule: str, question: Question) -> bool:
    """Whether the question is about what a permission excepts ("får användas för information på nivå Måttlig, med
    undantag för personuppgifter om barn och elever" and the pupils' names). Stricter than `exempted`, as it makes
    the answer "no": only the exception's own words (not ones the permission also uses: "sammanträdet" beside
    "nämndsammanträden"), and only words of the question that it does not deny ("inga ärenden behandlas bakom stängda
    dörrar") or say are absent."""
    stated = " ".join(c for c in clauses(question.text) if not _NEGATION.search(c))
    words_asked = {w for w in specific_words(stated, question.language) if key(w) not in question.absent_words}
    asked = {key(w) for w in words_asked} - _FRAME
    flat = " ".join(rule.split()).lower()
    for (start, end), words in _exceptions(flat):
        rest = flat[:start] + " " + flat[end:]
        own = [w for w in words if w[:8] not in rest]
        # (or as the head of a compound: "gymnasieeleverna" are "elever")
        if any(w.startswith(k) for k in asked for w in own) \
                or any(a.find(w[:HEAD], MIN_STEM) > 0 for a in words_asked for w in own if len(w) > HEAD):
            return True
    return False


def _without_exceptions(rule: str) -> str:
    """The rule with what its exceptions except left out ("… arbetssökande, utom när det gäller att formulera …")."""
    flat = " ".join(rule.split())
    for (start, end), _ in reversed(_exceptions(flat)):
        flat = flat[:start] + flat[end:]
    return flat


def _exceptions(rule: str) -> list[tuple[tuple[int, int], list[str]]]:
    """Where each exception a rule states stands (the span of what it excepts), and its words."""
    out = []
    for m in EXCEPTION.finditer(" ".join(rule.split())):
        at = next(k for k, g in enumerate(m.groups(), 1) if g)     # each alternative has its own group
        exempt = m.group(at).lower()
        out.append((m.span(at), _PART.findall(exempt) + TOKEN.findall(exempt)))
    return out


_NAME_WORD = re.compile(r"(?<=[\w,] )(?-i:[A-ZÅÄÖ][a-zåäö])[\w-]{1,40}+")
SPELLING_MIN, SPELLING_RATIO = 7, 90      # another spelling of a word: long, and all but a letter alike
_NOUN_ENDINGS = frozenset({"", "en", "et", "n", "t", "na", "er", "or", "erna", "arna", "orna", "ena"})


def _noun_ending(ending: str) -> bool:
    """Whether what follows a noun's stem is one of its endings, the genitive's "s" too ("handledningens")."""
    return ending in _NOUN_ENDINGS or ending.endswith("s") and ending[:-1] in _NOUN_ENDINGS


# Where a list goes on to its next item: ", samt för …", "; och …", ", as well as …".
_LIST_ITEMS = re.compile(r",\s*+(?:samt|och|as well as|and)\b|;")
_ITEMS = re.compile(r"[,;]|\s(?:och|and|samt|as well as)\s")   # after a plain "och" too: what an attributive follows
_ATTRIBUTIVE = re.compile(r"(?:utan|without|som|that|which|who)\b", re.I)


def _asking_sentence(text: str, single: str | None = None) -> str:
    """The last sentence of the question that ends in "?" (or `single`, when it is one sentence: the text itself)."""
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", text) if x.strip()]
    if len(sentences) <= 1:
        return text if single is None else single
    return next((x for x in reversed(sentences) if x.rstrip().endswith("?")), "")


SUBJECT_ZIPF = 5.5      # a scope question's subject may be a common word ("eleverna" 4.5, "politiker" 5.3), not an everyday one


def _subject_words(question: Question) -> set[str]:
    """The asking sentence's content words up to everyday frequency, not tools nor what it says is not involved
    (the setting told before it, "Jag jobbar på ett av de kommunala bolagen.", is not what it asks)."""
    asking = _asking_sentence(question.text)
    left_out = _tool_keys(asking) | question.absent_words
    return {w for w in specific_words(asking, question.language, SUBJECT_ZIPF) if len(w) > 3 and key(w) not in left_out}


_SUBJECTS = frozenset("jag vi man du ni de dem den det detta i we you they it one".split())
_INFINITIVE_MARK = re.compile(r"\b(?:to|att)$", re.I)
DUTY_VERB_WINDOW = 40     # characters after the duty's words read for its subject and verb


def _duty_verb(question: Question) -> str:
    """The verb a duty question asks whether one must: "märker" of "Är det ett krav att vi märker …?", "label" of
    "Do we have to label …?", "märka" of "Måste jag märka …?": right after the duty's words or their pronoun subject
    (after a noun subject, "Behöver AI-lösningar testas?", where the verb stands is not known: none)."""
    # (a follow-up that goes on from a duty question, "och om bilden ser ut som ett riktigt foto?", asks that duty)
    text = question.text if _DUTY.search(question.text) or not question.continues else question.query
    m = _DUTY.search(text)
    if not m:
        return ""
    words = [w.lower() for w in TOKEN.findall(text[m.end():m.end() + DUTY_VERB_WINDOW])]
    infinitive = bool(_INFINITIVE_MARK.search(m.group(0)))          # "… krav att", "… have to"
    if words[:1] in (["to"], ["att"]):
        words, infinitive = words[1:], True
    if words[:1] and words[0] in _SUBJECTS:
        words = words[1:]
    elif not infinitive:
        return ""
    while words and _SENTENCE_ADVERB.fullmatch(words[0]):
        words = words[1:]
    verb = words[0] if words else ""
    return verb if len(verb) > 3 and verb not in STOP else ""


_ASKED_DECIDER = shipped().question["decided_by"]
_DECIDED_BY = _LEXICON["decided_by"]


def _decider(pattern, text: str) -> str | None:
    """The body a decision names (lower case), not a word that names none ("av oss", an abbreviation such as "KS",
    which says too little to compare)."""
    m = pattern.search(text)
    body = next((g for g in m.groups() if g), "").lower() if m else ""
    return body if len(body) > 3 and body not in STOP else None


def asked_decider(text: str) -> str | None:
    """Whom a yes/no question asks whether they decided the document ("… beslutade av kommunfullmäktige?")."""
    return _decider(_ASKED_DECIDER, text)


_MAJORITY = _LEXICON["majority"]
_MINOR_SHARE, _MAJOR_SHARE = shipped().question["minor_share"], shipped().question["major_share"]


def ai_share(text: str) -> str | None:
    """How much of its text the question says AI made: "minor" ("bara ingressen, ungefär en femtedel"), "major" ("i
    princip hela", "det mesta"), or None when it does not say."""
    if _MAJOR_SHARE.search(text):
        return "major"
    return "minor" if _MINOR_SHARE.search(text) else None


def _factual(question: Question, evidence: list[Evidence], names: str) -> Decision:
    """Yes or no from the first quoted sentence that names what the question asks about; a sentence that names it
    and denies it settles "no". Nothing named: the documents are quoted without a verdict."""
    # "jag rensar chathistoriken en gång i månaden – räcker det?" and "… ska raderas senast efter sju dagar".
    late = next((i for i, e in enumerate(evidence) if beyond_deadline(e.text, question)), None)
    if late is not None:
        return Decision("no", late, reason="beyond_limit", rule=Norms(prohibit=True))
    # "gäller de tillfälliga reglerna fortfarande i november 2026?" and "… dock längst till och med 2026-09-30"
    ended = next((i for i, e in enumerate(evidence) if out_of_force(e.text, question.text)), None)
    if ended is not None:
        return Decision("no", ended, reason="out_of_force")
    # "Är reglerna beslutade av kommunfullmäktige?" and "Beslutad av: Kommunstyrelsen": the body that decided them.
    asked_body = asked_decider(question.text)
    if asked_body:
        stated = next(((i, body) for i, e in enumerate(evidence) if (body := _decider(_DECIDED_BY, e.text))), None)
        if stated is not None:
            return Decision("yes" if key(stated[1]) == key(asked_body) else "no", stated[0], reason="decided_by")
    # A word names the organisation's document when its key is one of the document's words' keys, or when it is a
    # hyphenated compound whose head is ("IFO-instruktionen" for "Instruktion för …"); keys, not six-letter stems,
    # so that "familjehem" is not taken for "familjeomsorgen".
    named_words = [w.lower() for w in TOKEN.findall(names)]
    frame = _FRAME | {key(w) for w in named_words}
    heads = _FRAME | {w[:6] for w in named_words}

    def framed(w: str) -> bool:
        # (and a form of a document's word: "handledningen" for "Handledning för …", though its key is longer)
        return key(w) in frame or ("-" in w and w.rsplit("-", 1)[-1][:6] in heads) \
            or any(w.startswith(n) and _noun_ending(w[len(n):]) for n in named_words if len(n) >= MIN_STEM)

    # What the question predicates ("godkänt", "omfattas") is not what it asks about.
    # Nor are the tools it names: a table row about Copilot Chat does not settle "Måste jag märka ett PM som
    # Copilot skrivit?".
    asked_words = {w.lower() for w in what_is_asked(question) if not framed(w) and not _PREDICATE.fullmatch(w)}
    if question.language == "en":
        # Common English words name what is asked in a Swedish policy when the glossary knows them ("elected").
        asked_words |= {w for w in TOKEN.findall(question.text.lower()) if w in GLOSSARY and w not in STOP and not framed(w)
                        and not _PREDICATE.fullmatch(w) and key(w) not in question.absent_words
                        and not any(framed(t) for t in TOKEN.findall(GLOSSARY[w].lower()))}
    # A name asks about what it names, however common its words: "Solbacka Bostäder" (a capitalised word after the
    # first of its sentence, not a tool or the organisation's own name).
    untooled = _TOOL_MENTION.sub(" ", question.text)        # "Copilot Chat" names a tool, not what is asked
    names = {w.lower() for w in _NAME_WORD.findall(untooled)}
    if _PREDICATE.search(question.text) or len(asked_words) <= 1:
        # What a question predicates a tool's standing of ("Is Sana AI considered a publicly available AI service?",
        # "Räknas Copilot som godkänt?") is about that tool: the sentence that lists it settles the question. So is a
        # question that asks nothing else of it ("har kommunen granskat ChatGPT?"): a sentence on reviewing AI output
        # does not settle it.
        names |= {w.lower() for m in _TOOLS.finditer(question.text) for w in TOKEN.findall(m.group(0))
                  if not framed(w.lower()) and w.lower() != "ai"}
    asked_words |= {w for w in names if not framed(w) and key(w) not in question.absent_words}
    if _PREDICATE.search(question.text):
        # Whom or what a scope question asks about is its subject however common the word: "Gäller reglerna även för
        # eleverna?", "… för politiker?" (not the everyday words of its setting: "i dag", "hemma").
        asked_words |= {w for w in _subject_words(question) if not framed(w) and not _PREDICATE.fullmatch(w)}
    # What a duty question asks is done is asked however everyday its verb ("Är det ett krav att vi märker …?").
    # (It helps a sentence name what is asked; it never makes a sentence name more to count: "behöver jag fylla i en
    # blankett …?" is settled by the sentence on the form.)
    verb = _duty_verb(question)
    extra = 0
    if verb and not framed(verb) and key(verb) not in question.absent_words:
        extra = int(key(verb) not in {key(w) for w in asked_words})
        asked_words.add(verb)
    asked = {key(w): w for w in asked_words}
    # "Jag sitter i socialnämnden. Gäller AI-reglerna mig …?": whom the setting says the asker is, by a concept that
    # names people (names_people: förtroendevalda, the municipal companies), is asked about, though the asking
    # sentence names nothing else ("Jag jobbar på ett av Nackas kommunala bolag. Gäller AI-handledningen för oss?").
    asking = _asking_sentence(question.text, "")
    predicates = bool(_PREDICATE.search(question.text))
    whom = {c.name for c in concepts_in(question.text.replace(asking, " ")) if c.names_people} \
        - {c.name for c in concepts_in(asking)} if asking and predicates and _ASKER.search(asking) else set()
    if len(asked) + len(whom) <= extra:
        # Nothing asked but whether the document applies at a time: "Gäller riktlinjen redan nu? Det är maj 2025" and
        # "Riktlinjen gäller från 2025-04-01" (a time outside its period was answered "no" above).
        current = next((i for i, e in enumerate(evidence) if in_force_at(e.text, question.text)), None)
        return Decision("yes", current, reason="in_force") if current is not None else Decision("info")
    # An English word also names what is asked by the Swedish policy words of the glossary ("elected" -> "förtroendevalda").
    translated = {k: {key(t) for t in TOKEN.findall(GLOSSARY.get(w, "").lower()) if key(t) not in _FRAME}
                  for k, w in asked.items()} if question.language == "en" else {}

    own = set(named_words)
    # A word that is how people say a concept names what the policy says for it ("markera" and "märkning").
    meant = {k: {c.name for c in concepts_in(w)} for k, w in asked.items()}
    # A short noun's other forms have another six-letter key ("bolagen", "bolag"): its stem names them (a noun's
    # ending only: "klassas" is not "klass").
    swedish = stemmers()[0]
    stem = {k: s for k, w in asked.items() if len(s := swedish.stemWord(w)) >= MIN_STEM and w[len(s):] in _NOUN_ENDINGS}
    if verb and question.language == "sv":
        stem[key(verb)] = swedish.stemWord(verb)         # a verb's forms share its stem ("märker", "märkas")

    read: dict[str, tuple[list[str], set[str], set[str]]] = {}

    def words_of(text: str) -> tuple[list[str], set[str], set[str]]:
        # (its words, the concepts it names and its words' stems, read once a sentence: it is ranked several ways)
        if text not in read:
            words = [w for w in _PART.findall(text.lower()) + TOKEN.findall(text.lower()) if w not in own]
            read[text] = (words, {c.name for c in concepts_in(text)} if any(meant.values()) else set(),
                          set(swedish.stemWords(words)) if stem else set())
        return read[text]

    def named(text: str, among: dict[str, str] = asked) -> int:
        # By its key, or spelled another way ("chattbotar", "chatbotar"): near-identical whole words. The
        # organisation's and documents' own names name nothing asked ("Havslunda" is not "Havslundahem").
        words, said, forms = words_of(text)
        return sum(any(w.startswith(k) or (len(w) >= SPELLING_MIN and fuzz.ratio(w, whole) >= SPELLING_RATIO)
                       or any(w.startswith(t) for t in translated.get(k, ())) for w in words)
                   or bool(meant[k] & said) or stem.get(k) in forms
                   for k, whole in among.items())

    # What the asking sentence itself names ranks first: after a setting ("Jag har gjort en bild i Microsoft
    # Designer …"), "Måste bilden märkas?" asks about marking the picture, not about Designer.
    in_asking = {k: w for k, w in asked.items() if any(key(t) == k for t in TOKEN.findall(asking.lower()))}
    asking_own = dict(in_asking)        # (what the asking sentence names in its own words, before its setting's)

    # The sentence that names most of what is asked, and two of its words when it names two or more things, or
    # one of them with a predicate of the same kind as the question's ("Gäller riktlinjen för förtroendevalda?" and
    # "Förtroendevalda omfattas inte av riktlinjen").
    def score(text: str, hits: int) -> int:
        return hits + 1 if hits == 1 and predicates and _PREDICATE.search(text) else hits

    # Among sentences naming as much, the one naming what the question names by name (a tool, a company) settles it.
    by_name = {k: w for k, w in asked.items() if w in names}
    if asking and by_name and _ASKER.search(asking):
        # An asking sentence about the asker ("Gäller IFO:s instruktion för oss också?") asks about what its setting
        # names them by ("Jag jobbar på Funktionsstöd"): that name is asked too.
        in_asking |= by_name

    # A duty asked in a phrase no word of it names ("Behöver det stå någonstans att …", "måste det framgå?") asks
    # about the concept the phrase is a way of saying (transparency: "… ska märkas"); not one of the setting (which
    # service, whether the information is open) or of the documents' scope.
    duty = _asking_sentence(question.text)
    phrased = {c.name for c in concepts_in(duty)} - {n for k in asked for n in meant.get(k, ())} - SETTING \
        - FRAMING if _DUTY.search(duty) else set()
    for concept in sorted(whom | phrased):
        k = "\0" + concept            # (a key no word starts with: only the concept names it)
        asked[k], meant[k], in_asking[k] = k, {concept}, k

    def rank(text: str) -> tuple[int, int, int, int]:
        # (on a tie, the sentence naming more of what is asked outright, over one whose predicate makes up for it:
        # "Ingen AI-tjänst är godkänd för information i Klass 3" over "Godkänt AI-verktyg: Ett verktyg som …" for
        # "finns det något AI-verktyg som är godkänt för klass 3-info?")
        hits = named(text)
        return (named(text, in_asking) if in_asking else 0, score(text, hits), named(text, by_name) if by_name else 0,
                hits)

    # A table row for another tool settles nothing about the one asked ("Är Copilot Chat godkänt för
    # sekretessuppgifter?" and SkrivStöd's row "Hög: Ja, om inte …").
    asked_tools = tools_in(question.text)
    candidates = [(i, e) for i, e in enumerate(evidence)
                  if not (asked_tools and (row := read_row(e.text)) is not None and not tools_in(row.tool) & asked_tools)]
    (_, hits, _, _), i = max((rank(e.text), -i) for i, e in candidates) if candidates else ((0, 0, 0, 0), 0)
    if hits < min(2, len(asked) - extra):
        return Decision("info")
    if asking_own and in_asking == asking_own and not named(evidence[-i].text, asking_own) \
            and asking != question.text.strip():
        # After a setting ("The digitaliseringschef approved our new AI service last week."), a sentence that names
        # only the setting's words does not settle what the asking sentence asks ("Does that mean the money for it
        # is sorted as well?"); unless the asking sentence asks about the asker, whom the setting describes.
        return Decision("info")
    text = evidence[-i].text
    # A quote of several sentences or list items ("2.3 It covers … the customer chatbot "Ekby-Elin" …. It does not cover
    # AI functions built into the grid control systems …"; "o Begränsad risk: … o Minimal risk: … omfattas inte …") is
    # read by the one that names what is asked, when one names as much of it as the whole quote does: another's
    # negation denies nothing.
    parts = [p for a, b in split_spans(text) for p in INLINE_ITEM.split(text[a:b]) if p.strip()]
    if len(parts) > 1:
        part = max(parts, key=lambda p: (named(p), -parts.index(p)))
        if named(part) >= named(text):
            text = part
    if other_edition(text, question):
        # "… vid beslutet är endast Copilot Chat med kommunens konto godkänd" and "Was Microsoft 365 Copilot one of
        # the approved services?": an "only" that names another edition of the tool leaves this one out.
        only = any(other_edition(m.group(1), question) for m in ONLY_SCOPE.finditer(" ".join(text.split())))
        return Decision("no", -i, reason="other_edition") if only else Decision("info")
    member = _class_membership(question, text)
    if member and (evidence[-i].norms.permit or evidence[-i].norms.only):
        # Where a class may be used ("Öppna AI-tjänster får användas endast för information med konfidentialitetsnivå
        # Låg") does not say which class information is ("Räknas ett internt PM som inte har publicerats som nivå
        # Låg?"); a quoted sentence that does and names what is asked settles it ("Information som inte är publicerad
        # … ska alltid behandlas som lägst nivå Måttlig").
        i, text = next(((-j, e.text) for j, e in candidates if not (e.norms.permit or e.norms.only) and named(e.text)
                        and _class_membership(question, e.text)), (i, text))
        member = _class_membership(question, text)
    if member == "no" or member == "yes" and not condition_span(text):
        # "räknas uppgifter om en elev med sekretessmarkering som klass 3?" and "Uppgifter om skyddade personuppgifter
        # … är Klass 3 och får aldrig skrivas in …": the class it names answers, not the negation of its other clause.
        # (A class under a condition, "… meeting notes without customer data", is read with its condition below.)
        return Decision(member, -i, reason="factual_class")
    # "Chatthistorik … ska raderas senast efter sju dagar, om den inte har betydelse för ett ärende": a negation
    # inside the sentence's condition denies nothing; inside an exception ("med undantag för …") it does.
    span = condition_span(text)
    rest = text if not span else text[:span[0]] + " " + text[span[1]:]
    if span and EXCEPTION.match(text, span[0]) and by_name and named(text[span[0]:span[1]], by_name) \
            and _DENIES.search(rest):
        # "Uppgifter som omfattas av sekretess får inte skrivas in i någon AI-tjänst, med undantag för SkrivStöd"
        # and "Is SkrivStöd approved for secret information?": what the ban excepts is what is asked about. Not an
        # outright yes: what the exception allows, other rules may still limit (SkrivStöd's own row).
        return Decision("conditional", -i, (-i,), reason="factual_exception", rule=Norms(permit=True, condition=True))
    said = text if not span or EXCEPTION.match(text, span[0]) else rest
    # A word of exception the question itself asks about ("kan förvaltningschefen ge undantag?" and "… får medge
    # undantag från regel 2") is its subject, not a denial; a plain negation always denies.
    own = {key(w.lower()) for w in TOKEN.findall(question.text)}
    said = _CONTRAST_NEGATION.sub(lambda m: m.group(0) if named(m.group(0)) else " ", said)
    if any(_NEGATION.fullmatch(m.group(0)) or key(m.group(0).lower()) not in own
           for m in _DENIES.finditer(_RELATIVE_NEGATION.sub(" ", said))):
        return Decision("no", -i, reason="factual")
    if evidence[-i].recommends and _DUTY.search(question.text):
        # "Måste ett internt underlag märkas?" and "Märkning rekommenderas även i interna underlag": recommended, not
        # required.
        return Decision("no", -i, reason="factual_recommended")
    # "Ja, om texten skickas till invånare …", "Förtroendevalda omfattas när de använder kommunens utrustning": a yes
    # that holds only under the sentence's own condition, which is quoted.
    # A clause that itself names what is asked ("… vad som gäller när medarbetare och förtroendevalda använder
    # AI-tjänster i arbetet") says whom or what the rules are for, not a condition on it.
    if span and named(text[span[0]:span[1]]) and not named(text[:span[0]] + " " + text[span[1]:]):
        span = None
    # (A condition that describes the item before it, "without customer data", "som …", is that item's alone, after
    # a plain "och"/"and" too: "internal procedures and meeting notes without customer data".)
    items = _ITEMS if span and _ATTRIBUTIVE.match(text, span[0]) else _LIST_ITEMS
    if span and named(text[:span[0]]) and not named(items.split(text[:span[0]])[-1]):
        # The condition belongs to a later item of a list, not to what is asked: "… för anställda, praktikanter och
        # konsulter som arbetar med kommunens konton, samt för förtroendevalda när de använder AI i sitt uppdrag" and
        # "gäller policyn för konsulter?".
        span = None
    if span and _CONCESSION.search(text, 0, span[0]):
        # "… extra viktiga att skydda, även om de inte definieras som känsliga …": a concession holds either way.
        span = None
    if span and not _TEMPORAL.match(text, span[0]):
        condition = text[span[0]:span[1]]
        if _states_condition(question, condition):
            return Decision("yes", -i, reason="factual_stated")
        if (told := _condition_told(question, condition, text[:span[0]])) is not None:
            return Decision("yes" if told else "no", -i, reason="factual_told")
        # Unless the question states whether that condition holds ("jag använder bara min privata dator"), as the
        # situation reader reads it.
        holds, fails = _situation(evidence[-i])
        if holds or fails:
            return Decision("yes" if holds else "no", -i, reason="factual_settled")
        return Decision("conditional", -i, (-i,), reason="factual_condition")
    return Decision("yes", -i, reason="factual")


def _class_membership(question: Question, text: str) -> str | None:
    """For a question whether its information counts as a class ("Räknas … som Klass 0?"), what the sentence that
    names that information says of its class: "yes" for that class (or at least it), "no" for one other class or for
    a least class above the one asked; None where the sentence names no class of that scale, or several."""
    asking = _asking_sentence(question.text)
    asked = classes_named(asking) if _COUNTS_AS.search(asking) else set()
    if len(asked) != 1:
        return None
    (scale, level), = asked
    said = {r[1] for r in classes_named(text) if r[0] == scale}
    if not said:
        return None
    # (a class the sentence denies it is: "… får aldrig behandlas som klass A"; not a negation that says which
    # information is meant, "Information som inte är publicerad …", nor one after the class, "är Klass 3 och får aldrig
    # skrivas in …")
    plain = _RELATIVE_NEGATION.sub(" ", text)
    before = plain[:first_class_at(plain) or 0]
    if _NEGATION.search(before[max(before.rfind(c) for c in ",;:") + 1:]):
        return "no" if level in said else None
    floor = bool(FLOOR.search(text))
    if level in said and (len(said) == 1 or not floor):
        return "yes"
    if len(said) == 1 and (level < min(said) or not floor):
        return "no"
    return None


def _class_told(question: Question) -> bool:
    """Whether the question tells a class of its information in a sentence that asks nothing ("rapporten är Klass 1
    eftersom den ska publiceras", not "det borde väl räknas som Klass 1?")."""
    return any(classes_named(question.text[a:b]) for a, b in split_spans(question.text)
               if not question.text[a:b].rstrip().endswith("?"))


def _states_condition(question: Question, condition: str) -> bool:
    """Whether a scope sentence's condition holds for any question about it: one that names nothing but using AI
    ("samt för förtroendevalda när de använder AI i sitt uppdrag" is what every AI question is about), or one whose
    words the question itself says ("… when they use AI tools for board work, for example to summarise board
    papers" and "… if someone uses Copilot to summarise the board papers?"; through the glossary from a Swedish
    question: "när jag sammanfattar styrelsehandlingar")."""
    words = specific_words(condition, detect_language(condition))
    if words and _NEGATION.search(question.text):
        return False            # "jag använder inte kommunens utrustning": whether it holds is read, not matched
    return _says_all(question.text, words)


def _says_all(text: str, words: set[str] | list[str]) -> bool:
    """Whether a text says each of the words: a form of it, its glossary translation, or another spelling."""
    asked = TOKEN.findall(text.lower())

    def said(word: str) -> bool:
        forms = {key(word)} | {key(t) for t in TOKEN.findall(GLOSSARY.get(word, "").lower())}
        return any(w.startswith(f) for w in asked for f in forms) \
            or (len(word) >= SPELLING_MIN and any(fuzz.ratio(w, word) >= SPELLING_RATIO for w in asked))

    return all(said(w) for w in words)


_FIRST_CLAUSE = re.compile(r",|\s(?:och|samt|and)\s")


def _condition_told(question: Question, condition: str, before: str) -> bool | None:
    """Whether the question itself tells that a sentence's condition holds (True) or not (False): it says the words
    of the condition's first clause, in a clause of its own with the same negation or the other ("om de inte har
    betydelse för ett ärende" and "… även om den har betydelse för ett ärende?": it does not hold); None: not told.
    Words the sentence names before its condition (`before`) name whom or what it is about, not the condition: "the
    board" of "It applies to members of the board … when they use AI tools for board work"."""
    first = _FIRST_CLAUSE.split(condition, maxsplit=1)[0]
    # (of a clause of common words only, those: "när AI används" is told by "när kommunen använder AI")
    named = specific_words(first, detect_language(first)) or content_words(first)
    subject = {key(w) for w in specific_words(before, detect_language(before))}
    words = [w for w in named if key(w) not in subject]
    if not words:
        return None
    own = [c for c in clauses(question.text) if _says_all(c, words)]
    if not own:
        return None
    negated = {bool(_NEGATION.search(c)) for c in own}
    if len(negated) > 1:
        return None
    return negated.pop() == bool(_NEGATION.search(first))


def contradicts(verdict: str, rule: Norms | None) -> bool:
    """Whether a verdict says the opposite of the rule that decided it: "yes" under a ban, "no" from a rule that
    only permits."""
    if rule is None:
        return False
    if verdict == "yes":
        return rule.prohibit
    if verdict == "no":
        # A permission under a condition the question says is not met is a "no", not a contradiction.
        return rule.permit and not (rule.prohibit or rule.only or rule.oblige or rule.condition)
    return False
