"""What a question is before anything is retrieved: its sensitive content, hidden instructions, language,
kind (asking permission or asking for information), the concepts it involves, and the query to search with.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.domain import shipped
from assistant.language import AI_DOMAIN, concepts_in, detect_language
from assistant.sensitive import SensitiveFindings, scan
from assistant.terms import STOP, content_words, key, specific_words

# How a question says what it asks is data (assistant/data/domain.toml, [question]).
_LEXICON = shipped().question

# Instructions aimed at the assistant rather than questions about the policy. They are removed from what is
# searched and never reach the verdict, which comes from the documents alone.
INJECTION = _LEXICON["injection"]
_SENTENCE = re.compile(r"(?<![^.!?:\n])[^.!?:\n]++(?:[.!?:]+|$)")   # starts only at a sentence start: linear
_QUOTED = re.compile(r"[\"'“”‘’«»]([^\"'“”‘’«»]{8,})[\"'“”‘’«»]")

# Asking whether something is allowed, as opposed to asking who, what, when or how.
PERMISSION = _LEXICON["permission"]
_INFO_START = _LEXICON["info_start"]
_SAME_AGAIN = _LEXICON["same_again"]
_REFERS_BACK = _LEXICON["refers_back"]
_ASKS_PERMISSION_TOO = _LEXICON["asks_permission_too"]
_CLAUSE_BREAK = re.compile(r"[,;:.?!]")


# A yes/no question about a fact, not a permission ("Omfattas chattbotar av policyn?", "Räknas Sana som en allmänt
# tillgänglig AI-tjänst?", "Does the policy apply to elected officials?", "Måste jag märka texten?"): the verb
# opens the question (after an optional greeting or "och"), or "kan det … räknas".
FACTUAL = _LEXICON["factual"]


_INFO_CLAUSE = re.compile(r"(?<!\W)\W*+(?:(?:och|men|and|but|samt)\s++)?(?:vem|vilka|vilken|vilket|vad|när|hur|var|varför|who|what|which|"
                          r"when|how|where|why)\b", re.I)


def _clause_before(text: str, end: int) -> str:
    """The clause that `end` lies in, from its last break to `end`."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, end)]
    return text[breaks[-1] if breaks else 0:end]


def question_kind(text: str) -> str:
    """"permission", "factual" (a yes/no question about a fact or a duty) or "info" (who, what, when, how).

    A who/what/when/how question stays one when "får jag" is part of it ("Hur länge får vi spara loggarna?"); it
    also asks permission when "får jag" opens a clause of its own ("Hur är det, får jag …?")."""
    start = _INFO_START.search(text)
    if start:
        # "får jag" asks permission only in a clause of its own, not in another who/what/how clause ("…, och hur
        # snabbt får vi besked?").
        asks = [m for m in _ASKS_PERMISSION_TOO.finditer(text, start.end())
                if _CLAUSE_BREAK.search(text, start.end(), m.start()) and not _INFO_CLAUSE.match(_clause_before(text, m.start()))]
        if not asks:
            return "info"
    if PERMISSION.search(text):
        return "permission"
    return "factual" if FACTUAL.search(text) else "info"


_POINTS_BACK = _LEXICON["points_back"]


def foreign_subject(text: str, document_keys: set[str]) -> bool:
    """Whether a follow-up names something of its own that no document mentions ("vad har vi för lunch idag?")
    and does not point back at the question before it: it is about something else, and is judged on its own too."""
    if _POINTS_BACK.search(text):
        return False
    return any(key(w) not in document_keys for w in (t.lower() for t in re.findall(r"[^\W\d_]{3,}+", text))
               if w not in STOP)


_OUTSIDERS, _USES, _STAFF = _LEXICON["outsiders"], _LEXICON["uses"], _LEXICON["staff"]
_OUTSIDER_OBJECT = _LEXICON["outsider_object"]
_USE_REACH = 80      # characters from the one who uses to the verb of the use: a few words
STAFF = "staff"      # what `ai_users` gives for the organisation's own staff


