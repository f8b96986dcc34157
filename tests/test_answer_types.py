"""Question analysis without models: concept patterns match words, not pieces of other words, and the kind of
answer a question expects (date, role or body, frequency, definition) is recognised from its form."""
from assistant.language import concepts_in, defines_term_of, expected_answers


def names(text: str) -> set[str]:
    return {c.name for c in concepts_in(text)}


def test_concept_patterns_do_not_fire_inside_other_words():
    assert "transparency" not in names("Vem hjälper mig med informationssäkerhet när jag delar information?")
    assert "transparency" in names("Do we have to inform residents that a chatbot answers them?")
    assert "human_review" not in names("Kan du berätta vad som står i checklistan?")
    assert "human_review" in names("Måste jag granska texten innan den skickas?")
    assert "policy_content" not in names("Can I use ChatGPT to draft a reply to a supplier?")
    assert "policy_content" in names("We are drafting an AI policy, what should it contain?")
    assert "teaching" not in names("Är det relevant för vår förvaltning?")
    assert "custom_ai" not in names("Can customer service use a chatbot?")
    # The municipality's AI rules are not the municipality's own AI.
    assert "custom_ai" not in names("Gäller kommunens AI-regler för mig?")
    assert "custom_ai" not in names("Does the municipality's AI guideline apply to consultants?")
    assert "custom_ai" in names("Får jag använda kommunens AI för att sammanfatta ett PM?")
    # Grading pupils is a decision about individuals.
    assert "decision_making" in names("Kan AI sätta betyg på eleverna?")
    assert "decision_making" in names("Can AI do the grading of the essays?")
    assert "decision_making" in names("får ai avgöra vilka kunder som ska stängas av?")
    # The list of approved tools, however it is called: its rules are searched for by the policies' word.
    assert "approved_list" in names("vem har hand om listan över godkända ai-tjänster?")
    assert "approved_list" in names("Who keeps the list of approved AI tools up to date?")
    assert "approved_list" not in names("Kan du lista vilka verktyg som är godkända?")
    # Politicians are the policies' "förtroendevalda".
    assert "elected_officials" in names("gäller riktlinjen för politikerna i nämnden?")
    assert "elected_officials" in names("Do the rules apply to councillors?")


def test_the_ways_policies_name_training_are_training():
    """A question about "utbildning" is answered by a rule on "kommunens introduktion i AI", "the e-learning" or
    "AI-körkortet": the not-covered gate looks for the question's concepts in what was found."""
    for text in ("Den som ska använda SkrivStöd måste först genomgå kommunens introduktion i AI.",
                 "All employees must complete the e-learning before they use Microsoft 365 Copilot.",
                 "Kräver att du har gått AI-körkortet."):
        assert "training" in names(text)
    assert "training" not in names("Introduktionen av nya AI-tjänster sker stegvis.")


def test_an_accident_told_in_plain_words_is_an_incident():
    for text in ("Råkade klistra in en lista med elevers namn i gratis-ChatGPT.", "skrev in ett personnummer av misstag",
                 "I accidentally pasted a customer's invoice into Gemini."):
        assert "incident" in names(text)
    assert "incident" not in names("Får jag klistra in en lista med elevers namn i Copilot Chat?")


def test_a_question_naming_an_ai_tool_is_about_ai_but_one_naming_an_office_app_is_not():
    """The not-covered gate asks more of a question that is not about AI: "Is Claude approved?" is about AI, "hur
    många har anmält sig till teams-piloten?" is not by naming Teams."""
    from assistant.language import AI_DOMAIN

    for text in ("Is Claude approved?", "Får jag använda DeepL?", "Är Perplexity godkänt?",
                 "kan jag köra otter på apt:n", "Is Le Chat ok for internal docs?",
                 "får jag testa deepseek för en sammanfattning?"):
        assert AI_DOMAIN.search(text), text
    assert not AI_DOMAIN.search("hur många har anmält sig till teams-piloten hittills?")


def matches(question: str, passage: str) -> bool:
    return any(p.search(passage) for p in expected_answers(question))


