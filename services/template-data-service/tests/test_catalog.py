"""The contracts file: validated at startup, followed when edited, a broken edit ignored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from data_service.catalog.store import ContractsFileError, ContractStore, read_catalog


def test_shipped_file_loads(shipped_contracts: Any) -> None:
    from data_service.config import DEFAULT_CONTRACTS_PATH

    catalog = read_catalog(DEFAULT_CONTRACTS_PATH)
    assert catalog.names == [d["name"] for d in shipped_contracts()]
    assert catalog.get("shop_orders") is not None
    assert catalog.get("nope") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no contract document"),
        ("name: [unclosed", "invalid YAML"),
        ("name: x\nversion: 1.0.0\n", "invalid contract"),
    ],
)
def test_broken_files_are_refused_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text(content)
    with pytest.raises(ContractsFileError, match=message):
        read_catalog(path)


def test_missing_file_and_duplicate_names(
    tmp_path: Path, shipped_contracts: Any, contracts_file: Any
) -> None:
    with pytest.raises(ContractsFileError, match="cannot read contracts file"):
        read_catalog(tmp_path / "absent.yaml")
    first = shipped_contracts()[0]
    with pytest.raises(ContractsFileError, match="appear more than once"):
        read_catalog(contracts_file([first, first]))


async def test_edits_are_followed_and_a_broken_edit_keeps_the_last_good(
    shipped_contracts: Any, contracts_file: Any
) -> None:
    documents = shipped_contracts()
    path = contracts_file(documents[:1])
    store = ContractStore(path)
    assert (await store.current()).names == ["shop_customers"]

    path.write_text(contracts_file(documents[:2]).read_text())
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock's resolution
    assert (await store.current()).names == ["shop_customers", "shop_products"]

    path.write_text("name: [broken")
    os.utime(path, ns=(2, 2))
    assert (await store.current()).names == ["shop_customers", "shop_products"]


async def test_metrics_follow_the_edited_file(
    database: str, make_settings: Any, make_client: Any, shipped_contracts: Any, contracts_file: Any
) -> None:
    documents = shipped_contracts()
    path = contracts_file(documents[:1])
    async with make_client(make_settings(database, contracts_path=path)) as client:
        assert list((await client.get("/metrics")).json()["datasets"]) == ["shop_customers"]
        path.write_text(contracts_file(documents).read_text())
        os.utime(path, ns=(5, 5))
        assert len((await client.get("/metrics")).json()["datasets"]) == 4