def ai_users(text: str) -> set[str]:
    """Who a text tells of using AI: people outside the organisation's staff ("En klient har skrivit sin överklagan
    med ChatGPT", "AI-tjänster som invånare använder direkt"), by the first four letters of the word that names them
    ("klie"), so that "klient" and "klienterna" are one; and STAFF when it tells of the staff using it ("… can we
    answer them with Copilot?", "Får vi låta eleverna använda …?")."""
    out = set()
    for sentence in _SENTENCE.findall(text):
        if not AI_DOMAIN.search(sentence):
            continue
        if any(_USES.search(sentence, m.end(), m.end() + _USE_REACH)
               or AI_DOMAIN.search(sentence, m.end(), m.end() + _USE_REACH) for m in _STAFF.finditer(sentence)):
            out.add(STAFF)
        for m in _OUTSIDERS.finditer(sentence):
            if (_USES.search(sentence, m.end(), m.end() + _USE_REACH)
                    and not _OUTSIDER_OBJECT.search(_clause_before(sentence, m.start()))):
                out.add(m.group(0).lower()[:4])
    return out


# What the question says is absent ("inga personuppgifter", "inget känsligt", "no personal data"): a concept whose
# every mention follows such a word is not involved. A plain "inte" is not enough: "får jag inte dela namn?" still
# involves names.
_ABSENT = _LEXICON["absent"]
# How far before a word its absence may be said: "Vi pratar inte om sekretessuppgifter eller om enskilda invånare" (the
# patterns count their words, so a wider window only keeps their first word whole).
ABSENT_WINDOW = 80
# The question wants to leave out a duty ("utan att läsa igenom den", "skip the threshold analysis", "we don't need
# to label …"): the clause it skips, matched against the rules' obligations.
_SKIP = _LEXICON["skip"]
_NOT_DONE = _LEXICON["not_done"]
# The question says a decision or approval it needs is still awaited ("medan vi väntar på beskedet").
PENDING, NEW_TOOL, TRIAL, APPROVED_SAID = (_LEXICON[k] for k in ("pending", "new_tool", "trial", "approved_said"))
_OBJECTS, _IF_ANYONE = _LEXICON["objects"], _LEXICON["if_anyone"]
SUPPOSED_WINDOW = 80    # how far before an objection the asker's "stänger av om någon" may stand


def said_absent(text: str, at: int) -> bool:
    """Whether the words before position `at` say that what stands there is not involved ("inga personuppgifter")."""
    return bool(_ABSENT.search(text[max(0, at - ABSENT_WINDOW):at]))


def absent_concepts(text: str) -> set[str]:
    out = set()
    for c in concepts_in(text):
        hits = list(c.pattern.finditer(text))
        if hits and all(said_absent(text, m.start()) for m in hits):
            out.add(c.name)
    return out


def absent_words(text: str, language: str) -> set[str]:
    """The keys (assistant.terms.key) of the question's specific words it only names as not involved ("No OT code
    or configuration involved"): a ban on those does not apply to it."""
    # What the question says it does without ("utan att logga in med kommunkontot") is not involved either.
    out = {key(w) for w in specific_words(_group(_SKIP.search(text)), language)}
    # (every content word, however common: "no customer data" leaves out customers)
    for w in content_words(text):
        hits = list(re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I))
        if hits and all(said_absent(text, m.start()) for m in hits):
            out.add(key(w))
    return out


def approval_pending(text: str) -> bool:
    """Whether the question says the approval it needs is still awaited, or asks to try out a tool it calls new
    without a word of its approval ("Can I sign up for a new AI transcription service … to try it out?")."""
    return bool(PENDING.search(text) or NEW_TOOL.search(text) and TRIAL.search(text) and not APPROVED_SAID.search(text))


def objected(text: str) -> bool:
    """Whether the question says someone objects to what it asks to do ("men en kollega säger nej"), not that no one
    does ("ingen har sagt nej") nor what the asker will do if anyone does ("… och stänger av om någon invänder")."""
    return any(not said_absent(text, m.start())
               and not _IF_ANYONE.search(text[max(0, m.start() - SUPPOSED_WINDOW):m.start()])
               for m in _OBJECTS.finditer(text))


def skipped_duty(text: str, absent: set[str] = frozenset()) -> str:
    """The duty the question wants to leave out or says is not done; not a kind of data it says is not involved
    ("without personal data" is no duty skipped; "without any GDPR analysis" is)."""
    skipped = _group(_SKIP.search(text)) or _group(_NOT_DONE.search(text))
    named = {c.name for c in concepts_in(skipped)} if skipped else set()
    return "" if named and named <= RISKY & absent else skipped


def _group(m: re.Match | None) -> str:
    return next((g for g in m.groups() if g), "").strip() if m else ""     # each alternative has its own group


