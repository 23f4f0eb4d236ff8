"""SQL statements read from their text, where sqlglot has no expression for them.

Three kinds: statements with no effect on tables or columns (ignored quietly: a pg_dump has
hundreds of ``OWNER TO``/``GRANT``/``COMMENT`` lines), index and enum statements (read with
patterns because sqlglot cannot parse every form pg_dump writes, e.g. ``ON ONLY``), and the
table a statement nobody could read concerns (so its "not checked" lands on that table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r'(?:"[^"]+"|[\w$]+)'
_QUALIFIED = rf"{_NAME}(?:\s*\.\s*{_NAME})*"
_FLAGS = re.IGNORECASE | re.DOTALL

# Statements that change privileges, ownership, comments, settings, statistics or storage:
# nothing a data contract describes.
_NO_EFFECT = re.compile(
    r"""^\s*(?:
        grant\b | revoke\b | comment\s+on\b | copy\b | set\b | reset\b | select\b | analyze\b
      | vacuum\b | begin\b | commit\b | rollback\b | start\s+transaction\b | savepoint\b
      | release\b | checkpoint\b | notify\b | listen\b | lock\b | cluster\b | reindex\b
      | refresh\s+materialized\s+view\b | security\s+label\b | discard\b
      | create\s+(?:extension|schema|sequence|role|user|publication|subscription
          |statistics|text\s+search|collation|cast|operator|aggregate|policy
          |event\s+trigger|server|user\s+mapping|foreign\s+data\s+wrapper)\b
      | create\s+(?:or\s+replace\s+)?(?:function|procedure|trigger|rule|language)\b
      | create\s+(?:or\s+replace\s+)?(?:recursive\s+)?(?:materialized\s+)?view\b
      | create\s+type\b | create\s+domain\b
      | drop\s+(?:function|procedure|trigger|rule|view|materialized\s+view|sequence
          |extension|policy|role|user|publication|subscription|schema|statistics
          |type|domain)\b
      | alter\s+(?:sequence|function|procedure|schema|role|user|default\s+privileges
          |extension|publication|subscription|database|system|view|materialized\s+view
          |index|statistics|policy|trigger|event\s+trigger|language|aggregate|operator
          |text\s+search|collation|conversion|server|foreign\s+data\s+wrapper|large\s+object
          |tablespace|domain)\b
      | alter\s+type\s+\S+\s+(?:owner\s+to|rename\s+to|set\s+schema)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Statements on a schema, type or domain that reach the tables using them: CASCADE drops the
# columns (or tables) that depend on the object, a domain that loses NOT NULL or a constraint
# loosens every column of that domain, a renamed enum label changes stored values. Without
# CASCADE a DROP of something in use fails, so it has no effect and stays quiet.
_REACHES_TABLES = re.compile(
    r"""^\s*(?:
        drop\s+(?:schema|type|domain)\b[^;]*\bcascade\b
      | drop\s+owned\b[^;]*\bcascade\b
      | alter\s+domain\s+\S+\s+(?:drop\s+not\s+null|drop\s+constraint)\b
      | alter\s+type\s+\S+\s+(?:rename\s+value|drop\s+attribute|alter\s+attribute
          |rename\s+attribute)\b
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)

# ALTER TABLE actions with no effect on columns, types or keys.
_QUIET_TABLE_ACTION = re.compile(
    r"""^(?:
        owner\s+to | (?:enable|disable|force|no\s+force)\b.* | set\s+(?:tablespace|logged
      | unlogged|without\s+(?:oids|cluster)|access\s+method|\() | reset\s*\( | cluster\s+on
      | replica\s+identity | validate\s+constraint | rename\s+constraint | (?:no\s+)?inherit\b
      | (?:attach|detach)\s+partition | alter\s+(?:column\s+)?\S+\s+set\s+(?:statistics
      | storage|compression|\() | alter\s+(?:column\s+)?\S+\s+reset\s*\(
      | alter\s+constraint
      | alter\s+(?:column\s+)?\S+\s+(?:add\s+generated|set\s+generated|drop\s+identity
          |restart\b|set\s+(?:increment|start|minvalue|maxvalue|cache|cycle|no\s+))
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)

_ALTER_TABLE = re.compile(
    rf"^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?({_QUALIFIED})\s*\*?\s*(.*)$", _FLAGS
)
_TABLE_OF = re.compile(
    rf"^\s*(?:alter|create(?:\s+(?:global|local))?(?:\s+(?:temp|temporary|unlogged))?"
    rf"|drop)\s+table\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?({_QUALIFIED})",
    _FLAGS,
)
_CREATE_INDEX = re.compile(
    rf"^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?"
    rf"({_QUALIFIED})?\s*on\s+(?:only\s+)?({_QUALIFIED})\s*(?:using\s+\w+\s*)?\((.*)\)",
    _FLAGS,
)
# MySQL/MariaDB: the index is named on its table
_DROP_INDEX_ON = re.compile(
    rf"^\s*drop\s+index\s+(?:if\s+exists\s+)?({_QUALIFIED})\s+on\s+({_QUALIFIED})",
    _FLAGS,
)
_DROP_INDEX = re.compile(
    r"^\s*drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?(.+?)\s*(?:cascade|restrict)?\s*$",
    _FLAGS,
)
_ENUM_VALUE = re.compile(
    rf"^\s*alter\s+type\s+({_QUALIFIED})\s+add\s+value\s+(?:if\s+not\s+exists\s+)?"
    r"'((?:[^']|'')*)'",
    _FLAGS,
)
_TABLE_WORDS = re.compile(r"\b(?:alter|drop|create)\s+table\b|\bdrop\s+column\b", re.IGNORECASE)


# Statements with no effect on a change, which a description of the schema still reads
# (``datapact init --from-sql``): types and domains, comments, views, attached partitions.
_DESCRIPTIVE = re.compile(
    r"""^\s*(?:
        create\s+type\b | create\s+domain\b | comment\s+on\s+(?:table|column)\b
      | create\s+(?:or\s+replace\s+)?(?:materialized\s+)?view\b
      | alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?\S+\s+attach\s+partition\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_COPY_FROM_STDIN = re.compile(r"^\s*copy\s.+\sfrom\s+stdin\b", re.IGNORECASE)


def without_psql_lines(text: str) -> str:
    """The SQL of a psql script: meta-commands (``\\restrict``, which every pg_dump writes
    since 2025, ``\\connect``, ``\\set``) and ``COPY … FROM stdin`` data blanked, line numbers
    kept. They end at the line's end, not at a ``;``, so left in they would swallow the
    statement that follows."""
    lines = text.split("\n")
    in_copy = False
    for index, line in enumerate(lines):
        if in_copy:
            in_copy = line.rstrip("\r") != "\\."
            lines[index] = ""
        elif line.startswith("\\"):
            lines[index] = ""
        elif _COPY_FROM_STDIN.match(line):
            in_copy = True
    return "\n".join(lines)


def unquote(name: str) -> str:
    """``public."Orders"`` -> ``public.Orders``."""
    return ".".join(part.strip().strip('"') for part in _split_dotted(name))


def _split_dotted(name: str) -> list[str]:
    return re.findall(r'"[^"]+"|[^."\s]+', name)


def has_no_schema_effect(sql: str) -> bool:
    if reaches_tables(sql):
        return False
    if _NO_EFFECT.match(sql):
        return True
    alter = _ALTER_TABLE.match(sql)
    if alter is None:
        return False
    actions = _top_level_split(alter.group(2))
    return bool(actions) and all(_QUIET_TABLE_ACTION.match(a.strip()) for a in actions)


def is_descriptive(sql: str) -> bool:
    """Whether a statement describes the schema without changing a table (see _DESCRIPTIVE)."""
    return bool(_DESCRIPTIVE.match(sql))


def table_of(sql: str) -> str | None:
    """The table an ``ALTER/CREATE/DROP TABLE`` statement names."""
    match = _TABLE_OF.match(sql)
    return unquote(match.group(1)) if match else None


def mentions_table_ddl(sql: str) -> bool:
    """Whether a statement nobody could read may still change a table (a DO block, say)."""
    return bool(_TABLE_WORDS.search(sql)) or reaches_tables(sql)


def reaches_tables(sql: str) -> bool:
    """Whether a statement on a schema, type or domain changes the tables that use it."""
    return bool(_REACHES_TABLES.match(sql))


@dataclass(frozen=True)
class IndexStatement:
    name: str | None
    table: str | None
    columns: tuple[str, ...]
    unique: bool
    created: bool


def index_statements(sql: str) -> list[IndexStatement]:
    created = _CREATE_INDEX.match(sql)
    if created is not None:
        unique, name, table, columns = created.groups()
        return [
            IndexStatement(
                unquote(name) if name else None,
                unquote(table),
                tuple(_column_text(c) for c in _top_level_split(columns)),
                bool(unique),
                True,
            )
        ]
    dropped_on = _DROP_INDEX_ON.match(sql)
    if dropped_on is not None:
        name, table = dropped_on.groups()
        return [IndexStatement(unquote(name), unquote(table), (), False, False)]
    dropped = _DROP_INDEX.match(sql)
    if dropped is not None:
        return [
            IndexStatement(unquote(name), None, (), False, False)
            for name in _top_level_split(dropped.group(1))
            if name.strip()
        ]
    return []


def enum_value_added(sql: str) -> tuple[str, str] | None:
    match = _ENUM_VALUE.match(sql)
    return (unquote(match.group(1)), match.group(2).replace("''", "'")) if match else None


def _column_text(part: str) -> str:
    """An index element without its options: ``email DESC NULLS LAST`` -> ``email``."""
    text = part.strip()
    if re.fullmatch(rf"{_NAME}(?:\s+.*)?", text, re.DOTALL) and "(" not in text.split()[0]:
        return unquote(text.split()[0])
    return " ".join(text.split())


def _top_level_split(text: str) -> list[str]:
    """Split on commas outside parentheses and quotes."""
    parts: list[str] = []
    depth, start, quote = 0, 0, ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def normalised(sql: str) -> str:
    return " ".join(sql.split()).lower()
