"""Eval reports: a fixed-width terminal table, a JSON file (schema in evals/README.md), a self-contained HTML page.

The HTML page loads nothing: styles are inline, plots are inline SVG, and every piece of case or answer text
goes through html.escape (questions in the eval set may contain markup, e.g. prompt-injection attempts).
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

# (key, heading, width, kind): kind "n" = count, "r" = ratio shown as a percentage, "f" = a plain fraction
# (MRR is a mean of reciprocal ranks, not a share of cases), "s" = seconds.
COLUMNS = (
    ("cases", "cases", 6, "n"), ("pass_rate", "pass", 6, "r"), ("hit_at_1", "hit@1", 6, "r"), ("hit_at_5", "hit@5", 6, "r"),
    ("mrr", "MRR", 6, "f"), ("verdict_accuracy", "verdict", 8, "r"), ("refusal_precision", "refP", 6, "r"),
    ("refusal_recall", "refR", 6, "r"), ("citation_precision", "citP", 6, "r"), ("citation_precision_doc", "citPdoc", 8, "r"),
    ("citation_recall", "citR", 6, "r"), ("must_mention_recall", "must", 6, "r"), ("groundedness", "ground", 7, "r"),
    ("unsafe_answers", "unsafe", 7, "n"), ("latency_p50", "p50 s", 7, "s"), ("latency_p95", "p95 s", 7, "s"),
)
CHART_METRICS = (("hit_at_5", "hit@5"), ("verdict_accuracy", "verdict"), ("citation_precision", "citation P"),
                 ("must_mention_recall", "must-mention"), ("groundedness", "grounded"))
CHART_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2")


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "r":
        return f"{100 * value:.0f}%"
    if kind in ("f", "s"):
        return f"{value:.2f}"
    return str(value)


def _rows(metrics: dict) -> list[tuple[str, dict]]:
    """(label, group metrics) in the order every report shows them: overall, organisations, languages, verdicts."""
    rows = [("overall", metrics["overall"])]
    for group, prefix in (("by_organisation", "org"), ("by_language", "lang"), ("by_verdict", "gold"), ("by_split", "split"),
                          ("by_shape", "shape"), ("by_tag", "tag")):
        rows += [(f"{prefix} {key}", m) for key, m in metrics.get(group, {}).items()]
    return rows


# ------------------------------------------------------------------------------------------ terminal
def format_table(metrics: dict, records: list[dict] | None = None) -> str:
    """Metrics table, confusion matrix and (when records are given) the failing cases, for a terminal."""
    label_w = max(len(label) for label, _ in _rows(metrics)) + 2
    lines = ["".ljust(label_w) + "".join(h.rjust(w) for _, h, w, _ in COLUMNS)]
    for label, m in _rows(metrics):
        lines.append(label.ljust(label_w) + "".join(_cell(m.get(k), kind).rjust(w) for k, _, w, kind in COLUMNS))
    conf = metrics.get("confusion")
    if conf:
        labels = conf["labels"]
        w = max(len(x) for x in labels) + 2
        lines += ["", "Verdict confusion (rows: gold, columns: predicted)",
                  "".ljust(w) + "".join(x.rjust(w) for x in labels)]
        lines += [g.ljust(w) + "".join(str(row[p]).rjust(w) for p in labels) for g, row in conf["matrix"].items()]
    typos = {label: t for label, t in (metrics.get("typos") or {}).items() if t}
    if typos:
        lines.append("")
    for label, t in typos.items():
        lines.append(f"Misspelled questions / Felstavade frågor ({label}, {t['cases']} cases): same verdict "
                     f"{t['verdict_agreement']:.2f}, same first quote {t['first_quote_agreement']:.2f}, "
                     f"verdict accuracy {t['typed_verdict_accuracy']:.2f}")
    if records is not None:
        failing = [r for r in records if not r["passed"]]
        lines += ["", f"Failing cases / Underkända fall: {len(failing)} of {len(records)}"]
        lines += [f"  {r['id']}: {'; '.join(r['failures'])}" for r in failing]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- JSON
def report_dict(records: list[dict], metrics: dict, run_info: dict) -> dict:
    return {"schema_version": SCHEMA_VERSION, "run": run_info, "metrics": metrics, "cases": records}


def write_json(path: Path | str, records: list[dict], metrics: dict, run_info: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_dict(records, metrics, run_info), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------- HTML
STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1300px}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;font-size:13px}
th{background:#f3f3f3}td.l,th.l{text-align:left}.fail{border:1px solid #e3b3b3;border-radius:4px;padding:.5em 1em;margin:1em 0}
.q{font-weight:600}.reason{color:#a00}.gold{color:#070;font-weight:600}.muted{color:#777}
pre{white-space:pre-wrap;background:#f8f8f8;padding:.5em;font-size:12px}svg text{font-size:11px;font-family:sans-serif}
"""