def test_a_when_question_expects_a_date():
    assert matches("Från vilket datum gäller riktlinjerna?", "Riktlinjerna gäller från den 3 mars 2026.")
    assert matches("Since the board decided, when did the rules take effect?", "Beslutat 2025-04-01.")
    assert not matches("Från vilket datum gäller riktlinjerna?", "Riktlinjerna gäller alla anställda.")
    # "när det gäller" (as regards) and "när vi ..." (when we ...) do not ask for a date
    assert expected_answers("Vad gäller när det gäller bilder som AI har skapat?") == []
    assert expected_answers("Får jag använda AI när vi skriver protokoll?") == []


def test_a_who_question_expects_a_role_or_body():
    assert matches("Vem godkänner nya AI-verktyg?", "Nya verktyg godkänns av digitaliseringsenheten.")
    assert matches("Who approves new tools?", "Requests go to the security officer.")
    assert not matches("Vem godkänner nya AI-verktyg?", "Nya verktyg ska prövas innan de används.")


def test_who_took_a_decision_already_made_expects_who_decided_it():
    from assistant.language import ANSWER_TYPES
    decision = ANSWER_TYPES["decision"][0]
    for question in ("Vem har beslutat instruktionen?", "vem har fastställt reglerna?", "Who adopted the guideline?",
                     "Vem beslutar om nya verktyg?"):
        assert decision.search(question), question
    assert not decision.search("Vem har skrivit instruktionen?")


def test_since_when_a_document_applies_expects_the_day_it_applies_from_not_the_day_it_was_adopted():
    from assistant.language import ANSWER_TYPES
    ask, answer = ANSWER_TYPES["start"]
    for question in ("Sedan när gäller AI-riktlinjen hos oss?", "från när gäller ifo:s ai-instruktion?",
                     "När började reglerna gälla?", "Since when does the guideline apply?",
                     "When did the guideline take effect?"):
        assert ask.search(question), question
    assert not ask.search("När beslutades riktlinjen?")
    for said in ("Gäller från: 2025-07-01", "Document owner: CISO Applies from: 2025-06-01",
                 "att gälla från och med 2025-10-01"):
        assert answer.search(said), said
    assert not answer.search("Adopted by: the Managing Director Date of adoption: 2025-05-06")


def test_until_when_a_document_applies_expects_the_last_day_it_applies_not_a_length_of_time():
    from assistant.language import ANSWER_TYPES
    ask, answer = ANSWER_TYPES["end"]
    for question in ("Till när gäller policyn?", "hur länge gäller de tillfälliga ai-reglerna?",
                     "Until when does the guideline apply?", "How long is the instruction valid?"):
        assert ask.search(question), question
    assert not ask.search("Hur länge sparas chattarna?") and not ask.search("Sedan när gäller riktlinjen?")
    for said in ("Gäller till: 2027-12-31", "This version is valid until 31 May 2026.",
                 "… till dess att kommunfullmäktige har antagit en AI-policy, dock längst till och med 2026-09-30"):
        assert answer.search(said), said
    assert not answer.search("Gäller från: 2025-07-01") and not answer.search("Chattar raderas efter 30 dagar.")


def test_a_how_often_question_expects_a_frequency():
    assert matches("Hur ofta ska riskbedömningen göras om?", "Riskbedömningen görs om årligen.")
    assert not matches("Hur ofta ska riskbedömningen göras om?", "Riskbedömningen dokumenteras.")


def test_as_long_as_is_a_length_of_time_only_when_it_lasts_while_something_is_needed():
    asked = expected_answers("Hur länge sparas mina konversationer?")
    assert any(p.search("Loggarna sparas så länge de behövs för uppföljningen.") for p in asked)
    english = expected_answers("How long are logs kept?")
    assert any(p.search("Logs are kept as long as they are needed.") for p in english)
    # a condition, not a time: "så länge informationen inte överstiger den klass som verktyget är godkänt för"
    assert not any(p.search("Ja, i Copilot Chat, så länge informationen inte överstiger den klass som verktyget är "
                            "godkänt för.") for p in asked)


def test_a_definition_is_found_for_the_term_asked_about():
    glossary = ["Skyddad information: Uppgifter som inte får spridas utanför förvaltningen."]
    assert defines_term_of("Vad räknas som skyddad information?", glossary)
    assert defines_term_of("What does 'skyddad information' mean?", glossary)
    assert not defines_term_of("Vad räknas som öppen information?", glossary)
    assert not defines_term_of("Får jag dela skyddad information?", glossary)    # not asking what it is
    inline = ["Undvik ”skuggverktyg” dvs verktyg som inte är godkända."]
    assert defines_term_of("What does skuggverktyg mean?", inline)


