"""The chat as it is served: `policy-assistant serve` as a real process on a free 127.0.0.1 port, over a store that
is already ingested (the `serve` and `concurrency` parts of `python -m bench.run`).

* serve: cold start (process start -> port open -> first answer over HTTP), peak RSS of the serving process
  (VmHWM in /proc/<pid>/status), and `ask` through the HTTP API (`gradio_client`, `/ask`) beside the same
  question asked in this process, interleaved, so both see the same machine load.
* concurrency: N simultaneous clients, each asking M questions one after another; throughput, latency
  percentiles, errors, and the server's peak RSS afterwards.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 180
REQUEST_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> dict:
    """VmHWM (peak resident set) and VmRSS of a process, in MiB."""
    out = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in ("VmHWM", "VmRSS"):
                out[key.lower() + "_mib"] = round(int(line.split()[1]) / 1024, 1)
    return out


class Server:
    """A `policy-assistant serve` process over the store of `settings`, on 127.0.0.1 only."""

    def __init__(self, settings):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.tmp = Path(tempfile.mkdtemp(prefix="policy-bench-serve-"))
        self.log = self.tmp / "serve.log"
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir),
                    "POLICY_ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
                    "POLICY_ASSISTANT_EMBEDDING_CACHE": str(settings.embedding_cache_path),
                    "POLICY_ASSISTANT_EMBEDDING_BACKEND": settings.embedding_backend,
                    "POLICY_ASSISTANT_RETRIEVAL_MODE": settings.retrieval_mode, "POLICY_ASSISTANT_ANSWER_MODE": "extractive",
                    "POLICY_ASSISTANT_CHROMA_HOST": "", "POLICY_ASSISTANT_FEEDBACK_DB": str(self.tmp / "feedback.sqlite")}
        self.env.pop("POLICY_ASSISTANT_CONFIG", None)
        self.proc: subprocess.Popen | None = None
        self.timings: dict = {}

    def start(self, question: str, organisation: str) -> dict:
        """Start the process; return the cold-start figures up to the first answer over HTTP."""
        t0 = time.perf_counter()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                         cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}: {self.log.read_text(errors='replace')[-1500:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not open its port in {START_TIMEOUT_S} s")
            time.sleep(0.05)
        t1 = time.perf_counter()
        at_port = memory(self.proc.pid)
        client = self.client()
        t2 = time.perf_counter()
        ok = ask_ok(client.predict(question, [], organisation, "sv", api_name="/ask"))
        t3 = time.perf_counter()
        return {"port_open_s": round(t1 - t0, 3), "client_connect_s": round(t2 - t1, 3), "first_answer_s": round(t3 - t2, 3),
                "total_s": round(t3 - t0, 3), "first_answer_ok": ok, "memory_at_port_open": at_port,
                "memory_after_first_answer": memory(self.proc.pid)}

    def client(self):
        from gradio_client import Client

        return Client(self.url, verbose=False, httpx_kwargs={"timeout": REQUEST_TIMEOUT_S})

    def memory(self) -> dict:
        return memory(self.proc.pid) if self.proc else {}

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)


@contextlib.contextmanager
def running(settings) -> Iterator[Server]:
    os.environ["HF_HUB_OFFLINE"] = "1"
    server = Server(settings)
    try:
        yield server
    finally:
        server.stop()


def ask_ok(result) -> bool:
    """An `/ask` result is an answer when the chat holds the question and a reply with a verdict."""
    try:
        _box, chat, _banner, _docs = result
        content = chat[-1]["content"]
        html = content[0]["text"] if isinstance(content, list) else content
        return len(chat) >= 2 and "data-verdict=" in str(html)
    except (TypeError, ValueError, KeyError, IndexError):
        return False


def questions_from(settings, set_path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(question, organisation) of the eval set's cases that stand alone (no history: `/ask` gets an empty chat)."""
    from evals.cases import load_cases
    from ingest.store import Store

    generation = Store(settings).current()
    cases = [c for c in load_cases([set_path], set(generation.documents), set(generation.organisations)) if not c.history]
    return [(c.question, c.organisation) for c in cases][:limit or None]


