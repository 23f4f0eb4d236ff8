"""Where the CLI finds its secret: the environment, ``./.env``, then the repository's ``.env``.

The same ``DATAPACT_SECRET_KEY`` the services read, so a token minted here is accepted by
a platform started with ``make up`` from the same checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from datapact_common.settings import DEVELOPMENT_SECRET

DEFAULT_URL = "http://127.0.0.1:8001"


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git``."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def env_files(cwd: Path | None = None) -> list[Path]:
    """``.env`` files to read, lowest priority first (pydantic-settings: later files win)."""
    cwd = (cwd or Path.cwd()).resolve()
    files: list[Path] = []
    root = repository_root(cwd)
    if root is not None and root != cwd:
        files.append(root / ".env")
    files.append(cwd / ".env")
    return [f for f in files if f.is_file()]


class SecretSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_file_encoding="utf-8")

    datapact_secret_key: str = DEVELOPMENT_SECRET


def signing_secret(cwd: Path | None = None) -> tuple[str, str]:
    """``(secret, where it came from)``; the environment wins over ``.env`` files."""
    files = env_files(cwd)
    settings = SecretSettings(_env_file=files or None)
    secret = settings.datapact_secret_key
    if secret == DEVELOPMENT_SECRET:
        return secret, "the development default secret"
    if os.environ.get("DATAPACT_SECRET_KEY") == secret:
        return secret, "DATAPACT_SECRET_KEY from the environment"
    source = next((str(f) for f in reversed(files) if _defines_secret(f)), ".env")
    return secret, f"DATAPACT_SECRET_KEY from {source}"


def _defines_secret(path: Path) -> bool:
    return any(
        line.strip().startswith("DATAPACT_SECRET_KEY=")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    )