def test_a_how_long_question_expects_a_length_of_time_not_any_preposition():
    asks = "Hur snabbt får vi besked?"
    assert matches(asks, "Verksamhetsutvecklaren lämnar besked inom 14 dagar.")
    assert matches(asks, "Ansökan besvaras inom en vecka.")
    assert matches("Hur länge får vi spara personuppgifterna?", "De raderas när de inte längre behövs.")
    assert not matches(asks, "En enhet inom IFO kontaktar först verksamhetsutvecklaren.")
    assert not matches("How long does it take?", "Staff within the IT department decide.")



def test_how_long_a_document_is_in_force_is_a_question_about_the_document():
    # Its header fields answer it ("Gäller till: 2027-12-31"), so it is read as a question about the document.
    assert "validity" in names("hur länge gäller ai-policyn?")
    assert "validity" in names("How long is the guideline valid?")
    assert "document_facts" in names("när ses riktlinjen över nästa gång?")
    assert "document_facts" in names("When will the guideline be reviewed next?")
    assert "document_facts" not in names("Hur ofta ska jag se över mina chattar?")
    # ... and answered by the date it ends or the event it lasts until, not only by a length of time.
    assert matches("hur länge gäller ai-policyn?", "Gäller till: 2027-12-31")
    assert matches("Hur länge gäller reglerna?", "Reglerna gäller till dess att fullmäktige antagit en policy.")
    assert matches("När ses riktlinjen över?", "Next review: May 2026")
    assert not matches("hur länge gäller ai-policyn?", "Policyn gäller alla medarbetare.")

def _one_passage(text: str, firsts: list[str], vecs: list[list[float]]):
    """A passage of `text` whose sentences start at `firsts`, each with its (unit) vector, and the sentence index
    `select` reads it through."""
    import numpy as np

    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    passage = Passage("p", text, "d", "Instruktion", "org", True, "policy", "6", 0, len(text))
    starts = [text.index(f) for f in firsts]
    spans = [(a, b - 1) for a, b in zip(starts, starts[1:] + [len(text) + 1])]
    units = [np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for v in vecs]

    class Index:
        def of(self, p):
            return [Sentence(p, s, e, v) for (s, e), v in zip(spans, units)]

    return passage, Index()


def test_a_question_asking_for_two_kinds_of_answer_gets_a_sentence_holding_each():
    """`select` keeps a sentence holding the second kind asked for although it reads much like the first."""
    from assistant.extractive import select
    from assistant.question import analyse

    text = ("En enhet som vill börja använda en ny AI-tjänst kontaktar först avdelningschefen. "
            "Därefter görs en förhandsbedömning och besked lämnas inom 14 dagar. "
            "AI-tjänster ska användas restriktivt i verksamheten.")
    # Alike to the question and to each other (cosine above the redundancy limit), the first a little more alike.
    passage, index = _one_passage(text, ["En enhet", "Därefter", "AI-tjänster ska"],
                                  [[1.0, 0.0], [0.97, 0.243], [0.9, 0.436]])
    q = analyse("Vem vänder vi oss till först, och hur snabbt får vi besked?")
    chosen = [s.text for s, _ in select(q, [1.0, 0.0], [passage], index)]
    assert any("14 dagar" in t for t in chosen) and "kontaktar först" in chosen[0]
    one = analyse("Vem vänder vi oss till först?")
    assert not any("14 dagar" in s.text for s, _ in select(one, [1.0, 0.0], [passage], index))


def test_a_question_for_which_ones_of_a_kind_is_answered_first_by_the_sentence_that_names_them():
    from assistant.extractive import select
    from assistant.question import analyse

    text = ("I piloten får transkribering användas i interna möten i de två förvaltningarna. "
            "Kommunstyrelsen beslutar att genomföra piloten i kommunledningsförvaltningen och "
            "samhällsbyggnadsförvaltningen.")
    passage, index = _one_passage(text, ["I piloten", "Kommunstyrelsen"], [[1.0, 0.0], [0.95, 0.312]])
    q = analyse("vilka förvaltningar är med i piloten?")
    assert "kommunledningsförvaltningen" in select(q, [1.0, 0.0], [passage], index)[0][0].text
    # "What are …" names no kind.
    from assistant.language import named_ones
    assert not named_ones("What are the six principles?") and named_ones("Which departments take part?")


