"""The analysis is shared by the contract-service and the CLI: it must stay free of both."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import datapact_common.analysis as analysis

FORBIDDEN = ("contract_service", "datapact_cli", "fastapi", "starlette", "sqlalchemy", "httpx")


def test_the_analysis_imports_no_service_web_or_database_code() -> None:
    found = pkgutil.iter_modules(analysis.__path__)
    modules = [f"datapact_common.analysis.{m.name}" for m in found]
    assert "datapact_common.analysis.verdict" in modules
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}"
        " or m in ('datapact_common.web', 'datapact_common.db')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout
