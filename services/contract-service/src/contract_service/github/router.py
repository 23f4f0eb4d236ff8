"""``POST /api/v1/webhooks/github``: verify, store once, queue — answered in milliseconds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from contract_service.database import SessionDep
from contract_service.github import service
from contract_service.github.config import GitHubSettings, get_github_settings

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

GitHubSettingsDep = Annotated[GitHubSettings, Depends(get_github_settings)]

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "ping answered, or a delivery already received (not processed again)"},
    202: {"description": "queued for the contract-worker, or ignored (event not checked)"},
    400: {"description": "missing GitHub headers or a body that is not a JSON payload"},
    401: {"description": "bad or missing signature, or no webhook secret configured"},
    413: {"description": "body over the size limit"},
    422: {"description": "the payload is not the event it claims to be"},
}


@router.post("/github", status_code=202, responses=_RESPONSES)
async def github_webhook(
    request: Request,
    session: SessionDep,
    settings: GitHubSettingsDep,
    x_github_event: Annotated[str | None, Header()] = None,
    x_github_delivery: Annotated[str | None, Header()] = None,
    x_hub_signature_256: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """A GitHub App (or repository) webhook delivery: `pull_request`, `push` or `ping`."""
    body = await request.body()
    service.verify_signature(settings, body, x_hub_signature_256)
    event, delivery_id = service.check_headers(x_github_event, x_github_delivery)
    payload = service.parse_payload(body, request.headers.get("content-type"))
    receipt = await service.receive(
        session, settings, event=event, delivery_id=delivery_id, payload=payload
    )
    return JSONResponse(status_code=receipt.status_code, content=receipt.body)
