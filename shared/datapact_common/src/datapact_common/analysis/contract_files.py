"""Contract files (YAML streams) at base and head: parsed, located line by line, diffed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import yaml

from datapact_common.analysis.changes import FileProblem
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import Change, ChangeReport, diff_contracts
from datapact_common.documents import parse_contract
from datapact_common.exceptions import (
    ContractValidationError,
    DataPactError,
)
from datapact_common.yaml_io import compose_yaml_documents, construct_yaml_node


@dataclass
class ContractLines:
    """1-based lines of a contract document's parts, for annotations."""

    document: int = 1
    keys: dict[str, int] = field(default_factory=dict)
    fields: dict[str, int] = field(default_factory=dict)
    quality: dict[str, int] = field(default_factory=dict)

    def for_path(self, path: str) -> int:
        """The best line for a change path such as ``schema.email.nullable``."""
        parts = path.split(".")
        if parts[0] == "schema" and len(parts) > 1 and parts[1] in self.fields:
            return self.fields[parts[1]]
        if parts[0] == "quality" and len(parts) > 1 and parts[1] in self.quality:
            return self.quality[parts[1]]
        return self.keys.get(parts[0], self.document)


@dataclass
class ParsedContract:
    contract: ContractDefinition
    lines: ContractLines


@dataclass
class InvalidContract:
    name: str | None
    line: int
    message: str


@dataclass
class ContractFile:
    path: str
    contracts: list[ParsedContract] = field(default_factory=list)
    invalid: list[InvalidContract] = field(default_factory=list)

    def by_name(self) -> dict[str, ParsedContract]:
        return {c.contract.name: c for c in self.contracts}


def _documents(text: str) -> list[tuple[Any, yaml.Node]]:
    """Every non-empty document of a YAML stream with its node (for line numbers), within the
    registry's bounds (aliases expanded)."""
    documents = []
    for node in compose_yaml_documents(text):
        data = construct_yaml_node(node)
        if data is not None:
            documents.append((data, node))
    return documents


def parse_contract_file(text: str, path: str) -> ContractFile:
    result = ContractFile(path)
    try:
        documents = _documents(text)
    except DataPactError as exc:
        result.invalid.append(InvalidContract(None, _error_line(exc.detail), exc.detail))
        return result
    if not documents:
        result.invalid.append(InvalidContract(None, 1, "the file holds no contract document"))
    for document, node in documents:
        lines = _lines(node)
        try:
            contract = parse_contract(document)
        except ContractValidationError as exc:
            name = document.get("name") if isinstance(document, dict) else None
            line = _first_error_line(exc, lines)
            result.invalid.append(
                InvalidContract(name if isinstance(name, str) else None, line, exc.detail)
            )
            continue
        result.contracts.append(ParsedContract(contract, lines))
    return result


def _error_line(message: str) -> int:
    marker = "at line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",", 1)[0].strip()
        if digits.isdigit():
            return int(digits)
    return 1


def _first_error_line(exc: ContractValidationError, lines: ContractLines) -> int:
    for error in exc.errors:
        loc = str(error.get("loc", ""))
        parts = loc.split(".")
        if parts[0] == "schema" and len(parts) > 1 and parts[1].isdigit():
            field_lines = list(lines.fields.values())
            index = int(parts[1])
            if index < len(field_lines):
                return field_lines[index]
        if parts[0] in lines.keys:
            return lines.keys[parts[0]]
    return lines.document


def _scalar(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _lines(node: yaml.Node | None) -> ContractLines:
    lines = ContractLines()
    if not isinstance(node, yaml.MappingNode):
        return lines
    lines.document = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key is None:
            continue
        lines.keys[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode) and key in ("schema", "quality"):
            target = lines.fields if key == "schema" else lines.quality
            identifier = "name" if key == "schema" else "metric_type"
            for item in value_node.value:
                label = _mapping_value(item, identifier)
                if label is not None:
                    target[label] = item.start_mark.line + 1
    return lines


def _mapping_value(node: Any, key: str) -> str | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if _scalar(key_node) == key:
            return _scalar(value_node)
    return None


class ContractChangeStatus(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    UNCHANGED = "unchanged"


@dataclass
class ContractChange:
    """One contract (by name) across a pull request's base and head."""

    name: str
    path: str
    status: ContractChangeStatus
    base: ContractDefinition | None
    head: ContractDefinition | None
    head_lines: ContractLines | None
    report: ChangeReport | None

    @property
    def changes(self) -> list[Change]:
        return self.report.changes if self.report else []

    @property
    def effective_table(self) -> str | None:
        contract = self.head or self.base
        return contract.effective_table if contract else None

    def line_for(self, change_path: str) -> int:
        return self.head_lines.for_path(change_path) if self.head_lines else 1


@dataclass
class ContractDelta:
    changes: list[ContractChange] = field(default_factory=list)
    invalid: list[tuple[str, InvalidContract]] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    def by_name(self) -> dict[str, ContractChange]:
        return {c.name: c for c in self.changes}


def diff_contract_file(path: str, base_text: str | None, head_text: str | None) -> ContractDelta:
    """Every contract of one file compared between base and head (moved files included)."""
    delta = ContractDelta()
    base = parse_contract_file(base_text, path) if base_text is not None else ContractFile(path)
    head = parse_contract_file(head_text, path) if head_text is not None else ContractFile(path)
    delta.invalid.extend((path, item) for item in head.invalid)
    base_by, head_by = base.by_name(), head.by_name()
    for name, parsed in head_by.items():
        old = base_by.get(name)
        if old is None:
            delta.changes.append(
                ContractChange(
                    name,
                    path,
                    ContractChangeStatus.ADDED,
                    None,
                    parsed.contract,
                    parsed.lines,
                    None,
                )
            )
            continue
        report = diff_contracts(old.contract, parsed.contract)
        status = (
            ContractChangeStatus.MODIFIED
            if report.changes or old.contract.version != parsed.contract.version
            else ContractChangeStatus.UNCHANGED
        )
        delta.changes.append(
            ContractChange(name, path, status, old.contract, parsed.contract, parsed.lines, report)
        )
    for name, parsed in base_by.items():
        if name not in head_by and not any(i.name == name for i in head.invalid):
            delta.changes.append(
                ContractChange(
                    name, path, ContractChangeStatus.REMOVED, parsed.contract, None, None, None
                )
            )
    return delta
