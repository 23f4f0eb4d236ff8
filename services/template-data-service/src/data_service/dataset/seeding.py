"""Fill the shop with a deterministic history; running it again adds nothing.

Every row is derived from ``seed`` before the database is touched, and each table is
written with ``ON CONFLICT DO NOTHING`` on its natural key (e-mail, SKU, order number,
order line), so a second run (or a run after a partial one) only fills what is missing.
Timestamps are spread over the past year up to now, so a fresh seed meets the contract's
freshness SLAs; the generator keeps them met afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from data_service.dataset.fake import (
    customer_row,
    faker_for,
    item_rows,
    order_lines,
    order_row,
    product_row,
)
from data_service.dataset.models import Base, Customer, Order, OrderItem, Product
from datapact_common.timeutil import utcnow

HISTORY = timedelta(days=365)
_CHUNK = 1000


@dataclass(frozen=True)
class SeedReport:
    inserted: dict[str, int]
    totals: dict[str, int]


def _status_for(age: timedelta, rng: random.Random) -> str:
    if rng.random() < 0.03:
        return "cancelled"
    if age < timedelta(hours=2):
        return "pending"
    if age < timedelta(days=1):
        return "paid"
    if age < timedelta(days=4):
        return "shipped"
    return "delivered"


async def _insert(
    session: AsyncSession, model: type[Base], rows: Sequence[dict[str, Any]], keys: list[str]
) -> int:
    inserted = 0
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        statement = insert(model).on_conflict_do_nothing(index_elements=keys)
        result = await session.execute(statement.returning(model.__table__.c.id), chunk)
        inserted += len(result.all())
    return inserted


async def seed_shop(session: AsyncSession, rows: int, seed: int = 42) -> SeedReport:
    """Seed ``rows`` orders (with ~rows/5 customers, up to 200 products, 1-4 lines each)."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not security
    fake = faker_for(seed)
    now = utcnow()
    n_customers = max(1, rows // 5)
    n_products = min(200, max(5, rows // 25))

    products = []
    for i in range(n_products):
        updated = now if i == n_products - 1 else now - HISTORY * rng.random()
        products.append(product_row(fake, rng, f"SKU-{i:06d}", updated))
    customers = []
    for i in range(n_customers):
        created = now - HISTORY * (n_customers - 1 - i) / n_customers
        updated = (
            now if i == n_customers - 1 else min(now, created + timedelta(days=rng.uniform(0, 30)))
        )
        customers.append(customer_row(fake, rng, f"{i:06d}", created, updated))
    plans: list[tuple[int, list[Any], dict[str, Any]]] = []
    for i in range(rows):
        placed = now - HISTORY * (rows - 1 - i) / rows
        age = now - placed
        status = _status_for(age, rng)
        updated = (
            now if i == rows - 1 else min(now, placed + min(age, timedelta(days=5)) * rng.random())
        )
        lines = order_lines(rng, [(p, products[p]["unit_price"]) for p in range(n_products)])
        customer = rng.randrange(n_customers)
        plans.append((customer, lines, order_row(rng, 0, lines, status, placed, updated)))

    inserted = {"products": await _insert(session, Product, products, ["sku"])}
    inserted["customers"] = await _insert(session, Customer, customers, ["email"])
    sku_ids = dict((await session.execute(select(Product.sku, Product.id))).all())
    email_ids = dict((await session.execute(select(Customer.email, Customer.id))).all())
    product_ids = [sku_ids[p["sku"]] for p in products]
    customer_ids = [email_ids[c["email"]] for c in customers]

    order_values = [{**order, "customer_id": customer_ids[c]} for c, _, order in plans]
    inserted["orders"] = await _insert(session, Order, order_values, ["order_number"])
    order_ids = dict((await session.execute(select(Order.order_number, Order.id))).all())
    items: list[dict[str, Any]] = []
    for _, lines, order in plans:
        mapped = [replace(line, product_id=product_ids[line.product_id]) for line in lines]
        items += item_rows(order_ids[order["order_number"]], mapped, order["updated_at"])
    inserted["order_items"] = await _insert(session, OrderItem, items, ["order_id", "line_number"])

    totals = {}
    for name, model in (
        ("customers", Customer),
        ("products", Product),
        ("orders", Order),
        ("order_items", OrderItem),
    ):
        totals[name] = int(
            (await session.execute(select(func.count()).select_from(model))).scalar_one()
        )
    return SeedReport(inserted=inserted, totals=totals)
