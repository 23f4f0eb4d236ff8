"""A local SMTP sink with MailHog's HTTP API, for running DataPact natively.

``python -m datapact_testing.mailsink --smtp-port 1025 --http-port 8025`` accepts every
message on the SMTP port (aiosmtpd), keeps the newest ``--max-messages`` in memory and serves
them over HTTP in the shape of MailHog's API, so tests and the end-to-end scenario read this
sink and Docker's MailHog the same way:

- ``GET /api/v2/messages?start=0&limit=50`` → ``{total, count, start, items: [...]}``,
  newest first; each item ``{ID, From, To, Content: {Headers, Body, Size}, Created, MIME,
  Raw: {From, To, Data, Helo}}``
- ``GET /api/v2/search?kind=from|to|containing&query=...`` → the same shape
- ``GET /api/v1/messages`` (list), ``GET|DELETE /api/v1/messages/{id}``,
  ``GET /api/v1/messages/{id}/download`` (the raw message), ``DELETE /api/v1/messages``
- ``GET /`` a plain HTML list for people.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import html
import json
import signal
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from datapact_testing.loopback import LoopbackServer

DEFAULT_MAX_MESSAGES = 10_000


@dataclass(frozen=True)
class StoredMessage:
    id: str
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    helo: str
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    def parsed(self) -> Message:
        return email.message_from_bytes(self.data, policy=email.policy.compat32)

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def _path(address: str) -> dict[str, Any]:
    mailbox, _, domain = address.partition("@")
    return {"Relays": None, "Mailbox": mailbox, "Domain": domain, "Params": ""}


def _headers(message: Message) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in message.items():
        headers.setdefault(name, []).append(str(value))
    return headers


def _split(raw: str) -> tuple[str, str]:
    """Headers and body of a raw message (CRLF or LF line ends)."""
    for separator in ("\r\n\r\n", "\n\n"):
        head, found, body = raw.partition(separator)
        if found:
            return head, body
    return raw, ""


def _mime(message: Message) -> dict[str, Any] | None:
    if not message.is_multipart():
        return None
    parts = []
    for part in message.get_payload():
        assert isinstance(part, Message)
        body = _split(part.as_string())[1]
        parts.append(
            {"Headers": _headers(part), "Body": body, "Size": len(body), "MIME": _mime(part)}
        )
    return {"Parts": parts}


def mailhog_item(stored: StoredMessage) -> dict[str, Any]:
    """One message in MailHog's JSON shape."""
    message = stored.parsed()
    raw = stored.text()
    body = _split(raw)[1]
    return {
        "ID": stored.id,
        "From": _path(stored.mail_from),
        "To": [_path(r) for r in stored.rcpt_tos],
        "Content": {
            "Headers": _headers(message),
            "Body": body,
            "Size": len(stored.data),
            "MIME": None,
        },
        "Created": stored.created.isoformat().replace("+00:00", "Z"),
        "MIME": _mime(message),
        "Raw": {
            "From": stored.mail_from,
            "To": list(stored.rcpt_tos),
            "Data": raw,
            "Helo": stored.helo,
        },
    }


class MessageStore:
    """Thread-safe, bounded, oldest dropped first."""

    def __init__(self, max_messages: int = DEFAULT_MAX_MESSAGES) -> None:
        self._messages: deque[StoredMessage] = deque(maxlen=max_messages)
        self._lock = threading.Lock()
        self.received = 0

    def add(self, message: StoredMessage) -> None:
        with self._lock:
            self._messages.append(message)
            self.received += 1

    def all(self) -> list[StoredMessage]:
        with self._lock:
            return list(self._messages)

    def newest_first(self) -> list[StoredMessage]:
        return list(reversed(self.all()))

    def get(self, message_id: str) -> StoredMessage | None:
        return next((m for m in self.all() if m.id == message_id), None)

    def delete(self, message_id: str) -> bool:
        with self._lock:
            for message in self._messages:
                if message.id == message_id:
                    self._messages.remove(message)
                    return True
        return False

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


class _Handler:
    def __init__(self, store: MessageStore) -> None:
        self.store = store

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        self.store.add(
            StoredMessage(
                id=f"{uuid.uuid4()}@mailsink",
                mail_from=str(envelope.mail_from or ""),
                rcpt_tos=tuple(str(r) for r in envelope.rcpt_tos),
                data=content,
                helo=str(session.host_name or ""),
            )
        )
        return "250 Message accepted for delivery"


def _matches(message: StoredMessage, kind: str, query: str) -> bool:
    query = query.lower()
    if kind == "from":
        return query in message.mail_from.lower()
    if kind == "to":
        return any(query in r.lower() for r in message.rcpt_tos)
    return query in message.text().lower()


