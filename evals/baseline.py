"""Regression gates: the current run's overall metrics against a stored baseline report.

A gate allows a small drop (run-to-run noise from retrieval ties, or one case on a small set) except for
unsafe answers: one more "yes" where the rules say "no" is a regression however small.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import PolicyAssistantError


@dataclass(frozen=True)
class Gate:
    metric: str
    tolerance: float           # how far the metric may move the wrong way before it is a regression
    higher_is_better: bool = True


GATES: tuple[Gate, ...] = (
    Gate("hit_at_5", 0.02),
    Gate("mrr", 0.02),
    Gate("verdict_accuracy", 0.02),
    Gate("refusal_precision", 0.05),   # few not_covered cases: one case moves these by several points
    Gate("refusal_recall", 0.05),
    Gate("citation_precision", 0.02),
    Gate("must_mention_recall", 0.02),
    Gate("unsafe_answers", 0, higher_is_better=False),
)


@dataclass(frozen=True)
class Regression:
    metric: str
    baseline: float | None
    current: float | None
    tolerance: float

    @property
    def message(self) -> str:
        if self.current is None:
            return f"{self.metric}: missing in the current run (baseline {_fmt(self.baseline)})"
        return (f"{self.metric}: {_fmt(self.current)} against baseline {_fmt(self.baseline)} "
                f"(change {self.current - self.baseline:+.4g}, tolerance {self.tolerance:g})")


def load_baseline(path: Path | str) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyAssistantError(f"{path}: baseline not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PolicyAssistantError(f"{path}: not a readable eval report ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise PolicyAssistantError(f"{path}: not an eval report (no \"metrics\")")
    return data


def _overall(metrics: dict) -> dict:
    """Accepts a whole JSON report, aggregate()'s output, or a flat metrics dict."""
    if "metrics" in metrics and isinstance(metrics["metrics"], dict):
        metrics = metrics["metrics"]
    return metrics.get("overall", metrics)


def compare(current_metrics: dict, baseline_json: dict | Path | str, gates: tuple[Gate, ...] = GATES) -> list[Regression]:
    """The gates the current run fails. A metric the baseline lacks (or has as null) is not gated; a metric the
    baseline has but the current run lacks is a regression, since a metric that went missing cannot be trusted."""
    baseline = load_baseline(baseline_json) if isinstance(baseline_json, (str, Path)) else baseline_json
    cur, base = _overall(current_metrics), _overall(baseline)
    out = []
    for gate in gates:
        b, c = base.get(gate.metric), cur.get(gate.metric)
        if b is None:
            continue
        if c is None:
            out.append(Regression(gate.metric, b, None, gate.tolerance))
            continue
        worse = (b - c) if gate.higher_is_better else (c - b)
        if worse > gate.tolerance + 1e-9:
            out.append(Regression(gate.metric, b, c, gate.tolerance))
    return out


def summary(current_metrics: dict, baseline_json: dict | Path | str, gates: tuple[Gate, ...] = GATES) -> str:
    """One line per gate (ok / REGRESSION / not gated) and a verdict line, for the terminal and CI logs."""
    baseline = load_baseline(baseline_json) if isinstance(baseline_json, (str, Path)) else baseline_json
    cur, base = _overall(current_metrics), _overall(baseline)
    failed = {r.metric for r in compare(current_metrics, baseline, gates)}
    lines = [f"{'metric':<22}{'baseline':>10}{'current':>10}{'change':>10}  gate"]
    for gate in gates:
        b, c = base.get(gate.metric), cur.get(gate.metric)
        if b is None or c is None:
            change = "-"
        else:
            change = f"{c - b:+d}" if isinstance(b, int) and isinstance(c, int) else f"{c - b:+.4f}"
        state = "REGRESSION" if gate.metric in failed else ("not gated (no baseline)" if b is None else "ok")
        if gate.higher_is_better:
            rule = f"may drop {gate.tolerance:g}"
        else:
            rule = "must not increase" if gate.tolerance == 0 else f"may rise {gate.tolerance:g}"
        lines.append(f"{gate.metric:<22}{_fmt(b):>10}{_fmt(c):>10}{change:>10}  {state} ({rule})")
    run = baseline.get("run", {}) if isinstance(baseline, dict) else {}
    if run.get("sets"):
        lines.append(f"baseline sets: {', '.join(run['sets'])}; mode {run.get('mode', '?')}")
    lines.append(f"{len(failed)} regression(s)" if failed else "no regressions")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.4f}"
