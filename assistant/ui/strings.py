"""Every user-facing string of the chat app, Swedish first, English second. Nothing else in ui/ holds UI text."""
from __future__ import annotations

LANGUAGES = {"sv": "Svenska", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "AI-policyassistenten",
        "subtitle": "Frågor om vad din organisations regler säger om att använda AI, besvarade med regeln citerad.",
        "disclaimer": ("**Det här är en AI-assistent.** Svaren är ett stöd, inte ett beslut: läs den citerade regeln. "
                       "Du ansvarar själv för hur du använder informationen. Osäker? Fråga {contact}."),
        "disclaimer_no_contact": ("**Det här är en AI-assistent.** Svaren är ett stöd, inte ett beslut: läs den citerade regeln. "
                                  "Du ansvarar själv för hur du använder informationen."),
        "organisation": "Din organisation",
        "language": "Språk",
        "question": "Din fråga",
        "placeholder": "T.ex. Får jag klistra in en text med personuppgifter i ChatGPT?",
        "send": "Fråga",
        "clear": "Rensa samtalet",
        "export": "Exportera samtalet (Markdown)",
        "examples": "Exempelfrågor",
        "tab_chat": "Fråga",
        "tab_practice": "Övningsläge",
        "chat_label": "Samtal",
        "doc_panel": "Dokument",
        "doc_placeholder": "Klicka på ”Visa i dokumentet” under en källa för att läsa regeln i sitt sammanhang.",
        "show_in_doc": "Visa i dokumentet",
        "sources": "Källor",
        "binding": "bindande",
        "not_binding": "vägledning, ej bindande",
        "section": "avsnitt",
        "chars": "tecken",
        "empty_question": "Skriv en fråga först.",
        "too_long": "Frågan är för lång ({n} tecken). Korta ner den till högst {limit} tecken och fråga igen; klistra bara in det som behövs.",
        "error": "Något gick fel när svaret skulle tas fram. Försök igen om en stund, eller fråga {contact}.",
        "error_detail": "Felet: {detail}",
        "sensitive_banner": ("⚠️ Din fråga innehöll personuppgifter eller känsliga uppgifter. Frågan har inte sparats med de "
                             "uppgifterna. Dela inte sådant i AI-tjänster utan stöd i reglerna."),
        "fallback": "Obs! Språkmodellen kunde inte svara, så här visas de citerade reglerna i stället.",
        "writing": "Skriver …",
        "you": "Du",
        "assistant": "Assistenten",
        "rate_prompt": "Vad var fel? (valfritt)",
        "reason": "Orsak",
        "reason_wrong_answer": "Fel svar",
        "reason_wrong_source": "Fel källa",
        "reason_not_in_policy": "Står inte i policyn",
        "reason_other": "Annat",
        "comment": "Kommentar (skriv inga personuppgifter)",
        "send_feedback": "Skicka synpunkt",
        "thanks": "Tack! Ditt omdöme är sparat.",
        "thanks_detail": "Tack! Din synpunkt är sparad.",
        "large_text": "Stor text (projektor)",
        "practice_intro": "Träna på att tolka reglerna. Läs situationen och svara: får man?",
        "practice_yes": "Ja",
        "practice_no": "Nej",
        "practice_depends": "Det beror på",
        "practice_next": "Nästa fråga",
        "practice_restart": "Börja om",
        "practice_score": "Poäng: {right} av {total}",
        "practice_right": "✓ Rätt!",
        "practice_wrong": "✗ Inte riktigt.",
        "practice_correct": "Rätt svar: **{verdict}**",
        "practice_rule": "Regeln",
        "practice_done": "Du har gått igenom alla {total} övningar. Poäng: {right} av {total}.",
        "practice_none": "Det finns inga övningar för den här organisationen ännu.",
        "export_title": "Samtal med AI-policyassistenten",
        "export_org": "Organisation",
        "export_date": "Exporterat",
        "export_note": "Svaren är ett stöd, inte ett beslut. Kontrollera alltid den citerade regeln.",
        "question_label": "Fråga",
        "answer_label": "Svar",
    },
    "en": {
        "title": "The AI-policy assistant",
        "subtitle": "Questions about what your organisation's rules say about using AI, answered with the rule quoted.",
        "disclaimer": ("**This is an AI assistant.** Its answers support you, they do not decide: read the quoted rule. "
                       "You are responsible for how you use the information. Unsure? Ask {contact}."),
        "disclaimer_no_contact": ("**This is an AI assistant.** Its answers support you, they do not decide: read the quoted rule. "
                                  "You are responsible for how you use the information."),
        "organisation": "Your organisation",
        "language": "Language",
        "question": "Your question",
        "placeholder": "E.g. May I paste a text with personal data into ChatGPT?",
        "send": "Ask",
        "clear": "Clear conversation",
        "export": "Export conversation (Markdown)",
        "examples": "Example questions",
        "tab_chat": "Ask",
        "tab_practice": "Practice",
        "chat_label": "Conversation",
        "doc_panel": "Document",
        "doc_placeholder": "Click “Show in document” under a source to read the rule in its context.",
        "show_in_doc": "Show in document",
        "sources": "Sources",
        "binding": "binding",
        "not_binding": "guidance, not binding",
        "section": "section",
        "chars": "characters",
        "empty_question": "Type a question first.",
        "too_long": "The question is too long ({n} characters). Shorten it to at most {limit} characters and ask again; paste only what is needed.",
        "error": "Something went wrong while preparing the answer. Try again in a moment, or ask {contact}.",
        "error_detail": "The error: {detail}",
        "sensitive_banner": ("⚠️ Your question contained personal or sensitive data. It was not stored with those details. "
                             "Do not share such data with AI services unless the rules allow it."),
        "fallback": "Note: the language model could not answer, so the quoted rules are shown instead.",
        "writing": "Writing …",
        "you": "You",
        "assistant": "Assistant",
        "rate_prompt": "What was wrong? (optional)",
        "reason": "Reason",
        "reason_wrong_answer": "Wrong answer",
        "reason_wrong_source": "Wrong source",
        "reason_not_in_policy": "Not in the policy",
        "reason_other": "Other",
        "comment": "Comment (no personal data, please)",
        "send_feedback": "Send feedback",
        "thanks": "Thank you! Your rating is saved.",
        "thanks_detail": "Thank you! Your feedback is saved.",
        "large_text": "Large text (projector)",
        "practice_intro": "Practise reading the rules. Read the situation and answer: is it allowed?",
        "practice_yes": "Yes",
        "practice_no": "No",
        "practice_depends": "It depends",
        "practice_next": "Next question",
        "practice_restart": "Start over",
        "practice_score": "Score: {right} of {total}",
        "practice_right": "✓ Correct!",
        "practice_wrong": "✗ Not quite.",
        "practice_correct": "Correct answer: **{verdict}**",
        "practice_rule": "The rule",
        "practice_done": "You have done all {total} exercises. Score: {right} of {total}.",
        "practice_none": "There are no exercises for this organisation yet.",
        "export_title": "Conversation with the AI-policy assistant",
        "export_org": "Organisation",
        "export_date": "Exported",
        "export_note": "The answers support you, they do not decide. Always check the quoted rule.",
        "question_label": "Question",
        "answer_label": "Answer",
    },
}

# Badge words: never colour alone.
VERDICT_BADGE = {
    "sv": {"yes": "Ja", "no": "Nej", "conditional": "Ja, under villkor", "info": "Information",
           "not_covered": "Står inte i dokumenten"},
    "en": {"yes": "Yes", "no": "No", "conditional": "Yes, under conditions", "info": "Information",
           "not_covered": "Not in the documents"},
}
VERDICT_ICON = {"yes": "✓", "no": "✕", "conditional": "!", "info": "i", "not_covered": "?"}

LOGIN_MESSAGE = "Logga in med ditt konto / Log in with your account"

FEEDBACK_REASONS = ("wrong_answer", "wrong_source", "not_in_policy", "other")

# Starting points when the eval set has no questions for an organisation.
GENERIC_EXAMPLES = {
    "sv": ["Får jag använda ChatGPT i mitt arbete?", "Får jag klistra in personuppgifter i en AI-tjänst?",
           "Vem beslutar om att införa ett nytt AI-system?", "Måste jag granska det som AI:n skriver?"],
    "en": ["May I use ChatGPT for my work?", "May I paste personal data into an AI service?",
           "Who decides on introducing a new AI system?", "Do I have to check what the AI writes?"],
}


def t(language: str, key: str, **values) -> str:
    text = STRINGS.get(language, STRINGS["sv"])[key]
    return text.format(**values) if values else text
