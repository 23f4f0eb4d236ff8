"""The registry URL option, checked before anything is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import typer


def checked_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host (and a valid port); a usage error otherwise."""
    if not url.startswith(("http://", "https://")):
        raise typer.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise typer.BadParameter(f"{url!r} is not a valid URL: {exc}", param_hint="--url") from exc
    host = parts.hostname or ""
    if not host or any(char.isspace() for char in host):
        raise typer.BadParameter(f"{url!r} names no valid host", param_hint="--url")
    return url
