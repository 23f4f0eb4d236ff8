"""The changed files between a base and a head commit, read with the ``git`` command."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from datapact_cli.errors import CliError, ExitCode

GIT_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Change:
    """One changed path, with GitHub's status names (added, removed, modified, renamed)."""

    path: str
    status: str
    previous_path: str | None = None


class Git:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        top = self._run("rev-parse", "--show-toplevel", what="find the git checkout").strip()
        self.root = Path(top)

    def _run(self, *args: str, what: str) -> str:
        return self._bytes(*args, what=what).decode("utf-8", errors="replace")

    def _bytes(self, *args: str, what: str) -> bytes:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.directory), *args],
                capture_output=True,
                timeout=GIT_TIMEOUT_SECONDS,
                check=False,
            )
        except FileNotFoundError as exc:
            raise CliError("git is not installed (or not on PATH)", ExitCode.GIT) from exc
        except subprocess.TimeoutExpired as exc:
            raise CliError(f"git took too long to {what}", ExitCode.GIT) from exc
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit {done.returncode}"
            raise CliError(f"git could not {what}: {reason}", ExitCode.GIT)
        return done.stdout

    def commit(self, ref: str) -> str:
        """The commit a ref names (``origin/main``, ``HEAD~2``, a sha)."""
        if ref.startswith("-"):
            raise CliError(f"{ref!r} is not a git ref", ExitCode.USAGE)
        return self._run(
            "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}",
            what=f"find the commit {ref!r} (fetched? in a shallow clone use fetch-depth: 0)",
        ).strip()  # fmt: skip

    def merge_base(self, base: str, head: str) -> str:
        return self._run(
            "merge-base", base, head,
            what="find the merge base (is the base branch fetched with its history?)",
        ).strip()  # fmt: skip

    def changes(self, base: str, head: str) -> list[Change]:
        """Changed paths from ``base`` to ``head``, renames followed."""
        out = self._bytes(
            "-c", "core.quotepath=off", "diff", "--name-status", "-z", "-M", "--no-ext-diff",
            base, head, "--",
            what="list the changed files",
        )  # fmt: skip
        fields = out.decode("utf-8", errors="surrogateescape").split("\0")
        changes: list[Change] = []
        index = 0
        while index < len(fields) and fields[index]:
            code = fields[index]
            if code[0] in "RC":
                old, new = fields[index + 1], fields[index + 2]
                status = "renamed" if code[0] == "R" else "added"
                changes.append(Change(new, status, old if code[0] == "R" else None))
                index += 3
                continue
            path = fields[index + 1]
            status = {"A": "added", "D": "removed"}.get(code[0], "modified")
            changes.append(Change(path, status))
            index += 2
        return changes

    def size(self, commit: str, path: str) -> int:
        return int(self._run("cat-file", "-s", f"{commit}:{path}", what=f"read {path}").strip())

    def read(self, commit: str, path: str) -> bytes:
        return self._bytes("cat-file", "blob", f"{commit}:{path}", what=f"read {path}")

    def files(self, commit: str) -> list[str]:
        out = self._bytes(
            "-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--name-only", commit,
            what="list the files at the base",
        )  # fmt: skip
        return [p for p in out.decode("utf-8", errors="surrogateescape").split("\0") if p]
