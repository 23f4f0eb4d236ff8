"""An import-linter contract type of DataPact's: no import cycle between modules.

Import-linter's own ``acyclic_siblings`` compares packages (a domain folder as a whole); this
one compares modules, so ``a.service`` → ``b.worker`` → ``a.service`` is refused even where
the packages around them still lean on each other. ``make lint`` loads it through
``contract_types`` in pyproject.toml with ``scripts/`` on ``PYTHONPATH``.
"""

from __future__ import annotations

from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        packages: list[str] = self.packages  # type: ignore[assignment]
        cycles: list[list[str]] = []
        for package in packages:
            modules = graph.find_descendants(package) | {package}
            cycles += strongly_connected(graph, modules)
        details = [(cycle, _imports_within(graph, cycle)) for cycle in cycles]
        return ContractCheck(kept=not cycles, metadata={"cycles": details})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle, imports in check.metadata["cycles"]:
            output.print_error(f"These modules import each other in a cycle: {', '.join(cycle)}")
            for importer, imported, line_number in imports:
                output.print_error(f"- {importer} -> {imported} (l.{line_number})")
            output.new_line()


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The groups of two or more ``modules`` that reach each other (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, _next(graph, root, modules))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            if successors:
                child = successors.pop()
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, _next(graph, child, modules)))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def _next(graph: grimp.ImportGraph, module: str, modules: set[str]) -> list[str]:
    return sorted(graph.find_modules_directly_imported_by(module) & modules, reverse=True)


def _imports_within(graph: grimp.ImportGraph, cycle: list[str]) -> list[tuple[str, str, Any]]:
    members = set(cycle)
    found = []
    for importer in cycle:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                found.append((importer, imported, detail["line_number"]))
    return found