def test_transcription_and_image_generation_are_about_ai():
    from assistant.language import AI_DOMAIN

    assert AI_DOMAIN.search("Kan vi köra Teams-transkribering på styrelsemötet?")
    assert AI_DOMAIN.search("Can we use speech recognition for the minutes?")
    assert not AI_DOMAIN.search("Hur bokar jag ett mötesrum på stadshuset?")


def test_a_frequency_is_read_in_both_languages_and_in_its_common_forms():
    for answer in ("Customer service reviews 50 conversations every month.", "Listan ses över varannan månad.",
                   "Rutinen följs upp en gång per termin.", "Logs are checked weekly."):
        assert matches("Hur ofta granskas de?", answer), answer
    assert not matches("Hur ofta granskas de?", "Granskningen görs av kundtjänst.")


def test_a_short_whole_sentence_can_be_the_answer_but_a_heading_cannot():
    from assistant.extractive import select
    from assistant.question import analyse

    text = "Nya AI-verktyg\nDigitaliseringschefen fattar beslut.\nAnsökan görs i IT-portalen av chefen."
    passage, index = _one_passage(text, ["Nya", "Digitaliseringschefen", "Ansökan"], [[1.0, 0.0], [0.99, 0.14], [0.8, 0.6]])
    chosen = [s.text for s, _ in select(analyse("Vem beslutar om nya AI-verktyg?"), [1.0, 0.0], [passage], index)]
    assert chosen[0] == "Digitaliseringschefen fattar beslut." and "Nya AI-verktyg" not in chosen


def test_an_english_question_is_searched_with_the_policies_swedish_words():
    from assistant.language import expansion

    words = expansion("Can I let Copilot rank the applicants and summarise a letter?", "en").split()
    assert {"rangordna", "sökande", "sammanfatta", "brev"} <= set(words)
    # A Swedish question gets no glossary words (only its concepts' vocabulary).
    # ("text" and "risk" are glossary words as well as Swedish ones)
    assert "risk" in expansion("Får Copilot skriva en text om risk?", "en").split()
    assert not {"text", "risk"} & set(expansion("Får Copilot skriva en text om risk?", "sv").split())


def test_a_when_question_is_answered_by_a_deadline_too():
    assert matches("När ska dataskyddsombudet informeras?", "Enhetschefen informerar dataskyddsombudet samma dag.")
    assert matches("When do I have to report it?", "Report it to the security duty officer within one hour.")
    assert not matches("När ska dataskyddsombudet informeras?", "Dataskyddsombudet informeras av enhetschefen.")


def test_the_sentence_holding_both_kinds_of_answer_asked_for_comes_first():
    from assistant.extractive import select
    from assistant.question import analyse

    text = ("Dataskyddsombudet ska kontaktas vid tveksamhet. "
            "Enhetschefen informerar dataskyddsombudet samma dag.")
    # The role alone reads a little closer to the question than the role with its deadline.
    passage, index = _one_passage(text, ["Dataskyddsombudet ska", "Enhetschefen"], [[1.0, 0.0], [0.97, 0.243]])
    q = analyse("Vem ska informera dataskyddsombudet när klientuppgifter har hamnat i en AI-tjänst, och när?")
    assert select(q, [1.0, 0.0], [passage], index)[0][0].text.startswith("Enhetschefen")


