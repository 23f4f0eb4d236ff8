"""Listed contracts are parsed once while their documents stay the same: a new compliance
summary (every sweep writes one) is not a new contract, any other change is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compliance_monitor.monitoring import targets
from compliance_monitor.monitoring.targets import to_target


def test_a_contract_is_parsed_once_until_it_changes(
    make_document: Callable[..., dict[str, Any]],
) -> None:
    document = {**make_document(name="parsed_once"), "id": "c1", "compliance": {"status": "pass"}}
    first = to_target(document)
    later = to_target({**document, "id": "c1", "compliance": {"status": "fail"}})
    assert first.contract is not None and later.contract is first.contract
    assert later.document["compliance"] == {"status": "fail"}  # the listed document, as listed

    changed = to_target({**document, "description": "another"})
    assert changed.contract is not None and changed.contract is not first.contract
    assert changed.contract.description == "another"


def test_an_invalid_document_stays_invalid(make_document: Callable[..., dict[str, Any]]) -> None:
    document = {**make_document(name="parsed_bad"), "id": "c2", "version": "not semver"}
    for _ in range(2):
        target = to_target(document)
        assert target.contract is None
        assert target.problem and target.problem.startswith("the registered document is invalid")


def test_the_cache_is_bounded(
    make_document: Callable[..., dict[str, Any]], monkeypatch: Any
) -> None:
    monkeypatch.setattr(targets, "PARSED_MAX", 3)
    for n in range(5):
        to_target(make_document(name=f"bounded_{n}"))
    assert len(targets._PARSED) == 3


def test_nan_and_null_are_different_documents(
    make_document: Callable[..., dict[str, Any]],
) -> None:
    """A listing may hold NaN (the listing is read leniently): it must not share a cached
    parse with null."""
    document = {**make_document(name="nan_or_null"), "id": "c3"}
    valid = to_target({**document, "description": None})
    invalid = to_target({**document, "description": float("nan")})
    assert valid.contract is not None
    assert invalid.contract is None and invalid.problem
