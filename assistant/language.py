"""Question language (Swedish or English) and the domain vocabulary that bridges questions and policy text.

The policies speak of "allmänt tillgängliga AI-tjänster" and "känsliga personuppgifter"; employees ask about
ChatGPT and patient notes, sometimes in English. CONCEPTS maps how people ask to how the policies say it.
It is domain vocabulary, not a list of eval questions: each entry names a concept any AI policy regulates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SV_WORDS = {"och", "att", "det", "är", "jag", "får", "som", "en", "ett", "på", "för", "med", "om", "vi", "inte",
            "kan", "min", "vår", "vad", "vem", "hur", "när", "ska", "till", "av", "eller", "mig", "vilka", "måste", "i"}
EN_WORDS = {"the", "and", "is", "are", "can", "may", "i", "we", "to", "of", "in", "my", "our", "what", "who", "how",
            "when", "should", "must", "with", "for", "or", "a", "an", "it", "do", "does", "allowed", "use", "into"}


def detect_language(text: str) -> str:
    """'sv' or 'en' (Swedish when unsure: the users are Swedish municipal employees)."""
    words = re.findall(r"[a-zåäöéü]+", text.lower())
    sv = sum(w in SV_WORDS for w in words) + 2 * len(re.findall(r"[åäö]", text.lower()))
    en = sum(w in EN_WORDS for w in words)
    return "en" if en > sv else "sv"


@dataclass(frozen=True)
class Concept:
    name: str
    pattern: re.Pattern
    swedish: str      # how the policies phrase it (for retrieval)


def _c(name: str, pattern: str, swedish: str) -> Concept:
    return Concept(name, re.compile(pattern, re.I), swedish)


CONCEPTS = [
    _c("public_ai", r"chat\s?gpt|openai|\bgpt|copilot|gemini|\bbard\b|claude|midjourney|dall-?e|perplexity|deepseek|le chat|"
       r"public(ly available)? ai|free ai|online ai|allmänt tillgänglig|publika? ai|gratis ai|webbtjänst",
       "allmänt tillgängliga AI-tjänster publika AI"),
    _c("personal_data", r"personuppgift|personnummer|samordningsnummer|namn\b|adress|e-?post|mejl|telefonnummer|"
       r"personal (data|information|details)|names?\b|identity number|social security|address|e-?mail|phone|"
       r"elev(er|s)?\b|patient|brukare|klient|medborgare|invånare|citizen|pupil|student",
       "personuppgifter"),
    _c("sensitive_data", r"känslig|hälsa|diagnos|sjuk|journal|etnisk|religi|fackförening|sexuell|biometri|genetisk|"
       r"sensitive|health|medical|diagnos|illness|ethnic|religio|trade union|sexual|biometric|genetic",
       "känsliga personuppgifter känslig information"),
    _c("secrecy", r"sekretess|\bakt(er|en)?\b|journal|tystnadsplikt|socialtjänst|konfidentiell|hemlig|"
       r"secrecy|confidential|secret|case file|records?\b|social services|duty of confidentiality|classified",
       "sekretess tystnadsplikt känslig information"),
    _c("anonymised", r"anonymi|avidentifi|pseudonym|anonymi[sz]ed|de-?identified", "anonymiserade personuppgifter"),
    _c("open_info", r"öppen information|publicera|hemsida|webbplats|offentlig information|ligger ute|finns ute|\b[a-zåäö]+\.se\b|"
       r"already (published|public|online)|"
       r"open information|public information|published|website|press release", "öppen information publicerat"),
    _c("custom_ai", r"anpassad|upphandla|inköpt|egen ai|intern ai|kommunens (egna )?ai\b(?!-?policy)|procured|\bcustom(?!er)|in-house|internal ai|"
       r"our own ai|the municipality.s ai\b(?!.policy)", "anpassade AI-tjänster upphandlad kommunens AI"),
    _c("risk_class", r"riskklass|riskkategori|klassificer|klassning|risk class|risk categor|risk level|classif|high[- ]risk|"
       r"unacceptable", "klassificering riskkategorier riskutvärdering"),
    _c("procurement", r"anskaffa|upphandl|köpa in|införa|leverantör|avtal|procure|purchase|buy|supplier|vendor|contract|"
       r"introduc|deploy", "anskaffa skapa och införa AI-system leverantör avtalsvillkor"),
    _c("decision_making", r"myndighetsutövning|beslut|besluta|handläggning|decision|decide|case handling|automat",
       "myndighetsutövning beslut mänsklig kontroll"),
    _c("responsibility", r"ansvar|vem ansvarar|responsib|accountab|in charge", "ansvarar ansvarig"),
    _c("incident", r"incident|avvikelse|rapportera|fel\b|missbruk|report|mistake|error|misuse|breach",
       "rapportera avvikelser incidentrapportering"),
    _c("transparency", r"transparen|informera|berätta|märka|\binform(s|ed|ing)?\b|disclose|tell (the )?(citizens|residents|users)|label",
       "transparens informera medborgare"),
    _c("public_records", r"allmän handling|allmänna handlingar|diarie|arkiv|offentlighetsprincip|public record|"
       r"official document|register|archiv|freedom of information", "allmänna handlingar diarieföras offentlighetsprincipen"),
    _c("dpia", r"konsekvensbedömning|dpia|tröskelanalys|impact assessment|threshold analysis", "konsekvensbedömning tröskelanalys"),
    _c("gdpr", r"gdpr|dataskydd|data protection", "dataskyddsförordningen GDPR dataskydd"),
    _c("dpo", r"dataskyddsombud|data protection officer|\bdpo\b", "dataskyddsombud"),
    _c("security", r"informationssäkerhet|it-säkerhet|säkerhet|security|ciso", "informationssäkerhet säkerhet"),
    _c("training", r"utbild|kurs|training|(?<!of )course|educat", "utbildning kurser"),
    _c("ethics", r"etik|diskriminer|likabehandl|rättvis|ethic|discriminat|\bfair|bias|equal", "etik likabehandling diskriminering rättvisa"),
    _c("human_review", r"granska|kontrollera|\brätta|review|\bcheck(?!list)|verify|correct|hallucinat", "granska rätta resultatet"),
    _c("validity", r"träd(a|er) i kraft|gäller från|beslutad|antagen|take effect|in force|valid from|adopted|decided",
       "träder i kraft beslutad datum"),
    # Standard header fields of a Swedish municipal governing document.
    _c("document_facts", r"diarienummer|\bdnr\b|dokumentansvarig|vem äger|beslutat om|vem har beslutat|revider|"
       r"registration number|case number|who owns|owner of|document owner|responsible for the document|who decided|adopted by",
       "Beslutad av Dokumentansvarig Dnr Datum och paragraf Revisionsdatum"),
    _c("scope", r"gäller (för|policyn)|omfattar|vem gäller|apply to|applies|\bcover|who must follow", "gäller för omfattar"),
    _c("policy_content", r"innehålla|checklista|ta fram en (ai-)?policy|skriva en policy|policy contain|draft(ing)? (an? |the |our )?(ai[- ])?policy|write a policy",
       "ta fram en AI-policy checklista"),
    _c("translation", r"översätt|translat", "översättning"),
    _c("teaching", r"undervisning|lärare|skola|\belev|teach|school|pupil", "undervisning elever"),
]

# Plain English words the policies' Swedish terms answer to, for the lexical leg.
GLOSSARY = {
    "allowed": "får tillåtet", "may": "får", "permitted": "får tillåtet", "forbidden": "får inte förbjudet",
    "use": "använda användning", "using": "använda", "paste": "mata in dela", "enter": "mata in", "share": "dela",
    "upload": "mata in dela", "employee": "medarbetare", "employees": "medarbetare", "staff": "medarbetare",
    "manager": "chef", "managers": "chefer", "information": "information", "data": "information uppgifter",
    "policy": "policy", "municipality": "kommun kommunen", "rules": "regler", "tool": "verktyg", "tools": "verktyg",
    "service": "tjänst", "services": "tjänster", "system": "system", "systems": "system", "risk": "risk",
    "law": "lagstiftning", "legal": "laglig", "contact": "kontakta", "responsible": "ansvarar",
    "goal": "mål", "purpose": "syfte", "background": "bakgrund", "principles": "principer", "values": "värdegrund",
    "human": "mänsklig människor", "control": "kontroll", "oversight": "kontroll", "result": "resultatet",
    "results": "resultatet", "output": "resultatet", "images": "bilder", "text": "text",
}


# The subject of every document here: AI, AI tools, and the policy documents themselves.
AI_DOMAIN = re.compile(r"\bai\b|\bai-|artificiell|chat\s?gpt|copilot|gemini|midjourney|chatt?bot|språkmodell|language model|"
                       r"maskininlärning|machine learning|algoritm|algorithm|automatiser|automat|policy|handledning|guidance|"
                       r"checklist|riktlinj|styrdokument|tjänsteskrivelse", re.I)


def concepts_in(text: str) -> list[Concept]:
    return [c for c in CONCEPTS if c.pattern.search(text)]


def expansion(text: str, language: str) -> str:
    """Swedish policy vocabulary for what the question is about (and, for English, its plain words)."""
    terms = [c.swedish for c in concepts_in(text)]
    if language == "en":
        terms += [GLOSSARY[w] for w in re.findall(r"[a-z]+", text.lower()) if w in GLOSSARY]
    seen, out = set(), []
    for term in " ".join(terms).split():
        if term.lower() not in seen:
            seen.add(term.lower())
            out.append(term)
    return " ".join(out)


# What kind of answer a question expects (classic question answering: a "when" question is answered by a date, a
# "who" question by a person, role or body). A passage holding an answer of that kind is a better candidate than a
# passage that only shares the question's topic. Only the form of the answer is recognised, never its content.
_MONTHS = ("januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|"
           "january|february|march|may|june|july|august|october")
_CLAUSE = r"(?:^\W*+|[,.;:!?]\W{0,40}+)(?:och |men |and |but )?"   # possessive, bounded: linear
ANSWER_TYPES = {
    # when / from which date
    "date": (re.compile(rf"{_CLAUSE}(när|when)\b|\bwhen (did|was|were|does|do|is|will)\b|"
                        r"\b(vilket|vilken|från vilket|sedan vilket) (datum|år|dag)\b|\bdatum\b|"
                        r"\b(what|which) (date|year|day)\b|\bsince when\b", re.I),
             re.compile(rf"\b\d{{1,2}}\s+({_MONTHS})\s+\d{{4}}\b|\b(19|20)\d\d-[01]\d-[0-3]\d\b", re.I)),
    # who: a role or a body (Swedish forms these as compounds: informationssäkerhetsansvarig, dataskyddsombudet)
    "actor": (re.compile(r"\b(vem|vilka personer|who|whom)\b", re.I),
              re.compile(r"\w(ansvarig|ombud|chef|grupp|stab|nämnd|styrelse|enhet|avdelning|funktion|förvaltning|"
                         r"samordnare|handläggare|ägare|strateg|specialist|jurist|direktör)(en|et|er|erna|n|a)?\b|"
                         r"\b(ansvarig|ombud|chef|officer|manager|board|committee|team|department)\b", re.I)),
    # how often
    "frequency": (re.compile(r"\b(hur ofta|how often|how frequently)\b", re.I),
                  re.compile(r"\b(årligen|varje år|per år|månatligen|varje månad|kvartal\w*|regelbundet|löpande|"
                             r"annually|yearly|every year|each year|monthly|quarterly|regularly)\b", re.I)),
}
# What a term means or what counts as it: answered by the passage that defines a term the question uses,
# as a glossary entry ("Öppen information: Information som ...") or inline ("”shadow use” dvs verktyg ...").
DEFINITION_QUESTION = re.compile(r"\bvad (räknas|menas|avses|betyder|innebär)\b|\bräknas\b.+\bsom\b|"
                                 r"\bwhat (does|do)\b.+\bmean\b|\bwhat is meant\b|\bcounts? as\b|\bdefin", re.I)
_DEFINED_TERM = (re.compile(r"(?:^|\n)\W{0,3}([A-ZÅÄÖa-zåäö][\w\- ]{1,40}?):\s+\S"),
                 re.compile(r"[”\"'“]([^”\"'“\n]{2,40})[”\"']\s*(?:dvs|d\.v\.s\.|det vill säga|alltså|innebär)\b", re.I))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def expected_answers(question: str) -> list[re.Pattern]:
    """Patterns for the kinds of answer the question expects (a date, a role, a frequency); empty when none."""
    return [answer for ask, answer in ANSWER_TYPES.values() if ask.search(question)]


def defined_terms(sentences: list[str]) -> frozenset[str]:
    """The (folded) terms of at most four words that the sentences define."""
    terms = set()
    for sentence in sentences:
        for pattern in _DEFINED_TERM:
            for m in pattern.finditer(sentence):
                term = _fold(m.group(1))
                if term and len(term.split()) <= 4:
                    terms.add(term)
    return frozenset(terms)


def asks_to_define(question: str, terms: frozenset[str]) -> bool:
    """Whether the question asks what one of the terms means (or what counts as it)."""
    if not terms or not DEFINITION_QUESTION.search(question):
        return False
    asked = f" {_fold(question)} "
    return any(f" {term} " in asked for term in terms)


def defines_term_of(question: str, sentences: list[str]) -> bool:
    """Whether one of the sentences defines a term (of at most four words) that the question asks about."""
    return DEFINITION_QUESTION.search(question) is not None and asks_to_define(question, defined_terms(sentences))