def test_who_decides_ranks_the_role_that_decides_above_a_role_that_only_takes_part():
    from assistant.extractive import select
    from assistant.question import analyse

    assert matches("Vem beslutar om ett nytt AI-verktyg?", "Digitaliseringschefen fattar beslut.")
    assert matches("Who takes the final decision?", "An AI tool also requires approval by the Managing Director.")
    # the decision is asked about only as the predicate of "vem": a decision as the object asks for who objected
    assert len(expected_answers("vem reserverade sig mot beslutet?")) == 1
    # that a tool is approved names no one who decides
    assert not any(p.search("Verktyget får inte användas förrän det har godkänts.")
                   for p in expected_answers("Vem godkänner nya verktyg?")[1:])
    text = "Din chef fyller i formuläret i IT-portalen. Digitaliseringschefen fattar beslut."
    # The form-filling role reads a little closer to the question than the role that decides.
    passage, index = _one_passage(text, ["Din chef", "Digitaliseringschefen"], [[1.0, 0.0], [0.97, 0.243]])
    q = analyse("vem bestämmer om vi får börja använda ett nytt ai-verktyg?")
    assert select(q, [1.0, 0.0], [passage], index)[0][0].text.startswith("Digitaliseringschefen")


def test_a_sentence_naming_a_concept_of_the_question_in_its_own_words_ranks_first_among_near_equals():
    import math

    from assistant.extractive import select
    from assistant.question import analyse

    q = analyse("Får AI fatta beslut i bygglovsärenden?")
    assert q.concepts == {"decision_making"}
    text = "AI-tjänster får inte användas utan omdöme. AI får inte ersätta handläggningen av ärenden."
    # Two bans; the first reads a little closer to the question, the second names its concept ("handläggningen").
    closer, naming = [0.903, math.sqrt(1 - 0.903 ** 2), 0.0], [0.9, 0.0, math.sqrt(1 - 0.9 ** 2)]
    passage, index = _one_passage(text, ["AI-tjänster", "AI får"], [closer, naming])
    assert select(q, [1.0, 0.0, 0.0], [passage], index)[0][0].text.startswith("AI får")


def _sentences(text: str, parts: list[str]):
    """One passage of `text` cut into the sentences `parts`, and the sentence index class `continued` reads it
    through."""
    import numpy as np

    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    passage = Passage("p", text, "d", "Riktlinje", "org", True, "policy", "3", 0, len(text))
    sentences = [Sentence(passage, text.index(p), text.index(p) + len(p), np.ones(2, dtype=np.float32)) for p in parts]

    class Index:
        def of(self, p):
            return sentences

    return sentences, Index


def test_the_quote_goes_on_to_the_next_sentence_of_its_item_when_that_holds_the_other_kind_asked_for():
    """"Digitaliseringschefen fattar beslut. Du får besked inom 20 arbetsdagar …" answers "who decides, and how long
    does it take?" only with its second sentence; a sentence of the next list item is not pulled in."""
    from assistant.extractive import continued
    from assistant.question import analyse

    parts = ["Din chef fyller i formuläret.", "Medarbetare kan inte ansöka själva.",
             "Digitaliseringschefen fattar beslut.", "Du får besked inom 20 arbetsdagar.", "Tabellen uppdateras ofta."]
    sentences, Index = _sentences(f"• {parts[0]} {parts[1]}\n• {parts[2]} {parts[3]}\n• {parts[4]}", parts)

    both = analyse("Vem beslutar om nya AI-verktyg, och hur lång tid tar det?")
    assert continued(sentences[2], Index(), both).text == f"{parts[2]} {parts[3]}"
    assert continued(sentences[2], Index(), analyse("Vem beslutar om nya AI-verktyg?")).text == parts[2]
    # the next item names who decides, but it is another item
    assert continued(sentences[1], Index(), both).text == parts[1]


