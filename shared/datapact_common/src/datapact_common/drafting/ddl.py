"""A DDL file (a ``schema.sql``, a ``pg_dump --schema-only``) read into the catalogue a live
database gives, so :mod:`.generate` drafts the same contracts from either.

Statements are split and parsed by the PR check's own reader
(:func:`datapact_common.analysis.sql_ddl.split_statements`, sqlglot), which also keeps the
statements that only describe the schema: enum types, domains, comments, views and attached
partitions. Each statement is then applied in order, as the database would: ``CREATE TABLE``
(columns, NOT NULL, keys, references, CHECKs, comments, generated columns, ``PARTITION
OF``/``PARTITION BY``), ``ALTER TABLE`` (columns added, dropped, renamed or retyped,
constraints added or dropped), ``CREATE UNIQUE INDEX``, ``COMMENT ON``, ``DROP TABLE``.
Types are spelled as the engine's catalogue spells them (:mod:`.ddl_types`), and what the
engine adds by itself is added too: NOT NULL on key, serial and identity columns, a domain's
NOT NULL and CHECKs, PostgreSQL's names for unnamed CHECKs.

Nothing is skipped silently: a statement or column that cannot be read is reported with its
line, naming its table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from datapact_common.analysis import sql_text
from datapact_common.analysis.sql_ddl import Statement, split_statements
from datapact_common.drafting import ddl_types
from datapact_common.drafting.views import view_columns
from datapact_common.engines.base import CheckInfo, ColumnInfo, ForeignKeyInfo, Kind, TableInfo

MAX_DDL_BYTES = 5 * 1024 * 1024  # the PR check's limit for one file
DIALECTS = {
    "postgres": "postgres", "postgresql": "postgres",
    "mysql": "mysql", "mariadb": "mysql",
    "duckdb": "duckdb",
}  # fmt: skip
DEFAULT_SCHEMA = {"postgres": "public", "duckdb": "main", "mysql": None}
_ATTACH = re.compile(
    r"^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(\S+)\s+attach\s+partition\s+(\S+)",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^\s*create\s+domain\s+(\S+)\s+(?:as\s+)?(.*)$", re.IGNORECASE | re.DOTALL)
_ENUM = re.compile(r"^\s*create\s+type\s+(\S+)\s+as\s+enum\s*\((.*)\)\s*$", re.I | re.DOTALL)
_LABEL = re.compile(r"'((?:[^']|'')*)'")
_DOMAIN_OPTIONS = re.compile(r"\b(?:collate\s+\S+|default\s+(?:'[^']*'|\S+))", re.IGNORECASE)


_VIEW = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?(?:materialized\s+)?view\b", re.I)
_NO_DATA = re.compile(r"\s+with\s+(?:no\s+)?data\s*$", re.IGNORECASE)


def _parse_view(sql: str, dialect: str) -> exp.Create | None:
    """A view sqlglot reads once pg_dump's ``WITH NO DATA`` is left out."""
    try:
        parsed = sqlglot.parse_one(sql, read=dialect)
    except (SqlglotError, RecursionError, ValueError):
        return None
    return parsed if isinstance(parsed, exp.Create) else None


class UnknownDialectError(ValueError):
    pass


@dataclass
class _Column:
    name: str
    dtype: exp.DataType
    nullable: bool = True
    comment: str | None = None
    generated: str | None = None


@dataclass
class _Domain:
    dtype: exp.DataType
    not_null: bool
    checks: list[tuple[str | None, str]]  # (name, condition on VALUE)


@dataclass
class _Table:
    name: str
    kind: str = "table"
    columns: dict[str, _Column] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)
    key_name: str | None = None
    unique: list[tuple[str | None, list[str]]] = field(default_factory=list)
    foreign_keys: list[tuple[str | None, tuple[str, ...], str]] = field(default_factory=list)
    checks: list[CheckInfo] = field(default_factory=list)
    partition_of: str | None = None
    comment: str | None = None
    view: exp.Expr | None = None  # a view's query, typed once every table is known


@dataclass
class DdlSchema:
    """What a DDL file describes: the catalogue, and what could not be read."""

    dialect: str  # sqlglot's name
    default_schema: str | None
    tables: dict[str, TableInfo]
    problems: list[str] = field(default_factory=list)


