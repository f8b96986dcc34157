"""Issue 11, store findings: a document id never moves between organisations, and ingests that share one Chroma
server (each from its own data directory, the documented scale-out setup) never lose each other's documents."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, run_cli
from ingest.errors import IngestError
from ingest.pipeline import DocOverrides, ingest
from ingest.store import Store

POLICY = "AI-policy\n\n§ 1 Regler\n\nPublika AI-tjänster får bara användas med öppen information. {extra}\n"


def _file(tmp_path, sub, name, extra):
    d = tmp_path / sub
    d.mkdir(exist_ok=True)
    path = d / name
    path.write_text(POLICY.format(extra=extra), encoding="utf-8")
    return path


def test_same_file_name_in_two_organisations_is_refused_not_overwritten(make_settings, tmp_path):
    settings = make_settings()
    kiruna = _file(tmp_path, "kiruna", "policy.txt", "Kiruna kommun.")
    lulea = _file(tmp_path, "lulea", "policy.txt", "Luleå kommun.")
    ingest(settings, [kiruna], DocOverrides("kiruna", "Kiruna kommun"), progress=False)
    with pytest.raises(IngestError, match="already belongs to organisation 'kiruna'.*--id"):
        ingest(settings, [lulea], DocOverrides("lulea", "Luleå kommun"), progress=False)
    gen = Store(settings).current()
    assert gen.documents["policy"]["info"]["organisation"] == "kiruna"
    assert "Kiruna" in gen.texts.get(ids=["policy::text"], include=["documents"])["documents"][0]
    # the way out the message names works, and both documents are kept
    report = ingest(settings, [lulea], DocOverrides("lulea", "Luleå kommun", doc_id="lulea-policy"), progress=False)
    assert report.added == ["lulea-policy"]
    docs = Store(settings).current().documents
    assert docs["policy"]["info"]["organisation"] == "kiruna" and docs["lulea-policy"]["info"]["organisation"] == "lulea"


def test_a_seed_document_cannot_be_taken_over_from_the_cli(tmp_path, corpus_store):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus_store.data_dir, data)
    res = run_cli("--data-dir", data, "ingest", ROOT / "corpus" / "askersund-policy.txt", "--organisation", "nacka",
                  env_extra={"POLICY_ASSISTANT_EMBEDDING_CACHE": corpus_store.embedding_cache})
    assert res.returncode == 2, res.stderr
    assert "already belongs to organisation 'askersund'" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    bad_id = run_cli("--data-dir", data, "ingest", ROOT / "corpus" / "askersund-policy.txt", "--organisation", "nacka",
                     "--id", "Not An Id")
    assert bad_id.returncode == 2 and "--id" in bad_id.stderr


WRITER = textwrap.dedent("""
    import sys, pathlib
    from assistant.settings import load_settings
    from ingest.pipeline import DocOverrides, ingest
    org, port, data, cache, n = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    settings = load_settings(data_dir=data, chroma_host="127.0.0.1", chroma_port=port, embedding_cache=cache,
                             corpus_dir=data / "no-corpus")
    (data / "no-corpus").mkdir(parents=True, exist_ok=True)
    (data / "no-corpus" / "manifest.toml").write_text("", encoding="utf-8")
    failed = 0
    for i in range(n):
        path = data / f"{org}-doc-{i}.txt"
        path.write_text(f"AI-regler {org} nummer {i}\\n\\nPublika AI-tjänster får bara användas med öppen information ({org} {i}).\\n",
                        encoding="utf-8")
        try:
            ingest(settings, [path], DocOverrides(org, org.title()), progress=False)
        except Exception as exc:
            failed += 1
            print(f"round {i}: {type(exc).__name__}: {exc}", file=sys.stderr)
    print(failed)
""")


def test_concurrent_ingests_against_one_chroma_server_lose_nothing(tmp_path, chroma_server, embedding_cache):
    rounds = 10   # per writer: 20 ingests in all, the two writers overlapping throughout
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, org, str(chroma_server), str(tmp_path / org), embedding_cache,
                               str(rounds)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for org in ("kiruna", "lulea")]
    outs = [p.communicate(timeout=600) for p in procs]
    failed = [int(out.strip().splitlines()[-1]) for out, _ in outs]
    assert failed == [0, 0], [err[-2000:] for _, err in outs]
    assert not any("Traceback" in err for _, err in outs)
    from assistant.settings import load_settings

    settings = load_settings(data_dir=tmp_path / "reader", chroma_host="127.0.0.1", chroma_port=chroma_server)
    docs = Store(settings).current().documents
    expected = {f"{org}-doc-{i}" for org in ("kiruna", "lulea") for i in range(rounds)}
    assert expected <= set(docs), f"lost: {sorted(expected - set(docs))}"
    # no lock is left behind for the next writer
    names = [c if isinstance(c, str) else c.name for c in Store(settings).client.list_collections()]
    assert not any(n.endswith("writer-lock") for n in names)


def test_a_dead_writers_server_lock_is_taken_over(make_settings, chroma_server, monkeypatch):
    import time

    import ingest.store as store_mod

    settings = make_settings(chroma_host="127.0.0.1", chroma_port=chroma_server)
    store = Store(settings)
    store.client.create_collection(f"{store.prefix}-writer-lock", metadata={"owner": "dead:1", "beat": time.time() - 3600},
                                   embedding_function=None)
    with store_mod.writer_lock(settings, store, wait=5):
        col = store.client.get_collection(f"{store.prefix}-writer-lock", embedding_function=None)
        assert col.metadata["owner"] != "dead:1"
    # a live lock is waited for, then refused with one clear line
    store.client.create_collection(f"{store.prefix}-writer-lock", metadata={"owner": "alive:1", "beat": time.time()},
                                   embedding_function=None)
    with pytest.raises(IngestError, match="another ingest is writing"):
        with store_mod.writer_lock(settings, store, wait=1):
            pass


def test_a_new_organisation_gets_its_contact_from_the_command_line(tmp_path, corpus_store):
    import json
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus_store.data_dir, data)
    doc = _file(tmp_path, "kiruna", "kiruna-ai.txt", "Kiruna kommun.")
    env = {"POLICY_ASSISTANT_EMBEDDING_CACHE": corpus_store.embedding_cache}
    res = run_cli("--data-dir", data, "ingest", doc, "--organisation", "kiruna", "--organisation-name", "Kiruna kommun",
                  "--contact", "IT-strategen (ai@kiruna.example)", env_extra=env)
    assert res.returncode == 0, res.stderr
    status = json.loads(run_cli("--data-dir", data, "status", "--json", env_extra=env).stdout)
    assert status["organisations"]["kiruna"] == {"name": "Kiruna kommun", "contact": "IT-strategen (ai@kiruna.example)"}
    assert "IT-strategen (ai@kiruna.example)" in run_cli("--data-dir", data, "status", env_extra=env).stdout
    answer = json.loads(run_cli("--data-dir", data, "ask", "Hur många semesterdagar har jag?", "--organisation", "kiruna",
                                "--json", env_extra=env).stdout)
    assert answer["verdict"] == "not_covered" and "IT-strategen" in answer["text"]
