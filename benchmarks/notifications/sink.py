"""The benchmark's SMTP sink: counts every message by Message-ID (duplicates and losses are
counted, never hidden) and reports the counts on ``GET /stats``.

``python sink.py --smtp-port N --http-port M``
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Counting:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_message_id: Counter[str] = Counter()
        self.recipients = 0
        self.first: float | None = None
        self.last: float | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        header_end = content.find(b"\r\n\r\n")
        message_id = ""
        for line in content[: header_end if header_end > 0 else None].split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                break
        now = time.time()
        with self.lock:
            self.by_message_id[message_id] += 1
            self.recipients += len(envelope.rcpt_tos)
            self.first = self.first or now
            self.last = now
        return "250 OK"

    def stats(self) -> dict[str, Any]:
        with self.lock:
            received = sum(self.by_message_id.values())
            distinct = len(self.by_message_id)
            return {
                "received": received,
                "distinct": distinct,
                "duplicates": received - distinct,
                "recipients": self.recipients,
                "first": self.first,
                "last": self.last,
            }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    args = parser.parse_args()
    counting = Counting()
    controller = Controller(counting, hostname="127.0.0.1", port=args.smtp_port)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(counting.stats()).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    http = ThreadingHTTPServer(("127.0.0.1", args.http_port), Handler)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    controller.start()
    threading.Thread(target=http.serve_forever, daemon=True).start()
    stopped.wait()
    http.shutdown()
    controller.stop()


if __name__ == "__main__":
    main()
