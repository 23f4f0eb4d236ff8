"""``COMPLIANCE_ALLOWED_HOSTS``: the hosts **and ports** the monitor may contact.

Entries, comma separated:

- ``data.internal:8443`` — that host on that port only;
- ``data.internal`` — that host on its scheme's default port only (80 for ``http``, 443 for
  ``https``), like a URL without a port;
- ``127.0.0.1:*`` — that host on any port; refused outside ``ENVIRONMENT=development/test``
  (it would let a team point a contract at any listener on the host).

IPv6 addresses are written in brackets (``[::1]:8003``). Hosts are matched exactly, as the
HTTP client reads them (``endpoint_problem`` refuses a URL ``urlsplit`` and httpx read
differently), so ``2130706433``, ``0x7f.1`` or ``127.1`` never match ``127.0.0.1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

ANY_PORT = "*"
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Endpoint:
    scheme: str
    host: str
    port: int

    @property
    def explicit(self) -> bool:
        """True when the port is not its scheme's default."""
        return DEFAULT_PORTS.get(self.scheme) != self.port

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def endpoint_of(url: str) -> Endpoint | None:
    """Scheme, lower-cased host and effective port of an http(s) URL (None: not one)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not host:
        return None
    return Endpoint(parts.scheme, host.lower(), port or DEFAULT_PORTS[parts.scheme])


@dataclass(frozen=True)
class AllowList:
    # host -> allowed ports; None in the set = the scheme's default port, ANY_PORT = any.
    entries: dict[str, frozenset[int | str | None]]

    @classmethod
    def parse(cls, text: str, *, any_port_allowed: bool) -> AllowList:
        """Raises ValueError naming the entry that cannot be read."""
        entries: dict[str, set[int | str | None]] = {}
        for raw in text.split(","):
            item = raw.strip()
            if not item:
                continue
            host, port = _split(item)
            if port == ANY_PORT and not any_port_allowed:
                raise ValueError(
                    f"COMPLIANCE_ALLOWED_HOSTS entry {item!r}: 'host:*' (any port) is only "
                    "accepted with ENVIRONMENT=development or test; name each data service's "
                    "port (host:port)"
                )
            entries.setdefault(host, set()).add(port)
        return cls({host: frozenset(ports) for host, ports in entries.items()})

    def allows(self, endpoint: Endpoint) -> bool:
        ports = self.entries.get(endpoint.host)
        if not ports:
            return False
        if ANY_PORT in ports or endpoint.port in ports:
            return True
        return None in ports and not endpoint.explicit


def _split(item: str) -> tuple[str, int | str | None]:
    lowered = item.lower()
    if any(c in lowered for c in "/@?#\\ "):
        raise ValueError(f"COMPLIANCE_ALLOWED_HOSTS entry {item!r} is not a host[:port]")
    if lowered.startswith("["):
        host, bracket, rest = lowered[1:].partition("]")
        if not bracket or not host or (rest and not rest.startswith(":")):
            raise ValueError(f"COMPLIANCE_ALLOWED_HOSTS entry {item!r}: write [ipv6]:port")
        return host, _port(item, rest[1:]) if rest else None
    if lowered.count(":") > 1:  # a bare IPv6 address
        return lowered, None
    host, colon, port = lowered.partition(":")
    if not host or any(c in host for c in "[]"):
        raise ValueError(f"COMPLIANCE_ALLOWED_HOSTS entry {item!r} is not a host[:port]")
    return host, _port(item, port) if colon else None


def _port(item: str, text: str) -> int | str:
    if text == ANY_PORT:
        return ANY_PORT
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(
            f"COMPLIANCE_ALLOWED_HOSTS entry {item!r}: the port must be 1-65535 or '*'"
        )
    return int(text)
