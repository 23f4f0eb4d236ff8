"""SQLAlchemy model files diffed between base and head (``ast``)."""

from __future__ import annotations

from datapact_common.analysis.changes import SchemaChangeKind as K
from datapact_common.analysis.changes import SourceKind
from datapact_common.analysis.models_ast import model_tables
from datapact_common.analysis.table_model import diff_tables
from datapact_common.contract_schema import DataType

BASE = """
from datetime import datetime
from typing import Optional
import uuid

from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, DateTime, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Customer(TimestampMixin, Base):
    __tablename__ = "customers"
    __table_args__ = {"schema": "sales"}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    nickname: Mapped[Optional[str]]
    tier: Mapped[str | None] = mapped_column("customer_tier", String(20))
    orders: Mapped[list["Order"]] = relationship(back_populates="customer")


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("sales.customers.id"), nullable=False)
    amount = Column(Numeric(10, 2))
    legacy = Column(String(10))
"""

HEAD = (
    BASE.replace("    email: Mapped[str] = mapped_column(String(255), unique=True)",
                 "    email: Mapped[str | None] = mapped_column(String(255), unique=True)")
    .replace("    nickname: Mapped[Optional[str]]\n",
             "    loyalty_points: Mapped[int] = mapped_column(default=0)\n")
    .replace("    legacy = Column(String(10))\n", "")
    .replace("id = Column(Integer, primary_key=True)", "id = Column(BigInteger, primary_key=True)")
    + '''

class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped["str | None"]
'''
)  # fmt: skip


def line(text: str, needle: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)


def test_tables_columns_types_and_nullability() -> None:
    tables, problems = model_tables(BASE, "app/models.py")
    assert problems == []
    customers = tables["sales.customers"]
    spec = {name: c.spec for name, c in customers.columns.items()}
    assert set(spec) == {
        "created_at",
        "id",
        "email",
        "nickname",
        "customer_tier",
    }  # no relationship
    assert spec["created_at"].data_type is DataType.DATETIME and not spec["created_at"].nullable
    assert spec["id"].primary_key and spec["id"].data_type is DataType.UUID
    assert spec["email"].nullable is False and spec["email"].raw_type == "String(255)"
    assert spec["nickname"].nullable is True and spec["nickname"].data_type is DataType.STRING
    assert spec["customer_tier"].nullable is True  # the column name, not the attribute
    orders = {name: c.spec for name, c in tables["orders"].columns.items()}
    assert orders["id"].nullable is False
    assert orders["customer_id"].nullable is False and orders["customer_id"].raw_type is None
    assert orders["amount"].nullable is True and orders["amount"].data_type is DataType.DECIMAL


def test_diff_between_base_and_head() -> None:
    base, _ = model_tables(BASE, "app/models.py")
    head, _ = model_tables(HEAD, "app/models.py")
    changes = diff_tables(base, head, "app/models.py", SourceKind.MODELS)
    rows = {(c.kind, c.column or c.table): c for c in changes}
    assert rows[(K.COLUMN_DROPPED, "nickname")].location.start_line == line(
        HEAD, '__tablename__ = "customers"'
    )
    email = rows[(K.COLUMN_NULLABLE_CHANGED, "email")]
    assert email.nullable is True and email.location.start_line == line(HEAD, "email: Mapped")
    added = rows[(K.COLUMN_ADDED, "loyalty_points")]
    assert added.column_spec is not None and not added.column_spec.nullable
    assert added.column_spec.data_type is DataType.INTEGER and added.column_spec.has_default
    assert (K.COLUMN_DROPPED, "legacy") in rows
    assert rows[(K.COLUMN_TYPE_CHANGED, "id")].raw_type == "BigInteger"
    refunds = rows[(K.TABLE_CREATED, "refunds")]
    assert {c.name: c.nullable for c in refunds.columns} == {"id": False, "reason": True}
    assert len(changes) == 6
