"""A synthetic, deterministic registry: N contracts of F fields in realistic vocabulary.

Field names come from ~40 business nouns x ~16 attribute suffixes, so common words
("customer", "id", "amount") hit thousands of fields, as in a real company; about a third
of the `*_id` fields are foreign keys (a few pointing at datasets that do not exist).
"""

from __future__ import annotations

import random
from typing import Any

DOMAINS = [
    "identity", "commerce", "payments", "logistics", "marketing", "finance", "support",
    "catalog", "inventory", "pricing", "fraud", "risk", "growth", "crm", "billing",
    "search", "ads", "content", "mobile", "web", "data", "hr", "legal", "security", "partner",
]  # fmt: skip
TEAMS = [f"{d}-{kind}" for d in DOMAINS for kind in ("platform", "analytics")]
NOUNS = [
    "customer", "order", "product", "invoice", "payment", "shipment", "address", "account",
    "session", "device", "campaign", "coupon", "warehouse", "carrier", "supplier", "employee",
    "ticket", "review", "subscription", "refund", "merchant", "store", "basket", "price",
    "discount", "contract", "partner", "user", "event", "page", "click", "channel", "region",
    "country", "currency", "tax", "ledger", "transfer", "card", "loyalty",
]  # fmt: skip
SUFFIXES: list[tuple[str, str, str]] = [
    ("id", "uuid", "Identifier of the {noun}"),
    ("name", "string", "Display name of the {noun}"),
    ("code", "string", "Short code of the {noun}"),
    ("status", "string", "Lifecycle state of the {noun}"),
    ("type", "string", "Kind of {noun}"),
    ("amount", "decimal", "Monetary amount of the {noun} in EUR"),
    ("count", "integer", "Number of {noun} items"),
    ("date", "date", "Business date of the {noun}"),
    ("created_at", "timestamp", "When the {noun} was created"),
    ("updated_at", "timestamp", "When the {noun} last changed"),
    ("total", "decimal", "Total value of the {noun} including tax"),
    ("score", "float", "Model score of the {noun}"),
    ("flag", "boolean", "Whether the {noun} is flagged for review"),
    ("notes", "string", "Free-text notes about the {noun}"),
    ("metadata", "json", "Extra attributes of the {noun}"),
    ("tags", "array", "Labels attached to the {noun}"),
]
PII_FIELDS: list[tuple[str, str, str]] = [
    ("email", "string", "E-mail address of the person"),
    ("phone_number", "string", "Phone number of the person"),
    ("full_name", "string", "Full name as entered"),
    ("shipping_address", "string", "Street address for delivery"),
    ("billing_address", "string", "Street address on the invoice"),
    ("birth_date", "date", "Date of birth"),
    ("ip_address", "string", "Client IP address"),
]
TAGS = [
    "core", "pii", "gdpr", "finance", "revenue", "realtime", "batch", "ml", "reporting",
    "sox", "experimental", "legacy", "gold", "silver", "bronze", "external", "internal",
    "daily", "hourly", "archive",
]  # fmt: skip


def generate(contracts: int, fields: int, seed: int = 42) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    names: list[tuple[str, str]] = []  # (dataset name, entity noun)
    for i in range(contracts):
        domain, noun = DOMAINS[i % len(DOMAINS)], NOUNS[(i * 7) % len(NOUNS)]
        names.append((f"{domain}_{noun}s_{i:05d}", noun))
    vocabulary = [(f"{n}_{s}", t, d.format(noun=n)) for n in NOUNS for s, t, d in SUFFIXES]
    documents = []
    for index, (name, entity) in enumerate(names):
        schema: list[dict[str, Any]] = [
            {
                "name": f"{entity}_id",
                "data_type": "uuid",
                "nullable": False,
                "is_primary_key": True,
                "description": f"Identifier of the {entity}",
            }
        ]
        used = {schema[0]["name"]}
        while len(schema) < fields:
            if rng.random() < 0.06:
                field_name, data_type, description = rng.choice(PII_FIELDS)
                pii = True
            else:
                field_name, data_type, description = rng.choice(vocabulary)
                pii = False
            if field_name in used:
                continue
            used.add(field_name)
            entry: dict[str, Any] = {
                "name": field_name,
                "data_type": data_type,
                "description": description,
                "is_pii": pii,
            }
            if field_name.endswith("_id") and rng.random() < 0.35:
                noun = field_name[: -len("_id")]
                target = f"legacy_{noun}s" if rng.random() < 0.05 else rng.choice(names)[0]
                target_entity = target.split("_")[1][:-1] if target.count("_") >= 2 else noun
                entry.update(
                    is_foreign_key=True, foreign_key_reference=f"{target}.{target_entity}_id"
                )
            schema.append(entry)
        team = TEAMS[index % len(TEAMS)]
        subscribers = [
            {"team": t, "use_case": f"{t} reporting"}
            for t in sorted(set(rng.sample(TEAMS, rng.randint(0, 3))) - {team})
        ]
        documents.append(
            {
                "name": name,
                "version": "1.0.0",
                "description": f"{entity.capitalize()} records of the {name.split('_')[0]} "
                f"domain, partition {index % 97}.",
                "status": "deprecated" if rng.random() < 0.05 else "active",
                "publisher": {"team": team, "owner": f"{team}-owner"},
                "schema": schema,
                "subscribers": subscribers,
                "tags": rng.sample(TAGS, rng.randint(1, 3)),
            }
        )
    return documents
