#!/usr/bin/env python3
"""Load the example organisation (Acme Retail) through DataPact's public APIs.

13 contracts from 4 publisher teams (examples/acme/*.yaml) with foreign keys between
them, PII fields, SLAs and subscribers; a version history with breaking and non-breaking
changes; the example shop's contracts (services/template-data-service/contract.yaml); and
watchers (active: each added with a token owning its address). Idempotent:
run it again and nothing changes.

Every one of those 17 contracts names the data agent of `make up` (http://127.0.0.1:8003)
as its endpoint: it serves the example database (the shop, and the organisation's tables in
schema acme, both filled by `python -m data_service.seed`), so the monitor checks them all.

    .venv/bin/python scripts/seed-example-data.py [--url http://127.0.0.1:8001]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from datapact_common.documents import load_contracts
from datapact_common.semver import SemVer
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, create_token

ROOT = Path(__file__).resolve().parent.parent
Document = dict[str, Any]


def _without_field(doc: Document, name: str) -> Document:
    doc["schema"] = [f for f in doc["schema"] if f["name"] != name]
    for sub in doc.get("subscribers", []):
        sub["fields_used"] = [f for f in sub.get("fields_used", []) if f != name]
    return doc


def _with_field(doc: Document, field: Document) -> Document:
    doc["schema"].append(field)
    return doc


def _enum(doc: Document, field: str, values: list[str]) -> Document:
    for f in doc["schema"]:
        if f["name"] == field:
            f["constraints"] = [
                {**c, "value": values} if c["type"] == "enum" else c for c in f["constraints"]
            ]
    return doc


def _versioned(
    version: str, change: Callable[[Document], Document]
) -> Callable[[Document], Document]:
    def build(latest: Document) -> Document:
        doc = change(copy.deepcopy(latest))
        doc["version"] = version
        return doc

    return build


LEGACY_CHANNEL = {
    "name": "sales_channel",
    "data_type": "string",
    "description": "Legacy channel code (web/app), replaced by order attribution",
}

# Older versions, oldest first, derived from the latest document in examples/acme. Each step
# is pushed as an update, so the registry records real, classified history.
HISTORY: dict[str, list[Callable[[Document], Document]]] = {
    # 1.0.0 → 1.1.0 adds coupon_code (minor) → 2.0.0 removes sales_channel (breaking).
    "orders": [
        _versioned(
            "1.0.0", lambda d: _with_field(_without_field(d, "coupon_code"), LEGACY_CHANNEL)
        ),
        _versioned("1.1.0", lambda d: _with_field(d, LEGACY_CHANNEL)),
    ],
    # 1.0.0 → 1.0.1 (description) → 1.1.0 adds phone (minor).
    "customers": [
        _versioned("1.0.0", lambda d: {**_without_field(d, "phone"), "description": "Customers."}),
        _versioned("1.0.1", lambda d: _without_field(d, "phone")),
    ],
    # 1.0.0 → 1.1.0 adds the 'invoice' payment method (enum value: warning, minor).
    "payments": [_versioned("1.0.0", lambda d: _enum(d, "method", ["card", "paypal"]))],
}

WATCHERS = [
    {"target": "data-governance@acme.example", "event_types": []},
    {
        "target": "cfo-office@acme.example",
        "team": "payments",
        "event_types": ["contract_updated", "deprecation_warning"],
    },
    {
        "target": "oncall-commerce@acme.example",
        "contract_name": "orders",
        "event_types": ["schema_drift", "quality_breach", "availability_breach"],
    },
]


def secret_key() -> str:
    if os.environ.get("DATAPACT_SECRET_KEY"):
        return os.environ["DATAPACT_SECRET_KEY"]
    env_file = ROOT / ".env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "DATAPACT_SECRET_KEY" and value.strip():
                return value.strip().strip("'\"")
    return DEVELOPMENT_SECRET


class Registry:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def current(self, name: str) -> Document | None:
        response = self.client.get(f"/api/v1/contracts/name/{name}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        result: Document = response.json()
        return result

    def push(self, doc: Document) -> str:
        existing = self.current(doc["name"])
        if existing is None:
            response = self.client.post("/api/v1/contracts", json=doc)
            _check(response, doc)
            return f"created {doc['name']} {doc['version']}"
        if SemVer.parse(existing["version"]) >= SemVer.parse(doc["version"]):
            return f"kept {doc['name']} {existing['version']}"
        response = self.client.put(f"/api/v1/contracts/{existing['id']}", json=doc)
        _check(response, doc)
        return f"updated {doc['name']} {existing['version']} -> {doc['version']}"

    def subscribe(self, doc: Document) -> list[str]:
        """Make the registered subscriptions those the document lists (updates keep the
        registered ones whatever a document says: docs/interfaces.md)."""
        current = self.current(doc["name"])
        assert current is not None
        url = f"/api/v1/contracts/{current['id']}/subscribers"
        registered = {s["team"]: s for s in current.get("subscribers", [])}
        done = []
        for sub in doc.get("subscribers", []):
            wanted = {"use_case": None, "fields_used": [], "contact_email": None, **sub}
            have = registered.get(sub["team"])
            if have is None:
                _check(self.client.post(url, json=wanted), doc)
                done.append(f"subscribed {sub['team']} to {doc['name']}")
            elif any(
                have.get(k) != wanted[k] for k in ("use_case", "fields_used", "contact_email")
            ):
                body = {k: wanted[k] for k in ("use_case", "fields_used", "contact_email")}
                team = quote(sub["team"], safe="")
                _check(self.client.put(f"{url}/{team}", json=body), doc)
                done.append(f"updated {sub['team']}'s subscription to {doc['name']}")
        return done


def _check(response: httpx.Response, doc: Document) -> None:
    if response.status_code >= 400:
        raise SystemExit(
            f"{doc['name']} {doc['version']}: HTTP {response.status_code} {response.text}"
        )


EXAMPLE_ENDPOINT = "http://127.0.0.1:8003"


def seed_contracts(registry: Registry, agent_url: str | None = None) -> int:
    files = sorted((ROOT / "examples" / "acme").glob("*.yaml"))
    template = ROOT / "services" / "template-data-service" / "contract.yaml"
    if template.exists():
        files.append(template)
    count = 0
    for path in files:
        for contract in load_contracts(path.read_text()):
            latest = contract.to_document(exclude_defaults=True)
            access = latest.get("access")
            if agent_url and access and access.get("endpoint_url") == EXAMPLE_ENDPOINT:
                # the agent elsewhere (compose's data-agent, the dashboard's own stack)
                access["endpoint_url"] = agent_url
            for build in HISTORY.get(contract.name, []):
                print(" ", registry.push(build(latest)))
            print(" ", registry.push(latest))
            for line in registry.subscribe(latest):
                print(" ", line)
            count += 1
    return count


def seed_watchers(client: httpx.Client) -> None:
    try:
        existing = client.get("/api/v1/watchers", params={"limit": 500})
    except httpx.HTTPError as exc:
        print(f"  notification service unreachable ({exc}); watchers skipped")
        return
    if existing.status_code >= 400:
        print(f"  watchers skipped: HTTP {existing.status_code} {existing.text[:200]}")
        return
    items: list[dict[str, Any]] = existing.json()["watchers"]
    known = {(w.get("target"), w.get("contract_name"), w.get("team")) for w in items}
    for watcher in WATCHERS:
        key = (watcher["target"], watcher.get("contract_name"), watcher.get("team"))
        if key in known:
            print(f"  kept watcher {watcher['target']}")
            continue
        # Added by each address's owner (a token with its email claim), so the watchers are
        # active at once; an admin adding them would leave them pending until each confirmed.
        owner = create_token(
            secret_key(),
            "seed-example-data",
            scopes=[Scope.CONTRACTS_WRITE],
            email=str(watcher["target"]),
        )
        response = client.post(
            "/api/v1/watchers", json=watcher, headers={"Authorization": f"Bearer {owner}"}
        )
        status = "added" if response.status_code < 400 else f"failed ({response.text[:200]})"
        print(f"  {status} watcher {watcher['target']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("CONTRACT_SERVICE_URL", "http://127.0.0.1:8001")
    )
    parser.add_argument(
        "--notification-url",
        default=os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:8004"),
    )
    parser.add_argument(
        "--agent-url",
        "--template-url",
        dest="agent_url",
        help=f"endpoint_url of the example contracts: where the monitor reaches the data "
        f"agent serving the example database (default: as they say, {EXAMPLE_ENDPOINT})",
    )
    args = parser.parse_args()
    token = create_token(secret_key(), "seed-example-data", scopes=[Scope.ADMIN])
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=args.url, headers=headers, timeout=30) as client:
        print(f"contracts -> {args.url}")
        count = seed_contracts(Registry(client), args.agent_url)
    with httpx.Client(base_url=args.notification_url, headers=headers, timeout=10) as client:
        print(f"watchers -> {args.notification_url}")
        seed_watchers(client)
    print(f"example organisation ready: {count} contracts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
