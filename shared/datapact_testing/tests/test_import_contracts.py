"""make lint's own import contract (scripts/import_contracts.py) finds a cycle of modules."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import grimp
import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "import_contracts.py"


@pytest.fixture(scope="module")
def contracts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_contracts", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def package(tmp_path: Path) -> Iterator[str]:
    """``cyclic``: a -> b -> c -> a (the last import inside a function), and d -> a."""
    root = tmp_path / "cyclic"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("from cyclic import b\n")
    (root / "b.py").write_text("from cyclic.c import VALUE\n")
    (root / "c.py").write_text("VALUE = 1\n\n\ndef late() -> None:\n    import cyclic.a\n")
    (root / "d.py").write_text("import cyclic.a\n")
    sys.path.insert(0, str(tmp_path))
    yield "cyclic"
    sys.path.remove(str(tmp_path))


def test_a_cycle_through_a_function_level_import_breaks_the_contract(
    contracts: ModuleType, package: str
) -> None:
    graph = grimp.build_graph(package, cache_dir=None)
    modules = graph.find_descendants(package) | {package}
    assert contracts.strongly_connected(graph, modules) == [["cyclic.a", "cyclic.b", "cyclic.c"]]
    contract = contracts.AcyclicModulesContract(
        name="no cycle", session_options={}, contract_options={"packages": [package]}
    )
    check = contract.check(graph, verbose=False)
    assert not check.kept
    [(cycle, imports)] = check.metadata["cycles"]
    assert cycle == ["cyclic.a", "cyclic.b", "cyclic.c"]
    assert ("cyclic.c", "cyclic.a", 5) in imports


def test_the_same_package_without_the_back_import_keeps_it(
    contracts: ModuleType, package: str, tmp_path: Path
) -> None:
    (tmp_path / "cyclic" / "c.py").write_text("VALUE = 1\n")
    graph = grimp.build_graph(package, cache_dir=None)
    contract = contracts.AcyclicModulesContract(
        name="no cycle", session_options={}, contract_options={"packages": [package]}
    )
    assert contract.check(graph, verbose=False).kept
