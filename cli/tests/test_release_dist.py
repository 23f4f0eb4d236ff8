"""`make dist` (the release workflow's build): publishable packages whose CLI depends on the
same version of datapact-common, not on a path."""

from __future__ import annotations

import email
import os
import subprocess
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def test_dist_builds_versioned_packages_with_a_pinned_dependency(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    done = subprocess.run(
        [str(REPO / "scripts" / "build-dist.sh"), "9.8.7rc1"],
        env={**os.environ, "DIST_DIR": str(out)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    wheels = {w.name.split("-")[0]: w for w in out.glob("*.whl")}
    assert set(wheels) == {"datapact_common", "datapact_cli"}
    assert len(list(out.glob("*.tar.gz"))) == 2
    cli = metadata(wheels["datapact_cli"])
    assert cli["Version"] == "9.8.7rc1"
    assert "datapact-common (==9.8.7rc1)" in cli.get_all("Requires-Dist", [])
    assert not any("file:" in r or "@" in r for r in cli.get_all("Requires-Dist", []))
    assert metadata(wheels["datapact_common"])["Version"] == "9.8.7rc1"
    with zipfile.ZipFile(wheels["datapact_cli"]) as archive:
        assert "datapact_cli/check/command.py" in archive.namelist()
        assert not any(n.startswith("tests/") for n in archive.namelist())


def test_dist_refuses_a_version_that_is_not_one(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(REPO / "scripts" / "build-dist.sh"), "v1.2"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "usage:" in done.stderr
