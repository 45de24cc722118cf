"""Upstream datasets: one module per source, each registering itself in :mod:`.registry`.

Nothing outside this package reads raw upstream files. Use :func:`load` to get a source's tidy
frame and :func:`all_sources` to list what is declared.
"""

import importlib
import pkgutil

from middlepower.sources.columns import Column  # noqa: F401
from middlepower.sources.registry import (  # noqa: F401
    REGISTRY,
    Source,
    SourceFile,
    all_sources,
    get,
    load,
    locate,
    resolve,
    sha256_of,
)

# Import every sibling module so each registers its sources; new modules need no edit here.
for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")
