"""The country-year store: an embedded DuckDB file built atomically from the registered sources.

Public API: :func:`build` (write or refresh the store), :func:`open_store` (read-only access that
refuses half-built or stale stores) and :class:`BuildReport`.
"""

from middlepower.warehouse.build import BuildReport, build, fingerprint  # noqa: F401
from middlepower.warehouse.store import SCHEMA_VERSION, Store, open_store  # noqa: F401
