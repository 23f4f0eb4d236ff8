"""YAML/JSON loading and dumping that round-trips.

PyYAML's safe loader follows YAML 1.1 and turns unquoted dates into ``date``
objects; a contract must keep them as the strings its author wrote, so the
loader here drops the timestamp resolver.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from datapact_common.exceptions import DocumentParseError

_MERGE_TAG = "tag:yaml.org,2002:merge"


class UniqueKeyConstructor(yaml.constructor.SafeConstructor):
    """Refuses a mapping that repeats a key.

    YAML requires the keys of a mapping to be unique; PyYAML would keep the last one
    silently, so ``name: a`` followed by ``name: b`` would register a contract its author
    did not mean. Keys brought in by a ``<<`` merge may still be overridden.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # unhashable: the base class reports it
                    continue
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"duplicate key {key!r}",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]


class _StringDateLoader(UniqueKeyConstructor, yaml.SafeLoader):
    """SafeLoader that leaves timestamps as plain strings and refuses duplicate keys."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _BlockDumper(yaml.SafeDumper):
    """Dumper that indents lists under their key and writes multi-line strings as blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# YAML readers treat these as line breaks (and fold or normalize them) unless escaped.
_UNSAFE_BREAKS = frozenset("\r\x85\u2028\u2029")


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if _UNSAFE_BREAKS.intersection(data):
        style = '"'
    elif "\n" in data:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_BlockDumper.add_representer(str, _str_representer)


def describe_yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return f"invalid YAML: {problem}"


_TOO_DEEP = "document nested too deeply"


def load_yaml(text: str) -> Any:
    """Parse one YAML (or JSON) document."""
    try:
        return yaml.load(text, Loader=_StringDateLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DocumentParseError(describe_yaml_error(exc)) from exc
    except RecursionError as exc:
        raise DocumentParseError(_TOO_DEEP) from exc


def load_yaml_documents(text: str) -> list[Any]:
    """Parse a YAML stream (``---`` separated); empty documents are skipped."""
    try:
        docs = list(yaml.load_all(text, Loader=_StringDateLoader))
    except yaml.YAMLError as exc:
        raise DocumentParseError(describe_yaml_error(exc)) from exc
    return [doc for doc in docs if doc is not None]


def dump_yaml(data: Any) -> str:
    """Serialize to block-style YAML, keeping key order."""
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)


def dump_yaml_documents(documents: list[Any]) -> str:
    """Serialize several documents as one YAML stream."""
    return yaml.dump_all(
        documents,
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        explicit_start=True,
    )


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DocumentParseError(f"invalid JSON: duplicate key {key!r}")
        result[key] = value
    return result


def parse_document(body: bytes | str, content_type: str | None = None) -> Any:
    """Parse a request body or file: JSON when the media type says so, otherwise YAML.

    YAML is a superset of JSON, so a JSON body sent as YAML still parses.
    """
    try:
        # utf-8-sig: a byte order mark some editors write is not part of the document
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise DocumentParseError(f"body is not UTF-8 text (byte {exc.start})") from exc
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            return json.loads(text, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            raise DocumentParseError(
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
        except RecursionError as exc:
            raise DocumentParseError(_TOO_DEEP) from exc
    return load_yaml(text)
