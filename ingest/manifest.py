"""The corpus manifest: which documents exist, whose they are, and whether they bind anyone."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.versions import check_version, key_for, parse_date

GENERAL = "general"
FACTS_HEADING = "Uppgifter ur dokumentförteckningen (inte ur dokumentets text)"
DOC_TYPES = ("policy", "guidance", "decision report", "checklist", "rules", "instruction", "guideline", "intranet page",
             "protocol", "other")


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    contact: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    organisation: str
    type: str = "policy"
    binding: bool = True
    decision_date: str = ""
    decision_body: str = ""
    path: Path | None = None
    ocr: bool | None = None  # None: let the repair step decide from the text
    version: str = ""        # "" for a document that has one version (see ingest/versions.py)
    valid_from: str = ""     # YYYY-MM-DD, the day this version starts to apply ("" = always)
    valid_to: str = ""       # YYYY-MM-DD, the last day it applies ("" = until replaced)

    @property
    def key(self) -> str:
        """The store key: one per version of a document."""
        return key_for(self.id, self.version)

    def decision_facts(self) -> str:
        """The manifest's decision facts as a section of their own, added after the document's text, so that "när
        och av vem beslutades …?" can quote them where the document's header lost them to layout (a protocol's
        "Sammanträdesdatum" column). Its heading says where the facts come from."""
        if not (self.decision_date or self.decision_body):
            return ""
        body = f"av {self.decision_body}" if self.decision_body else ""
        fact = " ".join(part for part in ("Beslutad", self.decision_date, body) if part)
        return f"\n\n{FACTS_HEADING}\n\n{fact.rstrip('.')}.\n"


@dataclass
class Manifest:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    documents: dict[str, DocumentInfo] = field(default_factory=dict)

    def organisation(self, org_id: str) -> Organisation:
        try:
            return self.organisations[org_id]
        except KeyError:
            known = ", ".join(sorted(self.organisations))
            raise IngestError(f"unknown organisation '{org_id}' (known: {known})") from None

    def scope(self, org_id: str) -> list[str]:
        """Organisations whose documents a user of org_id may see: their own plus general guidance."""
        self.organisation(org_id)
        return [org_id] if org_id == GENERAL else [org_id, GENERAL]


def load_corpus_manifest(settings) -> Manifest:
    """The corpus manifest plus the maintainer corpus (documents published from the workspace, kept under the
    data directory so the corpus in git is never written to). A maintainer may add organisations and documents,
    and new versions of corpus documents; the same version twice is an error."""
    manifest = load_manifest(settings.corpus_dir)
    extra_dir = getattr(settings, "maintainer_corpus_dir", None)
    if extra_dir is None or not (Path(extra_dir) / "manifest.toml").is_file():
        return manifest
    return load_manifest(Path(extra_dir), into=manifest)


def load_manifest(corpus_dir: Path, into: Manifest | None = None) -> Manifest:
    path = corpus_dir / "manifest.toml"
    if not path.is_file():
        raise IngestError(f"manifest not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path}: not valid TOML ({exc})") from None
    manifest = into if into is not None else Manifest()
    for org_id, org in (data.get("organisations") or {}).items():
        manifest.organisations[org_id] = Organisation(org_id, org.get("name", org_id), org.get("contact", ""))
    manifest.organisations.setdefault(GENERAL, Organisation(GENERAL, "Allmän vägledning"))
    for entry in data.get("documents") or []:
        try:
            doc_id = entry["id"]
            info = DocumentInfo(
                id=doc_id,
                title=entry["title"],
                organisation=entry["organisation"],
                type=entry.get("type", "policy"),
                binding=bool(entry.get("binding", True)),
                decision_date=str(entry.get("decision_date", "")),
                decision_body=entry.get("decision_body", ""),
                path=corpus_dir / entry.get("file", f"{doc_id}.txt"),
                ocr=entry.get("ocr"),
                version=str(entry.get("version", "") or ""),
                valid_from=parse_date(entry.get("valid_from"), f"{path}: document {doc_id}: valid_from"),
                valid_to=parse_date(entry.get("valid_to"), f"{path}: document {doc_id}: valid_to"),
            )
        except KeyError as exc:
            raise IngestError(f"{path}: document entry {entry.get('id', '?')} lacks {exc.args[0]}") from None
        if info.type not in DOC_TYPES:
            raise IngestError(f"{path}: document {doc_id} has unknown type '{info.type}' (known: {', '.join(DOC_TYPES)})")
        check_version(info.version, info.valid_from, info.valid_to, f"{path}: document {doc_id}")
        manifest.organisation(info.organisation)
        if info.key in manifest.documents:
            what = f"version '{info.version}' of document '{doc_id}'" if info.version else f"document id '{doc_id}'"
            raise IngestError(f"{path}: {what} appears twice")
        for other in manifest.documents.values():
            if other.id != doc_id:
                continue
            if other.organisation != info.organisation:
                raise IngestError(f"{path}: document '{doc_id}' belongs to '{other.organisation}', not '{info.organisation}'")
            if other.valid_from == info.valid_from:
                raise IngestError(f"{path}: two versions of '{doc_id}' apply from the same day "
                                  f"({info.valid_from or 'always'}); give the new one its own valid_from")
        manifest.documents[info.key] = info
    return manifest