def _svg_bars(metrics: dict) -> str:
    """Grouped bars: key metrics (0-100 %) for overall and each organisation."""
    groups = [("overall", metrics["overall"])] + list(metrics.get("by_organisation", {}).items())
    bar, gap, height, top, left = 14, 22, 200, 20, 40
    width = left + len(groups) * (len(CHART_METRICS) * bar + gap) + 160
    parts = [f'<svg width="{width}" height="{height + top + 40}" role="img" aria-label="metrics by organisation">']
    for pct in (0, 25, 50, 75, 100):
        y = top + height * (1 - pct / 100)
        parts.append(f'<line x1="{left}" x2="{width - 160}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{pct}%</text>')
    for gi, (name, m) in enumerate(groups):
        x0 = left + gap / 2 + gi * (len(CHART_METRICS) * bar + gap)
        for mi, (key, label) in enumerate(CHART_METRICS):
            value = m.get(key)
            x = x0 + mi * bar
            if value is None:
                parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + height - 3}" text-anchor="middle">–</text>')
                continue
            h = height * value
            parts.append(f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2}" height="{h:.1f}" fill="{CHART_COLOURS[mi]}">'
                         f'<title>{escape(name)} {escape(label)}: {100 * value:.1f}%</title></rect>')
        parts.append(f'<text x="{x0 + len(CHART_METRICS) * bar / 2:.1f}" y="{top + height + 16}" text-anchor="middle">{escape(name)}</text>')
    for mi, (_, label) in enumerate(CHART_METRICS):
        y = top + 10 + mi * 18
        parts.append(f'<rect x="{width - 150}" y="{y - 9}" width="10" height="10" fill="{CHART_COLOURS[mi]}"/>'
                     f'<text x="{width - 135}" y="{y}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _confusion_table(conf: dict) -> str:
    labels = conf["labels"]
    rows = ['<table><tr><th class="l">gold \\ predicted</th>' + "".join(f"<th>{escape(p)}</th>" for p in labels) + "</tr>"]
    for g, row in conf["matrix"].items():
        total = sum(row.values()) or 1
        cells = []
        for p in labels:
            share = row[p] / total
            # Green for the diagonal, red off it; the shade grows with the share of the gold row.
            colour = f"rgba(40,150,60,{share:.2f})" if p == g else f"rgba(200,40,40,{share:.2f})"
            cells.append(f'<td style="background:{colour}">{row[p]}</td>')
        rows.append(f'<tr><th class="l">{escape(g)}</th>{"".join(cells)}</tr>')
    return "".join(rows) + "</table>"


def _svg_histogram(records: list[dict], metrics: dict, bins: int = 12) -> str:
    values = [r["latency"] for r in records if r.get("latency") is not None and not r.get("error")]
    if not values:
        return '<p class="muted">No latencies.</p>'
    top_value = max(values) or 1.0
    step = top_value / bins
    counts = [0] * bins
    for v in values:
        counts[min(int(v / step), bins - 1)] += 1
    width, height, left, top = 520, 160, 40, 10
    bw = (width - left - 10) / bins
    peak = max(counts)
    parts = [f'<svg width="{width}" height="{height + top + 35}" role="img" aria-label="latency histogram">']
    for i, c in enumerate(counts):
        h = height * c / peak
        parts.append(f'<rect x="{left + i * bw:.1f}" y="{top + height - h:.1f}" width="{bw - 1:.1f}" height="{h:.1f}" fill="#4e79a7">'
                     f'<title>{i * step:.2f}–{(i + 1) * step:.2f} s: {c}</title></rect>')
    for key, colour in (("latency_p50", "#2a2"), ("latency_p95", "#c22")):
        v = metrics["overall"].get(key)
        if v is not None:
            x = left + (width - left - 10) * v / top_value
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + height}" stroke="{colour}" stroke-dasharray="4 2"/>'
                         f'<text x="{x + 3:.1f}" y="{top + 12}" fill="{colour}">{key[8:]} {v:.2f} s</text>')
    parts.append(f'<text x="{left}" y="{top + height + 14}">0</text>'
                 f'<text x="{width - 10}" y="{top + height + 14}" text-anchor="end">{top_value:.2f} s</text>'
                 f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{peak}</text>'
                 f'<text x="{(width + left) / 2:.0f}" y="{top + height + 30}" text-anchor="middle">seconds per answer ({len(values)} answers)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _metrics_table(metrics: dict) -> str:
    head = '<tr><th class="l"></th>' + "".join(f"<th>{escape(h)}</th>" for _, h, _, _ in COLUMNS) + "</tr>"
    body = "".join(f'<tr><th class="l">{escape(label)}</th>' + "".join(f"<td>{_cell(m.get(k), kind)}</td>" for k, _, _, kind in COLUMNS) + "</tr>"
                   for label, m in _rows(metrics))
    return f"<table>{head}{body}</table>"


def _mark(flag: bool) -> str:
    return '<span class="gold">gold</span>' if flag else '<span class="muted">–</span>'


def _failing_case(r: dict) -> str:
    a = r["answer"]
    out = [f'<div class="fail" id="case-{escape(r["id"])}"><h3>{escape(r["id"])} <span class="muted">({escape(r["organisation"])}, '
           f'{escape(r["language"])}{", " + escape(", ".join(r["tags"])) if r["tags"] else ""})</span></h3>']
    for turn in r.get("history") or []:
        out.append(f'<p class="muted">Earlier: {escape(turn.get("question", ""))} → {escape(turn.get("answer", ""))}</p>')
    out.append(f'<p class="q">{escape(r["question"])}</p>')
    latency = "–" if r["latency"] is None else f"{r['latency']:.2f} s"
    rank = str(r["gold_rank"]) if r["gold_rank"] else "–"
    out.append(f'<p>Verdict: <b>{escape(str(r["verdict"]))}</b>, gold <b>{escape(r["gold_verdict"])}</b>; '
               f'gold rank {rank}; latency {latency}</p>')
    out.append("<ul>" + "".join(f'<li class="reason">{escape(x)}</li>' for x in r["failures"]) + "</ul>")
    out.append(f"<pre>{escape(a.get('text') or '(no answer text)')}</pre>")
    if a.get("notices"):
        out.append("<p class=\"muted\">Notices: " + escape(" | ".join(map(str, a["notices"]))) + "</p>")
    if r["gold"]:
        out.append("<p>Gold: " + "; ".join(f"{escape(g['document'])}: ”{escape(g['quote'])}”" for g in r["gold"]) + "</p>")
    if a.get("citations"):
        out.append('<table><tr><th>n</th><th class="l">document</th><th class="l">section</th><th class="l">quote</th><th></th></tr>')
        out += [f'<tr><td>{escape(str(c.get("n")))}</td><td class="l">{escape(str(c.get("document")))}</td>'
                f'<td class="l">{escape(str(c.get("section") or ""))}</td><td class="l">{escape(str(c.get("quote") or ""))}</td>'
                f'<td>{_mark(c.get("gold", False))}</td></tr>' for c in a["citations"]]
        out.append("</table>")
    if a.get("passages"):
        out.append("<details><summary>Retrieved passages</summary>")
        out += [f'<p>{p["rank"]}. {escape(str(p.get("doc_id")))} § {escape(str(p.get("section") or "-"))} '
                f'<span class="muted">score {p.get("score") or 0:.4f}</span> {_mark(p.get("gold", False))}</p>'
                f"<pre>{escape(str(p.get('text') or ''))}</pre>" for p in a["passages"]]
        out.append("</details>")
    out.append("</div>")
    return "".join(out)


def render_html(records: list[dict], metrics: dict, run_info: dict) -> str:
    failing = [r for r in records if not r["passed"]]
    run_rows = "".join(f'<tr><th class="l">{escape(str(k))}</th><td class="l">{escape(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)}</td></tr>'
                       for k, v in run_info.items())
    return "".join([
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Policy assistant eval</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>Policy assistant eval</h1>",
        f"<table>{run_rows}</table>",
        "<h2>Metrics</h2>", _metrics_table(metrics),
        "<h2>Key metrics by organisation</h2>", _svg_bars(metrics),
        "<h2>Verdict confusion</h2>", _confusion_table(metrics["confusion"]),
        "<h2>Latency</h2>", _svg_histogram(records, metrics),
        f"<h2>Failing cases ({len(failing)} of {len(records)})</h2>",
        "".join(_failing_case(r) for r in failing) or "<p>None.</p>",
        "</body></html>\n",
    ])


def write_html(path: Path | str, records: list[dict], metrics: dict, run_info: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(records, metrics, run_info), encoding="utf-8")
    return path