def _page(messages: list[StoredMessage], query: dict[str, list[str]]) -> dict[str, Any]:
    def number(name: str, default: int) -> int:
        try:
            return max(int(query.get(name, [str(default)])[0]), 0)
        except ValueError:
            return default

    start, limit = number("start", 0), number("limit", 50)
    items = [mailhog_item(m) for m in messages[start : start + limit]]
    return {"total": len(messages), "count": len(items), "start": start, "items": items}


def _index(messages: list[StoredMessage]) -> str:
    rows = []
    for m in messages[:200]:
        subject = m.parsed().get("Subject", "")
        rows.append(
            f"<tr><td>{html.escape(m.created.strftime('%H:%M:%S'))}</td>"
            f"<td>{html.escape(m.mail_from)}</td><td>{html.escape(', '.join(m.rcpt_tos))}</td>"
            f"<td><a href='/api/v1/messages/{html.escape(m.id)}/download'>"
            f"{html.escape(str(subject))}</a></td></tr>"
        )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>mail-sink</title></head><body>"
        f"<h1>mail-sink: {len(messages)} message(s)</h1><table border='1' cellpadding='4'>"
        "<tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr>"
        + "".join(rows)
        + "</table><p>API: /api/v2/messages (MailHog's shape)</p></body></html>"
    )


def _http_handler(store: MessageStore) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.send_header("access-control-allow-origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: Any) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json")

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            parts = [p for p in url.path.split("/") if p]
            if parts == []:
                self._send(200, _index(store.newest_first()).encode(), "text/html; charset=utf-8")
            elif parts == ["api", "v2", "messages"]:
                self._json(200, _page(store.newest_first(), query))
            elif parts == ["api", "v2", "search"]:
                kind = query.get("kind", ["containing"])[0]
                text = query.get("query", [""])[0]
                found = [m for m in store.newest_first() if _matches(m, kind, text)]
                self._json(200, _page(found, query))
            elif parts == ["api", "v1", "messages"]:
                self._json(200, [mailhog_item(m) for m in store.newest_first()])
            elif len(parts) in (4, 5) and parts[:3] == ["api", "v1", "messages"]:
                message = store.get(parts[3])
                if message is None:
                    self._json(404, {"error": "message not found"})
                elif len(parts) == 5 and parts[4] == "download":
                    self._send(200, message.data, "message/rfc822")
                elif len(parts) == 4:
                    self._json(200, mailhog_item(message))
                else:
                    self._json(404, {"error": "not found"})
            elif parts == ["health"]:
                self._json(200, {"status": "healthy", "messages": len(store.all())})
            else:
                self._json(404, {"error": "not found"})

        def do_DELETE(self) -> None:
            parts = [p for p in urlsplit(self.path).path.split("/") if p]
            if parts == ["api", "v1", "messages"]:
                store.clear()
                self._send(200, b"", "text/plain")
            elif len(parts) == 4 and parts[:3] == ["api", "v1", "messages"]:
                found = store.delete(parts[3])
                self._send(200 if found else 404, b"", "text/plain")
            else:
                self._json(404, {"error": "not found"})

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


class _MessageApi(LoopbackServer):
    """The HTTP half: MailHog's API over the store."""

    def __init__(self, store: MessageStore, host: str, port: int) -> None:
        self.store, self.host, self.port = store, host, port

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _http_handler(self.store)


class MailSink:
    """SMTP sink + MailHog-compatible HTTP API. ``with MailSink(...) as sink: ...``"""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        smtp_port: int = 1025,
        http_port: int = 8025,
        max_messages: int = DEFAULT_MAX_MESSAGES,
    ) -> None:
        self.host = host
        self.smtp_port = smtp_port
        self.http_port = http_port
        self.store = MessageStore(max_messages)
        self._controller: Controller | None = None
        self._http: _MessageApi | None = None

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    def start(self) -> MailSink:
        self._controller = Controller(_Handler(self.store), hostname=self.host, port=self.smtp_port)
        self._controller.start()
        self._http = _MessageApi(self.store, self.host, self.http_port).start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.stop()
            self._http = None
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--max-messages", type=int, default=DEFAULT_MAX_MESSAGES)
    args = parser.parse_args(argv)
    sink = MailSink(
        host=args.host,
        smtp_port=args.smtp_port,
        http_port=args.http_port,
        max_messages=args.max_messages,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    sink.start()
    print(
        f"mail-sink: SMTP on {args.host}:{args.smtp_port}, "
        f"HTTP (MailHog API) on http://{args.host}:{args.http_port}",
        flush=True,
    )
    stopped.wait()
    sink.stop()


if __name__ == "__main__":
    main()
