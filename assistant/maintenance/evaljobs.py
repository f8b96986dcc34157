"""Evals in the background: one run at a time in a thread, with progress, its report kept, compared with the
previous run of the same set (case by case) and with the set's baseline (the gated metrics, evals/baseline.py).

Runs are kept as `<data_dir>/eval-runs/<time>-<set>.json` in the eval report format (evals/report.py), so the
history is the folder and the CLI's reports and the workspace's read alike. One run at a time, because an eval
uses both cores of a small server for minutes (the unseen split builds a throw-away store first).
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.errors import PolicyAssistantError

ROOT = Path(__file__).resolve().parents[2]
BASELINES = {"shipped": ROOT / "evals" / "baselines" / "policy.json",
             "unseen-test": ROOT / "evals" / "baselines" / "unseen-test.json"}
SHOWN_METRICS = ("pass_rate", "hit_at_5", "mrr", "verdict_accuracy", "refusal_precision", "refusal_recall",
                 "citation_precision", "must_mention_recall", "unsafe_answers")


def runs_dir(settings) -> Path:
    return settings.data_dir / "eval-runs"


def set_choices(settings) -> list[str]:
    """The sets a maintainer can run: the shipped set, the unseen dev and test splits, each organisation's own."""
    from assistant.maintenance.cases import own_case_dir

    own = own_case_dir(settings)
    return ["shipped", "unseen-dev", "unseen-test"] + [f"own:{p.stem}" for p in sorted(own.glob("*.yaml"))] if own.is_dir() \
        else ["shipped", "unseen-dev", "unseen-test"]


def _plan(settings, name: str) -> dict:
    from evals import unseen

    from assistant.maintenance.cases import own_case_file

    if name == "shipped":
        return {"sets": [ROOT / "evals" / "sets" / "policy.yaml"]}
    if name in ("unseen-dev", "unseen-test"):
        return {"sets": unseen.split_sets(name.split("-")[1]), "extra_manifest": unseen.MANIFEST}
    if name.startswith("own:"):
        path = own_case_file(settings, name[4:])
        if not path.is_file():
            raise PolicyAssistantError(f"organisation '{name[4:]}' has no cases of its own yet")
        return {"sets": [path]}
    raise PolicyAssistantError(f"unknown eval set '{name}' (known: {', '.join(set_choices(settings))})")


@dataclass
class Job:
    id: str
    set: str
    mode: str
    status: str = "queued"        # queued | running | done | failed
    done: int = 0
    total: int = 0
    started: float = 0.0
    finished: float = 0.0
    report: str = ""              # path of the JSON report
    error: str = ""
    comparison: dict = field(default_factory=dict)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "fraction": round(self.fraction, 4)}


class EvalJobs:
    """Starts eval runs in a thread, one at a time; `job(id)` tells how far it has come."""

    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._thread: threading.Thread | None = None

    def start(self, name: str, mode: str | None = None) -> Job:
        plan = _plan(self.settings, name)     # an unknown set fails here, in the caller's thread
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                raise PolicyAssistantError("an eval is already running; wait for it to finish")
            now = time.time()
            # Time to the millisecond first: the folder's name order is the history's order.
            stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"{int(now * 1000) % 1000:03d}"
            job = Job(id=f"{stamp}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}",
                      set=name, mode=mode or self.settings.answer_mode)
            self._jobs[job.id] = job
            self._thread = threading.Thread(target=self._run, args=(job, plan), name=f"eval-{job.id}", daemon=True)
            self._thread.start()
        return job

    def job(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self, job: Job, plan: dict) -> None:
        from evals.report import write_json
        from evals.runner import run_eval

        job.status, job.started = "running", time.time()

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            previous = latest_report(self.settings, job.set)
            records, metrics, run_info = run_eval(self.settings, plan["sets"], mode=job.mode, progress=progress,
                                                  extra_manifest=plan.get("extra_manifest"))
            run_info = {**run_info, "workspace_set": job.set}
            path = write_json(runs_dir(self.settings) / f"{job.id}.json", records, metrics, run_info)
            job.report = str(path)
            job.comparison = compare_reports(json.loads(path.read_text(encoding="utf-8")), previous, job.set)
            job.status = "done"
        except Exception as exc:   # a failed run is reported in the page, never lost in a thread
            job.status, job.error = "failed", " ".join(str(exc).split())[:300] or type(exc).__name__
        finally:
            job.finished = time.time()


def history(settings, name: str | None = None) -> list[dict]:
    """Kept runs, newest first: {path, set, started, cases, metrics (the shown ones)}."""
    folder = runs_dir(settings)
    out = []
    for path in sorted(folder.glob("*.json"), reverse=True) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        run = data.get("run", {})
        if name and run.get("workspace_set") != name:
            continue
        overall = data.get("metrics", {}).get("overall", {})
        out.append({"path": str(path), "set": run.get("workspace_set", ""), "started": run.get("started", ""),
                    "cases": run.get("cases", 0), "metrics": {k: overall.get(k) for k in SHOWN_METRICS}})
    return out


def latest_report(settings, name: str) -> dict | None:
    runs = history(settings, name)
    return json.loads(Path(runs[0]["path"]).read_text(encoding="utf-8")) if runs else None


def compare_reports(current: dict, previous: dict | None, name: str) -> dict:
    """Case by case against the previous run (better: failed then, passes now; worse: the other way), the shown
    metrics' changes, and the baseline's gates where the set has a baseline."""
    from evals.baseline import compare, load_baseline

    now = {c["id"]: c for c in current.get("cases", [])}
    overall = current.get("metrics", {}).get("overall", {})
    # The first run of a set has no previous run: its own figures are still shown.
    out: dict = {"better": [], "worse": [], "new": [], "baseline": None,
                 "metrics": {k: {"previous": None, "current": overall.get(k)} for k in SHOWN_METRICS}}
    if previous is not None:
        before = {c["id"]: c for c in previous.get("cases", [])}
        prev_overall = previous.get("metrics", {}).get("overall", {})
        for cid, c in now.items():
            b = before.get(cid)
            if b is None:
                out["new"].append(cid)
            elif c["passed"] and not b["passed"]:
                out["better"].append({"id": cid, "question": c.get("question", ""), "was": b.get("failures", [])})
            elif b["passed"] and not c["passed"]:
                out["worse"].append({"id": cid, "question": c.get("question", ""), "now": c.get("failures", [])})
        out["metrics"] = {k: {"previous": prev_overall.get(k), "current": overall.get(k)} for k in SHOWN_METRICS}
        out["previous"] = previous.get("run", {}).get("started", "")
    baseline_path = BASELINES.get(name)
    if baseline_path is not None and baseline_path.is_file():
        baseline = load_baseline(baseline_path)
        base_overall = baseline.get("metrics", {}).get("overall", {})
        out["baseline"] = {"path": str(baseline_path),
                           "regressions": [r.message for r in compare(current.get("metrics", {}), baseline)],
                           "metrics": {k: {"baseline": base_overall.get(k), "current": overall.get(k)} for k in SHOWN_METRICS}}
    return out
