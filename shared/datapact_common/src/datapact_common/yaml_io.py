"""YAML/JSON loading and dumping that round-trips, within bounds.

PyYAML's safe loader follows YAML 1.1 and turns unquoted dates into ``date``
objects; a contract must keep them as the strings its author wrote, so the
loader here drops the timestamp resolver.

Parsing is bounded while it happens, not after: libyaml reads the text, and the composer
counts values and depth as it builds the node graph, stopping at
:data:`MAX_DOCUMENT_VALUES` / :data:`MAX_DOCUMENT_DEPTH` before a single Python value is
constructed. A 2 MB body of tiny values therefore costs a fraction of a second, not the
tens of seconds a full pure-Python parse takes; YAML aliases count each time they are used
(a few hundred bytes of aliases would otherwise expand without end once serialized).
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml._yaml import CParser

from datapact_common.exceptions import (
    ContractValidationError,
    DocumentParseError,
    PayloadTooLargeError,
)

_MERGE_TAG = "tag:yaml.org,2002:merge"
# Bounds of one document once YAML aliases are expanded, the same for the registry, the PR
# check and the CLI: a contract is a few hundred values (10,000 fields are about 60,000).
MAX_DOCUMENT_VALUES = 100_000
MAX_DOCUMENT_DEPTH = 32
# Longest integer literal read (64-bit values need at most 20 digits, 66 in binary); longer
# ones are refused with a reason here, before Python's 4,300-digit guard raises a bare
# ValueError.
MAX_INTEGER_LENGTH = 100


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


def too_many_values(limit: int = MAX_DOCUMENT_VALUES) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"document too large: more than {limit} values (YAML aliases count each time they are used)"
    )


def too_deep(limit: int = MAX_DOCUMENT_DEPTH) -> ContractValidationError:
    message = f"document nested deeper than {limit} levels (a YAML alias that contains itself?)"
    return ContractValidationError(
        message, [{"loc": "(document)", "message": message, "type": "too_deep"}]
    )


class BoundedComposer(yaml.composer.Composer):
    """Counts values and depth while composing; raises past the bounds.

    Mapping keys are not counted (each comes with a value, so they are bounded too); an
    alias counts once here and by its full size in :func:`check_node_bounds` afterwards.
    """

    max_values = MAX_DOCUMENT_VALUES
    max_depth = MAX_DOCUMENT_DEPTH

    def compose_document(self) -> yaml.Node | None:
        self._values = 0
        self._depth = 0
        node: yaml.Node | None = super().compose_document()
        if node is not None:
            check_node_bounds(node, self.max_values, self.max_depth)
        return node

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if parent is None or index is not None:  # the root, a list item or a mapping value
            self._values += 1
            if self._values > self.max_values:
                raise too_many_values(self.max_values)
        self._depth += 1
        try:
            if self._depth > self.max_depth + 1:
                raise too_deep(self.max_depth)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        return node


def check_node_bounds(
    root: yaml.Node, max_values: int = MAX_DOCUMENT_VALUES, max_depth: int = MAX_DOCUMENT_DEPTH
) -> None:
    """Refuse a composed document whose values, aliases expanded, pass the bounds.

    Stops after ``max_values`` steps, so an alias bomb or an alias that contains itself costs
    no more than an honest document at the limit.
    """
    values = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        values += 1
        if values > max_values:
            raise too_many_values(max_values)
        if depth > max_depth:
            raise too_deep(max_depth)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((value, depth + 1) for _, value in node.value)


class StringDateConstructor(UniqueKeyConstructor):
    """Timestamps stay the strings their authors wrote; over-long integers are refused."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if len(str(self.construct_scalar(node))) > MAX_INTEGER_LENGTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"integer longer than {MAX_INTEGER_LENGTH} characters", node.start_mark
            )
        return super().construct_yaml_int(node)


# (the stubs only expect loaders here; a bare constructor works the same at run time)
StringDateConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", StringDateConstructor.construct_yaml_int
)


class _StringDateLoader(BoundedComposer, CParser, StringDateConstructor, yaml.resolver.Resolver):
    """libyaml's parser, a bounded composer, and a safe constructor that leaves timestamps
    as plain strings and refuses duplicate keys."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        BoundedComposer.__init__(self)
        StringDateConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


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
    """Parse one YAML (or JSON) document, within the document bounds."""
    loader = _StringDateLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise DocumentParseError(describe_yaml_error(exc)) from exc
    except RecursionError as exc:
        raise DocumentParseError(_TOO_DEEP) from exc
    finally:
        loader.dispose()


def load_yaml_documents(text: str) -> list[Any]:
    """Parse a YAML stream (``---`` separated), each document within the bounds; empty
    documents are skipped."""
    loader = _StringDateLoader(text)
    docs: list[Any] = []
    try:
        while loader.check_data():  # type: ignore[no-untyped-call]
            try:
                docs.append(loader.get_data())
            except PayloadTooLargeError as exc:
                if not docs:
                    raise
                raise PayloadTooLargeError(f"document {len(docs) + 1}: {exc.detail}") from exc
            except ContractValidationError as exc:
                if not docs:
                    raise
                detail = f"document {len(docs) + 1}: {exc.detail}"
                raise ContractValidationError(detail, exc.errors) from exc
    except yaml.YAMLError as exc:
        raise DocumentParseError(describe_yaml_error(exc)) from exc
    except RecursionError as exc:
        raise DocumentParseError(_TOO_DEEP) from exc
    finally:
        loader.dispose()
    return [doc for doc in docs if doc is not None]


def compose_yaml_documents(text: str) -> list[yaml.Node]:
    """The node graph of every non-empty document of a stream (for callers that need line
    numbers), each within the bounds; :func:`construct_yaml_node` turns one into data."""
    loader = _StringDateLoader(text)
    nodes: list[yaml.Node] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                nodes.append(node)
    except yaml.YAMLError as exc:
        raise DocumentParseError(describe_yaml_error(exc)) from exc
    finally:
        loader.dispose()
    return nodes


def construct_yaml_node(node: yaml.Node) -> Any:
    """The data of a node from :func:`compose_yaml_documents`, by the same rules as
    :func:`load_yaml`."""
    try:
        return StringDateConstructor().construct_document(node)
    except yaml.YAMLError as exc:
        raise DocumentParseError(describe_yaml_error(exc)) from exc


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
        return load_json(text)
    return load_yaml(text)


def load_json(text: str) -> Any:
    """Parse JSON (C, fast), then hold it to the same bounds as YAML."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise DocumentParseError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise DocumentParseError(_TOO_DEEP) from exc
    check_value_bounds(data)
    return data


def _json_int(text: str) -> int:
    if len(text) > MAX_INTEGER_LENGTH:
        raise DocumentParseError(
            f"invalid JSON: integer longer than {MAX_INTEGER_LENGTH} characters"
        )
    return int(text)


def check_value_bounds(
    data: Any, max_values: int = MAX_DOCUMENT_VALUES, max_depth: int = MAX_DOCUMENT_DEPTH
) -> None:
    """:func:`check_node_bounds` for parsed values (a value reached twice counts twice)."""
    values = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > max_values:
            raise too_many_values(max_values)
        if depth > max_depth:
            raise too_deep(max_depth)
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
