"""The example organisation's data: the tables behind examples/acme, in schema ``acme``.

``python -m data_service.seed`` creates schema ``acme`` and its 13 tables next to the shop
(``CREATE ... IF NOT EXISTS``) and fills them with a deterministic history (the same seed,
the same rows; each insert is ``ON CONFLICT DO NOTHING``, so running it again adds
nothing). The agent serves them under the contracts of examples/acme (``table: acme.x``);
``sql/refresh.sql`` keeps the tables with a freshness SLA fresh while the platform runs.

A few problems are planted on purpose, so a newcomer's first dashboard has something worth
an alert. They are listed in ``PLANTED`` (contract, check id, rows) and nothing else is
broken:

- ``products``: one product with a negative price (``price:min``);
- ``customers``: one malformed e-mail address (``email:regex``);
- ``customer_addresses``: one address without a city (``city:not_null``); the column is
  nullable in the database, which the schema check reports too;
- ``orders``: one order in a status the contract does not list (``status:enum``);
- ``shipment_events``: the carriers' tracking feed stopped three days ago: the table is
  stale against its 10-minute freshness SLA (the refresh leaves it alone).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.timeutil import utcnow

SCHEMA = "acme"

# (contract, check id) -> rows breaking it; also what tests assert, nothing more
PLANTED: dict[tuple[str, str], int] = {
    ("products", "price:min"): 1,
    ("customers", "email:regex"): 1,
    ("customer_addresses", "city:not_null"): 1,
    ("orders", "status:enum"): 1,
}
STALE = "shipment_events"  # its freshness SLA fails: the feed stopped
FEED_STOPPED = timedelta(days=3)

DDL = (
    "CREATE SCHEMA IF NOT EXISTS acme",
    """CREATE TABLE IF NOT EXISTS acme.customers (
        customer_id uuid PRIMARY KEY, email text NOT NULL UNIQUE, full_name text,
        phone text, country_code text NOT NULL, created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    # city: nullable, a legacy import left one address without it (planted)
    """CREATE TABLE IF NOT EXISTS acme.customer_addresses (
        address_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES acme.customers (customer_id),
        street text NOT NULL, city text, postal_code text NOT NULL, kind text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.customer_consents (
        consent_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES acme.customers (customer_id),
        channel text NOT NULL, granted boolean NOT NULL, recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.products (
        product_id uuid PRIMARY KEY, sku text NOT NULL UNIQUE, title text NOT NULL,
        price numeric(10, 2) NOT NULL, category text, active boolean NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.orders (
        order_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES acme.customers (customer_id),
        status text NOT NULL, total_amount numeric(12, 2) NOT NULL, coupon_code text,
        placed_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.order_items (
        order_item_id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES acme.orders (order_id),
        product_id uuid NOT NULL REFERENCES acme.products (product_id),
        quantity integer NOT NULL, unit_price numeric(10, 2) NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.warehouses (
        warehouse_id integer PRIMARY KEY, name text NOT NULL, country_code text NOT NULL,
        capacity_units integer)""",
    """CREATE TABLE IF NOT EXISTS acme.carriers (
        carrier_id integer PRIMARY KEY, name text NOT NULL UNIQUE,
        tracking_url_template text)""",
    """CREATE TABLE IF NOT EXISTS acme.shipments (
        shipment_id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES acme.orders (order_id),
        warehouse_id integer NOT NULL REFERENCES acme.warehouses (warehouse_id),
        carrier_id integer NOT NULL REFERENCES acme.carriers (carrier_id),
        tracking_number text UNIQUE, shipped_at timestamptz, delivered_at timestamptz)""",
    """CREATE TABLE IF NOT EXISTS acme.shipment_events (
        event_id uuid PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES acme.shipments (shipment_id),
        status text NOT NULL, location text, occurred_at timestamptz NOT NULL, payload jsonb)""",
    """CREATE TABLE IF NOT EXISTS acme.payments (
        payment_id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES acme.orders (order_id),
        amount numeric(12, 2) NOT NULL, method text NOT NULL, card_last4 text,
        succeeded boolean NOT NULL, processed_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.refunds (
        refund_id uuid PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES acme.payments (payment_id),
        amount numeric(12, 2) NOT NULL, reason text, refunded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS acme.invoices (
        invoice_id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES acme.orders (order_id),
        customer_id uuid NOT NULL REFERENCES acme.customers (customer_id),
        invoice_number text NOT NULL UNIQUE, issued_on date NOT NULL,
        total_gross numeric(12, 2) NOT NULL)""",
)

