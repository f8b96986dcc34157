"""Publish a document version from the workspace: a preview first, then an atomic publish through ingest.

Where an uploaded document lives: in the *maintainer corpus* (settings.maintainer_corpus_dir, by default
`<data_dir>/maintainer-corpus/`), a folder with its own `manifest.toml` in the corpus format. Ingest reads it
together with `corpus/manifest.toml` (ingest.manifest.load_corpus_manifest), so the corpus in git is never
written to, a corpus run keeps what maintainers published, and a new version of a corpus document is simply one
more entry with the same id and its own `version` and `valid_from`.

A preview reads the upload with the same loaders and guards as `policy-assistant ingest` (size, zip bombs,
encodings, binary files) in a staging folder and reports how it was read; nothing reaches the store. Publishing
adds the manifest entry and runs the ordinary ingest, which writes a new store generation and flips the pointer
only at the end: if anything fails, the manifest entry and the file are taken back and the store is as it was.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import shutil
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.blocks import ROW_LINE
from ingest.errors import IngestError, PolicyAssistantError
from ingest.manifest import DOC_TYPES, GENERAL, DocumentInfo, load_corpus_manifest
from ingest.versions import check_version, in_force, key_for, parse_date, split_key, status_on, today

STAGING_MAX_AGE = 24 * 3600      # previews never published are swept after a day
LONG_CHUNK_SHARE = 0.9           # a chunk this close to the model's token limit loses its tail words' weight
LITTLE_TEXT_WORDS = 80
UNKNOWN_WORDS_SHARE = 0.05
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class Preview:
    id: str
    filename: str
    doc_id: str
    version: str
    organisation: str
    organisation_name: str
    contact: str
    new_organisation: bool
    organisation_changed: bool     # a name or contact given that differs from what the documents say now
    title: str
    type: str
    binding: bool
    valid_from: str
    valid_to: str
    sha256: str
    chars: int
    words: int
    chunks: int
    sections: list[str] = field(default_factory=list)
    tables: int = 0
    table_rows: int = 0
    quality: dict = field(default_factory=dict)
    rules: list[dict] = field(default_factory=list)       # rule sentences: section, text, modality, ...
    rule_counts: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)     # codes; strings.WARNINGS words them
    replaces: str = ""       # store key of the version in force now, when this is a new version of a document
    text: str = ""           # the text as it will be stored (repaired), for the diff

    @property
    def key(self) -> str:
        return key_for(self.doc_id, self.version)


def staging_dir(settings) -> Path:
    return settings.data_dir / "maintainer-staging"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(str.maketrans("åäöéü", "aaoeu"))).strip("-")[:80]


def _store_versions(settings) -> tuple[dict, dict]:
    """(versions by key, organisations) of the current store generation; empty when there is none."""
    from ingest.store import Store

    with contextlib.suppress(PolicyAssistantError):
        generation = Store(settings).current()
        if generation is not None:
            return generation.versions, generation.organisations
    return {}, {}


def preview(settings, file_bytes: bytes, filename: str, organisation: str, title: str = "", doc_type: str = "policy",
            binding: bool | None = None, valid_from: str = "", valid_to: str = "", *, doc_id: str = "",
            version: str = "", organisation_name: str = "", contact: str = "") -> Preview:
    """Read an upload as ingest would and report how it was read. Raises PolicyAssistantError (one line) for a
    file the CLI ingest would refuse, or for metadata that does not fit (unknown type, bad dates, an id of
    another organisation)."""
    from ingest.loaders import MAX_FILE_BYTES, SUPPORTED, load_document

    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{name or '(no name)'}: unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})")
    if len(file_bytes) > MAX_FILE_BYTES:   # before writing anything
        raise IngestError(f"{name}: file is {len(file_bytes) // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    organisation = (organisation or "").strip()
    if not _ID.match(organisation):
        raise IngestError("organisation id must be lower-case letters, digits and hyphens (e.g. kiruna)")
    if doc_type not in DOC_TYPES:
        raise IngestError(f"unknown document type '{doc_type}' (known: {', '.join(DOC_TYPES)})")
    valid_from = parse_date(valid_from, "valid_from") or today(settings).isoformat()
    valid_to = parse_date(valid_to, "valid_to")

    manifest = load_corpus_manifest(settings)
    versions, store_orgs = _store_versions(settings)
    known_org = manifest.organisations.get(organisation)
    org_name = (organisation_name or "").strip() or (known_org.name if known_org else store_orgs.get(organisation, {}).get("name", ""))
    if not org_name:
        raise IngestError(f"unknown organisation '{organisation}': give its name to create it")
    known_contact = known_org.contact if known_org else store_orgs.get(organisation, {}).get("contact", "")
    org_contact = (contact or "").strip() or known_contact
    new_org = known_org is None and organisation not in store_orgs
    org_changed = not new_org and (org_contact != known_contact or bool(organisation_name.strip()) and
                                   org_name != (known_org.name if known_org else store_orgs.get(organisation, {}).get("name", "")))

    staged = staging_dir(settings)
    _sweep(staged)
    preview_id = secrets.token_hex(8)
    folder = staged / preview_id
    folder.mkdir(parents=True)
    path = folder / f"upload{suffix}"
    path.write_bytes(file_bytes)
    try:
        try:
            loaded = load_document(path)
        except IngestError as exc:   # name the user's file, not the staging path
            raise IngestError(str(exc).replace(str(path), name)) from None
        def versions_of(did: str) -> dict:
            found = {k: r for k, r in versions.items() if r["info"].get("id", split_key(k)[0]) == did}
            found.update({k: {"info": asdict(i)} for k, i in manifest.documents.items() if i.id == did})
            return found

        doc_id = (doc_id or "").strip() or _slug(" ".join((title or "").split()) or loaded.title or Path(name).stem)
        mine = versions_of(doc_id)
        newest = max(mine.values(), key=lambda r: r["info"].get("valid_from") or "")["info"] if mine else {}
        # A new version keeps the document's title and binding unless the maintainer changes them.
        title = " ".join((title or "").split())[:300] or newest.get("title") or loaded.title or Path(name).stem
        if binding is None and newest:
            binding = bool(newest.get("binding", True))
        if not _ID.match(doc_id):
            raise IngestError(f"document id '{doc_id}' must be lower-case letters, digits and hyphens")
        owners = {r["info"].get("organisation") for r in mine.values()}
        if owners and organisation not in owners:
            raise IngestError(f"document id '{doc_id}' already belongs to organisation '{sorted(owners)[0]}'; choose another id")
        version = (version or "").strip() or _next_version(mine)
        check_version(version, valid_from, valid_to, doc_id)
        if key_for(doc_id, version) in mine:
            raise IngestError(f"version '{version}' of '{doc_id}' already exists")
        if any((r["info"].get("valid_from") or "") == valid_from for r in mine.values()):
            raise IngestError(f"another version of '{doc_id}' already applies from {valid_from}; choose another date")
        replaces = in_force(versions, valid_from).get(doc_id, "") if mine else ""
        info = DocumentInfo(id=doc_id, title=title, organisation=organisation, type=doc_type,
                            binding=binding if binding is not None else organisation != GENERAL, path=path,
                            version=version, valid_from=valid_from, valid_to=valid_to)
        result = _read(settings, loaded.text, info)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    p = Preview(id=preview_id, filename=name, doc_id=doc_id, version=version, organisation=organisation,
                organisation_name=org_name, contact=org_contact, new_organisation=new_org, organisation_changed=org_changed,
                title=title, type=doc_type,
                binding=info.binding, valid_from=valid_from, valid_to=valid_to,
                sha256=hashlib.sha256(file_bytes).hexdigest(), replaces=replaces, **result)
    (folder / "preview.json").write_text(json.dumps(asdict(p), ensure_ascii=False), encoding="utf-8")
    return p


def _next_version(mine: dict) -> str:
    """1 for a new document; one more than the highest numbered version (a version without a label counts as 1)."""
    if not mine:
        return "1"
    numbers = [int(v) if v.isdigit() else (1 if not v else 0) for v in (split_key(k)[1] for k in mine)]
    return str(max(numbers + [1]) + 1)


def _read(settings, raw: str, info: DocumentInfo) -> dict:
    """What the ingest pipeline makes of the text: sections, tables, text quality, the rules read, warnings."""
    from ingest.embeddings import get_embedder
    from ingest.pipeline import process_document, read_rules

    embedder = get_embedder(settings.embedding_backend, settings.embedding_model)
    text, chunks, quality = process_document(raw, info, embedder, settings)
    readings = read_rules([c.text for c, _ in chunks], settings.embedding_cache_path)
    sections = list(dict.fromkeys(c.section_path for c, _ in chunks if c.section_path))
    rules, counts = [], {}
    for (chunk, _), chunk_readings in zip(chunks, readings):
        for r in chunk_readings:
            counts[r["modality"]] = counts.get(r["modality"], 0) + 1
            if r["modality"] != "none":
                rules.append({"section": chunk.section_path, "text": " ".join(chunk.text[r["start"]:r["end"]].split()),
                              **{k: v for k, v in r.items() if k not in ("start", "end", "condition_span")}})
    lines = text.split("\n")
    row = [bool(ROW_LINE.match(line)) for line in lines]
    tables = sum(1 for i, is_row in enumerate(row) if is_row and not any(row[j] for j in _previous_content(lines, i)))
    words = len(re.findall(r"\w+", text))
    warnings = []
    if quality.get("ocr"):
        warnings.append("ocr")
    if words < LITTLE_TEXT_WORDS:
        warnings.append("little_text")
    if quality.get("max_chunk_tokens", 0) > LONG_CHUNK_SHARE * quality.get("token_limit", 512):
        warnings.append("long_chunks")
    if quality.get("oov_after", 0) > UNKNOWN_WORDS_SHARE:
        warnings.append("unknown_words")
    if not rules:
        warnings.append("no_rules")
    return {"chars": len(text), "words": words, "chunks": len(chunks), "sections": sections, "tables": tables,
            "table_rows": sum(row), "rules": rules, "rule_counts": dict(sorted(counts.items())), "warnings": warnings,
            "quality": {k: quality[k] for k in ("ocr", "repairs", "oov_before", "oov_after", "max_chunk_tokens", "token_limit")},
            "text": text}


def _previous_content(lines: list[str], i: int) -> list[int]:
    """The index of the nearest non-blank line before line i (a table row after a blank line continues a table)."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return [j] if j >= 0 else []


