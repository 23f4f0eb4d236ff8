"""``datapact-agent serve --database-url URL --contracts PATH [--host H] [--port N]``.

Each flag has an environment name (AGENT_DATABASE_URL, AGENT_CONTRACTS, AGENT_HOST,
AGENT_PORT); a flag wins over the environment. Other settings are environment only
(docs/agent.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from datapact_agent.config import Settings
from datapact_agent.contracts.catalogue import ContractsError
from datapact_common.engines.registry import UnsupportedDatabaseError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datapact-agent",
        description="Serve an existing database under its DataPact contracts "
        "(/health, /schema, /metrics).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the data service protocol")
    serve.add_argument(
        "--database-url",
        help="postgresql://user@host/db, mysql://user:pw@host/db, duckdb:///file-or-folder "
        "(env AGENT_DATABASE_URL)",
    )
    serve.add_argument(
        "--contracts",
        help="a contracts file or a folder of them (several: comma separated), or a "
        "registry's URL (http://...: the active contracts whose endpoint_url is "
        "AGENT_ENDPOINT_URL) (env AGENT_CONTRACTS)",
    )
    serve.add_argument("--host", help="address to listen on (env AGENT_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env AGENT_PORT, default 8003)")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    given: dict[str, Any] = {
        name: value
        for name, value in (
            ("database_url", args.database_url),
            ("contracts", args.contracts),
            ("host", args.host),
            ("port", args.port),
        )
        if value is not None
    }
    return Settings(**given)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = settings_from(args)
        from datapact_agent.main import create_app

        app = create_app(settings)
    except (ValidationError, ContractsError, UnsupportedDatabaseError) as exc:
        print(f"datapact-agent: {exc}", file=sys.stderr)
        return 2
    import uvicorn

    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
