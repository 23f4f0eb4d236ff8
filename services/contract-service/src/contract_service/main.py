"""The contract-service API: `uvicorn contract_service.main:app`."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from contract_service import background, health
from contract_service.compliance.router import router as compliance_router
from contract_service.config import Settings, get_settings
from contract_service.contracts.fast_reads import fast_reads
from contract_service.contracts.router import router as contracts_router
from contract_service.database import get_engine
from contract_service.dependencies import auth
from contract_service.drafts.router import router as drafts_router
from contract_service.github.router import router as github_router
from contract_service.odcs.router import router as odcs_router
from contract_service.openapi import customize_openapi
from contract_service.proposals.router import router as proposals_router
from contract_service.proposals.schemas import AnswerRequest, PublishRequest
from contract_service.subscribers.router import router as subscribers_router
from contract_service.subscribers.schemas import SubscriberUpdate
from contract_service.sunsets.router import router as sunsets_router
from contract_service.versions.router import router as versions_router
from datapact_common.contract_schema import ContractDefinition, Subscriber
from datapact_common.web import BodySizeLimitMiddleware, install_error_handlers
from datapact_common.web.lifespan import build_lifespan, engine, freeze_gc, on_stop

# Every router of the app; adding a domain is one line here.
ROUTERS: list[APIRouter] = [
    health.router,
    odcs_router,  # before the contract routes: /odcs is no contract id
    contracts_router,
    versions_router,
    subscribers_router,
    compliance_router,
    github_router,
    drafts_router,
    proposals_router,
    sunsets_router,
]


# At shutdown, in reverse: the after-commit tasks still running finish, then the pool closes.
lifespan = build_lifespan(engine(get_engine), on_stop(background.drain), freeze_gc())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.configure_logging()
    app = FastAPI(
        title="DataPact Contract Service",
        description="Registry of data contracts: versions, change classification, "
        "subscribers and compliance results.",
        version="0.1.0",
        lifespan=lifespan,
        **settings.api_docs_options(),
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    # The two hot GETs ahead of FastAPI's routing; the same answers (contracts/fast_reads.py).
    app.router.routes[0:0] = fast_reads()
    customize_openapi(
        app,
        ROUTERS,
        [ContractDefinition, Subscriber, SubscriberUpdate, AnswerRequest, PublishRequest],
        required_auth=auth.required_dependencies(),
        optional_auth=[auth.reader],
    )
    return app


app = create_app()
