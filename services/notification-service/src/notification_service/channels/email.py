"""SMTP e-mail: multipart text + HTML, STARTTLS and auth optional, one connection reused."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from base64 import b64encode, encodebytes
from email.utils import formataddr, formatdate, parseaddr

from notification_service.channels.base import (
    DeliveryError,
    NotificationChannel,
    OutgoingMessage,
    PermanentDeliveryError,
)
from notification_service.config import Settings

MESSAGE_ID_DOMAIN = "datapact"
IDLE_CHECK_SECONDS = 5.0


def message_id(notification_id: object) -> str:
    """The Message-ID of a notification: its id, so every retry carries the same one."""
    return f"<{notification_id}@{MESSAGE_ID_DOMAIN}>"


def encoded_words(text: str) -> str:
    """An RFC 2047 header value: ASCII as is, anything else as base64 encoded-words, each
    within the 75-character limit and never splitting a character."""
    if text.isascii():
        return text
    words, chunk = [], ""
    for char in text:
        if len((chunk + char).encode()) > 45:  # 45 bytes -> 60 base64 characters
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{b64encode(w.encode()).decode()}?=" for w in words)


def _part(content_type: str, body: str) -> bytes:
    encoded = encodebytes(body.encode()).replace(b"\n", b"\r\n")
    head = f'Content-Type: {content_type}; charset="utf-8"\r\nContent-Transfer-Encoding: base64'
    return head.encode() + b"\r\n\r\n" + encoded


def build_email(message: OutgoingMessage, sender: str) -> bytes:
    """The message as it goes on the wire (CRLF line ends, every line short): our headers,
    a plain-text part and, when there is one, the HTML alternative.

    Written directly rather than through ``email.message``: its header folding cost more
    than the rest of a send (see benchmarks/notifications); tests parse the result with the
    standard library's parser.
    """
    name, address = parseaddr(sender)
    headers = [
        f"From: {formataddr((encoded_words(name), address)) if name else sender}",
        f"To: {message.recipient}",
        f"Subject: {encoded_words(message.subject)}",
        f"Date: {formatdate(usegmt=True)}",
        f"Message-ID: {message_id(message.id)}",
        f"X-DataPact-Notification-Id: {message.id}",
        "Auto-Submitted: auto-generated",
        "MIME-Version: 1.0",
    ]
    if not message.html:
        return "\r\n".join(headers).encode() + b"\r\n" + _part("text/plain", message.text)
    boundary = f"=_datapact_{message.id.hex}"
    headers.append(f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"')
    delimiter = f"--{boundary}\r\n".encode()
    return b"".join(
        [
            "\r\n".join(headers).encode(),
            b"\r\n\r\n",
            delimiter,
            _part("text/plain", message.text),
            delimiter,
            _part("text/html", message.html),
            f"--{boundary}--\r\n".encode(),
        ]
    )


# 5xx about our own session (authentication or TLS required, bad credentials) is a
# configuration problem that will be fixed, not a verdict on the recipient.
_SESSION_CODES = frozenset({530, 534, 535, 538})


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600 and code not in _SESSION_CODES


class EmailChannel(NotificationChannel):
    name = "email"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._conn: smtplib.SMTP | None = None
        self._last_used = 0.0
        self._sender = settings.smtp_from
        self._envelope_from = parseaddr(settings.smtp_from)[1] or settings.smtp_from

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        timeout = s.smtp_timeout_seconds
        context = ssl.create_default_context(cafile=s.smtp_ca_file) if s.smtp_ca_file else None
        conn: smtplib.SMTP
        if s.smtp_port == 465:
            conn = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=timeout, context=context)
        else:
            conn = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=timeout)
            if s.smtp_use_tls:
                conn.starttls(context=context or ssl.create_default_context())
                conn.ehlo()
        if s.smtp_username:
            conn.login(s.smtp_username, s.smtp_password or "")
        return conn

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None and time.monotonic() - self._last_used > IDLE_CHECK_SECONDS:
            try:
                self._conn.noop()
            except (smtplib.SMTPException, OSError):
                self._drop()
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def send(self, message: OutgoingMessage) -> None:
        mail = build_email(message, self._sender)
        try:
            conn = self._connection()
            conn.sendmail(self._envelope_from, [message.recipient], mail)
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            codes = [code for code, _ in exc.recipients.values()]
            error = f"recipient refused: {exc.recipients}"
            if codes and all(_is_permanent(c) for c in codes):
                raise PermanentDeliveryError(error) from exc
            raise DeliveryError(error) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            self._reset()
            error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            if _is_permanent(exc.smtp_code):
                raise PermanentDeliveryError(error) from exc
            raise DeliveryError(error) from exc
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise DeliveryError(f"SMTP authentication failed: {exc.smtp_code}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._drop()
            host = f"{self._settings.smtp_host}:{self._settings.smtp_port}"
            raise DeliveryError(f"SMTP server {host}: {exc!r}") from exc
        self._last_used = time.monotonic()

    def _reset(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()

    def abort(self) -> None:
        self._drop()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._conn.quit()
        self._drop()
