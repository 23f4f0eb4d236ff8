"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from datapact_testing.polling import eventually
from datapact_testing.processes import free_port


class _Collector:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(([str(r) for r in envelope.rcpt_tos], message))
        return "250 Message accepted for delivery"


class SmtpSink:
    """``with SmtpSink() as sink: sink.wait_for(2)``; ``stop()``/``start()`` make an outage."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self._collector = _Collector()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(self._collector, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self._collector.lock:
            return [m for _, m in self._collector.messages]

    @property
    def envelopes(self) -> list[tuple[list[str], EmailMessage]]:
        with self._collector.lock:
            return list(self._collector.messages)

    def clear(self) -> None:
        with self._collector.lock:
            self._collector.messages.clear()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        """Wait until at least ``count`` messages arrived; returns them all."""
        return eventually(
            lambda: self.messages if len(self.messages) >= count else None,
            f"{count} message(s) received",
            within=timeout,
            diagnose=lambda: f"got {len(self.messages)}",
        )

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class HoldingCollector(_Collector):
    """A collector that can stop one message in the middle of DATA (a send caught mid-way)
    and refuse chosen recipients."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.hold_address: str | None = None
        self.store_first = False
        self.refuse: set[str] = set()
        self.holding = threading.Event()
        self.released = threading.Event()
        self.dropped = threading.Event()

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        wanted = self.hold_address
        if not self.armed or (wanted is not None and wanted not in envelope.rcpt_tos):
            return await super().handle_DATA(server, session, envelope)
        self.armed = False
        if self.store_first:
            await super().handle_DATA(server, session, envelope)
        self.holding.set()
        try:
            while not self.released.is_set():  # noqa: ASYNC110 - set from the test's thread
                await asyncio.sleep(0.02)
        except asyncio.CancelledError:
            # aiosmtpd cancels the handler when the client's connection drops (a killed sender).
            self.dropped.set()
            raise
        if self.store_first:
            return "250 Message accepted for delivery"
        return await super().handle_DATA(server, session, envelope)


class HoldingSmtpSink(SmtpSink):
    """``hold_next()``: the next message (to ``address``, if given) waits in the middle of DATA
    until ``release()``; ``collector.holding``/``dropped`` tell when it is held and when its
    sender's connection went away. ``store_first=True`` keeps the message before holding it
    (the server has it, the sender never hears so)."""

    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        self.collector = HoldingCollector()
        self._collector = self.collector

    def hold_next(self, address: str | None = None, *, store_first: bool = False) -> None:
        collector = self.collector
        collector.released.clear()
        collector.holding.clear()
        collector.dropped.clear()
        collector.hold_address = address
        collector.store_first = store_first
        collector.armed = True

    def release(self) -> None:
        self.collector.armed = False
        self.collector.released.set()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.envelopes if address in rcpts]