def test_a_quote_goes_on_into_the_next_sentence_of_its_paragraph_that_names_what_was_asked():
    """"… ansöker via e-tjänsten på intranätet." says where; "Ansökan ska beskriva syftet …" goes on with what the
    question asks about (the application). Not into a sentence that names nothing asked, one of the next paragraph,
    or one another quote holds."""
    from assistant.extractive import said_on
    from assistant.question import analyse

    parts = ["En förvaltning som vill använda en ny AI-tjänst ansöker via e-tjänsten på intranätet.",
             "Ansökan görs av förvaltningschefen.",
             "Ansökan ska beskriva syftet och vilken information som ska hanteras.",
             "Tjänsten följs upp varje år.", "Ansökan skickas till IT-enheten."]
    sentences, Index = _sentences(f"{' '.join(parts[:4])}\n{parts[4]}", parts)
    q = analyse("Vad ska stå i ansökan om en ny AI-tjänst?")
    # on through two sentences that name the application, which the first one does not
    assert [s.text for s in said_on([sentences[0]], Index(), q)] == [" ".join(parts[:3])]
    assert [s.text for s in said_on([sentences[2]], Index(), q)] == [parts[2]]         # "följs upp": nothing asked
    assert [s.text for s in said_on([sentences[3]], Index(), q)] == [parts[3]]         # the next paragraph
    assert [s.text for s in said_on([sentences[0], sentences[2]], Index(), q)] == [" ".join(parts[:2]), parts[2]]
    # A rule quoted beside the chosen ones goes on into a sentence that only makes sense with it, asked or not.
    parts = ["Förvaltningschefen får medge undantag för ett tidsbegränsat test.",
             "Ett sådant undantag gäller längst tre månader."]
    sentences, Index = _sentences(" ".join(parts), parts)
    asked = analyse("kan testet få pågå ett halvår?")
    assert [s.text for s in said_on([sentences[0]], Index(), asked)] == [" ".join(parts)]
    # For a permission question, a quote goes on into the ban right after it: the limit of what it allows.
    parts = ["GitHub Copilot får användas för kontorets IT-kod.", "Koden till styrsystemen får inte tas fram med det.",
             "Verktyget följs upp varje år."]
    sentences, Index = _sentences(" ".join(parts), parts)
    permission = analyse("Får jag använda GitHub Copilot för en konfiguration till fjärrvärmen?")
    permission.kind = "permission"
    assert [s.text for s in said_on([sentences[0]], Index(), permission)] == [" ".join(parts[:2])]
    permission.kind = "info"
    assert [s.text for s in said_on([sentences[0]], Index(), permission)] == [parts[0]]


def test_for_a_permission_question_a_quote_goes_on_into_the_duty_right_after_it():
    """"… får användas i interna möten." and "Deltagarna ska informeras när mötet börjar.": what must be done when
    doing what a rule allows is part of the answer to whether it may be done. Not for a question asking what, and not
    into a sentence that obliges nothing."""
    from assistant.extractive import said_on
    from assistant.question import analyse

    parts = ["I piloten får transkribering i Teams användas i interna möten.",
             "Deltagarna ska informeras när mötet börjar.", "Piloten följs upp i maj."]
    sentences, Index = _sentences(" ".join(parts), parts)
    permission = analyse("Kan vi slå på Teams-transkribering på ledningsgruppens veckomöte?")
    permission.kind = "permission"
    assert [s.text for s in said_on([sentences[0]], Index(), permission)] == [" ".join(parts[:2])]
    permission.kind = "info"
    assert [s.text for s in said_on([sentences[0]], Index(), permission)] == [parts[0]]


def test_a_sentence_that_opens_with_they_is_quoted_with_the_sentence_that_says_who_they_are():
    from assistant.extractive import continued
    from assistant.question import analyse

    parts = ["Chattbotar på webbplatsen ska godkännas innan de publiceras.",
             "De ska tydligt informera om att invånaren talar med en AI.", "De får inte be om personnummer."]
    sentences, Index = _sentences(f"{parts[0]} {parts[1]}\n{parts[2]}", parts)

    q = analyse("Måste chattboten tala om att man pratar med en AI?")
    assert continued(sentences[1], Index(), q).text == f"{parts[0]} {parts[1]}"
    # a new paragraph does not refer back
    assert continued(sentences[2], Index(), q).text == parts[2]
    # and one that opens with "it" and a modal verb
    parts = ["7.1 Ekby-Elin answers general questions on the website.",
             "It must always tell customers that they are talking to an AI."]
    sentences, Index = _sentences(" ".join(parts), parts)
    asks = analyse("Does Ekby-Elin have to tell customers that they talk to an AI?")
    assert continued(sentences[1], Index(), asks).text == " ".join(parts)


