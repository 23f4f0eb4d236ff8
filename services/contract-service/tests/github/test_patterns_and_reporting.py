"""File patterns, settings from the environment, and GitHub's size limits in the report."""

from __future__ import annotations

from typing import Any

import pytest

from contract_service.github.config import GitHubSettings
from contract_service.github.reporting import (
    COMMENT_MARKER,
    PullRequestContext,
    annotation,
    build_report,
    cell,
    truncate,
)
from datapact_common.analysis.changes import Location
from datapact_common.analysis.patterns import is_contract_file, is_schema_file
from datapact_common.analysis.verdict import Category, Finding, Level, Verdict

SCHEMA = ["alembic/versions/", "migrations/", "schema.sql", "models.py", "models/"]
CONTRACTS = ["contract.yaml", "contract.yml", "*.contract.yaml", "*.contract.yml"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("alembic/versions/3f2a_add_tier.py", True),
        ("services/orders/alembic/versions/3f2a.py", True),
        ("db/migrations/V3__currency.sql", True),
        ("migrations/env.py", True),  # matched; the analyser sees it is not a migration
        ("db/schema.sql", True),
        ("app/models.py", True),
        ("app/models/order.py", True),
        ("tests/test_models.py", False),
        ("docs/migrations/README.md", False),  # only .py and .sql are read
        ("app/mymodels/order.py", False),
        ("schema.sql.bak", False),
    ],
)
def test_schema_patterns(path: str, expected: bool) -> None:
    assert is_schema_file(path, SCHEMA) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("contract.yaml", True),
        ("services/orders/contract.yml", True),
        ("contracts/orders.contract.yaml", True),
        ("contracts/orders.contract.yml", True),
        ("contracts/mycontract.yaml", False),
        ("contract.yaml.orig", False),
        ("contracts/orders.json", False),
    ],
)
def test_contract_patterns(path: str, expected: bool) -> None:
    assert is_contract_file(path, CONTRACTS) is expected


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SCHEMA_PATTERNS", "db/ddl/, *.prisma.sql ,")
    monkeypatch.setenv("GITHUB_CONTRACT_PATTERNS", "datacontract.yaml")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3/")
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END")
    settings = GitHubSettings()
    assert settings.github_schema_patterns == ["db/ddl/", "*.prisma.sql"]
    assert settings.github_contract_patterns == ["datacontract.yaml"]
    assert settings.github_api_url == "https://ghe.example.com/api/v3"
    assert settings.private_key_pem() == "-----BEGIN PRIVATE KEY-----\nabc\n-----END"
    assert "BEGIN" not in repr(settings)  # secrets stay out of logs


def test_private_key_from_a_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "app.pem"
    key.write_text("-----BEGIN RSA PRIVATE KEY-----\nxyz\n-----END RSA PRIVATE KEY-----\n")
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", str(key))
    assert GitHubSettings().private_key_pem().startswith("-----BEGIN RSA")
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", str(tmp_path / "missing.pem"))
    with pytest.raises(ValueError, match="neither a PEM key nor a readable file"):
        GitHubSettings().private_key_pem()


def test_truncation_respects_limits_and_line_ends() -> None:
    text = "\n".join(f"| row {i} | value |" for i in range(10_000))
    cut = truncate(text, 65535)
    assert len(cut) <= 65535
    assert cut.endswith("(truncated: see the annotations for every finding)")
    assert "\n| row" in cut and cut.split("\n\n…")[0].endswith("| value |")
    assert truncate("short", 10) == "short"


def finding(index: int, level: Level = Level.FAILURE) -> Finding:
    return Finding(
        level,
        Category.SCHEMA_NOT_IN_CONTRACT,
        "T" * 400,
        "m" * 70_000 + "é",
        Location.at("alembic/versions/x.py", index + 1),
        contract="orders",
        subscribers=["analytics"],
    )


def test_annotation_title_and_message_limits() -> None:
    item = annotation(finding(0))
    assert len(item["title"]) == 255 and item["title"].endswith("…")
    assert len(item["message"].encode()) <= 64 * 1024
    assert item["annotation_level"] == "failure"
    assert (item["start_line"], item["end_line"]) == (1, 1)


def test_report_and_comment_stay_within_githubs_limits() -> None:
    verdict = Verdict(findings=[finding(i) for i in range(300)])
    context = PullRequestContext(
        "acme/shop", 7, "a" * 40, schema_files=["alembic/versions/x.py"],
        check_run_url="https://github.com/acme/shop/runs/1",
    )  # fmt: skip
    report = build_report(verdict, context, "DataPact Contract Check")
    assert report.conclusion == "failure" and report.title == "Blocked: 300 contract problems"
    assert len(report.summary) <= 65535
    assert len(report.comment) <= 65536 and report.comment.startswith(COMMENT_MARKER)
    assert "[details](https://github.com/acme/shop/runs/1)" in report.comment
    assert len(report.annotations) == 300


def test_contract_text_cannot_break_the_markdown_table() -> None:
    assert cell("a|b\n<script>x</script>") == "a\\|b &lt;script&gt;x&lt;/script&gt;"


def test_a_change_that_could_not_be_read_completes_the_check_as_neutral() -> None:
    unread = Finding(
        Level.WARNING,
        Category.NOT_UNDERSTOOD,
        "Not checked",
        "table shop.orders: column memo not understood",
        Location.at("db/schema.sql", 12),
        contract="shop_orders",
        unchecked=True,
    )
    context = PullRequestContext("acme/shop", 7, "c" * 40, schema_files=["db/schema.sql"])
    report = build_report(Verdict(findings=[unread]), context, "DataPact Contract Check")
    assert report.conclusion == "neutral"
    assert report.title == "Not verified: 1 change could not be read"
    assert "⚪ not verified" in report.comment
    assert report.annotations[0]["annotation_level"] == "warning"


def test_the_unchecked_conclusion_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert GitHubSettings(_env_file=None).github_unchecked_conclusion == "neutral"
    monkeypatch.setenv("GITHUB_UNCHECKED_CONCLUSION", "failure")
    assert GitHubSettings(_env_file=None).github_unchecked_conclusion == "failure"