def bench_serve(settings, server: Server, questions: list[tuple[str, str]], cold: dict) -> dict:
    """`ask` in this process and over HTTP, interleaved, per question."""
    from assistant.engine import Assistant

    from bench.run import summarise

    assistant = Assistant(settings)
    client = server.client()
    for q, org in questions[:2]:  # warm-up on both sides
        assistant.ask(q, org)
        client.predict(q, [], org, "sv", api_name="/ask")
    local, http, errors = [], [], 0
    for q, org in questions:
        a = time.perf_counter()
        assistant.ask(q, org)
        b = time.perf_counter()
        try:
            ok = ask_ok(client.predict(q, [], org, "sv", api_name="/ask"))
        except Exception:  # noqa: BLE001 - any failure is an error to count
            ok = False
        c = time.perf_counter()
        local.append(b - a)
        if ok:
            http.append(c - b)
        else:
            errors += 1
    del assistant
    s_local, s_http = summarise(local), summarise(http)
    return {"url": "http://127.0.0.1:<port>/ (free port)", "cold_start": cold, "questions": len(questions), "errors": errors,
            "in_process": s_local, "http": s_http,
            "http_overhead_p50_ms": round(s_http["p50_ms"] - s_local["p50_ms"], 2) if s_http["n"] else None,
            "ratio_http_p50_to_in_process_p50": round(s_http["p50_ms"] / s_local["p50_ms"], 2) if s_http["n"] and s_local["p50_ms"] else None,
            "memory_after_http_asks": server.memory()}


def load_level(server: Server, questions: list[tuple[str, str]], clients: int, per_client: int) -> dict:
    """`clients` threads, each with its own gradio client (created before the clock starts), asking `per_client`
    questions one after another; all start together."""
    from bench.run import summarise

    made = [server.client() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    messages: list[str] = []

    def work(i: int) -> None:
        barrier.wait()
        for j in range(per_client):
            q, org = questions[(i * per_client + j) % len(questions)]
            a = time.perf_counter()
            try:
                ok = ask_ok(made[i].predict(q, [], org, "sv", api_name="/ask"))
            except Exception as exc:  # noqa: BLE001
                ok = False
                if len(messages) < 5:
                    messages.append(f"{type(exc).__name__}: {exc}"[:200])
            if ok:
                latencies[i].append(time.perf_counter() - a)
            else:
                errors[i] += 1

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(REQUEST_TIMEOUT_S * per_client)
    wall = time.perf_counter() - t0
    flat = [x for lat in latencies for x in lat]
    stats = summarise(flat)
    return {"clients": clients, "questions_per_client": per_client, "requests": clients * per_client, "answered": len(flat),
            "errors": sum(errors), "error_messages": messages, "wall_s": round(wall, 3),
            "throughput_per_s": round(len(flat) / wall, 2) if wall else None, **{k: stats[k] for k in ("p50_ms", "p95_ms", "mean_ms", "max_ms")},
            "memory_after": server.memory()}


def bench_concurrency(server: Server, questions: list[tuple[str, str]], levels=(1, 5, 20, 50), per_client: int = 10,
                      in_process_mean_ms: float | None = None, say=lambda m: None) -> dict:
    out = []
    for clients in levels:
        say(f"bench: concurrency, {clients} clients x {per_client} questions ...")
        out.append(load_level(server, questions, clients, per_client))
    best = max(out, key=lambda r: r["throughput_per_s"] or 0)
    # The engine's lock lets one extractive step run at a time: the ceiling is one answer per mean `ask` time.
    ceiling = round(1000 / in_process_mean_ms, 1) if in_process_mean_ms else None
    saturation = None
    for prev, cur in zip(out, out[1:]):
        if prev["throughput_per_s"] and cur["throughput_per_s"] and cur["throughput_per_s"] < prev["throughput_per_s"] * 1.1:
            saturation = prev["clients"]
            break
    return {"levels": out, "best_throughput_per_s": best["throughput_per_s"], "best_at_clients": best["clients"],
            "saturates_at_clients": saturation, "lock_ceiling_per_s": ceiling, "gradio_concurrency_limit": 16,
            "memory_after": server.memory(), "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()}
