"""The base of every HTTP stand-in the tests run: a real server on loopback, in a thread.

A subclass answers in ``handle(request)`` (every method arrives there), or returns a
handler class of its own from ``handler_class()``. ``start()``/``stop()`` make it reachable
or not (an outage), ``with server:`` does both; ``url`` is where it listens.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class LoopbackServer:
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port, read back after start()
    # HTTP/1.1 keep-alive, headers and body sent without Nagle's delay (a client that keeps
    # its connection open would otherwise wait ~40 ms on every answer)
    keep_alive: bool = False
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError(f"{type(self).__name__} answers no request")

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            if server.keep_alive:
                protocol_version = "HTTP/1.1"
                disable_nagle_algorithm = True

            def _handle(self) -> None:
                server.handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

    def start(self) -> Self:
        self._server = ThreadingHTTPServer((self.host, self.port), self.handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
