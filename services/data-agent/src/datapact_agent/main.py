"""The FastAPI app of the data agent (``datapact-agent serve`` runs it)."""

from __future__ import annotations

from fastapi import FastAPI

from datapact_agent import health
from datapact_agent.agent import Agent
from datapact_agent.config import Settings
from datapact_agent.contracts.catalogue import ContractsError, ContractStore, contract_paths
from datapact_agent.contracts.registry import RegistryStore, is_registry
from datapact_agent.metrics.router import router as metrics_router
from datapact_agent.schema.router import router as schema_router
from datapact_common.data_service_auth import DataServiceAuth
from datapact_common.engines.registry import open_engine
from datapact_common.web import BodySizeLimitMiddleware, install_error_handlers
from datapact_common.web.lifespan import build_lifespan, held, on_start

MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings) -> FastAPI:
    """Raises ContractsError / UnsupportedDatabase with the reason when settings are wrong."""
    settings.configure_logging()
    if not settings.contracts:
        raise ContractsError("no contracts (--contracts or AGENT_CONTRACTS)")
    contracts: ContractStore | RegistryStore
    if is_registry(settings.contracts):
        contracts = RegistryStore(
            settings.contracts,
            settings.endpoint_url,
            token=settings.registry_token,
            table_map=settings.table_map,
            refresh_seconds=settings.contracts_refresh_seconds,
        )
    else:
        contracts = ContractStore(contract_paths(settings.contracts), settings.table_map)
    engine = open_engine(
        settings.database_url,
        pool_size=settings.concurrency + 2,  # + the catalogue and /health
        timeout_seconds=settings.query_timeout_seconds,
        app_name=settings.service_name,
    )
    # Made here, not at start-up, so wrong settings fail create_app (the CLI says why) and
    # in-process tests, which run no lifespan, have the agent; the lifespan closes it.
    agent = Agent(settings, engine)

    app = FastAPI(
        title="DataPact data agent",
        version="2.0.0",
        description="An existing database checked against its contracts: /health, /schema, "
        "/metrics (data service protocol 2)",
        lifespan=build_lifespan(
            held("agent", lambda state: agent, close=Agent.close),
            on_start(lambda: agent.start_warmup(contracts)),
        ),
    )
    app.state.settings = settings
    app.state.agent = agent
    app.state.contracts = contracts
    app.state.auth = DataServiceAuth(
        lambda: settings.datapact_secret_key,
        lambda: settings.datapact_reads_require_auth,
        endpoint_url=lambda: settings.endpoint_url,
        endpoint_setting="AGENT_ENDPOINT_URL",
        require_credential=lambda: settings.require_monitor_credential,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(schema_router)
    app.include_router(metrics_router)
    return app
