"""Choosing the part of the graph to draw, and drawing it as React Flow JSON."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.exceptions import NotFoundError
from dictionary_service.erd import repository
from dictionary_service.erd.repository import DatasetRow, RelationshipRow, SubscriptionRow
from dictionary_service.erd.schemas import (
    DatasetNode,
    DatasetNodeData,
    ErdField,
    ErdGraph,
    ForeignKeyData,
    ForeignKeyEdge,
    SubscriptionData,
    SubscriptionEdge,
    TeamNode,
    TeamNodeData,
)

MAX_DEPTH = 5


@dataclass(frozen=True)
class Limits:
    """The most one ERD draws (DICTIONARY_ERD_MAX_DATASETS / _FIELDS)."""

    datasets: int
    fields: int


@dataclass(frozen=True)
class Graph:
    datasets: list[DatasetRow]
    relationships: list[RelationshipRow]
    missing: list[str]
    subscriptions: list[SubscriptionRow]
    # How many datasets the filter selected; fewer are drawn when the graph was cut.
    total_datasets: int = 0
    note: str | None = None

    @property
    def truncated(self) -> bool:
        return self.note is not None


async def load_graph(
    session: AsyncSession,
    *,
    team: str | None = None,
    dataset: str | None = None,
    depth: int = 1,
    limits: Limits | None = None,
) -> Graph:
    """All datasets; those a team publishes or subscribes to (and what their foreign keys
    point at); or one dataset and its neighbours ``depth`` foreign keys away (with a team
    too: only the neighbours that team publishes or subscribes to).

    At most ``limits`` are drawn: in name order, the focal dataset or the team's own first.
    Foreign keys to a dataset that was cut are left out; ``note`` says how to see the rest.
    """
    candidates: set[str] | None
    first: list[str] = []
    relationships: list[RelationshipRow] | None = None
    if dataset:
        if not await repository.dataset_exists(session, dataset):
            raise NotFoundError(f"dataset '{dataset}' is not in the dictionary")
        selected = {dataset}
        frontier = {dataset}
        for _ in range(depth):
            frontier = await repository.neighbours(session, frontier) - selected
            if not frontier:
                break
            selected |= frontier
        if team:
            selected &= await repository.names_for_team(session, team) | {dataset}
        relationships = [
            r
            for r in await repository.load_relationships(session, selected)
            if r.to_dataset in selected
        ]
        candidates, first = selected, [dataset]
    elif team:
        selected = await repository.names_for_team(session, team)
        relationships = await repository.load_relationships(session, selected)
        candidates = selected | {r.to_dataset for r in relationships}
        first = sorted(selected)
    else:
        candidates = None

    sizes = await repository.dataset_sizes(session, candidates)
    existing = {name for name, _ in sizes}
    included = _within(sizes, first, limits)
    cut = len(included) < len(sizes)
    # Unfiltered and whole: no need to name every dataset in the queries.
    names = None if candidates is None and not cut else included
    if relationships is None:
        relationships = await repository.load_relationships(session, names)
    kept = [
        r
        for r in relationships
        if r.from_dataset in included and (r.to_dataset in included or r.to_dataset not in existing)
    ]
    return Graph(
        datasets=await repository.load_datasets(session, names),
        relationships=kept,
        missing=sorted({r.to_dataset for r in kept} - existing),
        subscriptions=await repository.load_subscriptions(session, names),
        total_datasets=len(sizes),
        note=_note(len(included), len(sizes), limits) if cut and limits else None,
    )


def _within(sizes: list[tuple[str, int]], first: list[str], limits: Limits | None) -> set[str]:
    """The datasets drawn: ``first`` (those that exist) then the rest by name, while they fit
    (always at least one)."""
    if limits is None:
        return {name for name, _ in sizes}
    count_of = dict(sizes)
    order = [n for n in first if n in count_of]
    order += [n for n, _ in sizes if n not in set(order)]
    included: set[str] = set()
    fields = 0
    for name in order:
        if included and (
            len(included) >= limits.datasets or fields + count_of[name] > limits.fields
        ):
            break
        included.add(name)
        fields += count_of[name]
    return included


def _note(shown: int, total: int, limits: Limits) -> str:
    return (
        f"showing {shown} of {total} datasets: an ERD draws at most {limits.datasets} "
        f"datasets and {limits.fields} fields, and foreign keys to datasets left out are not "
        "drawn. Filter with ?team=<team> (what a team publishes and reads) or "
        "?dataset=<name>&depth=<0-5> (one dataset and its neighbours) to see the rest."
    )


def dataset_node_id(name: str) -> str:
    return f"dataset:{name}"


def team_node_id(name: str) -> str:
    return f"team:{name}"


def to_react_flow(graph: Graph) -> ErdGraph:
    fields_of = {d.name: {f.name for f in d.fields} for d in graph.datasets}
    nodes: list[DatasetNode | TeamNode] = [
        DatasetNode(
            id=dataset_node_id(d.name),
            data=DatasetNodeData(
                name=d.name,
                missing=False,
                team=d.publisher_team,
                status=d.status,
                version=d.version,
                description=d.description,
                fields=[
                    ErdField(
                        name=f.name,
                        data_type=f.data_type,
                        nullable=f.nullable,
                        is_primary_key=f.is_primary_key,
                        is_foreign_key=f.is_foreign_key,
                        is_pii=f.is_pii,
                        references=f.foreign_key_reference,
                    )
                    for f in d.fields
                ],
            ),
        )
        for d in graph.datasets
    ]
    nodes += [
        DatasetNode(id=dataset_node_id(name), data=DatasetNodeData(name=name, missing=True))
        for name in graph.missing
    ]
    teams = sorted({s.team for s in graph.subscriptions})
    nodes += [TeamNode(id=team_node_id(t), data=TeamNodeData(name=t)) for t in teams]

    edges: list[ForeignKeyEdge | SubscriptionEdge] = []
    for r in graph.relationships:
        missing = r.to_dataset not in fields_of
        edges.append(
            ForeignKeyEdge(
                id=f"fk:{r.from_dataset}.{r.from_field}",
                source=dataset_node_id(r.from_dataset),
                target=dataset_node_id(r.to_dataset),
                label=r.from_field,
                missing=missing,
                data=ForeignKeyData(
                    from_field=r.from_field,
                    to_field=r.to_field,
                    cardinality="one-to-one" if r.is_unique else "many-to-one",
                    optional=r.nullable,
                    missing_field=not missing and r.to_field not in fields_of[r.to_dataset],
                ),
            )
        )
    for s in graph.subscriptions:
        edges.append(
            SubscriptionEdge(
                id=f"sub:{s.team}->{s.dataset}",
                source=team_node_id(s.team),
                target=dataset_node_id(s.dataset),
                label=s.use_case or "subscribes",
                data=SubscriptionData(team=s.team, use_case=s.use_case, fields_used=s.fields_used),
            )
        )
    return ErdGraph(
        nodes=nodes,
        edges=edges,
        total_datasets=graph.total_datasets,
        truncated=graph.truncated,
        message=graph.note,
    )


def react_flow_json(graph: Graph) -> bytes:
    """The response body; seconds of CPU for a big graph, so it runs off the event loop."""
    return to_react_flow(graph).model_dump_json().encode()
