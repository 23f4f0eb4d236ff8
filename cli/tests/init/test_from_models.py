"""`datapact init --from-models`: SQLAlchemy models read without being imported give the same
contracts as `--from-db` on the tables `create_all` makes of them in PostgreSQL."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import create_engine

from datapact_common.yaml_io import load_yaml
from datapact_testing import postgres as pg

Cli = Callable[..., Result]
MODELS = Path(__file__).parent / "fixtures" / "shop" / "models.py"


def _drafts(cli: Cli, out: Path, *source: str) -> dict[str, str]:
    result = cli("init", *source, "--out", str(out))
    assert result.exit_code == 0, result.output
    return {p.name: p.read_text("utf-8").split("\n", 1)[1] for p in sorted(out.iterdir())}


def _from_create_all(cli: Cli, models: Path, out: Path) -> dict[str, str]:
    """``--from-db`` drafts of the tables ``create_all`` makes of ``models`` in PostgreSQL
    (the test imports the file; ``--from-models`` never does)."""
    spec = importlib.util.spec_from_file_location(f"{models.stem}_under_test", models)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    name = pg.test_database_name(f"test_cli_init_{models.stem}")
    pg.create_database(name)
    try:
        engine = create_engine(pg.sync_dsn(name).replace("postgresql://", "postgresql+psycopg://"))
        module.Base.metadata.create_all(engine)
        engine.dispose()
        return _drafts(cli, out, "--from-db", pg.sync_dsn(name))
    finally:
        pg.drop_database(name)


def test_models_agree_with_the_tables_create_all_makes(cli: Cli, tmp_path: Path) -> None:
    from_db = _from_create_all(cli, MODELS, tmp_path / "db")
    assert sorted(from_db) == ["customer.yaml", "orders.yaml"]
    assert _drafts(cli, tmp_path / "models", "--from-models", str(MODELS)) == from_db


def test_a_module_name_a_folder_and_what_cannot_be_read(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("raise SystemExit('never imported')\n", "utf-8")
    (package / "models.py").write_text(
        MODELS.read_text("utf-8")
        + "\n\nclass Odd(Base):\n    __tablename__ = 'odd'\n"
        + "    id = Column(Integer, primary_key=True)\n    spot = Column(MyPoint())\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--from-models", "app.models", "--out", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert "column 'odd.spot': type MyPoint() not understood" in result.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "customer.yaml", "odd.yaml", "orders.yaml",
    ]  # fmt: skip
    folder = cli("init", "--from-models", str(package), "--out", str(tmp_path / "b"))
    assert folder.exit_code == 0
    missing = cli("init", "--from-models", "no.such.module", "--out", str(tmp_path / "c"))
    assert missing.exit_code == 3
    assert "no.such.module: no such file, folder or module" in missing.stderr


KEYED = Path(__file__).parent / "fixtures" / "shop" / "keyed_models.py"


def test_table_args_keys_and_checks_agree_with_the_database(cli: Cli, tmp_path: Path) -> None:
    """PrimaryKeyConstraint, UniqueConstraint, Index(unique=True), ForeignKeyConstraint and
    CheckConstraint in __table_args__ give what --from-db reads of create_all's tables."""
    from_db = _from_create_all(cli, KEYED, tmp_path / "db")
    from_models = _drafts(cli, tmp_path / "models", "--from-models", str(KEYED))
    assert from_models == from_db
    warehouse = load_yaml(from_models["warehouse.yaml"])
    fields = {f["name"]: f for f in warehouse["schema"]}
    assert [n for n, f in fields.items() if f.get("is_primary_key")] == ["region", "code"]
    assert fields["name"]["unique"] is True
    assert fields["capacity"]["constraints"] == [{"type": "min", "value": 0}]
    stock = {f["name"]: f for f in load_yaml(from_models["stock.yaml"])["schema"]}
    assert stock["barcode"]["unique"] is True and "unique" not in stock["quantity"]
    assert {"type": "max", "value": 100000} in stock["quantity"]["constraints"]
    assert "UNIQUE (sku, region): a contract declares single fields" in from_models["stock.yaml"]
    assert (
        "FOREIGN KEY (region, warehouse_code) REFERENCES warehouse.(region, code)"
        in (from_models["stock.yaml"])
    )
