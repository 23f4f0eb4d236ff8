"""COMPLIANCE_ALLOWED_HOSTS names a host and a port; IP spellings never slip through."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from compliance_monitor.clients.allow_list import AllowList, endpoint_of
from compliance_monitor.clients.http import endpoint_problem
from compliance_monitor.config import Settings


def allowed(entries: str, url: str, *, any_port: bool = False) -> bool:
    if endpoint_problem(url) is not None:
        return False
    endpoint = endpoint_of(url)
    return endpoint is not None and AllowList.parse(entries, any_port_allowed=any_port).allows(
        endpoint
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://data.internal:8443", True),
        ("https://data.internal:8443/", True),
        ("http://DATA.internal:8443", True),
        ("http://data.internal:8444", False),  # another port of an allowed host
        ("http://data.internal", False),
        ("http://other.internal:8443", False),
        ("http://plain.internal", True),  # a bare host: the scheme's default port
        ("https://plain.internal", True),
        ("http://plain.internal:80", True),
        ("http://plain.internal:8080", False),
        ("http://plain.internal:443", False),  # 443 is https's default, not http's
        ("http://[::1]:8003", True),
        ("http://[::1]:8004", False),
    ],
)
def test_host_and_port_are_both_matched(url: str, expected: bool) -> None:
    assert allowed("data.internal:8443, plain.internal, [::1]:8003", url) is expected


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433:8003",  # 127.0.0.1 as one decimal number
        "http://0x7f000001:8003",
        "http://0x7f.0.0.1:8003",
        "http://0177.0.0.1:8003",
        "http://127.1:8003",
        "http://127.0.0.1.nip.io:8003",
        "http://[::ffff:127.0.0.1]:8003",
        "http://[::ffff:7f00:1]:8003",
        "http://127.0.0.1:8003@evil.example:8003",
        "http://evil.example:8003#@127.0.0.1:8003",
        "http://127.0.0.1%2f@evil.example:8003",
    ],
)
def test_other_spellings_of_an_allowed_address_are_refused(url: str) -> None:
    assert not allowed("127.0.0.1:8003", url)


def test_any_port_is_for_development_only() -> None:
    assert allowed("127.0.0.1:*", "http://127.0.0.1:9", any_port=True)
    with pytest.raises(ValueError, match="only accepted with ENVIRONMENT=development or test"):
        AllowList.parse("127.0.0.1:*", any_port_allowed=False)


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ("data.internal:0", "the port must be 1-65535"),
        ("data.internal:65536", "the port must be 1-65535"),
        ("data.internal:https", "the port must be 1-65535"),
        ("http://data.internal", "is not a host"),
        ("user@data.internal:80", "is not a host"),
        ("[::1", "write \\[ipv6\\]:port"),
    ],
)
def test_an_unreadable_entry_stops_the_monitor_at_start_up(entries: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Settings(ENVIRONMENT="test", COMPLIANCE_ALLOWED_HOSTS=entries)


def test_production_refuses_any_port() -> None:
    with pytest.raises(ValidationError, match="host:\\*"):
        Settings(
            ENVIRONMENT="production",
            DATAPACT_SECRET_KEY="x" * 40,
            COMPLIANCE_ALLOWED_HOSTS="data.internal:*",
        )
    assert Settings(
        ENVIRONMENT="production",
        DATAPACT_SECRET_KEY="x" * 40,
        COMPLIANCE_ALLOWED_HOSTS="data.internal:8443",
    ).allowed_hosts.allows(endpoint_of("http://data.internal:8443"))  # type: ignore[arg-type]
