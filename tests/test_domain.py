"""The domain vocabulary is data (assistant/data/domain.toml): checked against its schema at start, one clear line
for any mistake, and a municipality's own words work without a code change."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import domain
from assistant.domain import SHIPPED_FILE, load
from ingest.errors import PolicyAssistantError

SHIPPED = SHIPPED_FILE.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "domain.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(tmp_path: Path, text: str, *expected: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(PolicyAssistantError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message, message
    assert str(path) in message, message
    for part in expected:
        assert part in message, message
    return message


def _replace(old: str, new: str, count: int = 1) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, count)


def test_the_shipped_file_validates_and_is_what_the_assistant_uses():
    import assistant.language as language
    import assistant.normalise as normalise

    shipped = domain.shipped()
    assert shipped is load(SHIPPED_FILE)                     # compiled once, cached
    assert [c.name for c in language.CONCEPTS] == [c.name for c in shipped.concepts]
    assert language.CONCEPTS[0].pattern is shipped.concepts[0].pattern
    assert language.AI_DOMAIN is shipped.ai_domain
    assert set(language.ANSWER_TYPES) == {"date", "actor", "decision", "frequency", "duration", "reference", "wording",
                                          "size", "cost", "tool", "action", "definition", "start", "end"}
    assert set(language.REQUIRED_ANSWER_TYPES) == set(language.ANSWER_TYPES) - {"decision", "wording", "tool", "action",
                                                                                "definition", "start", "end"}
    assert shipped.in_manifest == {"date", "start", "end", "decision", "reference"}
    import assistant.question as question
    import assistant.verdict as verdict

    # The normative and question lexicons the code reads are the file's.
    assert verdict.PROHIBIT is shipped.normative["prohibit"] and question.PERMISSION is shipped.question["permission"]
    assert "ChatGPT" in normalise.tool_names() and "Stable Diffusion" in normalise.tool_names()
    assert language.GLOSSARY["allowed"] == "får tillåtet"
    assert "och" in language.SV_WORDS and "the" in language.EN_WORDS
    assert len({c.name for c in shipped.concepts}) == len(shipped.concepts)
    assert all(p.flags & re.I for p in [shipped.ai_domain, *(c.pattern for c in shipped.concepts)])


def test_the_old_vocabulary_file_is_gone():
    assert not (SHIPPED_FILE.parent / "vocabulary.toml").exists()


@pytest.mark.parametrize("text, expected", [
    (_replace("'chat\\s?gpt', 'openai'", "'chat\\s?gpt', 'open(ai'"),
     ("[[concepts]] #1 (name = 'public_ai') pattern, alternative 2 'open(ai'", "not a valid regular expression")),
    (_replace('\n[glossary]\n', '\n[glossary]\n"Bad Word" = "x"\n'),
     ("[glossary] 'Bad Word'", "one English word")),
    (_replace('name = "public_ai"\n', 'name = "public_ai"\nsynonyms = ["x"]\n'),
     ("[[concepts]] #1 (name = 'public_ai')", "unknown key 'synonyms'")),
    (_replace("[tools]\n", "[tool]\nnames = []\n\n[tools]\n"),
     ("the file", "unknown section 'tool'")),
    (_replace('name = "secrecy"', 'name = "public_ai"'),
     ("[[concepts]] #4 (name = 'public_ai')", "already used by [[concepts]] #1")),
    (SHIPPED[:SHIPPED.index("\n[glossary]\n")] + SHIPPED[SHIPPED.index("\n# -- answer types"):],
     ("the file", "missing section 'glossary'")),
    (_replace('swedish = "personuppgifter"', 'swedish = 3'),
     ("[[concepts]] #2 (name = 'personal_data') swedish", "must be a non-empty string")),
    (_replace("pattern = [\n    'anonymi'", "pattern = 'anonymi'; unused = [\n    'anonymi'"),
     ("not valid TOML",)),
    (_replace("names = [\n", "names = [\n    42, "),
     ("[tools] names", "item 1 must be a string, not int 42")),
    (_replace("[ai_domain]\npattern = [", "[ai_domain]\npattern = 'policy'\nunused = ["),
     ("[ai_domain]", "unknown key 'unused'")),
    (re.sub(r"\[ai_domain\]\npattern = \[.*?\n\]\n", "[ai_domain]\npattern = 'policy'\n", SHIPPED, flags=re.S),
     ("[ai_domain] pattern", "must be a non-empty list of strings")),
    (re.sub(r"\n\[\[concepts\]\].*(?=\n# -- plain English)", "\n[concepts]\npublic_ai = 'chatgpt'\n", SHIPPED,
            flags=re.S),
     ("[concepts]", "must be an array of tables [[concepts]]")),
    (_replace("'anonymi', 'avidentifi'", "'anonymi', ''"),
     ("[[concepts]] #5 (name = 'anonymised') pattern", "item 2 is empty")),
    (_replace("'anonymi', 'avidentifi'", "'anonymi', '(x)?'"),
     ("alternative 2 '(x)?'", "matches the empty string")),
    (_replace("'anonymi', 'avidentifi'", "'anonymi', 'anonymi'"),
     ("alternative 2 'anonymi'", "is listed twice")),
    (_replace("'gdpr', 'dataskydd', 'data protection',", ""),
     ("[[concepts]] #16 (name = 'gdpr') pattern", "must be a non-empty list of strings")),
    (_replace("[answer_types.frequency]\nquestion", "[answer_types.frequency]\nquestions"),
     ("[answer_types.frequency]", "unknown key 'questions'")),
    (_replace("[answer_types.decision]\nranks_only = true", "[answer_types.decision]\nranks_only = \"yes\""),
     ("[answer_types.decision] ranks_only", "must be true or false")),
    (_replace("[answer_types.reference]\nin_manifest = true", "[answer_types.reference]\nin_manifest = 1"),
     ("[answer_types.reference] in_manifest", "must be true or false")),
    (_replace("abonnemang\"\nnames_use = true", "abonnemang\"\nnames_use = 1"),
     ("[[concepts]] #28 (name = 'paid_private') names_use", "must be true or false")),
    (_replace('"förtroendevalda"\nnames_people = true', '"förtroendevalda"\nnames_people = "ja"'),
     ("[[concepts]] #32 (name = 'elected_officials') names_people", "must be true or false")),
    (_replace('"Grammarly",', '"grammarly", "Grammarly",'),
     ("[tools] names", "'Grammarly' is listed twice")),
    (_replace('editions = ["chat",', 'editions = ["chat", "Chat",'),
     ("[tools] editions", "'Chat' is listed twice")),
    (_replace('units = { timm = 1,', 'units = { timm = 0,'),
     ("[durations] units 'timm'", "must be a positive number")),
    (_replace('numbers = { en = 1,', 'numbers = { "Ett Par" = 2, en = 1,'),
     ("[durations] numbers 'Ett Par'", "one word in lower case")),
])
def test_a_broken_file_is_refused_in_one_line_naming_the_problem(tmp_path, text, expected):
    _refused(tmp_path, text, *expected)


def test_a_wrong_type_and_a_missing_key_are_named(tmp_path):
    _refused(tmp_path, _replace("[[concepts]]\nname = \"public_ai\"", "[[concepts]]\nname = 7"),
             "[[concepts]] #1", "name must be a string")
    _refused(tmp_path, _replace('swedish = "personuppgifter"\n', ""),
             "[[concepts]] #2 (name = 'personal_data')", "missing key 'swedish'")
    _refused(tmp_path, _replace("[language]\nswedish_words", "[language]\nswedish_words = \"och\"\nold"),
             "unknown key 'old'")
    _refused(tmp_path, _replace('"och", "att"', '"Och", "att"'), "[language] swedish_words", "'Och'")


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(PolicyAssistantError, match=r"domain file .*nowhere\.toml: cannot be read"):
        load(tmp_path / "nowhere.toml")


def test_a_broken_shipped_file_stops_the_cli_with_one_line_and_exit_2(tmp_path):
    """Importing assistant.language validates the file, so a start (`ask` here) fails with one line and exit 2."""
    broken = _write(tmp_path, _replace("'chat\\s?gpt', 'openai'", "'chat\\s?gpt', '[openai'"))
    script = ("import pathlib, sys\n"
              "from assistant import domain\n"
              f"domain.SHIPPED_FILE = pathlib.Path({str(broken)!r})\n"
              "from assistant import cli\n"
              "sys.exit(cli.main(['ask', 'Får jag använda ChatGPT?', '--organisation', 'nacka']))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(broken) in done.stderr and "alternative 2 '[openai'" in done.stderr, done.stderr
    assert "not a valid regular expression" in done.stderr, done.stderr


def test_a_new_tool_added_in_the_data_file_is_recognised_without_code(tmp_path):
    from assistant.normalise import Normaliser

    text = _replace('"Translate",', '"Translate", "Kommunbotten",')
    text = text.replace("'chat\\s?gpt', 'openai',", "'chat\\s?gpt', 'openai', 'kommunbotten',", 1)
    text = text.replace("\n[glossary]\n", '\n[glossary]\nhelpdesk = "kundtjänst"\n', 1)
    custom = load(_write(tmp_path, text))

    question = "Får jag använda Kommunbotten med personuppgifter?"
    assert [c.name for c in custom.concepts_in(question)][:2] == ["public_ai", "personal_data"]
    assert "public_ai" not in [c.name for c in domain.shipped().concepts_in(question)]
    assert custom.glossary["helpdesk"] == "kundtjänst" and "helpdesk" not in domain.shipped().glossary

    typed = "far jag anvanda komunbotten?"
    assert "Kommunbotten" in Normaliser({"får", "använda"}, tools=custom.tools)(typed, "sv")
    assert "Kommunbotten" not in Normaliser({"får", "använda"})(typed, "sv")


def test_a_changed_file_is_read_again(tmp_path):
    path = _write(tmp_path, SHIPPED)
    first = load(path)
    assert load(path) is first
    text = _replace('"Translate",', '"Translate", "Kommunbotten",')
    path.write_text(text + "\n", encoding="utf-8")           # another size: a new stat key even on coarse clocks
    assert "Kommunbotten" in load(path).tools


def test_an_answer_type_may_leave_out_ranks_only(tmp_path):
    domain = load(_write(tmp_path, _replace("[answer_types.decision]\nranks_only = true\n", "[answer_types.decision]\n")))
    assert "decision" in domain.answer_types and "decision" not in domain.ranks_only
