"""Every model, imported in one place (for Alembic and the mapper registry)."""

from contract_service.compliance.models import ComplianceCheck
from contract_service.contracts.models import (
    AccessConfigRecord,
    Contract,
    ContractFieldRecord,
    QualityMetricRecord,
)
from contract_service.database import Base
from contract_service.github.models import ProposalCheck, WebhookDelivery
from contract_service.outbox.models import OutboxEvent
from contract_service.proposals.models import ChangeProposal, ProposalAnswer
from contract_service.subscribers.models import SubscriberRecord
from contract_service.sunsets.models import SunsetNotice
from contract_service.versions.models import ContractVersion

__all__ = [
    "AccessConfigRecord",
    "Base",
    "ChangeProposal",
    "ComplianceCheck",
    "Contract",
    "ContractFieldRecord",
    "ContractVersion",
    "OutboxEvent",
    "ProposalAnswer",
    "ProposalCheck",
    "QualityMetricRecord",
    "SubscriberRecord",
    "SunsetNotice",
    "WebhookDelivery",
]
