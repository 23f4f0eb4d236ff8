"""The mail-sink: real SMTP in, MailHog's HTTP API out (a real process, as Procfile runs it)."""

from __future__ import annotations

import smtplib
import sys
import uuid
from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest

from datapact_testing.mailsink import MailSink
from datapact_testing.polling import eventually
from datapact_testing.processes import ServiceProcess, free_port


def _mail(
    to: str, subject: str, text: str, html: str | None = None, message_id: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "DataPact <noreply@datapact.local>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id or uuid.uuid4()}@test>"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with MailSink(smtp_port=free_port(), http_port=free_port()) as running:
        yield running


def _send(sink: MailSink, message: EmailMessage) -> None:
    with smtplib.SMTP(sink.host, sink.smtp_port, timeout=5) as smtp:
        smtp.send_message(message)


def test_messages_in_mailhog_shape(sink: MailSink) -> None:
    _send(sink, _mail("a@example.com", "first", "plain one"))
    _send(sink, _mail("b@example.com", "second", "plain two", "<p>two</p>", "second"))

    body = httpx.get(f"{sink.http_url}/api/v2/messages").json()

    assert body["total"] == 2 and body["count"] == 2 and body["start"] == 0
    newest = body["items"][0]
    assert newest["Content"]["Headers"]["Subject"] == ["second"]
    assert newest["Raw"]["To"] == ["b@example.com"]
    assert newest["Raw"]["From"] == "noreply@datapact.local"
    assert newest["To"][0] == {
        "Relays": None,
        "Mailbox": "b",
        "Domain": "example.com",
        "Params": "",
    }
    assert "Message-ID: <second@test>" in newest["Raw"]["Data"]
    parts = newest["MIME"]["Parts"]
    assert [p["Headers"]["Content-Type"][0].split(";")[0] for p in parts] == [
        "text/plain",
        "text/html",
    ]
    assert "<p>two</p>" in parts[1]["Body"]
    assert body["items"][1]["MIME"] is None
    assert "plain one" in body["items"][1]["Content"]["Body"]


def test_paging_search_and_delete(sink: MailSink) -> None:
    for i in range(5):
        _send(sink, _mail(f"user{i}@example.com", f"m{i}", f"text {i}"))
    page = httpx.get(f"{sink.http_url}/api/v2/messages", params={"start": 1, "limit": 2}).json()
    assert page["total"] == 5 and page["count"] == 2
    assert [i["Content"]["Headers"]["Subject"][0] for i in page["items"]] == ["m3", "m2"]

    found = httpx.get(
        f"{sink.http_url}/api/v2/search", params={"kind": "to", "query": "user4@"}
    ).json()
    assert found["total"] == 1

    one = page["items"][0]["ID"]
    assert httpx.get(f"{sink.http_url}/api/v1/messages/{one}").json()["ID"] == one
    raw = httpx.get(f"{sink.http_url}/api/v1/messages/{one}/download")
    assert raw.status_code == 200 and b"Subject: m3" in raw.content
    assert httpx.delete(f"{sink.http_url}/api/v1/messages/{one}").status_code == 200
    assert httpx.get(f"{sink.http_url}/api/v1/messages/{one}").status_code == 404
    assert len(httpx.get(f"{sink.http_url}/api/v1/messages").json()) == 4

    assert httpx.delete(f"{sink.http_url}/api/v1/messages").status_code == 200
    assert httpx.get(f"{sink.http_url}/api/v2/messages").json()["total"] == 0


def test_keeps_only_the_newest() -> None:
    small = MailSink(smtp_port=free_port(), http_port=free_port(), max_messages=2).start()
    try:
        for i in range(3):
            _send(small, _mail("x@example.com", f"n{i}", "t"))
        subjects = [m.parsed()["Subject"] for m in small.store.newest_first()]
        assert subjects == ["n2", "n1"]
        assert small.store.received == 3
    finally:
        small.stop()


def test_index_page_escapes_subjects(sink: MailSink) -> None:
    _send(sink, _mail("x@example.com", "<script>alert(1)</script>", "t"))
    page = httpx.get(sink.http_url + "/").text
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_runs_as_the_procfile_command() -> None:
    smtp_port, http_port = free_port(), free_port()
    args = [sys.executable, "-m", "datapact_testing.mailsink"]
    args += ["--smtp-port", str(smtp_port), "--http-port", str(http_port)]
    process = ServiceProcess(
        "mail-sink", args, health_url=f"http://127.0.0.1:{http_port}/health"
    ).start()
    try:
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as smtp:
            smtp.send_message(_mail("ops@example.com", "from the process", "hello"))
        total = eventually(
            lambda: httpx.get(f"http://127.0.0.1:{http_port}/api/v2/messages").json()["total"],
            "the message listed",
            within=10,
        )
        assert total == 1
    finally:
        process.stop()
    assert process.process is not None and process.process.returncode == 0
