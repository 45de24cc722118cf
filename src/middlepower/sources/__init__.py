"""Upstream datasets: one module per source, each registering itself in :mod:`.registry`.

Nothing outside this package and the warehouse build reads upstream files. Use :func:`load` to get
a source's tidy frame and :func:`all_sources` to list what is declared; :mod:`.files` resolves
each file to verified local bytes (mirror folder or URL, cache, download).
"""

import importlib
import pkgutil

from middlepower.sources.columns import Column  # noqa: F401
from middlepower.sources.files import ManualDownload, locate, resolve, sha256_of  # noqa: F401
from middlepower.sources.registry import (  # noqa: F401
    REGISTRY,
    Derived,
    LeftOut,
    Source,
    SourceFile,
    all_sources,
    get,
    load,
)

# Import every sibling module so each registers its sources; new modules need no edit here.
for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name not in ("registry", "files", "columns"):
        importlib.import_module(f"{__name__}.{_module.name}")
