"""Global options, shared by the commands through the Typer context."""

from __future__ import annotations

from dataclasses import dataclass

import typer

from datapact_cli.client import RegistryClient


@dataclass(frozen=True)
class State:
    url: str
    token: str | None
    timeout: float

    def client(self) -> RegistryClient:
        return RegistryClient(self.url, self.token, self.timeout)


def state(ctx: typer.Context) -> State:
    found = ctx.find_object(State)
    assert found is not None, "the main callback sets the state"
    return found
