"""Serve the demo shop page (with the chat widget) and the widget's runtime configuration.

Static files come from web/static/; `/config.json` tells the page where the Rasa server is,
so the same files work whatever ports `make run` or a test picked. The shop page quotes the
policy numbers of backend/policy.yml (`{return_days}`… in index.html, filled when served).
`/widget.js` is the embeddable widget (README, "Website chat widget"). `/agent/` is the agent
workspace, whose API (`/agent/api/…`, the only paths taking a POST) is web/workspace.py. The
Content-Security-Policy allows scripts and styles from this origin only and connections to
this origin and to the Rasa server.
"""

from __future__ import annotations

import argparse
import io
import json
import re
from functools import partial
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from backend.formatting import policy_values
from backend.policies import load_policy
from web.workspace import (
    COOKIE_NAME,
    CSRF_HEADER,
    QUEUE_STREAM,
    Refused,
    Reply,
    Workspace,
    refusal,
    workspace_from_environment,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_PREFIX = "/agent/api/"
MAX_API_BODY = 64 * 1024
SHOP_PAGES = ("/", "/index.html")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def with_policy_values(page: str, values: dict[str, str | int]) -> str:
    """The page with each `{name}` of `values` replaced by its value (other braces kept)."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), page)


def content_security_policy(rasa_url: str) -> str:
    """No inline script or style anywhere; the page may only talk to itself and to the Rasa
    server (socket.io long-polling and the REST fallback are both plain HTTP)."""
    parts = urlsplit(rasa_url)
    rasa_origin = f"{parts.scheme}://{parts.netloc}"
    return (
        f"default-src 'self'; connect-src 'self' {rasa_origin}; img-src 'self' data:; "
        "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


class ShopHandler(SimpleHTTPRequestHandler):
    method_not_allowed = False  # set while answering 405, to add the Allow header

    def __init__(
        self,
        *args,
        rasa_url: str,
        workspace: Workspace | None,
        policy: dict[str, str | int],
        **kwargs,
    ) -> None:
        self.rasa_url = rasa_url
        self.workspace = workspace
        self.policy = policy
        self.content_security_policy = content_security_policy(rasa_url)
        super().__init__(*args, directory=str(STATIC_DIR), **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        path, _, query = self.path.partition("?")
        if path == "/config.json":
            self._send_json({"rasaUrl": self.rasa_url})
            return
        if path == QUEUE_STREAM and self.workspace is not None:
            self._stream_queue(self.workspace)
            return
        if path.startswith(API_PREFIX) and self.workspace is not None:
            self._send_reply(self.workspace.get(path, dict(parse_qsl(query)), self._cookie()))
            return
        super().do_GET()

    def _stream_queue(self, workspace: Workspace) -> None:
        """The agent's queue as server-sent events, until the page goes or the agent signs
        out (one thread of this threading server per open workspace)."""
        try:
            events = workspace.queue_stream(self._cookie())
        except Refused as refused:
            self._send_reply(refusal(refused.code))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        try:
            for event in events:
                self.wfile.write(event)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    def do_POST(self) -> None:  # noqa: N802 - name fixed by http.server
        path = self.path.partition("?")[0]
        if not path.startswith(API_PREFIX) or self.workspace is None:
            self.send_error(HTTPStatus.NOT_IMPLEMENTED)  # answered as 405 (send_error)
            return
        reply = self.workspace.post(
            path, self._json_body(), self._cookie(), self.headers.get(CSRF_HEADER),
            self._same_origin(),
        )  # fmt: skip
        self._send_reply(reply)

    def _cookie(self) -> str | None:
        try:
            morsel = SimpleCookie(self.headers.get("Cookie") or "").get(COOKIE_NAME)
        except CookieError:
            return None
        return morsel.value if morsel else None

    def _same_origin(self) -> bool:
        """A browser sends Origin with every POST; it must be this server."""
        origin = self.headers.get("Origin")
        if origin is None:
            return True
        host = self.headers.get("Host") or ""
        return origin in (f"http://{host}", f"https://{host}")

    def _json_body(self) -> object:
        """The JSON object of the request, or None (not JSON, too large, unreadable)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != "application/json" or not 0 < length <= MAX_API_BODY:
            return None
        try:
            return json.loads(self.rfile.read(length))
        except (ValueError, RecursionError):
            return None

    def _send_reply(self, reply: Reply) -> None:
        if isinstance(reply.body, bytes):  # a CSV or a PNG
            body, content_type = reply.body, reply.content_type
        else:
            body = json.dumps(reply.body, ensure_ascii=False).encode()
            content_type = f"{reply.content_type}; charset=utf-8"
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_head(self):  # noqa: ANN201 - http.server's signature
        """A path with a NUL byte would make the file lookup raise and drop the connection."""
        if "\x00" in unquote(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Invalid path")
            return None
        if self.path.split("?", 1)[0] in SHOP_PAGES:
            return self._shop_page()
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Any method but GET and HEAD is a client error (405), not "not implemented" (501)."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code, message = HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD are allowed"
            self.method_not_allowed = True
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        if self.method_not_allowed:
            self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Security-Policy", self.content_security_policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def _shop_page(self) -> io.BytesIO:
        """index.html with the policy's numbers (GET and HEAD)."""
        page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
        body = with_policy_values(page, self.policy).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _send_json(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        # Public information: a page on another site that embeds /widget.js may read it.
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Keep the terminal of `make run` for the Rasa logs; requests are not logged."""


def make_server(
    host: str, port: int, rasa_url: str, workspace: Workspace | None = None
) -> ThreadingHTTPServer:
    """The policy is read once, when the server starts (as the Rasa and action servers do)."""
    values = policy_values(load_policy())
    handler = partial(ShopHandler, rasa_url=rasa_url, workspace=workspace, policy=values)
    return ThreadingHTTPServer((host, port), handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Allyzure demo shop page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rasa-url", default="http://localhost:5005")
    args = parser.parse_args(argv)
    workspace = workspace_from_environment(args.rasa_url)
    make_server(args.host, args.port, args.rasa_url, workspace).serve_forever()


if __name__ == "__main__":
    main()
