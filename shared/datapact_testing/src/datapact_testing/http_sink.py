"""A small real HTTP server on loopback that records requests (a webhook/Slack/peer stand-in).

``sink.status = 503`` makes it answer errors; ``stop()``/``start()`` make it unreachable.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from datapact_testing.loopback import LoopbackServer
from datapact_testing.polling import eventually
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
class HttpSink(LoopbackServer):
    port: int = field(default_factory=free_port)
    status: int = 200
    response_body: bytes = b'{"ok": true}'
    requests: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("content-length") or 0)
        body = request.rfile.read(length) if length else b""
        with self._lock:
            status = self.status
            if status < 400:
                self.requests.append(
                    RecordedRequest(request.command, request.path, dict(request.headers), body)
                )
        request.send_response(status)
        request.send_header("content-type", "application/json")
        request.send_header("content-length", str(len(self.response_body)))
        request.end_headers()
        request.wfile.write(self.response_body)

    def received(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[RecordedRequest]:
        def enough() -> list[RecordedRequest] | None:
            got = self.received()
            return got if len(got) >= count else None

        return eventually(
            enough, f"{count} request(s) received", within=timeout, diagnose=self._count
        )

    def _count(self) -> str:
        return f"received {len(self.received())}"
