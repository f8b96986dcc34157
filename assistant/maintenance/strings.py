"""The workspace's words, Swedish first, English second (the same approach as assistant/ui/strings.py, kept apart
so the chat's strings stay the chat's)."""
from __future__ import annotations

WARNINGS = {
    "ocr": {"sv": "Dokumentet ser ut att vara inskannat (OCR): kontrollera att reglerna lästes rätt.",
            "en": "The document looks scanned (OCR): check that the rules were read correctly."},
    "little_text": {"sv": "Mycket lite text kunde läsas ut. Är det en inskannad bild utan textlager?",
                    "en": "Very little text could be extracted. Is it a scanned image without a text layer?"},
    "long_chunks": {"sv": "Några avsnitt är mycket långa: sökningen väger deras slut svagare. Dela gärna upp långa stycken.",
                    "en": "Some passages are very long: search weighs their ends less. Consider splitting long paragraphs."},
    "unknown_words": {"sv": "Många ord känns inte igen (stavning, OCR-fel eller annat språk).",
                      "en": "Many words are not recognised (spelling, OCR errors or another language)."},
    "no_rules": {"sv": "Inga regler lästes ut (inga ”får”, ”ska”, ”får inte” ...). Är det rätt dokument?",
                 "en": "No rules were read (no 'may', 'shall', 'must not' ...). Is it the right document?"},
}

STATUS = {
    "in_force": {"sv": "gäller nu", "en": "in force"},
    "upcoming": {"sv": "kommande", "en": "upcoming"},
    "replaced": {"sv": "ersatt", "en": "replaced"},
    "expired": {"sv": "har upphört", "en": "expired"},
}

MODALITY = {
    "prohibition": {"sv": "förbud", "en": "prohibition"},
    "permission": {"sv": "tillåtelse", "en": "permission"},
    "conditional_permission": {"sv": "tillåtet under villkor", "en": "conditional permission"},
    "restriction": {"sv": "begränsning", "en": "restriction"},
    "obligation": {"sv": "skyldighet", "en": "obligation"},
    "recommendation": {"sv": "rekommendation", "en": "recommendation"},
    "advice_against": {"sv": "avrådan", "en": "advice against"},
    "exception": {"sv": "undantag", "en": "exception"},
    "definition_scope": {"sv": "definition/omfattning", "en": "definition/scope"},
}

WHY = {"changed": {"sv": "citerar en ändrad eller borttagen regel", "en": "quotes a changed or removed rule"},
       "gone": {"sv": "citatet finns inte i den nya versionen", "en": "the quote is not in the new version"}}

