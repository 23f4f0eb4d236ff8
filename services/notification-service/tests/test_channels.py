"""Channels against real servers on loopback: SMTP (plain, STARTTLS + AUTH) and a webhook."""

from __future__ import annotations

import ipaddress
import ssl
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import free_port
from datapact_testing.smtp import SmtpSink
from notification_service.channels.base import (
    DeliveryError,
    OutgoingMessage,
    PermanentDeliveryError,
)
from notification_service.channels.email import EmailChannel
from notification_service.channels.slack import SlackChannel
from notification_service.config import Settings, get_settings


def settings(**changes: Any) -> Settings:
    return get_settings().model_copy(update=changes)


def message(to: str = "ana@example.com", **changes: Any) -> OutgoingMessage:
    fields = {
        "id": uuid.uuid4(),
        "recipient": to,
        "subject": "[DataPact] Schema drift: orders — ünïcode ✓",
        "text": "plain body",
        "html": "<p>html body</p>",
        **changes,
    }
    return OutgoingMessage(**fields)


def test_email_is_multipart_with_the_notification_id_as_message_id() -> None:
    with SmtpSink() as sink:
        channel = EmailChannel(settings(smtp_host=sink.host, smtp_port=sink.port))
        sent = message()
        channel.send(sent)
        channel.send(message(to="bo@example.com", html=None, text="long line " * 500))
        channel.close()
        first, second = sink.wait_for(2)

    rcpts = [r for r, _ in sink.envelopes]
    assert rcpts == [["ana@example.com"], ["bo@example.com"]]
    assert first["Message-ID"] == f"<{sent.id}@datapact>"
    assert first["X-DataPact-Notification-Id"] == str(sent.id)
    assert first["Subject"] == sent.subject and first["To"] == "ana@example.com"
    assert first["From"] == get_settings().smtp_from
    assert first.get_content_type() == "multipart/alternative"
    html = first.get_body(preferencelist=("html",))
    text = first.get_body(preferencelist=("plain",))
    assert html is not None and html.get_content().strip() == "<p>html body</p>"
    assert text is not None and text.get_content().strip() == "plain body"
    assert second.get_content_type() == "text/plain"
    assert second.get_content().strip() == ("long line " * 500).strip()


class CountingHandler:
    def __init__(self) -> None:
        self.connections = 0
        self.sessions: list[dict[str, Any]] = []

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        if session.ssl is None:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sessions.append(
            {
                "tls": session.ssl is not None,
                "login": getattr(session.auth_data, "login", None),
                "to": list(envelope.rcpt_tos),
            }
        )
        return "250 OK"


def test_one_connection_serves_many_messages() -> None:
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        channel = EmailChannel(settings(smtp_host="127.0.0.1", smtp_port=controller.port))
        for i in range(5):
            channel.send(message(to=f"user{i}@example.com"))
        channel.close()
    finally:
        controller.stop()
    assert handler.connections == 1 and len(handler.sessions) == 5


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Controller, CountingHandler]]:
    """An SMTP server that demands STARTTLS and then AUTH (user 'datapact' / 's3cret')."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"datapact",
            b"s3cret",
        )
        return AuthResult(success=ok, handled=False, auth_data=data)

    handler = CountingHandler()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    yield controller, handler
    controller.stop()


def test_starttls_and_auth(
    tls_server: tuple[Controller, CountingHandler], certificate: tuple[Path, Path]
) -> None:
    controller, handler = tls_server
    channel = EmailChannel(
        settings(
            smtp_host="127.0.0.1",
            smtp_port=controller.port,
            smtp_use_tls=True,
            smtp_ca_file=str(certificate[0]),
            smtp_username="datapact",
            smtp_password="s3cret",
        )
    )
    channel.send(message())
    channel.close()
    assert handler.sessions == [{"tls": True, "login": b"datapact", "to": ["ana@example.com"]}]


def test_wrong_password_or_no_tls_is_retryable_not_a_verdict_on_the_recipient(
    tls_server: tuple[Controller, CountingHandler], certificate: tuple[Path, Path]
) -> None:
    controller, handler = tls_server
    base = {
        "smtp_host": "127.0.0.1",
        "smtp_port": controller.port,
        "smtp_ca_file": str(certificate[0]),
    }
    wrong = EmailChannel(
        settings(**base, smtp_use_tls=True, smtp_username="datapact", smtp_password="nope")
    )
    with pytest.raises(DeliveryError, match="authentication failed") as raised:
        wrong.send(message())
    assert not isinstance(raised.value, PermanentDeliveryError)

    plain = EmailChannel(settings(**base, smtp_use_tls=False))
    with pytest.raises(DeliveryError) as raised:
        plain.send(message())
    assert not isinstance(raised.value, PermanentDeliveryError)

    untrusted = EmailChannel(settings(**{**base, "smtp_ca_file": None}, smtp_use_tls=True))
    with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
        untrusted.send(message())
    assert handler.sessions == []


def test_server_down_is_a_retryable_error() -> None:
    channel = EmailChannel(settings(smtp_host="127.0.0.1", smtp_port=free_port()))
    with pytest.raises(DeliveryError, match=r"SMTP server 127\.0\.0\.1") as raised:
        channel.send(message())
    assert not isinstance(raised.value, PermanentDeliveryError)


def test_slack_webhook_post() -> None:
    with HttpSink() as sink:
        channel = SlackChannel(settings(slack_webhook_url=f"{sink.url}/services/T/B/X"))
        sent = message(to="#data-alerts", text="*Schema drift* on `orders`")
        channel.send(sent)
        request = sink.wait_for(1)[0]
    assert request.method == "POST" and request.path == "/services/T/B/X"
    assert request.json() == {"text": "*Schema drift* on `orders`", "channel": "#data-alerts"}
    assert request.headers["X-DataPact-Notification-Id"] == str(sent.id)


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (429, False), (404, True)])
def test_slack_errors(status: int, permanent: bool) -> None:
    with HttpSink(status=status) as sink:
        channel = SlackChannel(settings(slack_webhook_url=sink.url))
        with pytest.raises(DeliveryError, match=str(status)) as raised:
            channel.send(message())
    assert isinstance(raised.value, PermanentDeliveryError) is permanent


def test_slack_unreachable_or_unconfigured() -> None:
    with pytest.raises(DeliveryError, match="unreachable") as raised:
        SlackChannel(settings(slack_webhook_url=f"http://127.0.0.1:{free_port()}")).send(message())
    assert not isinstance(raised.value, PermanentDeliveryError)
    with pytest.raises(PermanentDeliveryError, match="SLACK_WEBHOOK_URL"):
        SlackChannel(settings(slack_webhook_url=None)).send(message())
