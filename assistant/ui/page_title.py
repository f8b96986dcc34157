"""ASGI middleware that gives every HTML page a <title>. Gradio's template has none: its scripts set the title
from the app's config, but the login page is drawn from a config without it, so that page had no title at all
(WCAG 2.4.2, "Page Titled"). A page that sets its own title later still does."""
from __future__ import annotations

import html


class PageTitle:
    def __init__(self, app, title: str):
        self.app = app
        self.tag = f"<title>{html.escape(title)}</title>".encode("utf-8")

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        chunks: list[bytes] = []

        async def patched(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    start = message          # held back until the body is complete
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                if b"<title" not in body.lower():
                    body = body.replace(b"<head>", b"<head>" + self.tag, 1)
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(scope, receive, patched)
