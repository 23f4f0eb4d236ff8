"""The contract-worker's queue and task names: what code that queues work imports.

A leaf (docs/conventions.md, "Queueing work"): the tasks are defined in ``<domain>/tasks.py``
under these names, and nothing here imports them or the worker.
"""

from __future__ import annotations

from contract_service.config import CELERY_QUEUE, get_settings
from datapact_common.enqueue import TaskQueue

RELAY_TASK = "contract_service.outbox.relay"
PROCESS_TASK = "contract_service.github.process_delivery"
SWEEP_TASK = "contract_service.github.sweep_deliveries"
SUNSET_TASK = "contract_service.sunsets.sweep"
RECHECK_TASK = "contract_service.github.recheck_proposals"
NOTICE_TASK = "contract_service.proposals.notice_sweep"

contract_queue = TaskQueue(lambda: get_settings().redis_url, lambda: CELERY_QUEUE)