def load_preview(settings, preview_id: str) -> tuple[Preview, Path]:
    if not re.fullmatch(r"[0-9a-f]{16}", preview_id or ""):
        raise PolicyAssistantError("unknown preview (upload the file again)")
    folder = staging_dir(settings) / preview_id
    try:
        data = json.loads((folder / "preview.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PolicyAssistantError("unknown or expired preview (upload the file again)") from None
    upload = next(folder.glob("upload.*"), None)
    if upload is None:
        raise PolicyAssistantError("the previewed file is gone (upload it again)")
    return Preview(**data), upload


def cancel(settings, preview_id: str) -> None:
    """Drop a preview: nothing was published, nothing remains."""
    with contextlib.suppress(PolicyAssistantError):
        _, upload = load_preview(settings, preview_id)
        shutil.rmtree(upload.parent, ignore_errors=True)


def _sweep(staged: Path) -> None:
    if not staged.is_dir():
        return
    cutoff = time.time() - STAGING_MAX_AGE
    for folder in staged.iterdir():
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


# -- the maintainer corpus ---------------------------------------------------------------------------------
def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.toml"
    if not path.is_file():
        return {"organisations": {}, "documents": []}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise IngestError(f"{path}: not valid TOML ({exc})") from None
    return {"organisations": dict(data.get("organisations") or {}), "documents": list(data.get("documents") or [])}


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)    # a JSON string is a valid TOML basic string


def _write_manifest(folder: Path, data: dict) -> None:
    lines = ["# Documents published from the maintainer workspace (written by policy-assistant; see README,",
             "# \"Maintainer workspace\"). Same format as corpus/manifest.toml.", ""]
    for org_id, org in sorted(data["organisations"].items()):
        lines += [f"[organisations.{org_id}]", *(f"{k} = {_toml(v)}" for k, v in org.items()), ""]
    for doc in data["documents"]:
        lines += ["[[documents]]", *(f"{k} = {_toml(v)}" for k, v in doc.items() if v is not None), ""]
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "manifest.toml.tmp"
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(folder / "manifest.toml")


@contextlib.contextmanager
def _maintainer_lock(settings):
    """One publish or removal at a time: the manifest edit and the ingest that follows belong together."""
    from ingest.store import _file_lock

    with _file_lock(settings.data_dir / "maintainer.lock", settings.ingest_lock_wait):
        yield


@contextlib.contextmanager
def _manifest_change(settings):
    """Yields the maintainer manifest as data for the caller to change and write; puts the old one back (and removes
    any file added) when anything in the block fails, so a failed publish leaves both the store and the manifest as they were."""
    folder = settings.maintainer_corpus_dir
    path = folder / "manifest.toml"
    before = path.read_bytes() if path.is_file() else None
    files_before = set(folder.iterdir()) if folder.is_dir() else set()
    data = _read_manifest(folder)
    try:
        yield data
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
        for added in (set(folder.iterdir()) if folder.is_dir() else set()) - files_before:
            if added.is_file():
                added.unlink(missing_ok=True)
        raise


def publish(settings, preview_id: str, maintainer: str) -> dict:
    """Publish a previewed upload: a new store generation with it (atomic), an audit row. Returns what happened."""
    from assistant.maintenance.audit import audit_log
    from ingest.pipeline import ingest

    maintainer = (maintainer or "").strip()
    if not maintainer:
        raise PolicyAssistantError("a maintainer account is needed to publish")
    p, upload = load_preview(settings, preview_id)
    folder = settings.maintainer_corpus_dir
    with _maintainer_lock(settings):
        versions, _ = _store_versions(settings)
        existed = any(r["info"].get("id", split_key(k)[0]) == p.doc_id for k, r in versions.items())
        with _manifest_change(settings) as data:
            if p.key in {key_for(d.get("id", ""), str(d.get("version", "") or "")) for d in data["documents"]} or p.key in versions:
                raise PolicyAssistantError(f"version '{p.version}' of '{p.doc_id}' is already published")
            if p.new_organisation or p.organisation_changed or p.organisation in data["organisations"]:
                data["organisations"][p.organisation] = {"name": p.organisation_name, "contact": p.contact}
            file = f"{p.doc_id}--v{p.version}{upload.suffix}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(upload, folder / file)
            entry = {"id": p.doc_id, "version": p.version, "file": file, "title": p.title, "organisation": p.organisation,
                     "type": p.type, "binding": p.binding, "valid_from": p.valid_from}
            if p.valid_to:
                entry["valid_to"] = p.valid_to
            data["documents"].append(entry)
            _write_manifest(folder, data)
            load_corpus_manifest(settings)      # the merged manifest must still read, or nothing is published
            report = ingest(settings, progress=False)
        action = "new_version" if existed else "publish"
        audit_log(settings).record(maintainer, action, p.doc_id, p.version, p.organisation, p.valid_from, p.valid_to,
                                   p.sha256, report.generation, detail=p.filename)
    shutil.rmtree(upload.parent, ignore_errors=True)
    return {"action": action, "document": p.doc_id, "version": p.version, "key": p.key, "generation": report.generation,
            "summary": report.summary(), "valid_from": p.valid_from, "valid_to": p.valid_to}


def remove_version(settings, doc_id: str, version: str, maintainer: str) -> dict:
    """Remove one published version (only what was published from the workspace: corpus documents are changed
    in corpus/manifest.toml). Atomic like publish; audited."""
    from assistant.maintenance.audit import audit_log
    from ingest.pipeline import ingest

    maintainer = (maintainer or "").strip()
    if not maintainer:
        raise PolicyAssistantError("a maintainer account is needed to remove a version")
    folder = settings.maintainer_corpus_dir
    with _maintainer_lock(settings):
        with _manifest_change(settings) as data:
            found = [d for d in data["documents"] if d.get("id") == doc_id and str(d.get("version", "") or "") == (version or "")]
            if not found:
                raise PolicyAssistantError(f"no published version '{version}' of '{doc_id}' in the workspace "
                                           f"(documents of corpus/manifest.toml are changed there)")
            entry = found[0]
            data["documents"].remove(entry)
            _write_manifest(folder, data)
            file = folder / entry["file"]
            digest = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else ""
            report = ingest(settings, progress=False)
        # The file goes only once the store no longer holds the version (a failed ingest keeps both).
        (folder / entry["file"]).unlink(missing_ok=True)
        audit_log(settings).record(maintainer, "remove", doc_id, version, entry.get("organisation", ""),
                                   entry.get("valid_from", ""), entry.get("valid_to", ""), digest, report.generation)
    return {"action": "remove", "document": doc_id, "version": version, "generation": report.generation,
            "summary": report.summary()}


# -- reading versions back -----------------------------------------------------------------------------------
def list_versions(settings, doc_id: str | None = None) -> list[dict]:
    """Every stored version (of one document, or all), with where it stands on the clock's day."""
    versions, _ = _store_versions(settings)
    day = today(settings).isoformat()
    out = []
    for key, rec in versions.items():
        info = rec["info"]
        did = info.get("id", split_key(key)[0])
        if doc_id and did != doc_id:
            continue
        out.append({"document": did, "version": info.get("version", ""), "key": key, "title": info.get("title", ""),
                    "organisation": info.get("organisation", ""), "valid_from": info.get("valid_from", ""),
                    "valid_to": info.get("valid_to", ""), "status": status_on(versions, key, day),
                    "chunks": rec.get("chunks", 0), "source": "workspace" if _from_workspace(settings, rec) else rec.get("source", ""),
                    "rules": rec.get("rules", {})})
    if doc_id and not out:
        raise PolicyAssistantError(f"unknown document '{doc_id}'")
    return sorted(out, key=lambda v: (v["organisation"], v["document"], v["valid_from"], v["version"]))


def _from_workspace(settings, rec: dict) -> bool:
    """Whether a stored version came from the maintainer corpus (its manifest lists the version)."""
    info = rec.get("info", {})
    data = _read_manifest(settings.maintainer_corpus_dir)
    return any(d.get("id") == info.get("id") and str(d.get("version", "") or "") == (info.get("version") or "")
               for d in data["documents"])


def version_text(settings, doc_id: str, version: str = "") -> str:
    """The stored text of any version, in force or not (the chat quotes only the one in force)."""
    from ingest.store import Store

    generation = Store(settings).current()
    key = key_for(doc_id, version)
    if generation is None or key not in generation.versions:
        raise PolicyAssistantError(f"unknown version '{version or '(none)'}' of document '{doc_id}'")
    got = generation.texts.get(ids=[f"{key}::text"], include=["documents"])
    if not got["ids"]:
        raise PolicyAssistantError(f"the text of '{key}' is missing from the store")
    return got["documents"][0]


def version_chunks(settings, doc_id: str, version: str = "") -> list[tuple[str, dict]]:
    """(text, metadata) of a stored version's chunks, in document order."""
    from ingest.store import Store

    generation = Store(settings).current()
    key = key_for(doc_id, version)
    if generation is None or key not in generation.versions:
        raise PolicyAssistantError(f"unknown version '{version or '(none)'}' of document '{doc_id}'")
    got = generation.chunks.get(where={"doc_key": key}, include=["documents", "metadatas"])
    if not got["ids"] and "@" not in key:     # written before versions existed
        got = generation.chunks.get(where={"document": key}, include=["documents", "metadatas"])
        pairs = [(t, m) for t, m in zip(got["documents"], got["metadatas"]) if "doc_key" not in m]
    else:
        pairs = list(zip(got["documents"], got["metadatas"]))
    return sorted(pairs, key=lambda x: x[1].get("chunk_index", 0))