COUNTRIES = ("DE", "FR", "NL", "AT", "ES", "IT", "PL", "SE")
CITIES = ("Berlin", "Paris", "Amsterdam", "Vienna", "Madrid", "Milan", "Warsaw", "Malmö")
FIRST = ("Ada", "Ben", "Chloé", "David", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas")
LAST = ("Meyer", "Dubois", "de Vries", "Huber", "García", "Rossi", "Nowak", "Lind")
CATEGORIES = ("garden", "kitchen", "books", "toys", "sports")
CARRIERS = (
    (1, "DHL", "https://www.dhl.com/track?id={tracking_number}"),
    (2, "UPS", "https://www.ups.com/track?tracknum={tracking_number}"),
    (3, "PostNL", None),
)
WAREHOUSES = (
    (1, "Leipzig hub", "DE", 120_000),
    (2, "Venlo", "NL", 80_000),
    (3, "Lyon", "FR", 50_000),
    (4, "Poznań", "PL", None),
)
HISTORY = timedelta(days=90)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def build(seed: int, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, derived from ``seed`` (timestamps relative to ``now``)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible example data, not security
    rows: dict[str, list[dict[str, Any]]] = {}

    customers: list[dict[str, Any]] = []
    for i in range(200):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        created = now - HISTORY * (1 + rng.random())
        customers.append(
            {
                "customer_id": _uuid(rng),
                "email": f"{first.lower()}.{i:04d}@mail.example",
                "full_name": f"{first} {last}",
                "phone": f"+49 30 {rng.randrange(10**6, 10**7)}",
                "country_code": rng.choice(COUNTRIES),
                "created_at": created,
                "updated_at": now if i == 199 else created + (now - created) * rng.random(),
            }
        )
    customers[17]["email"] = "ines.0017.mail.example"  # planted: no @
    rows["customers"] = customers

    addresses: list[dict[str, Any]] = []
    for i in range(250):
        owner = customers[i % len(customers)]
        addresses.append(
            {
                "address_id": _uuid(rng),
                "customer_id": owner["customer_id"],
                "street": f"{rng.choice(LAST)}straße {rng.randrange(1, 200)}",
                "city": None if i == 42 else rng.choice(CITIES),  # planted: no city
                "postal_code": f"{rng.randrange(10000, 99999)}",
                "kind": "shipping" if i < len(customers) else "billing",
            }
        )
    rows["customer_addresses"] = addresses

    consents: list[dict[str, Any]] = []
    for i, customer in enumerate(customers):
        for channel in ("email", "sms"):
            recorded = customer["created_at"] + (now - customer["created_at"]) * rng.random()
            consents.append(
                {
                    "consent_id": _uuid(rng),
                    "customer_id": customer["customer_id"],
                    "channel": channel,
                    "granted": rng.random() < 0.6,
                    "recorded_at": now if (i, channel) == (0, "email") else recorded,
                }
            )
    rows["customer_consents"] = consents

    products: list[dict[str, Any]] = []
    for i in range(60):
        products.append(
            {
                "product_id": _uuid(rng),
                "sku": f"ACME-{i:05d}",
                "title": f"{rng.choice(CATEGORIES).title()} item {i}",
                "price": _money(rng.uniform(2, 250)),
                "category": rng.choice(CATEGORIES),
                "active": rng.random() < 0.9,
            }
        )
    products[7]["price"] = Decimal("-4.99")  # planted: a negative price
    rows["products"] = products

    orders: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    invoices: list[dict[str, Any]] = []
    n_orders = 600
    for i in range(n_orders):
        placed = now - HISTORY * (n_orders - 1 - i) / n_orders
        age = now - placed
        status = (
            "cancelled"
            if rng.random() < 0.03
            else "paid"
            if age < timedelta(days=1)
            else "shipped"
            if age < timedelta(days=4)
            else "delivered"
        )
        customer = rng.choice(customers)
        order_id = _uuid(rng)
        lines = [
            (rng.choice(products[8:]), rng.randrange(1, 4)) for _ in range(rng.randrange(1, 4))
        ]
        total = sum((p["price"] * q for p, q in lines), Decimal("0"))
        for product, quantity in lines:
            items.append(
                {
                    "order_item_id": _uuid(rng),
                    "order_id": order_id,
                    "product_id": product["product_id"],
                    "quantity": quantity,
                    "unit_price": product["price"],
                }
            )
        orders.append(
            {
                "order_id": order_id,
                "customer_id": customer["customer_id"],
                "status": status,
                "total_amount": total,
                "coupon_code": f"SPRING{rng.randrange(10, 30)}" if rng.random() < 0.1 else None,
                "placed_at": placed,
                "updated_at": now
                if i == n_orders - 1
                else placed + min(age, timedelta(days=5)) * rng.random(),
            }
        )
        payments.append(
            {
                "payment_id": _uuid(rng),
                "order_id": order_id,
                "amount": total,
                "method": rng.choice(("card", "card", "paypal", "invoice")),
                "card_last4": f"{rng.randrange(10000):04d}",
                "succeeded": status != "cancelled",
                "processed_at": min(now, placed + timedelta(seconds=rng.randrange(5, 60))),
            }
        )
        if status != "cancelled":
            invoices.append(
                {
                    "invoice_id": _uuid(rng),
                    "order_id": order_id,
                    "customer_id": customer["customer_id"],
                    "invoice_number": f"INV-{placed:%Y}-{i:06d}",
                    "issued_on": placed.date(),
                    "total_gross": (total * Decimal("1.19")).quantize(Decimal("0.01")),
                }
            )
    payments[-1]["processed_at"] = now
    orders[123]["status"] = "refunded"  # planted: not a status the contract lists
    rows["orders"] = orders
    rows["order_items"] = items
    rows["payments"] = payments
    rows["invoices"] = invoices
    rows["refunds"] = [
        {
            "refund_id": _uuid(rng),
            "payment_id": payment["payment_id"],
            "amount": _money(float(payment["amount"]) * rng.choice((0.5, 1.0))),
            "reason": rng.choice(("damaged", "late delivery", "changed my mind")),
            "refunded_at": payment["processed_at"] + timedelta(days=rng.randrange(2, 20)),
        }
        for payment in payments[:400:25]
    ]

    rows["warehouses"] = [
        {"warehouse_id": w, "name": n, "country_code": c, "capacity_units": u}
        for w, n, c, u in WAREHOUSES
    ]
    rows["carriers"] = [
        {"carrier_id": c, "name": n, "tracking_url_template": t} for c, n, t in CARRIERS
    ]
    shipments: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    stopped = now - FEED_STOPPED
    for order in orders:
        if order["status"] not in ("shipped", "delivered"):
            continue
        shipped = order["placed_at"] + timedelta(hours=rng.randrange(4, 20))
        delivered = shipped + timedelta(days=rng.randrange(1, 3))
        shipment_id = _uuid(rng)
        shipments.append(
            {
                "shipment_id": shipment_id,
                "order_id": order["order_id"],
                "warehouse_id": rng.choice(WAREHOUSES)[0],
                "carrier_id": rng.choice(CARRIERS)[0],
                "tracking_number": f"TRK{rng.getrandbits(40):012X}",
                "shipped_at": min(now, shipped),
                "delivered_at": delivered if order["status"] == "delivered" else None,
            }
        )
        for status, at in (("picked_up", shipped), ("delivered", delivered)):
            if at <= stopped:  # the carriers' feed stopped three days ago (planted)
                events.append(
                    {
                        "event_id": _uuid(rng),
                        "shipment_id": shipment_id,
                        "status": status,
                        "location": rng.choice(CITIES),
                        "occurred_at": at,
                        "payload": f'{{"code": "{status.upper()}"}}',
                    }
                )
    shipments[-1]["shipped_at"] = now
    rows["shipments"] = shipments
    rows["shipment_events"] = events
    return rows


# parents before children
ORDER: Sequence[str] = (
    "customers",
    "customer_addresses",
    "customer_consents",
    "products",
    "orders",
    "order_items",
    "warehouses",
    "carriers",
    "shipments",
    "shipment_events",
    "payments",
    "refunds",
    "invoices",
)


async def seed_acme(session: AsyncSession, seed: int = 42) -> dict[str, dict[str, int]]:
    """Create schema ``acme`` and fill it (idempotent). Only flushes."""
    for ddl in DDL:
        await session.execute(text(ddl))
    rows = build(seed, utcnow())
    inserted: dict[str, int] = {}
    totals: dict[str, int] = {}
    for table in ORDER:
        table_rows = rows[table]
        columns = list(table_rows[0])
        casts = {"payload": "CAST(:payload AS jsonb)"}
        values = ", ".join(casts.get(c, f":{c}") for c in columns)
        # table and column names are this module's constants, values are bound
        insert = f"INSERT INTO acme.{table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608
        statement = text(f"{insert} ON CONFLICT DO NOTHING")
        before = await _count(session, table)
        await session.execute(statement, table_rows)
        totals[table] = await _count(session, table)
        inserted[table] = totals[table] - before
    return {"inserted": inserted, "totals": totals}


async def _count(session: AsyncSession, table: str) -> int:
    result = await session.execute(text(f"SELECT count(*) FROM acme.{table}"))  # noqa: S608
    return int(result.scalar_one())
