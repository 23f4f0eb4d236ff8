"""Realistic shop rows made with Faker; shared by the seed command and the generator."""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from faker import Faker

from data_service.dataset.models import CURRENCIES, LOYALTY_TIERS

COUNTRIES = ("DE", "FR", "GB", "US", "NL", "ES", "IT", "SE", "PL", "IE")
CATEGORIES = ("books", "electronics", "garden", "home", "kitchen", "sports", "toys", "beauty")
PRODUCT_KINDS = ("Lamp", "Kettle", "Backpack", "Notebook", "Headphones", "Mug", "Chair", "Ball")
# Loyalty tiers by share of customers.
TIER_WEIGHTS = (70, 20, 8, 2)
# Share of customers who gave a phone number (the contract's completeness SLA is 95%).
PHONE_SHARE = 0.98


def faker_for(seed: int) -> Faker:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", text.lower()).strip(".") or "customer"


def customer_row(
    fake: Faker, rng: random.Random, tag: str, created_at: datetime, updated_at: datetime
) -> dict[str, Any]:
    """``tag`` makes the e-mail unique (an index in the seed, a random token in the generator)."""
    name = fake.name()
    return {
        "email": f"{_slug(name)}.{tag}@{fake.safe_domain_name()}",
        "full_name": name,
        "phone": fake.phone_number()[:40] if rng.random() < PHONE_SHARE else None,
        "country_code": rng.choice(COUNTRIES),
        "loyalty_tier": rng.choices(LOYALTY_TIERS, weights=TIER_WEIGHTS)[0],
        "created_at": created_at,
        "updated_at": updated_at,
    }


def product_row(fake: Faker, rng: random.Random, sku: str, updated_at: datetime) -> dict[str, Any]:
    return {
        "sku": sku,
        "name": f"{fake.color_name()} {fake.word().title()} {rng.choice(PRODUCT_KINDS)}"[:200],
        "category": rng.choice(CATEGORIES),
        "unit_price": Decimal(rng.randint(199, 49_999)) / 100,
        "active": rng.random() < 0.95,
        "updated_at": updated_at,
    }


@dataclass(frozen=True)
class Line:
    product_id: int
    quantity: int
    unit_price: Decimal


def order_lines(rng: random.Random, products: list[tuple[int, Decimal]]) -> list[Line]:
    picked = rng.sample(products, k=min(len(products), rng.randint(1, 4)))
    return [Line(pid, rng.randint(1, 5), price) for pid, price in picked]


def order_row(
    rng: random.Random,
    customer_id: int,
    lines: list[Line],
    status: str,
    placed_at: datetime,
    updated_at: datetime,
) -> dict[str, Any]:
    return {
        "order_number": uuid.UUID(int=rng.getrandbits(128), version=4),
        "customer_id": customer_id,
        "status": status,
        "currency": rng.choice(CURRENCIES),
        "total_amount": sum((line.unit_price * line.quantity for line in lines), Decimal("0")),
        "placed_at": placed_at,
        "updated_at": updated_at,
    }


def item_rows(order_id: int, lines: list[Line], updated_at: datetime) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order_id,
            "line_number": number,
            "product_id": line.product_id,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "updated_at": updated_at,
        }
        for number, line in enumerate(lines, start=1)
    ]
