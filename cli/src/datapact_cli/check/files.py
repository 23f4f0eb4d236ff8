"""The schema and contract files of a change set, at the merge base and at the head."""

from __future__ import annotations

from dataclasses import dataclass, field

from datapact_cli.check.git import Change, Git
from datapact_cli.errors import CliError
from datapact_common.analysis.changes import FileProblem
from datapact_common.analysis.patterns import is_contract_file, is_schema_file
from datapact_common.analysis.pr_delta import ChangedFile

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class ReadFiles:
    schema: list[ChangedFile] = field(default_factory=list)
    contracts: list[ChangedFile] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


class Unreadable(Exception):  # noqa: N818 - a file reported as not checked, not a failure
    pass


def read_changed_files(
    git: Git,
    base: str,
    head: str,
    changes: list[Change],
    *,
    schema_patterns: list[str],
    contract_patterns: list[str],
    max_file_bytes: int,
) -> ReadFiles:
    """Texts at base and head of every changed schema/contract file (as the App reads them)."""
    read = ReadFiles()
    for change in changes:
        is_schema = is_schema_file(change.path, schema_patterns)
        if not is_schema and not is_contract_file(change.path, contract_patterns):
            continue
        base_path = change.previous_path or change.path
        try:
            base_text = (
                None if change.status == "added" else _text(git, base, base_path, max_file_bytes)
            )
            head_text = (
                None
                if change.status == "removed"
                else _text(git, head, change.path, max_file_bytes)
            )
        except Unreadable as exc:
            read.problems.append(FileProblem(change.path, 1, f"not checked: {exc}"))
            continue
        changed = ChangedFile(
            change.path, change.status, base_text, head_text, change.previous_path
        )
        (read.schema if is_schema else read.contracts).append(changed)
    return read


def _text(git: Git, commit: str, path: str, max_file_bytes: int) -> str:
    try:
        size = git.size(commit, path)
    except CliError as exc:
        raise Unreadable(exc.message) from exc
    if size > max_file_bytes:
        raise Unreadable(f"{path} is {size} bytes, over the {max_file_bytes}-byte limit")
    data = git.read(commit, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path} is not UTF-8 text") from exc


def base_contract_files(
    git: Git, base: str, contract_patterns: list[str], max_file_bytes: int
) -> tuple[list[tuple[str, str]], list[FileProblem]]:
    """Every contract file of the repository at ``base`` (the registry stands in for it)."""
    texts: list[tuple[str, str]] = []
    problems: list[FileProblem] = []
    for path in git.files(base):
        if not is_contract_file(path, contract_patterns):
            continue
        try:
            texts.append((path, _text(git, base, path, max_file_bytes)))
        except Unreadable as exc:
            problems.append(FileProblem(path, 1, f"contract at the base not read: {exc}"))
    return texts, problems
