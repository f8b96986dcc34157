"""The verdict from the kind of question, what it involves, and the normative words in the quoted rules.

Never "yes" unless a quoted rule permits; a prohibition that covers what the question involves means "no";
a rule that permits only under a condition the question does not settle means "conditional".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.question import Question

_W = r"(?:[\wåäöé-]+,? ){0,4}"
PROHIBIT = re.compile(
    rf"\bf[åa]r {_W}(inte|aldrig|ej)\b|\b(inte|ej|aldrig) (är )?(tillåte?t?|tillåten|få|får)\b|förbjud|olaglig|otillåt|"
    rf"\bska {_W}(inte|aldrig|ej)\b|\b(dela|mata|lägg|lägga|använd|ange|skriv)\w* {_W}inte\b|\bundvik|"
    rf"\binte (dela|mata in|lägga in|använda|ange)\b|under inga omständigheter|\bmust not\b|\bnot (be )?(allowed|permitted)|\bnever\b", re.I)
ONLY = re.compile(rf"\bf[åa]r {_W}(bara|endast|enbart)\b|\b(bara|endast|enbart) (är )?(tillåtet|tillåten|får|ok)\b|"
                  r"\bendast tillåtet|\bonly\b", re.I)
CONDITION = re.compile(
    r"\bunder förutsättning|\bförutsatt att|\bom (det|du|ni|vi|man|tjänsten|ai|en|uppgifterna|informationen)\b|\bi de fall\b|"
    r"\bförst\b|\binnan\b|\bkräv|\bbehöver {0,1}(?:[\wåäö-]+ ){0,4}(utvärderas|godkänn|bedöm|riskutvärder|klassificer)|"
    r"\bgodkänn|\bsärskild riskutvärdering|\briskbedömning|\bkonsekvensbedömning|\bunder vissa|\bi samråd|"
    r"\bförankra|\bi enlighet med|\bprovided that|\bif\b|\bunless\b|\bafter\b", re.I)
PERMIT = re.compile(rf"(?<!inte )(?<!aldrig )(?<!ej )\bf[åa]r (?!{_W}(inte|aldrig|ej|bara|endast|enbart)\b)|\bär tillåte?t|\bkan användas|\bfår användas|"
                    r"\bställer sig positiv|\buppmuntra|\bär välkom|\bmöjligt att använda|\bmay\b|\ballowed\b", re.I)
# The rule speaks of publicly available AI services, or of services the municipality has procured.
PUBLIC_SCOPE = re.compile(r"allmänt tillgängliga?|publika? ai|gratis|öppna ai-tjänster", re.I)
CUSTOM_SCOPE = re.compile(r"anpassade?|upphandlade?|anskaffade?|inköpta?|egna ai", re.I)


@dataclass
class Norms:
    prohibit: bool = False
    only: bool = False
    condition: bool = False
    permit: bool = False

    def __or__(self, other: "Norms") -> "Norms":
        return Norms(*(a or b for a, b in zip(self.__dict__.values(), other.__dict__.values())))


def norms(sentence: str) -> Norms:
    text = " ".join(sentence.split())
    return Norms(bool(PROHIBIT.search(text)), bool(ONLY.search(text)), bool(CONDITION.search(text)), bool(PERMIT.search(text)))


# What each modality the rule reader assigns means for a permission question.
MODALITY_NORMS = {
    "prohibition": Norms(prohibit=True), "advice_against": Norms(prohibit=True), "restriction": Norms(only=True),
    "obligation": Norms(), "permission": Norms(permit=True),   # an obligation is read by the question side ("utan att …")
    "conditional_permission": Norms(condition=True, permit=True), "recommendation": Norms(permit=True),
    "exception": Norms(condition=True), "definition_scope": Norms(), "none": Norms(),
}
USE_READINGS = True
READING_CONFIDENCE = 0.6


def sentence_norms(sentence) -> Norms:
    """The norms of a quoted sentence: from the reading made at ingest when there is one (a learned model over
    the sentence), else from the normative-word patterns. A prohibition that states its own condition ("får inte …
    utan …") is a conditional ban."""
    lexical = norms(sentence.text)
    reading = getattr(sentence, "reading", None) if USE_READINGS else None
    if reading is None:
        return lexical
    if reading["modality"] in ("prohibition", "advice_against") and reading["confidence"] >= READING_CONFIDENCE:
        # A prohibition the patterns missed ("Skriv aldrig in …, inte heller i …") is still a prohibition.
        return Norms(prohibit=True, condition=bool(reading.get("condition")) or lexical.condition, only=lexical.only)
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


def decide(question: Question, evidence: list[tuple[str, Norms]]) -> str:
    """Verdict for a permission question from the sentences that will be quoted (info questions get "info").

    Each evidence item is the sentence with its section heading and list lead-in, so a rule's scope
    (publicly available or procured services) is read from where it stands as well, and its norms.
    """
    if question.kind != "permission":
        return "info"
    relevant = [n for s, n in evidence if applies(s, question)]
    prohibit = any(n.prohibit and not n.condition for n in relevant)      # an outright ban
    conditional_ban = any(n.prohibit and n.condition for n in relevant)   # banned unless something is done
    only = any(n.only for n in relevant)
    condition = any(n.condition and not n.prohibit for n in relevant)
    permit = any(n.permit and not n.prohibit for n in relevant)
    public = "public_ai" in question.concepts and "custom_ai" not in question.concepts
    safe = ("open_info" in question.concepts or "anonymised" in question.concepts) and not question.risky
    if question.risky and (prohibit or only or (public and conditional_ban)):
        return "no"
    # The safety invariant: never "yes" while an applicable outright ban is among the quoted rules, whatever the
    # question settles; a ban with a condition needs that condition settled, which open information does not.
    if safe and (only or permit) and not prohibit and not conditional_ban:
        return "yes"
    if prohibit and not (condition or only):
        return "no"
    if condition or only or prohibit or conditional_ban:
        return "conditional"
    return "yes" if permit else "conditional"
