"""Run eval sets through the assistant and score every answer.

With extra documents (or when asked), the run uses a throw-away store: the corpus and the extra files are
ingested into a temporary data directory that is deleted afterwards, so an eval never changes the user's store.
The user's embedding cache is copied in (read, never written), so only new text is embedded.
"""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Iterator

from assistant.sensitive import redact
from evals import unseen
from evals.cases import load_cases
from evals.metrics import aggregate, score_case
from evals.typos import agreement, first_quote, misspell
from ingest.errors import PolicyAssistantError

ROOT = Path(__file__).resolve().parent.parent


def run_eval(settings, set_paths: list[Path], mode: str | None = None, extra_documents: list[Path] | None = None,
             extra_org: str | None = None, extra_org_name: str | None = None, progress: bool = True,
             isolated: bool = False, extra_manifest: Path | None = None,
             typos: int | None = None) -> tuple[list[dict], dict, dict]:
    """(per-case records, aggregate metrics, run info). `mode` None means the settings' answer_mode.
    `extra_manifest` adds a manifest's documents and organisations (the unseen test bed) in a throw-away store.
    `typos` (a seed): each question is also asked misspelled (evals/typos.py), and metrics["typos"] says how often
    the verdict and the first quote stayed the same."""
    mode = mode or settings.answer_mode
    started_at, started = datetime.now().astimezone(), time.perf_counter()
    use_throwaway = bool(extra_documents) or isolated or extra_manifest is not None
    store_cm = throwaway_store(settings, extra_documents, extra_org, extra_org_name, extra_manifest) if use_throwaway \
        else contextlib.nullcontext(settings)
    with store_cm as run_settings:
        generation = _current_generation(run_settings)
        cases = load_cases(set_paths, set(generation.documents), set(generation.organisations))
        records = _ask_all(run_settings, cases, mode, progress, typos)
        _label(records, cases, generation, extra_manifest)
    test_sets = [p for p in set_paths if unseen.split_of(p) == "test"]
    run_info = {
        "sets": [str(p) for p in set_paths],
        "set_digests": {str(p): unseen.digest([Path(p)]) for p in set_paths},
        "test_split_digest": unseen.digest(test_sets) if test_sets else None,
        "extra_manifest": str(extra_manifest) if extra_manifest else None,
        "mode": mode,
        "embedding_backend": settings.embedding_backend,
        "embedding_model": generation.registry.get("embed_model") or settings.embedding_model,
        "isolated": use_throwaway,
        "extra_documents": [str(p) for p in extra_documents or []],
        "extra_organisation": extra_org,
        "store_generation": generation.name,
        "documents": sorted(generation.documents),
        "cases": len(records),
        "started": started_at.isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 2),
        "typos_seed": typos,
        **git_state(),
    }
    metrics = aggregate(records)
    if typos is not None:
        metrics["typos"] = {"overall": agreement(records),
                            **{f"split {s}": agreement([r for r in records if r.get("split") == s])
                               for s in sorted({r.get("split") for r in records if r.get("split")})}}
    return records, metrics, run_info


def _label(records: list[dict], cases, generation, extra_manifest: Path | None) -> None:
    """Each record's split (dev/test of the unseen test bed, or '') and document shape (of its first gold document,
    else of its organisation's documents), so reports can break results down by both."""
    doc_shapes = unseen.shapes(extra_manifest) if extra_manifest else {}
    by_org: dict[str, set[str]] = {}
    for doc_id, rec in generation.documents.items():
        by_org.setdefault(rec["info"]["organisation"], set()).add(doc_shapes.get(doc_id, unseen.SEED_SHAPE))
    for record, case in zip(records, cases):
        record["split"] = unseen.split_of(case.source) if case.source else ""
        if case.gold:
            record["shape"] = doc_shapes.get(case.gold[0].document, unseen.SEED_SHAPE)
        else:
            record["shape"] = "+".join(sorted(by_org.get(case.organisation, {unseen.SEED_SHAPE})))


