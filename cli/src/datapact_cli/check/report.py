"""One checked change set: the verdict plus what it was computed from (for every format)."""

from __future__ import annotations

from dataclasses import dataclass, field

from datapact_common.analysis import summary
from datapact_common.analysis.verdict import Verdict

CHECK_NAME = "DataPact Contract Check"


@dataclass
class CheckRun:
    verdict: Verdict
    base_ref: str
    base_commit: str
    head_ref: str
    head_commit: str
    merge_base: str
    compared_with: str
    schema_files: list[str] = field(default_factory=list)
    contract_files: list[str] = field(default_factory=list)

    @property
    def conclusion(self) -> str:
        return self.verdict.conclusion

    @property
    def title(self) -> str:
        changed = bool(self.schema_files or self.contract_files)
        return summary.title(self.verdict, files_changed=changed)
