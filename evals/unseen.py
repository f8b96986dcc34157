"""The unseen test bed (evals/unseen/): documents of made-up organisations in real-world shapes, with a dev split
to tune on and a frozen test split to judge on.

The documents are not part of the product corpus, so they never reach the default practice or example sets: an
eval builds a throw-away corpus of the shipped documents plus these, each under its own organisation, from the
two manifests merged (`merged_corpus`).
"""
from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

from ingest.errors import PolicyAssistantError

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "evals" / "unseen"
MANIFEST = UNSEEN / "manifest.toml"
DOCS = UNSEEN / "docs"
SPLITS = ("dev", "test")
SEED_SHAPE = "seed"    # the shipped corpus documents (plain text, some of it OCR output)
# The test split's content digest as committed: a changed test split shows up in review and in every report.
FROZEN_DIGEST = UNSEEN / "test-split.sha256"


def split_sets(split: str) -> list[Path]:
    if split not in SPLITS:
        raise PolicyAssistantError(f"unknown split '{split}' ({', '.join(SPLITS)})")
    return sorted((UNSEEN / split).glob("*.yaml"))


def split_of(path: str | Path) -> str:
    """'dev' or 'test' for a set file of the unseen test bed, '' for any other set."""
    path = Path(path).resolve()
    for split in SPLITS:
        if path.parent == (UNSEEN / split).resolve():
            return split
    return ""


def digest(paths: list[Path]) -> str:
    """sha256 over the files' names and contents, in name order."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def test_split_digest() -> str:
    return digest(split_sets("test"))


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyAssistantError(f"{path}: cannot read the manifest ({exc})") from None


def shapes(manifest: Path = MANIFEST) -> dict[str, str]:
    """{document id: shape} for the unseen documents."""
    return {d["id"]: d.get("shape", "other") for d in _read(manifest).get("documents", [])}


def merged_corpus(target: Path, corpus_dir: Path, manifest: Path = MANIFEST) -> Path:
    """A corpus directory holding the shipped documents and the unseen ones, with one manifest for both."""
    target.mkdir(parents=True, exist_ok=True)
    base, extra = _read(corpus_dir / "manifest.toml"), _read(manifest)
    clash = set(base.get("organisations", {})) & set(extra.get("organisations", {}))
    ids = {d["id"] for d in base.get("documents", [])} & {d["id"] for d in extra.get("documents", [])}
    if clash or ids:
        raise PolicyAssistantError(f"{manifest}: organisations or documents clash with the corpus: {sorted(clash | ids)}")
    lines = []
    for src, data in ((corpus_dir, base), (manifest.parent / "docs", extra)):
        for org_id, org in data.get("organisations", {}).items():
            lines += [f"[organisations.{org_id}]", *(f"{k} = {_toml(v)}" for k, v in org.items()), ""]
    for src, data in ((corpus_dir, base), (manifest.parent / "docs", extra)):
        for doc in data.get("documents", []):
            file = doc.get("file", f"{doc['id']}.txt")
            shutil.copy2(src / file, target / Path(file).name)
            entry = {**doc, "file": Path(file).name}
            entry.pop("shape", None)
            lines += ["[[documents]]", *(f"{k} = {_toml(v)}" for k, v in entry.items()), ""]
    (target / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
    return target


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
