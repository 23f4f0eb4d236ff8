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
class Graph:
    datasets: list[DatasetRow]
    relationships: list[RelationshipRow]
    missing: list[str]
    subscriptions: list[SubscriptionRow]


async def load_graph(
    session: AsyncSession, *, team: str | None = None, dataset: str | None = None, depth: int = 1
) -> Graph:
    """All datasets; those a team publishes or subscribes to (and what their foreign keys
    point at); or one dataset and its neighbours ``depth`` foreign keys away (with a team
    too: only the neighbours that team publishes or subscribes to)."""
    selected: set[str] | None
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
    elif team:
        selected = await repository.names_for_team(session, team)
        relationships = await repository.load_relationships(session, selected)
    else:
        selected = None
        relationships = await repository.load_relationships(session, None)

    targets = {r.to_dataset for r in relationships}
    datasets = await repository.load_datasets(
        session, None if selected is None else selected | targets
    )
    present = {d.name for d in datasets}
    wanted = targets if selected is None else targets | selected
    return Graph(
        datasets=datasets,
        relationships=relationships,
        missing=sorted(wanted - present),
        subscriptions=await repository.load_subscriptions(session, selected),
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
    return ErdGraph(nodes=nodes, edges=edges)