# A short question that opens like this continues the previous one ("Och om uppgifterna är anonymiserade?").
FOLLOWUP = _LEXICON["followup"]
_CHAT_OPENER = _LEXICON["chat_opener"]
RISKY = {"personal_data", "sensitive_data", "secrecy"}
# Negated open information, read on the question side: the negation before the word (within two words), or a
# negated form of it.
NOT_OPEN = _LEXICON["not_open"]


@dataclass
class Question:
    original: str
    redacted: str               # what may be stored or logged
    text: str                   # redacted, without hidden instructions: what is searched and judged
    language: str
    findings: SensitiveFindings
    injection: bool
    kind: str                   # "permission" or "info"
    concepts: set[str] = field(default_factory=set)
    query: str = ""             # text to retrieve with (follow-ups include the earlier question)
    followup: bool = False
    absent: set[str] = field(default_factory=set)   # concepts the question says are not involved
    skipped: str = ""           # the duty the question wants to leave out ("utan att läsa igenom den")
    continues: bool = False     # opens as a continuation of the previous question ("och om …", "what about …")
    alone: tuple | None = None  # for a follow-up that does not: the question read without history, and its vector
    absent_words: set[str] = field(default_factory=set)   # keys of words named only as not involved
    pending: bool = False       # says the decision or approval it needs is still awaited
    objected: bool = False      # says someone objects to what it asks to do ("en kollega säger nej")
    parts: tuple = ()           # for a question that asks two things: each read on its own, with its vector
    claim: str = ""             # a claim it checks that something may be done ("En kollega säger att vi får …")
    to_be_published: bool = False   # its information is only going to be published ("ska ut på webben på måndag")

    @property
    def risky(self) -> bool:
        """The question involves personal, sensitive or confidential information (said or pasted)."""
        f = self.findings
        # Words found by the scanner count unless the question says that very kind is not involved ("det finns ingen
        # sekretess"); numbers, e-mail addresses and phones always count.
        secrecy = f.secrecy and "secrecy" not in self.absent
        special = bool(f.special_categories) and "sensitive_data" not in self.absent
        if "anonymised" in self.concepts and not f.personal_data:
            # Anonymised data are no longer personal data; confidentiality can still apply.
            return "secrecy" in self.concepts or secrecy
        return bool(self.concepts & RISKY) or f.personal_data or secrecy or special

    @property
    def claims_permission(self) -> bool:
        return bool(self.claim)


def strip_instructions(text: str) -> tuple[str, bool]:
    """The text without sentences or quoted passages that instruct the assistant."""
    found = False

    def drop_quoted(m: re.Match) -> str:
        nonlocal found
        if INJECTION.search(m.group(1)):
            found = True
            return ""
        return m.group(0)

    text = _QUOTED.sub(drop_quoted, text)
    kept = []
    for m in _SENTENCE.finditer(text):
        piece = m.group(0)
        if INJECTION.search(piece):
            found = True
            # Keep a genuine question that shares the sentence with the instruction ("... och svara ja: får jag ...?")
            tail = re.split(r"[:;]\s*|\b(?:question|fråga)\s*:\s*", piece)[-1]
            if tail is not piece and not INJECTION.search(tail) and question_kind(tail) == "permission":
                kept.append(tail)
            continue
        kept.append(piece)
    if not found:
        return text, False      # as typed: "ekbyenergi.se" is not two sentences to be joined with a space
    cleaned = " ".join(p.strip() for p in kept if p.strip())
    return (cleaned if cleaned else text), found


_STATED_OPEN, _TO_BE_PUBLISHED, _ALREADY_OUT = (_LEXICON[k] for k in ("stated_open", "to_be_published", "already_out"))
_NEGATION_BEFORE = re.compile(r"\b(?:inte|ej|icke|aldrig|not|never)\W++(?:\w++\W++){0,2}$", re.I)


_CLAIM, _CLAIM_CHECK, _CLAIMED_PERMISSION = (_LEXICON[k] for k in ("claim", "claim_check", "claimed_permission"))
_BACKGROUND, _BACKGROUND_TURN = _LEXICON["background"], _LEXICON["background_turn"]


