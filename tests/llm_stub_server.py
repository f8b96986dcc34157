"""A scripted LLM server for tests: OpenAI-compatible /v1 and Ollama's /api/chat, over real HTTP.

    python tests/llm_stub_server.py --port 8099

POST /_scenario {"name": ..., "text": optional reply, "delay": seconds} sets how the next requests are answered:
  ok               the reply, streamed one word per chunk
  bad_citation     a reply citing passages that were never given ([7], [9])
  no_citation      a reply without any [n] marker
  garbage          a body that is not JSON
  http_error       HTTP 500
  slow             waits `delay` seconds before answering
  disagree         "Ja." where the rules say no
  stall_midstream  a few chunks, then `delay` seconds of SSE keep-alive comments (so only a whole-answer
                   deadline stops it, not a read timeout), then the rest
GET /_last returns the last request ({"path", "body"}); GET /v1/models lists one model.
"""
from __future__ import annotations

import argparse
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLIES = {
    "ok": "Nej.\nDu får inte mata in personuppgifter i allmänt tillgängliga AI-tjänster [1]. "
          "Använd i stället kommunens upphandlade tjänster [1].",
    "bad_citation": "Nej.\nDu får inte mata in personuppgifter i allmänt tillgängliga AI-tjänster [1, 7]. "
                    "Fråga din chef om du är osäker [9].",
    "no_citation": "Nej.\nDu får inte mata in personuppgifter i allmänt tillgängliga AI-tjänster.",
    "disagree": "Ja.\nDu får använda AI-tjänster i ditt arbete [1].",
}
MODEL = "stub-model"

_lock = threading.Lock()
_state = {"scenario": {"name": "ok"}, "last": None}


def _pieces(text: str) -> list[str]:
    """One word (with its trailing space) per chunk, so a client sees many deltas."""
    return re.findall(r"\S+\s*|\s+", text)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"     # the body ends when the connection closes: no chunked encoding to write

    def log_message(self, *args):     # quiet: test output should show test failures, not access logs
        pass

    # -- plumbing ---------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode())

    def _start_stream(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def _write(self, data: str) -> None:
        self.wfile.write(data.encode())
        self.wfile.flush()

    def do_GET(self):
        if self.path == "/_last":
            with _lock:
                self._json(200, _state["last"] or {})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "stub"}]})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._json(400, {"error": "request body is not JSON"})
            return
        if self.path == "/_scenario":
            with _lock:
                _state["scenario"] = body
            self._json(200, {"ok": True})
            return
        with _lock:
            _state["last"] = {"path": self.path, "body": body}
            scenario = dict(_state["scenario"])
        api = {"/v1/chat/completions": _OpenAI, "/api/chat": _Ollama}.get(self.path)
        if api is None:
            self._json(404, {"error": "not found"})
            return
        try:
            self._answer(scenario, body.get("stream", api.stream_default), api)
        except (BrokenPipeError, ConnectionResetError):
            pass                      # the client gave up (a deadline test): expected, not worth a traceback

    # -- the scripted answer ----------------------------------------------------------------------
    def _answer(self, scenario: dict, stream: bool, api) -> None:
        name = scenario.get("name", "ok")
        delay = float(scenario.get("delay", 0))
        text = scenario.get("text") or REPLIES.get(name, REPLIES["ok"])
        if name == "slow":
            time.sleep(delay)
        if name == "http_error":
            self._json(500, {"error": {"message": "scripted internal error", "type": "server_error"}})
            return
        if not stream:
            if name == "garbage":
                self._send(200, b"<html>502 Bad Gateway</html>")
            else:
                self._json(200, api.whole(text))
            return
        self._start_stream(api.content_type)
        if name == "garbage":
            self._write(api.garbage)
            return
        pieces = _pieces(text)
        for i, piece in enumerate(pieces):
            if name == "stall_midstream" and i == 3:
                until = time.monotonic() + delay
                while time.monotonic() < until:
                    if api.keep_alive:
                        self._write(api.keep_alive)
                    time.sleep(0.2)
            self._write(api.chunk(piece))
        self._write(api.end())


class _OpenAI:
    content_type = "text/event-stream"
    stream_default = False
    garbage = "data: {this is not json\n\n"
    keep_alive = ": keep-alive\n\n"

    @staticmethod
    def _frame(delta: dict, finish=None) -> str:
        chunk = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": int(time.time()), "model": MODEL,
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    @classmethod
    def chunk(cls, piece: str) -> str:
        return cls._frame({"role": "assistant", "content": piece})

    @classmethod
    def end(cls) -> str:
        return cls._frame({}, "stop") + "data: [DONE]\n\n"

    @staticmethod
    def whole(text: str) -> dict:
        return {"id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()), "model": MODEL,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 100, "completion_tokens": len(_pieces(text)), "total_tokens": 100 + len(_pieces(text))}}


class _Ollama:
    content_type = "application/x-ndjson"
    stream_default = True             # Ollama streams unless told not to
    garbage = "{this is not json\n"
    keep_alive = ""                   # NDJSON has no comment lines: a stall is plain silence

    @staticmethod
    def _line(content: str, done: bool) -> str:
        obj = {"model": MODEL, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "message": {"role": "assistant", "content": content}, "done": done}
        if done:
            obj.update(done_reason="stop", prompt_eval_count=100, eval_count=20)
        return json.dumps(obj, ensure_ascii=False) + "\n"

    @classmethod
    def chunk(cls, piece: str) -> str:
        return cls._line(piece, False)

    @classmethod
    def end(cls) -> str:
        return cls._line("", True)

    @classmethod
    def whole(cls, text: str) -> dict:
        return json.loads(cls._line(text, True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True      # a stalled scripted answer must not keep the process alive at shutdown
    server.serve_forever()


if __name__ == "__main__":
    main()