def _current_generation(settings):
    from ingest.store import Store

    generation = Store(settings).current()
    if generation is None:
        raise PolicyAssistantError(f"the store in {settings.data_dir} is empty; run `policy-assistant ingest` first "
                                   "or evaluate in a throw-away store")
    return generation


def _ask_all(settings, cases, mode: str, progress: bool, typos: int | None = None) -> list[dict]:
    from tqdm import tqdm

    from assistant.engine import Assistant  # imported late: loading the engine loads the models

    assistant = Assistant(settings)
    records = []
    # `progress` may be a callable (done, total): the workspace's background runs show a progress bar with it.
    report = progress if callable(progress) else None
    for case in tqdm(cases, desc="Eval", unit="case", file=sys.stderr, disable=not progress or report is not None):
        if report is not None:
            report(len(records), len(cases))
        started = time.perf_counter()
        try:
            answer = assistant.ask(case.question, case.organisation, history=[dict(t) for t in case.history], mode=mode)
            payload, error = (answer.as_dict() if hasattr(answer, "as_dict") else answer), ""
        except Exception as exc:  # one broken case must not cost the whole run; it is reported as a failure
            payload, error = None, f"{type(exc).__name__}: {exc}"
        latency = round(time.perf_counter() - started, 4)
        records.append(score_case(case, payload, None if error else latency, error))
        if typos is not None and not error:
            typed = misspell(case.question, typos, case.id)
            again = assistant.ask(typed, case.organisation, history=[dict(t) for t in case.history], mode=mode).as_dict()
            records[-1].update(typed=redact(typed), typed_verdict=again.get("verdict"),
                               typed_same_quote=first_quote(again) == first_quote(payload))
    if report is not None:
        report(len(records), len(cases))
    return records


@contextlib.contextmanager
def throwaway_store(settings, extra_documents: list[Path] | None = None, extra_org: str | None = None,
                    extra_org_name: str | None = None, extra_manifest: Path | None = None) -> Iterator:
    """Settings for a temporary store holding the corpus plus `extra_documents` (or a whole extra manifest's
    documents, each under its own organisation); the directory goes on exit."""
    from ingest.pipeline import DocOverrides, ingest

    tmp = Path(tempfile.mkdtemp(prefix="policy-eval-"))
    try:
        cache = tmp / "embedding-cache.sqlite"
        copy_embedding_cache(settings.embedding_cache_path, cache)
        # Embedded Chroma in the temp dir even when the user's settings name a Chroma server: the eval must not
        # write collections into a store someone else reads.
        local = settings.model_copy(update={"data_dir": tmp, "embedding_cache": str(cache), "chroma_host": ""})
        if extra_manifest is not None:
            local = local.model_copy(update={"corpus_dir": unseen.merged_corpus(tmp / "corpus", settings.corpus_dir, extra_manifest)})
        ingest(local, progress=False)
        if extra_documents:
            overrides = DocOverrides(organisation=extra_org, organisation_name=extra_org_name)
            ingest(local, [Path(p) for p in extra_documents], overrides, progress=False)
        yield local
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def copy_embedding_cache(src: Path, dst: Path) -> bool:
    """Copy the user's cache through SQLite's backup API, opened read-only: a consistent copy even while
    another process writes to it, and no lock or journal left on the original. False when there is none."""
    if not src.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(src.resolve().as_uri() + "?mode=ro", uri=True)) as source, \
                contextlib.closing(sqlite3.connect(str(dst))) as target:
            source.backup(target)
        return True
    except sqlite3.Error:
        dst.unlink(missing_ok=True)  # only an optimisation: without it the corpus is embedded afresh
        return False


def git_state() -> dict:
    """{"git_commit", "git_dirty"} of the checkout, or nulls outside a git checkout."""
    def git(*args: str) -> str | None:
        try:
            # --no-optional-locks: never take the index lock, another process may be using the checkout.
            out = subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"git_commit": commit, "git_dirty": bool(status) if status is not None else None}
