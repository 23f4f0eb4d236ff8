"""SMTP e-mail: multipart text + HTML, STARTTLS and auth optional, one connection reused."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
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
_WIRE = compat32.clone(linesep="\r\n")


def message_id(notification_id: object) -> str:
    """The Message-ID of a notification: its id, so every retry carries the same one."""
    return f"<{notification_id}@{MESSAGE_ID_DOMAIN}>"


def build_email(message: OutgoingMessage, sender: str) -> bytes:
    """The message as it goes on the wire: text part, HTML alternative, our headers."""
    text = MIMEText(message.text, "plain", "utf-8")
    if message.html:
        mail: Message = MIMEMultipart("alternative")
        mail.attach(text)
        mail.attach(MIMEText(message.html, "html", "utf-8"))
    else:
        mail = text
    name, address = parseaddr(sender)
    mail["From"] = formataddr((name, address), charset="utf-8") if name else sender
    mail["To"] = message.recipient
    mail["Subject"] = Header(message.subject, "utf-8", header_name="Subject")  # type: ignore[assignment]
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = message_id(message.id)
    mail["X-DataPact-Notification-Id"] = str(message.id)
    mail["Auto-Submitted"] = "auto-generated"
    # smtplib sends bytes as they are: the lines must already end in CRLF.
    return mail.as_bytes(policy=_WIRE)


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