def test_a_quote_does_not_go_on_into_a_rule_quoted_before_it():
    """"Bilder … får inte skapas." would go on into "Det är inte tillåtet att spela in …", which is quoted first: it is
    quoted alone, so the rule is not quoted (and listed as a condition) twice. A quote that holds a later one still
    makes that one go."""
    from assistant.extractive import quotes_of
    from assistant.question import analyse

    parts = ["Bilder som efterliknar verkliga personer får inte skapas.",
             "Det är inte tillåtet att spela in möten utan att alla deltagare har informerats i förväg."]
    sentences, Index = _sentences(f"{parts[0]} {parts[1]}", parts)
    q = analyse("Får vi spela in mötet med AI?")
    quotes, kept = quotes_of([(sentences[1], 0.9), (sentences[0], 0.8)], Index(), q)
    assert [x.text for x in quotes] == parts[::-1] and len(kept) == 2
    quotes, kept = quotes_of([(sentences[0], 0.9), (sentences[1], 0.8)], Index(), q)
    assert [x.text for x in quotes] == [" ".join(parts)] and kept == [(sentences[0], 0.9)]


def test_a_question_asking_what_to_write_expects_words_in_quotes():
    import numpy as np

    from assistant.extractive import continued
    from assistant.question import analyse
    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    asked = "What sentence should I put on a letter to residents that was mostly written with AI?"
    assert any(p.search('Skriv till exempel: ”Texten har tagits fram med stöd av AI.”') for p in expected_answers(asked))
    assert not any(p.search("Texten ska märkas.") for p in expected_answers(asked))
    # The FAQ answer goes on into the sentence that gives the words to write.
    parts = ["Ja, om texten skickas till invånare och till största delen har skapats med AI.",
             "Skriv till exempel: ”Texten har tagits fram med stöd av AI och granskats av en medarbetare.”"]
    text = " ".join(parts)
    passage = Passage("p", text, "d", "Riktlinje", "org", True, "policy", "3", 0, len(text))
    sentences = [Sentence(passage, text.index(p), text.index(p) + len(p), np.ones(2, dtype=np.float32)) for p in parts]

    class Index:
        def of(self, p):
            return sentences

    assert continued(sentences[0], Index(), analyse(asked)).text == text


def test_a_sentence_opening_on_a_pronoun_and_its_verb_goes_on_from_the_one_before():
    """"It is not permitted in … board meetings." only makes sense with the sentence before it: the quote takes both.
    A sentence that opens on something of its own stays out, and so does "Det finns …", which refers to nothing."""
    import numpy as np

    from assistant.extractive import continued
    from assistant.question import analyse
    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    cases = [("Meeting transcription is permitted only in internal meetings.", "It is not permitted in board meetings.", True),
             ("AI-portalen får användas för intern information.", "Den får inte användas för känsliga uppgifter.", True),
             ("AI-portalen får användas för intern information.", "Chefen ansvarar för uppföljningen.", False),
             ("AI-portalen får användas för intern information.", "Det finns en lathund på intranätet.", False)]
    for first, second, goes_on in cases:
        text = f"{first} {second}"
        passage = Passage("p", text, "d", "Riktlinje", "org", True, "policy", "3", 0, len(text))
        sentences = [Sentence(passage, text.index(p), text.index(p) + len(p), np.ones(2, dtype=np.float32))
                     for p in (first, second)]

        class Index:
            def of(self, p):
                return sentences

        got = continued(sentences[0], Index(), analyse("Får vi använda det på styrelsemötet?")).text
        assert got == (text if goes_on else first), second


def test_a_lead_in_is_quoted_with_its_items_when_they_begin_after_their_marker():
    """The sentence index starts an item's sentence after its bullet ("• Öppna AI-tjänster …"): the list is still
    read from the start of each line, and a question asking which gets the lead-in with every item."""
    import numpy as np

    from assistant.extractive import continued
    from assistant.question import analyse
    from assistant.retrieval import Passage
    from assistant.sentence_index import Sentence

    parts = ["Följande undantag från reglerna gäller:",
             "Öppna AI-tjänster får användas för material som kommunikationsenheten har godkänt.",
             "Copilot Chat får användas för information på nivå Måttlig."]
    text = f"{parts[0]}\n\n• {parts[1]}\n• {parts[2]}\n\nAnnat stycke om något annat."
    passage = Passage("p", text, "d", "Regler", "org", True, "policy", "3", 0, len(text))
    pieces = [*parts, "Annat stycke om något annat."]
    sentences = [Sentence(passage, text.index(p), text.index(p) + len(p), np.ones(2, dtype=np.float32)) for p in pieces]

    class Index:
        def of(self, p):
            return sentences

    got = continued(sentences[0], Index(), analyse("Vilka undantag finns från reglerna?")).text
    assert got.startswith(parts[0]) and got.endswith(parts[2]) and "Annat stycke" not in got


