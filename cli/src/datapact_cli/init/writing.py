"""Writing contract files into ``--out``, and nowhere else.

A file's name is its contract's name (``[a-z0-9_]`` only), so no table name can make a path
leave the folder; a symbolic link in the folder is never followed; an existing file is only
replaced when asked (``--force``, ``--update``), through a temporary file renamed over it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from datapact_cli.errors import CliError, ExitCode

_SAFE_STEM = re.compile(r"^[a-z][a-z0-9_]*$")


def prepare_folder(folder: Path) -> Path:
    """``folder`` created if needed; the resolved path every file must sit in."""
    if folder.exists() and not folder.is_dir():
        raise CliError(f"{folder} is not a folder", ExitCode.USAGE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create {folder}: {exc.strerror}", ExitCode.USAGE) from exc
    return folder.resolve()


def contract_path(folder: Path, name: str) -> Path:
    """``folder/<name>.yaml``, refusing any name that is not a plain contract name."""
    if not _SAFE_STEM.match(name):
        raise CliError(f"refusing to write a file named {name!r}", ExitCode.INVALID)
    path = folder / f"{name}.yaml"
    if path.parent != folder:
        raise CliError(f"refusing to write outside {folder}: {path}", ExitCode.INVALID)
    return path


def write_new(path: Path, text: str) -> bool:
    """Create ``path``; False when something (a file, a link) is already there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except FileExistsError:
        return False
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}", ExitCode.USAGE) from exc
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


def replace(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all; a link at ``path`` is replaced, not followed."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.stem}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(text)
        temporary.chmod(0o644)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise CliError(f"cannot write {path}: {exc.strerror}", ExitCode.USAGE) from exc
