"""The lexical leg and the documents' language: an English question against an organisation that writes in English
is searched with its own words, not only with the Swedish glossary words meant for Swedish documents."""
from __future__ import annotations

import pytest

from conftest import small_store

MANIFEST = """
[organisations.brookby]
name = "Brookby Energy AB"
contact = "the CISO"

[organisations.ekeby]
name = "Ekeby kommun"
contact = "AI-stödet"

[[documents]]
id = "brookby-ai-guideline"
file = "brookby-ai-guideline.txt"
title = "Guideline for the use of AI tools"
organisation = "brookby"

[[documents]]
id = "ekeby-ai-regler"
file = "ekeby-ai-regler.txt"
title = "Regler för AI"
organisation = "ekeby"
"""

GUIDELINE = """GUIDELINE FOR THE USE OF AI TOOLS

1. Everyday use

1.1 Copilot Chat may be used for internal information when you are signed in with your company account.

1.2 Always check facts and figures before you send a text that AI has drafted.

2. Operational technology

2.1 Screenshots of the SCADA alarm list, log files and PLC configuration files must never be pasted into any AI tool.

2.2 Questions about this guideline go to the CISO.
"""

RULES = """REGLER FÖR AI

1. Copilot Chat får användas för intern information när du är inloggad med kommunkontot.

2. Personuppgifter får aldrig skrivas in i ett AI-verktyg.
"""


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, embedding_cache):
    from assistant.retrieval import Retriever

    assistant = small_store(tmp_path_factory.mktemp("language"), embedding_cache, MANIFEST,
                            {"brookby-ai-guideline.txt": GUIDELINE, "ekeby-ai-regler.txt": RULES})
    # The lexical leg alone, so what it finds is what its query words match.
    return Retriever(assistant.settings.model_copy(update={"retrieval_mode": "bm25"}))


def test_an_organisations_language_is_the_language_of_its_passages(retriever):
    assert retriever.language_of("brookby") == "en"
    assert retriever.language_of("ekeby") == "sv"


def test_an_english_question_is_searched_with_its_own_words_in_english_documents(retriever):
    found = retriever.search("Can I paste a screenshot of the SCADA alarm list into ChatGPT?", "brookby", k=3)
    assert found and "SCADA alarm list" in found[0].text
