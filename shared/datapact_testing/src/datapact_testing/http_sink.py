"""A small real HTTP server on loopback that records requests (a webhook/Slack/peer stand-in).

``sink.status = 503`` makes it answer errors; ``stop()``/``start()`` make it unreachable.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from datapact_testing.processes import free_port


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpSink:
    port: int = field(default_factory=free_port)
    status: int = 200
    response_body: bytes = b'{"ok": true}'
    requests: list[RecordedRequest] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HttpSink:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                with sink._lock:
                    status = sink.status
                    if status < 400:
                        sink.requests.append(
                            RecordedRequest(self.command, self.path, dict(self.headers), body)
                        )
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(sink.response_body)))
                self.end_headers()
                self.wfile.write(sink.response_body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def received(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[RecordedRequest]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.received()
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"expected {count} request(s), got {len(self.received())}")

    def __enter__(self) -> HttpSink:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