def sqlglot_dialect(name: str) -> str:
    dialect = DIALECTS.get(name.strip().lower())
    if dialect is None:
        known = ", ".join(sorted(DIALECTS))
        raise UnknownDialectError(f"unknown SQL dialect '{name}' (one of: {known})")
    return dialect


def read_ddl(text: str, *, dialect: str = "postgres", path: str = "schema.sql") -> DdlSchema:
    """The catalogue ``text`` leaves behind, tables named as the engine's catalogue names them
    (bare in the default schema, ``schema.table`` elsewhere)."""
    reader = _Reader(sqlglot_dialect(dialect), path)
    reader.mariadb = dialect.strip().lower() == "mariadb"
    statements, file_problems = split_statements(
        text, path, dialect=reader.dialect, descriptive=True
    )
    reader.problems.extend(f"line {p.line}: {p.message}" for p in file_problems)
    for statement in statements:
        reader.apply(statement)
    return DdlSchema(reader.dialect, reader.default, reader.catalogue(), reader.problems)


class _Reader:
    def __init__(self, dialect: str, path: str) -> None:
        self.dialect = dialect
        self.path = path
        self.default = DEFAULT_SCHEMA[dialect]
        self.tables: dict[str, _Table] = {}
        self.enums: dict[str, tuple[str, ...]] = {}
        self.domains: dict[str, _Domain] = {}
        self.problems: list[str] = []
        self.mariadb = False  # MariaDB stores JSON as a longtext checked by json_valid()

    # names

    def ident(self, node: exp.Expr | None) -> str:
        """An identifier as the catalogue has it: PostgreSQL folds unquoted names."""
        if node is None:
            return ""
        if isinstance(node, exp.Identifier):
            text = str(node.this)
            return text if node.quoted or self.dialect != "postgres" else text.lower()
        return self.ident(node.this) if isinstance(node.this, exp.Expr) else str(node.name)

    def table_name(self, node: exp.Expr | None) -> str | None:
        if isinstance(node, exp.Schema):
            node = node.this
        if not isinstance(node, exp.Table) or not node.name:
            return None
        name = self.ident(node.this)
        schema = node.args.get("db")
        schema_name = self.ident(schema) if isinstance(schema, exp.Identifier) else None
        return name if schema_name in (None, self.default) else f"{schema_name}.{name}"

    def text_name(self, text: str) -> str:
        """A name read from a statement's text (``public."Odd"``)."""
        parts: list[str] = re.findall(r'"[^"]+"|[^."\s]+', text)
        names: list[str] = [
            p.strip('"') if p.startswith('"') or self.dialect != "postgres" else p.lower()
            for p in parts
        ]
        if len(names) > 1 and names[-2] == self.default:
            return names[-1]
        return ".".join(names[-2:])

    def type_key(self, dtype: exp.DataType) -> str:
        return self.text_name(dtype.sql(dialect=self.dialect))

    def lookup(self, table: str, line: int) -> _Table | None:
        found = self.tables.get(table)
        if found is None:
            self.problems.append(f"line {line}: table '{table}' is not created in this file")
        return found

    # statements

    def apply(self, statement: Statement) -> None:
        expression = statement.expression
        if expression is None:
            self.apply_text(statement)
        elif isinstance(expression, exp.Create):
            self.create(expression, statement)
        elif isinstance(expression, exp.Alter):
            self.alter(expression, statement)
        elif isinstance(expression, exp.Comment):
            self.comment(expression, statement.line)
        elif isinstance(expression, exp.Drop) and str(expression.args.get("kind")) == "TABLE":
            for target in expression.args.get("tables") or [expression.this]:
                self.tables.pop(self.table_name(target) or "", None)

    def apply_text(self, statement: Statement) -> None:
        sql = statement.sql
        attach = _ATTACH.match(sql)
        if attach is not None:
            child = self.tables.get(self.text_name(attach.group(2)))
            if child is not None:
                child.partition_of = self.text_name(attach.group(1))
            return
        enum = _ENUM.match(sql)
        if enum is not None:
            labels = _LABEL.findall(enum.group(2))
            self.enums[self.text_name(enum.group(1))] = tuple(x.replace("''", "'") for x in labels)
            return
        domain = _DOMAIN.match(sql)
        if domain is not None:
            self.domain(self.text_name(domain.group(1)), domain.group(2), statement.line)
            return
        added = sql_text.enum_value_added(sql)
        if added is not None:
            name = self.text_name(added[0])
            self.enums[name] = (*self.enums.get(name, ()), added[1])
            return
        for index in sql_text.index_statements(sql):
            self.unique_index(index, sql, statement.line)
        if _VIEW.match(sql):
            view = _parse_view(_NO_DATA.sub("", sql), self.dialect)
            if view is not None:
                self.create(view, statement)
                return
        if sql_text.is_descriptive(sql) and not sql.lstrip().lower().startswith("comment"):
            self.problems.append(
                f"line {statement.line}: statement not understood (`{' '.join(sql.split())[:120]}`)"
            )

    def unique_index(self, index: sql_text.IndexStatement, sql: str, line: int) -> None:
        if not index.created or not index.unique or not index.table:
            return
        table = self.tables.get(self.text_name(index.table))
        partial = re.search(r"\)\s*(?:include\s*\(.*\)\s*)?where\b", sql, re.IGNORECASE)
        if table is None or partial or any("(" in c or " " in c for c in index.columns):
            return  # a partial or an expression index: not a unique column (as the catalogue)
        columns = [self.text_name(c) for c in index.columns]
        if columns not in [u for _, u in table.unique]:
            table.unique.append((index.name, columns))

    def create(self, create: exp.Create, statement: Statement) -> None:
        kind = str(create.args.get("kind") or "").upper()
        name = self.table_name(create.this)
        if name is None:
            return
        if kind == "TYPE":
            labels = create.expression
            if isinstance(labels, exp.DataType) and labels.this is exp.DataType.Type.ENUM:
                self.enums[name] = tuple(str(e.name) for e in labels.expressions)
            return
        if kind == "VIEW":
            materialized = any(
                isinstance(p, exp.MaterializedProperty)
                for p in (create.args.get("properties") or exp.Properties()).expressions
            )
            self.tables[name] = _Table(
                name, kind="materialized view" if materialized else "view", view=create.expression
            )
            return
        if kind != "TABLE":
            return
        table = _Table(name)
        properties = create.args.get("properties")
        for prop in properties.expressions if properties else []:
            if isinstance(prop, exp.PartitionedOfProperty):
                parent = self.tables.get(self.table_name(prop.this) or "")
                table.partition_of = self.table_name(prop.this)
                if parent is not None:
                    table.columns = {k: _Column(**vars(c)) for k, c in parent.columns.items()}
                    table.checks = list(parent.checks)
            elif isinstance(prop, exp.PartitionedByProperty):
                table.kind = "partitioned table"
            elif isinstance(prop, exp.SchemaCommentProperty):
                table.comment = str(prop.this.name)
        schema = create.this if isinstance(create.this, exp.Schema) else None
        if schema is None and table.partition_of is None:
            self.problems.append(
                f"line {statement.line}: table '{name}': its columns are not declared "
                "(CREATE TABLE … AS / LIKE); no contract"
            )
            return
        for item in schema.expressions if schema is not None else []:
            if isinstance(item, exp.ColumnDef):
                self.column(table, item)
            else:
                self.table_constraint(table, item, statement.line)
        for spec, line in statement.unread_columns:
            self.problems.append(
                f"line {line}: column '{name}.{spec.name}': not understood; left out"
            )
        self.tables[name] = table

    def column(self, table: _Table, item: exp.ColumnDef) -> None:
        dtype = item.args.get("kind")
        if not isinstance(dtype, exp.DataType):
            dtype = exp.DataType.build("text")  # a partition's column options only
        name = self.ident(item.this)
        column = table.columns.get(name) or _Column(name, dtype)
        if item.args.get("kind") is not None:
            column.dtype = dtype
        if dtype.this in ddl_types.SERIALS:
            column.nullable = False
        table.columns[name] = column
        for constraint in item.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            named = constraint.name or None
            if isinstance(kind, exp.NotNullColumnConstraint):
                column.nullable = bool(kind.args.get("allow_null"))
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                table.primary_key, table.key_name = [name], named
            elif isinstance(kind, exp.UniqueColumnConstraint):
                table.unique.append((named, [name]))
            elif isinstance(kind, exp.Reference):
                self.reference(table, named, (name,), kind)
            elif isinstance(kind, exp.CheckColumnConstraint):
                self.check(table, kind.this, named, column=name, valid=True)
            elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
                if self.dialect == "postgres" and kind.this is not None:
                    column.nullable = False  # an identity column is NOT NULL
            elif isinstance(kind, exp.ComputedColumnConstraint):
                column.generated = kind.this.sql(dialect=self.dialect)
            elif isinstance(kind, exp.CommentColumnConstraint):
                column.comment = str(kind.this.name)

    def table_constraint(self, table: _Table, item: exp.Expr, line: int) -> bool:
        """A table constraint; False when it is none this reader knows."""
        name: str | None = None
        parts: list[exp.Expr] = [item]
        if isinstance(item, exp.Constraint):
            name, parts = item.name or None, list(item.expressions)
        for part in parts:
            if isinstance(part, exp.PrimaryKey):
                table.primary_key = [self.ident(e) for e in part.expressions]
                table.key_name = name
            elif isinstance(part, exp.UniqueColumnConstraint):
                target = part.this
                unique = [self.ident(e) for e in target.expressions] if target else []
                if unique:
                    table.unique.append((name, unique))
            elif isinstance(part, exp.ForeignKey):
                columns = tuple(self.ident(e) for e in part.expressions)
                reference = part.args.get("reference")
                if isinstance(reference, exp.Reference):
                    self.reference(table, name, columns, reference)
            elif isinstance(part, exp.CheckColumnConstraint):
                self.check(table, part.this, name, column=None, valid=True)
            else:
                return False
        return True

    def reference(
        self, table: _Table, name: str | None, columns: tuple[str, ...], ref: exp.Reference
    ) -> None:
        target = ref.this
        target_table = self.table_name(target)
        if target_table is None:
            return
        referenced = (
            [self.ident(e) for e in target.expressions] if isinstance(target, exp.Schema) else []
        )
        table.foreign_keys.append((name, columns, target_table))
        if referenced:
            table.foreign_keys[-1] = (name, columns, f"{target_table}\0{','.join(referenced)}")

    def check(
        self,
        table: _Table,
        condition: exp.Expr,
        name: str | None,
        *,
        column: str | None,
        valid: bool,
    ) -> None:
        read = {self.ident(c.this) for c in condition.find_all(exp.Column)}
        if name is None and self.dialect == "postgres":
            only = column or (next(iter(read)) if len(read) == 1 else None)
            name = f"{table.name.rsplit('.', 1)[-1]}{f'_{only}' if only else ''}_check"
        table.checks.append(
            CheckInfo(
                sql=condition.sql(dialect=self.dialect),
                columns=tuple(sorted(read)),
                name=name,
                validated=valid,
            )
        )

    def domain(self, name: str, definition: str, line: int) -> None:
        """``CREATE DOMAIN d AS type [NOT NULL] [CHECK (VALUE …)]`` read as a column ``VALUE``
        of that type with those constraints."""
        body = _DOMAIN_OPTIONS.sub("", definition)
        try:
            parsed = split_statements(
                f"CREATE TABLE _domain (VALUE {body})", self.path, dialect=self.dialect
            )[0]
            create = parsed[0].expression if parsed else None
            column = create.this.expressions[0] if isinstance(create, exp.Create) else None
        except (IndexError, AttributeError):
            column = None
        if not isinstance(column, exp.ColumnDef) or not isinstance(
            column.args.get("kind"), exp.DataType
        ):
            self.problems.append(f"line {line}: domain '{name}': not understood")
            return
        not_null, checks = False, []
        for constraint in column.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.NotNullColumnConstraint):
                not_null = not kind.args.get("allow_null")
            elif isinstance(kind, exp.CheckColumnConstraint):
                checks.append((constraint.name or None, kind.this.sql(dialect=self.dialect)))
        self.domains[name] = _Domain(column.args["kind"], not_null, checks)

    def comment(self, comment: exp.Comment, line: int) -> None:
        kind = str(comment.args.get("kind") or "").upper()
        text = comment.expression.name if isinstance(comment.expression, exp.Literal) else None
        target = comment.this
        if kind == "TABLE":
            table = self.lookup(self.table_name(target) or "", line)
            if table is not None:
                table.comment = text
        elif kind == "COLUMN" and isinstance(target, exp.Column):
            parts = [self.ident(p) for p in target.parts]
            owner = (
                parts[-2] if len(parts) < 3 or parts[-3] == self.default else ".".join(parts[-3:-1])
            )
            table = self.lookup(owner, line)
            column = table.columns.get(parts[-1]) if table is not None else None
            if column is not None:
                column.comment = text

    def alter(self, alter: exp.Alter, statement: Statement) -> None:
        if str(alter.args.get("kind")).upper() != "TABLE":
            return
        name = self.table_name(alter.this)
        table = self.lookup(name or "", statement.line)
        if table is None:
            return
        for action in alter.args.get("actions") or []:
            if not self.alter_action(table, action, not_valid=bool(alter.args.get("not_valid"))):
                shown = " ".join(action.sql(dialect=self.dialect).split())[:120]
                self.problems.append(
                    f"line {statement.line}: table '{table.name}': ALTER TABLE action not "
                    f"understood (`{shown}`)"
                )

    def alter_action(self, table: _Table, action: exp.Expr, *, not_valid: bool) -> bool:
        if isinstance(action, exp.ColumnDef):
            self.column(table, action)
        elif isinstance(action, exp.Drop):
            kind = str(action.args.get("kind")).upper()
            targets = action.args.get("tables") or [action.this]
            for target in (t for t in targets if t is not None):
                if kind == "COLUMN":
                    table.columns.pop(self.ident(target), None)
                elif kind == "CONSTRAINT":
                    self.drop_constraint(table, self.ident(target))
        elif isinstance(action, exp.AddConstraint):
            for item in action.expressions:
                before = len(table.checks)
                if not self.table_constraint(table, item, 0):
                    return False
                if not_valid:
                    table.checks[before:] = [
                        CheckInfo(c.sql, c.columns, c.name, c.column, validated=False)
                        for c in table.checks[before:]
                    ]
        elif isinstance(action, exp.RenameColumn):
            old, new = self.ident(action.this), self.ident(action.args.get("to"))
            if old in table.columns:  # the column keeps its place
                table.columns[old].name = new
                table.columns = {c.name: c for c in table.columns.values()}
        elif isinstance(action, exp.AlterRename):
            new_name = self.table_name(action.this)
            if new_name:
                self.tables.pop(table.name, None)
                table.name = new_name
                self.tables[new_name] = table
        elif isinstance(action, exp.AlterColumn):
            return self.alter_column(table, action)
        else:
            return False
        return True

    def alter_column(self, table: _Table, action: exp.AlterColumn) -> bool:
        column = table.columns.get(self.ident(action.this))
        if column is None:
            return True
        dtype = action.args.get("dtype")
        if isinstance(dtype, exp.DataType):
            column.dtype = dtype
        elif action.args.get("allow_null") is not None:
            column.nullable = bool(action.args.get("allow_null"))
        elif not any(action.args.get(k) is not None for k in ("default", "drop", "comment")):
            return False
        return True

    def drop_constraint(self, table: _Table, name: str) -> None:
        if table.key_name == name or (table.key_name is None and name.endswith("_pkey")):
            table.primary_key, table.key_name = [], None
        table.unique = [(n, c) for n, c in table.unique if n != name]
        table.foreign_keys = [k for k in table.foreign_keys if k[0] != name]
        table.checks = [c for c in table.checks if c.name != name]

    # the catalogue

    def catalogue(self) -> dict[str, TableInfo]:
        tables = {name: self.table_info(table) for name, table in self.tables.items()}
        for info in tables.values():
            parent = tables.get(info.partition_of or "")
            if parent is not None:  # a partition has its partitioned table's keys
                info.primary_key = info.primary_key or list(parent.primary_key)
                info.unique += [u for u in parent.unique if u not in info.unique]
                info.foreign_keys += [k for k in parent.foreign_keys if k not in info.foreign_keys]
        for name, table in self.tables.items():
            if table.view is not None:
                read = view_columns(table.view, tables, self.dialect, self.default)
                tables[name].columns = read.columns
                tables[name].checks = read.checks
                self.problems.extend(f"view '{name}': {p}" for p in read.problems)
        return tables

    def table_info(self, table: _Table) -> TableInfo:
        info = TableInfo(
            name=table.name,
            columns={},
            kind=table.kind,
            primary_key=list(table.primary_key),
            unique=[],
            partition_of=table.partition_of,
            comment=table.comment,
            checks=list(table.checks),
        )
        for column in table.columns.values():
            info.columns[column.name] = self.column_info(table, column, info)
        for _, columns in table.unique:
            if columns not in info.unique and columns != table.primary_key:
                info.unique.append(columns)
        for _, referencing, target in table.foreign_keys:
            referenced_table, _, referenced = target.partition("\0")
            refs = referenced.split(",") if referenced else self.primary_key_of(referenced_table)
            shown = refs[0] if len(refs) == 1 else f"({', '.join(refs)})"
            key = ForeignKeyInfo(columns=referencing, references=f"{referenced_table}.{shown}")
            if key not in info.foreign_keys:
                info.foreign_keys.append(key)
        return info

    def primary_key_of(self, table: str) -> list[str]:
        found = self.tables.get(table)
        return list(found.primary_key) if found is not None else []

    def column_info(self, table: _Table, column: _Column, info: TableInfo) -> ColumnInfo:
        nullable = column.nullable and column.name not in table.primary_key
        dtype = column.dtype
        if self.mariadb and dtype.this is exp.DataType.Type.JSON:
            dtype = exp.DataType.build("LONGTEXT", dialect="mysql")
            check = CheckInfo(f"json_valid(`{column.name}`)", (column.name,), column.name)
            info.checks.append(check)
        spelled, base, kind, labels = self.describe(dtype)
        domain = self.domains.get(self.type_key(column.dtype))
        if domain is not None:
            nullable = nullable and not domain.not_null
            for check_name, condition in domain.checks:
                info.checks.append(
                    CheckInfo(
                        sql=condition,
                        columns=(column.name,),
                        name=check_name or f"{self.type_key(column.dtype)}_check",
                        column=column.name,
                    )
                )
        return ColumnInfo(
            name=column.name,
            type=spelled,
            base_type=base,
            kind=kind,
            nullable=nullable,
            enum_values=labels,
            generated=column.generated,
            comment=column.comment,
        )

    def describe(self, dtype: exp.DataType) -> tuple[str, str, Kind, tuple[str, ...] | None]:
        """(the type as the engine names it, what it is compared as, kind, enum labels)."""
        if self.dialect == "mysql":
            return ddl_types.describe_mysql(dtype)
        key = self.type_key(dtype) if dtype.this is exp.DataType.Type.USERDEFINED else None
        if self.dialect == "duckdb":
            if key in self.enums:
                labels = self.enums[key]
                quoted = ", ".join("'" + label.replace("'", "''") + "'" for label in labels)
                return ddl_types.describe_duckdb(exp.DataType.build(f"ENUM({quoted})", "duckdb"))
            return ddl_types.describe_duckdb(dtype)
        return self.describe_postgres(dtype, key)

    def describe_postgres(
        self, dtype: exp.DataType, key: str | None, depth: int = 0
    ) -> tuple[str, str, Kind, tuple[str, ...] | None]:
        spelled = ddl_types.postgres_spelling(dtype)
        if dtype.this is exp.DataType.Type.ARRAY and dtype.expressions:
            element = dtype.expressions[0]
            if isinstance(element, exp.DataType):
                inner_key = self.type_key(element)
                _, inner, _, _ = self.describe_postgres(element, inner_key, depth + 1)
                base = inner if inner.endswith("[]") else f"{inner}[]"
                return spelled, base, Kind.ARRAY, None
        if key is not None and key in self.enums:
            return spelled, "enum", Kind.ENUM, self.enums[key]
        if key is not None and key in self.domains and depth < 10:
            over = self.domains[key].dtype
            user_defined = over.this is exp.DataType.Type.USERDEFINED
            over_key = self.type_key(over) if user_defined else None
            _, base, kind, labels = self.describe_postgres(over, over_key, depth + 1)
            return spelled, base, kind, labels
        return spelled, spelled, ddl_types.postgres_kind(spelled), None
