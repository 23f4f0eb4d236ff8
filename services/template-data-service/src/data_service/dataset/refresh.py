"""One step of the generator: new orders arrive, orders move on, customers and prices change.

Every table gets at least one insert or update per step, with ``updated_at = now()``, so
with the generator running each table's freshness stays within its SLA.
"""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data_service.dataset.fake import (
    customer_row,
    faker_for,
    item_rows,
    order_lines,
    order_row,
    product_row,
)
from data_service.dataset.models import LOYALTY_TIERS, Customer, Order, OrderItem, Product
from datapact_common.timeutil import utcnow

NEXT_STATUS = {"pending": "paid", "paid": "shipped", "shipped": "delivered"}


async def refresh_shop(
    session: AsyncSession, rng: random.Random, batch_size: int
) -> dict[str, int]:
    """Apply one step; returns how many rows of each kind were written. Only flushes."""
    fake = faker_for(rng.getrandbits(32))
    now = utcnow()
    written = {"customers": 0, "products": 0, "orders": 0, "order_items": 0}

    products = (
        await session.execute(
            select(Product.id, Product.unit_price)
            .where(Product.active)
            .order_by(func.random())
            .limit(50)
        )
    ).all()
    if not products:
        for _ in range(batch_size):
            row = product_row(fake, rng, f"SKU-{uuid.uuid4().hex[:12].upper()}", now)
            session.add(Product(**{**row, "active": True}))
        await session.flush()
        products = (
            await session.execute(select(Product.id, Product.unit_price).where(Product.active))
        ).all()
        written["products"] += batch_size
    else:
        product_id, price = rng.choice(products)
        factor = Decimal(rng.randint(95, 105)) / 100
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(unit_price=(price * factor).quantize(Decimal("0.01")), updated_at=func.now())
        )
        written["products"] += 1

    session.add(Customer(**customer_row(fake, rng, uuid.uuid4().hex[:10], now, now)))
    await session.flush()
    written["customers"] += 1
    touched = await session.execute(
        update(Customer)
        .where(Customer.id.in_(select(Customer.id).order_by(func.random()).limit(batch_size)))
        .values(loyalty_tier=rng.choice(LOYALTY_TIERS), updated_at=func.now())
    )
    written["customers"] += touched.rowcount or 0  # type: ignore[attr-defined]

    customer_ids = (
        (await session.execute(select(Customer.id).order_by(func.random()).limit(batch_size)))
        .scalars()
        .all()
    )
    for customer_id in customer_ids:
        lines = order_lines(rng, list(products))
        order = Order(**order_row(rng, customer_id, lines, "pending", now, now))
        session.add(order)
        await session.flush()
        for item in item_rows(order.id, lines, now):
            session.add(OrderItem(**item))
        written["orders"] += 1
        written["order_items"] += len(lines)

    open_orders = (
        await session.execute(
            select(Order.id, Order.status)
            .where(Order.status.in_(NEXT_STATUS))
            .order_by(Order.placed_at)
            .limit(batch_size)
        )
    ).all()
    for order_id, status in open_orders:
        await session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(status=NEXT_STATUS[status], updated_at=func.now())
        )
        await session.execute(
            update(OrderItem).where(OrderItem.order_id == order_id).values(updated_at=func.now())
        )
        written["orders"] += 1
    await session.flush()
    return written
