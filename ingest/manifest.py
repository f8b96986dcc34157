"""The corpus manifest: which documents exist, whose they are, and whether they bind anyone."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError

GENERAL = "general"
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


def load_manifest(corpus_dir: Path) -> Manifest:
    path = corpus_dir / "manifest.toml"
    if not path.is_file():
        raise IngestError(f"manifest not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path}: not valid TOML ({exc})") from None
    manifest = Manifest()
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
            )
        except KeyError as exc:
            raise IngestError(f"{path}: document entry {entry.get('id', '?')} lacks {exc.args[0]}") from None
        if info.type not in DOC_TYPES:
            raise IngestError(f"{path}: document {doc_id} has unknown type '{info.type}' (known: {', '.join(DOC_TYPES)})")
        manifest.organisation(info.organisation)
        if doc_id in manifest.documents:
            raise IngestError(f"{path}: document id '{doc_id}' appears twice")
        manifest.documents[doc_id] = info
    return manifest
