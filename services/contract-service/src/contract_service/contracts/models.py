"""The contract row (current document + search columns) and its normalized parts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.contracts.ordering import ordered_document
from contract_service.database import Base
from datapact_common.timeutil import utcnow


def serialize(document: dict[str, Any]) -> str:
    """A document as served: JSON in the model's key order."""
    return orjson.dumps(ordered_document(document)).decode()


def serialize_dump(document: dict[str, Any]) -> str:
    """:func:`serialize` of a document fresh from ``ContractDefinition.to_document()``: a
    model dump is in the model's key order already, so it is not reordered (a tenth of the
    cost; a stored JSONB document is in PostgreSQL's order and needs :func:`serialize`)."""
    return orjson.dumps(document).decode()


class Contract(Base):
    """One contract. ``document`` is the validated document of the current version,
    exactly as submitted; the other columns are derived from it for filtering."""

    __tablename__ = "contracts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    version: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    table_name: Mapped[str | None] = mapped_column(String(255))

    publisher_team: Mapped[str] = mapped_column(String(255))
    publisher_owner: Mapped[str] = mapped_column(String(255))
    repository_url: Mapped[str | None] = mapped_column(String(500))
    contact_email: Mapped[str | None] = mapped_column(String(320))

    # The ODCS document id and schema object a contract was imported from: how a later
    # import of that document finds it (NULL for a contract written in DataPact).
    odcs_id: Mapped[str | None] = mapped_column(String(255))
    odcs_object: Mapped[str | None] = mapped_column(String(255))

    tags: Mapped[list[str]] = mapped_column(JSONB, default=list)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB, default=dict)
    # Lower-cased name, description, field names and tags: the haystack of `q`.
    search_text: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # The same document serialized in the model's key order: what reads serve, byte for byte.
    document_json: Mapped[str] = mapped_column(Text)
    # Latest result per check type: {"schema": {"status", "checked_at", "error_message"}}.
    compliance: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def set_document(self, document: dict[str, Any], serialized: str | None = None) -> None:
        """Store the current document (both the JSONB and the serialized copy, which
        ``serialized`` gives when it was computed off the event loop)."""
        self.document = document
        self.document_json = serialized if serialized is not None else serialize(document)

    __table_args__ = (
        UniqueConstraint("odcs_id", "odcs_object"),
        Index("ix_contracts_publisher_team_status", "publisher_team", "status"),
        Index("ix_contracts_updated_at_id", "updated_at", "id"),
        Index("ix_contracts_tags", "tags", postgresql_using="gin"),
        Index(
            "ix_contracts_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )


class ContractFieldRecord(Base):
    __tablename__ = "contract_fields"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255), index=True)
    data_type: Mapped[str] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    nullable: Mapped[bool] = mapped_column(Boolean)
    is_pii: Mapped[bool] = mapped_column(Boolean, index=True)
    is_primary_key: Mapped[bool] = mapped_column(Boolean)
    is_foreign_key: Mapped[bool] = mapped_column(Boolean)
    foreign_key_reference: Mapped[str | None] = mapped_column(String(511), index=True)
    unique: Mapped[bool] = mapped_column(Boolean)
    example_value: Mapped[Any] = mapped_column(JSONB(none_as_null=True), nullable=True)
    constraints: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("contract_id", "name"),)


class QualityMetricRecord(Base):
    __tablename__ = "quality_metrics"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    metric_type: Mapped[str] = mapped_column(String(50))
    threshold: Mapped[str] = mapped_column(String(100))
    # The parsed threshold: seconds for freshness, rows (the lower bound, else the upper)
    # for volume, percent (0-100) for the others.
    threshold_value: Mapped[float] = mapped_column(Float)
    threshold_unit: Mapped[str] = mapped_column(String(10))
    measurement_method: Mapped[str | None] = mapped_column(Text)
    alert_on_breach: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("contract_id", "metric_type"),)


class AccessConfigRecord(Base):
    __tablename__ = "access_configs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), unique=True
    )
    endpoint_url: Mapped[str] = mapped_column(String(500))
    methods: Mapped[list[str]] = mapped_column(JSONB)
    auth_type: Mapped[str] = mapped_column(String(50))
    required_scopes: Mapped[list[str]] = mapped_column(JSONB)
    rate_limit: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