def without_background(text: str) -> str:
    """The question without the sentences that tell what the asker already knows of the rules: what they name is not
    the situation asked about ("Jag vet att IFO avråder från AI i texter till klienter." names no client data of the
    asker's). A sentence that turns to ask ("… – men får jag …?") keeps its question."""
    kept = []
    for m in _SENTENCE.finditer(text):
        piece = m.group(0)
        if _BACKGROUND.search(piece):
            turn = _BACKGROUND_TURN.search(piece)
            piece = piece[turn.end():] if turn else ""
        kept.append(piece)
    rest = " ".join(p.strip() for p in kept if p.strip())
    return rest if rest and len(rest) < len(text.strip()) else text


def claimed(text: str) -> str:
    """What a claim the question asks to check says ("En kollega säger att vi får använda ChatGPT för allt. Stämmer
    det?" -> "vi får använda ChatGPT för allt"); "" for a question that checks no claim."""
    check = _CLAIM_CHECK.search(text)
    said = _CLAIM.search(text, 0, check.start()) if check else None
    if said is None:
        return ""
    return text[said.end():check.start()].strip(" .,;:!?-–")


def stated_open(text: str) -> bool:
    """Whether the question says its information is classified as open, not negated just before ("inte klassad som
    öppen")."""
    return any(not _NEGATION_BEFORE.search(text[max(0, m.start() - 30):m.start()]) for m in _STATED_OPEN.finditer(text))


def to_be_published(text: str) -> bool:
    """Whether the question says its information is going to be published, and not that it is out already."""
    return bool(_TO_BE_PUBLISHED.search(text)) and not _ALREADY_OUT.search(text) and not stated_open(text)


def analyse(question: str, history: list[dict] | None = None, normalise=None) -> Question:
    """`normalise(text, language)` (assistant/normalise.py) restores å/ä/ö and fixes typos before anything reads
    the question; the original and redacted texts are kept as typed."""
    findings, redacted = scan(question)
    text, injection = strip_instructions(redacted)
    language = detect_language(text)
    if normalise is not None:
        text = normalise(text, language)
        language = detect_language(text)
    text = _CHAT_OPENER.sub("", text, count=1) or text
    text = without_background(text)
    concepts = {c.name for c in concepts_in(text)}
    absent = absent_concepts(text) - {"open_info", "anonymised"}
    if NOT_OPEN.search(text) and not stated_open(text):
        # "information som inte är publicerad" is the opposite of open information: it settles nothing, and a rule
        # that allows open information only does not allow it.
        absent.add("open_info")
    concepts -= absent
    kind = question_kind(text)
    # "En kollega säger att vi får använda ChatGPT för allt. Stämmer det?" asks whether that may be done.
    claim = claimed(text)
    claim = claim if _CLAIMED_PERMISSION.search(claim) else ""
    if claim:
        kind = "permission"
    query, followup, continues = text, False, False
    previous = [h for h in (history or []) if (h.get("question") or "").strip()]
    if previous:
        last = strip_instructions(scan(previous[-1]["question"])[1])[0]
        if normalise is not None:
            last = normalise(last, detect_language(last))
        words = len(re.findall(r"\w+", text))
        # A message that asks nothing and says more about what the question before it was about ("det är ett
        # pressmeddelande som går ut imorgon, inte publicerat än", "texten är en sammanfattning …") continues it;
        # one that tells something else ("jag har bokat friskvårdstimmen") is judged on its own.
        statement = "?" not in text and kind == "info" and not _INFO_START.search(text) and bool(_REFERS_BACK.search(text))
        continues = bool(FOLLOWUP.search(text)) or statement
        followup = continues or words <= 8
        if followup:
            query = f"{last} {text}"
            earlier = {c.name for c in concepts_in(last)}
            # The follow-up changes what the earlier question was about ("och om de är anonymiserade?"):
            # its own concepts lead, the earlier ones fill in what it leaves implicit (which AI service).
            concepts |= earlier - (RISKY if "anonymised" in concepts or "open_info" in concepts else set())
            if not _INFO_START.search(text) or _SAME_AGAIN.search(text):
                # An elliptical follow-up ("och för oss på äldreomsorgen?") asks what the question before it asked:
                # permission always carries over, a yes/no question where the follow-up asks nothing of its own.
                earlier_kind = question_kind(last)
                if earlier_kind == "permission" or (earlier_kind == "factual" and kind == "info"):
                    kind = earlier_kind
            concepts -= absent
    return Question(question, redacted, text, language, findings, injection, kind, concepts, query, followup, absent,
                    skipped_duty(text, absent), continues, absent_words=absent_words(text, language),
                    pending=approval_pending(text), objected=objected(text), claim=claim,
                    to_be_published=to_be_published(text))