def test_what_to_do_after_a_mistake_is_answered_by_what_to_do():
    asked = expected_answers("har råkat klistra in ett personnummer i chatgpt, vad ska jag göra?")
    assert any(p.search("Om information har skrivits in i strid med reglerna ska det rapporteras till närmaste chef.")
               for p in asked)
    assert not any(p.search("Skriv aldrig in personnummer i en AI-tjänst.") for p in asked)
    assert expected_answers("What should I do if I pasted customer data into ChatGPT?")
    assert "incident" in names("har råkat klistra in ett personnummer") and "incident" in names("jag råkar ofta …")


def test_what_is_a_term_is_answered_by_the_sentence_that_defines_it():
    asked = expected_answers("vad är en godkänd ai-tjänst?")
    assert any(p.search("Godkänd AI-tjänst: en AI-tjänst som finns upptagen i kommunens förteckning.") for p in asked)
    assert any(p.search("Godkänd AI-tjänst – en tjänst i kommunens förteckning enligt AI-policyn.") for p in asked)
    assert any(p.search("- Klass 4 Skyddad (protected): information about the grid.") for p in expected_answers("what is Klass 4?"))
    # a rule is no definition, nor is a table row's first field
    assert not any(p.search("I arbetet får endast godkända AI-tjänster användas.") for p in asked)
    assert not any(p.search("AI-verktyg: Copilot Chat · Högsta tillåtna informationsklass: Klass 1") for p in asked)
    # a question that asks more than what a term is, is not a definition question
    assert not expected_answers("vad är det som gäller för ChatGPT på jobbet när man har personuppgifter?")


def test_a_reference_number_question_is_answered_by_a_documents_reference_code():
    assert matches("What's the reference number of the AI guideline?", "Reference: EE-GOV-2025-014")
    assert matches("Vilket diarienummer har riktlinjen?", "Ref. KS-AI-2024-0387 gäller från 1 mars.")
    assert not matches("What's the reference number of the AI guideline?", "Reference is made to the security policy.")
    assert not matches("Vilket diarienummer har riktlinjen?", "Riktlinjen gäller från 2025-03-01.")


def test_asking_that_it_be_said_in_the_text_is_about_transparency():
    for asked in ("Behöver det stå någonstans att jag tagit hjälp av AI?",
                  "Behöver jag ange att rapporten är skriven med AI?",
                  "Måste chatboten tala om att man pratar med en AI?", "Måste det framgå då?",
                  "Do I have to state that the text was written with AI?"):
        assert "transparency" in names(asked), asked
    for other in ("Står AI-portalen på listan över godkända tjänster?", "Vad ska jag ange i ansökan?",
                  "Får jag använda AI om jag står för innehållet?"):
        assert "transparency" not in names(other), other


def test_the_organisations_own_name_is_not_what_a_question_asks_about():
    """A sentence sharing only the organisation's name with the question ("… at Ekby Energi?") does not outrank the
    one that answers: the name says whose rules are asked for."""
    from assistant.extractive import name_stems, select
    from assistant.question import analyse

    text = ("Ekby Energi AB is a municipal company wholly owned by Ekby kommun. "
            "Klass 3 Konfidentiell (confidential): customer data, contracts, personnel matters.")
    passage, index = _one_passage(text, ["Ekby Energi AB", "Klass 3"], [[1.0, 0.0], [0.99, 0.14]])
    q = analyse("What kinds of information count as Klass 3 at Ekby Energi?")
    owner = name_stems("Ekby Energi AB")
    assert owner == {"ekby", "energi"}
    assert select(q, [1.0, 0.0], [passage], index, owner=owner)[0][0].text.startswith("Klass 3")
    assert select(q, [1.0, 0.0], [passage], index)[0][0].text.startswith("Ekby Energi")
    # The kind of body is not its name: "kommunala bolag" may be what is asked about.
    assert name_stems("Nacka kommun") == {"nacka"}
