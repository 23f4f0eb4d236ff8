"""The example dataset: an online shop (customers, products, orders, order lines).

A team copying the template replaces this package and ``contract.yaml``; nothing else.
The rest of the service uses only the three names below:

- ``metadata``: the SQLAlchemy metadata of its tables (Alembic autogenerates from it);
- ``seed(session, rows, seed)``: fill an empty database with example rows (idempotent);
- ``refresh(session, rng, batch_size)``: one generator step that keeps the data fresh.

A service with real data keeps ``GENERATOR_ENABLED=false`` (and may make ``seed`` and
``refresh`` do nothing).
"""

from data_service.dataset.models import Base
from data_service.dataset.refresh import refresh_shop as refresh
from data_service.dataset.seeding import seed_shop as seed

metadata = Base.metadata

__all__ = ["metadata", "refresh", "seed"]
