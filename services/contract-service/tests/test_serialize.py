"""A fresh model dump is serialized without reordering: same text as the reordering path."""

from __future__ import annotations

import glob
from pathlib import Path

from contract_service.contracts.models import serialize, serialize_dump
from datapact_common.documents import load_contracts

REPO = Path(__file__).resolve().parents[3]


def test_a_model_dump_serializes_as_the_ordered_document() -> None:
    checked = 0
    for path in sorted(glob.glob(str(REPO / "examples" / "**" / "*.y*ml"), recursive=True)):
        try:
            contracts = load_contracts(Path(path).read_text())
        except Exception:  # not every YAML file there is a contract
            continue
        for contract in contracts:
            document = contract.to_document()
            assert serialize_dump(document) == serialize(document), path
            checked += 1
    assert checked >= 10
