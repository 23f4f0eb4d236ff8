"""The dictionary's catalog: datasets and their parts, rebuilt from contract documents.

A dataset row is keyed by the registry's contract id. Fields, relationships,
subscriptions and search entries are replaced as a whole whenever a newer version of the
contract arrives. What search reads lives in ``search.models.SearchEntry``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dictionary_service.base import Base


class Dataset(Base):
    __tablename__ = "datasets"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    publisher_team: Mapped[str] = mapped_column(String(255), index=True)
    publisher_owner: Mapped[str] = mapped_column(String(255))
    table_name: Mapped[str] = mapped_column(String(255))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(100)), server_default="{}")
    field_count: Mapped[int] = mapped_column(Integer)
    pii_field_count: Mapped[int] = mapped_column(Integer)
    subscriber_count: Mapped[int] = mapped_column(Integer)
    source_created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    fields: Mapped[list[Field]] = relationship(
        back_populates="dataset", order_by="Field.position", cascade="all, delete-orphan"
    )
    relationships: Mapped[list[Relationship]] = relationship(
        back_populates="dataset", order_by="Relationship.from_field", cascade="all, delete-orphan"
    )
    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="dataset", order_by="Subscription.team", cascade="all, delete-orphan"
    )


class Field(Base):
    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dataset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    data_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    nullable: Mapped[bool] = mapped_column(Boolean)
    is_pii: Mapped[bool] = mapped_column(Boolean)
    is_primary_key: Mapped[bool] = mapped_column(Boolean)
    is_foreign_key: Mapped[bool] = mapped_column(Boolean)
    is_unique: Mapped[bool] = mapped_column(Boolean)
    foreign_key_reference: Mapped[str | None] = mapped_column(String(512))
    example_value: Mapped[Any | None] = mapped_column(JSONB(none_as_null=True))
    constraints: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'::jsonb")
    )

    dataset: Mapped[Dataset] = relationship(back_populates="fields")

    __table_args__ = (UniqueConstraint("dataset_id", "name"),)


class Relationship(Base):
    """A foreign key: ``dataset.from_field`` → ``to_dataset.to_field`` (which may not exist)."""

    __tablename__ = "relationships"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dataset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    from_field: Mapped[str] = mapped_column(String(255))
    to_dataset: Mapped[str] = mapped_column(String(255), index=True)
    to_field: Mapped[str] = mapped_column(String(255))
    nullable: Mapped[bool] = mapped_column(Boolean)
    is_unique: Mapped[bool] = mapped_column(Boolean)

    dataset: Mapped[Dataset] = relationship(back_populates="relationships")

    __table_args__ = (UniqueConstraint("dataset_id", "from_field"),)


class Subscription(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dataset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[str] = mapped_column(String(255), index=True)
    use_case: Mapped[str | None] = mapped_column(Text)
    fields_used: Mapped[list[str]] = mapped_column(ARRAY(String(255)), server_default="{}")
    contact_email: Mapped[str | None] = mapped_column(String(320))

    dataset: Mapped[Dataset] = relationship(back_populates="subscriptions")

    __table_args__ = (UniqueConstraint("dataset_id", "team"),)