TEXT = {
    "tab": {"sv": "Förvaltning", "en": "Maintenance"},
    "intro": {"sv": "Här publicerar du dokument och nya versioner, ser vad som ändrats, kör utvärderingar och läser "
                    "återkoppling. Allt du publicerar loggas med ditt konto.",
              "en": "Publish documents and new versions, see what changed, run evaluations and read feedback. "
                    "Everything you publish is logged with your account."},
    "publish_tab": {"sv": "Publicera", "en": "Publish"},
    "file": {"sv": "Fil (PDF, DOCX, HTML, Markdown eller text)", "en": "File (PDF, DOCX, HTML, Markdown or text)"},
    "organisation": {"sv": "Organisation (id, t.ex. kiruna)", "en": "Organisation (id, e.g. kiruna)"},
    "organisation_name": {"sv": "Organisationens namn (för en ny organisation)", "en": "Organisation name (for a new organisation)"},
    "contact": {"sv": "Kontakt för frågor", "en": "Contact for questions"},
    "title": {"sv": "Titel", "en": "Title"},
    "doc_id": {"sv": "Dokument-id (för en ny version: det befintliga id:t)", "en": "Document id (for a new version: the existing id)"},
    "type": {"sv": "Dokumenttyp", "en": "Document type"},
    "binding": {"sv": "Bindande", "en": "Binding"},
    "valid_from": {"sv": "Gäller från (ÅÅÅÅ-MM-DD)", "en": "Valid from (YYYY-MM-DD)"},
    "valid_to": {"sv": "Gäller till och med (valfritt)", "en": "Valid to, inclusive (optional)"},
    "preview": {"sv": "Förhandsgranska", "en": "Preview"},
    "publish": {"sv": "Publicera", "en": "Publish"},
    "cancel": {"sv": "Avbryt", "en": "Cancel"},
    "cancelled": {"sv": "Avbrutet. Inget har publicerats.", "en": "Cancelled. Nothing was published."},
    "published": {"sv": "Publicerad: {key} ({summary})", "en": "Published: {key} ({summary})"},
    "no_preview": {"sv": "Förhandsgranska filen först.", "en": "Preview the file first."},
    "versions_tab": {"sv": "Versioner", "en": "Versions"},
    "refresh": {"sv": "Uppdatera", "en": "Refresh"},
    "open_version": {"sv": "Öppna version", "en": "Open version"},
    "document": {"sv": "Dokument", "en": "Document"},
    "version": {"sv": "Version", "en": "Version"},
    "version_text": {"sv": "Versionens text", "en": "The version's text"},
    "diff_tab": {"sv": "Vad har ändrats", "en": "What changed"},
    "old": {"sv": "Gammal version", "en": "Old version"},
    "new": {"sv": "Ny version", "en": "New version"},
    "compare": {"sv": "Jämför", "en": "Compare"},
    "evals_tab": {"sv": "Utvärdering", "en": "Evaluation"},
    "eval_set": {"sv": "Frågeuppsättning", "en": "Question set"},
    "start_eval": {"sv": "Starta utvärdering", "en": "Start evaluation"},
    "eval_progress": {"sv": "Förlopp", "en": "Progress"},
    "eval_result": {"sv": "Resultat", "en": "Result"},
    "feedback_tab": {"sv": "Återkoppling och luckor", "en": "Feedback and gaps"},
    "gaps": {"sv": "Obesvarade frågor (maskerade, grupperade)", "en": "Unanswered questions (redacted, grouped)"},
    "thumbs_down": {"sv": "Tumme ned", "en": "Thumbs down"},
    "make_case": {"sv": "Skapa utkast till testfall", "en": "Create a draft test case"},
    "case_ref": {"sv": "Köpost-id eller återkopplings-id (t.ex. q12 eller f7)", "en": "Queue id or feedback id (e.g. q12 or f7)"},
    "verdict": {"sv": "Rätt svar (ditt beslut)", "en": "Correct verdict (your decision)"},
    "quote": {"sv": "Citat ur dokumentet som ger svaret", "en": "Quote from the document that answers it"},
    "case_saved": {"sv": "Testfallet sparades i {path}", "en": "The test case was saved in {path}"},
    "usage_tab": {"sv": "Användning", "en": "Usage"},
    "audit_tab": {"sv": "Logg", "en": "Audit log"},
    "export_csv": {"sv": "Exportera CSV", "en": "Export CSV"},
    "not_maintainer": {"sv": "Du har inte behörighet till förvaltningen.", "en": "You are not allowed to use the workspace."},
    "error": {"sv": "Fel: {message}", "en": "Error: {message}"},
    "sections_added": {"sv": "Nya rubriker", "en": "Sections added"},
    "sections_removed": {"sv": "Borttagna rubriker", "en": "Sections removed"},
    "rules_added": {"sv": "Nya regler", "en": "Rules added"},
    "rules_removed": {"sv": "Borttagna regler", "en": "Rules removed"},
    "rules_changed": {"sv": "Ändrade regler", "en": "Rules changed"},
    "recheck": {"sv": "Kontrollera igen", "en": "Re-check"},
    "better": {"sv": "Bättre än förra körningen", "en": "Better than the previous run"},
    "worse": {"sv": "Sämre än förra körningen", "en": "Worse than the previous run"},
    "baseline": {"sv": "Mot baslinjen", "en": "Against the baseline"},
    "none": {"sv": "Inga", "en": "None"},
}


def t(language: str, key: str, /, **values) -> str:
    # positional-only: a text may have a {key} of its own ("published")
    entry = TEXT[key]
    text = entry.get(language) or entry["sv"]
    return text.format(**values) if values else text


# Column headings of the workspace's tables, per interface language.
HEADERS = {
    "versions": {"sv": ["dokument", "version", "gäller från", "gäller till", "status", "organisation", "delar", "källa"],
                 "en": ["document", "version", "valid from", "valid to", "status", "organisation", "chunks", "source"]},
    "thumbs_down": {"sv": ["id", "datum", "fråga", "orsak", "kommentar", "svar"],
                    "en": ["id", "date", "question", "reason", "comment", "answer"]},
    "gaps": {"sv": ["id", "antal", "fråga", "senast"], "en": ["id", "count", "question", "latest"]},
    "usage": {"sv": ["vecka", "frågor", "ja", "nej", "villkor", "info", "ej täckt", "👎"],
              "en": ["week", "questions", "yes", "no", "conditional", "info", "not covered", "👎"]},
    "audit": {"sv": ["tid", "konto", "åtgärd", "dokument", "version", "gäller från", "hash"],
              "en": ["time", "account", "action", "document", "version", "valid from", "hash"]},
}
