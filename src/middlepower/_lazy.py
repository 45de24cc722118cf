"""Lazy package exports (PEP 562), so importing a layer's ``cli`` does not import the layer's library.

A package ``__init__`` writes ``__getattr__, __dir__ = exports(__name__, {"name": "submodule", ...})``:
``from middlepower.warehouse import open_store`` then imports ``middlepower.warehouse.store`` on
first use, and ``import middlepower.warehouse.cli`` costs nothing beyond the CLI module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def exports(package: str, names: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for ``package`` exporting each name from its submodule."""

    def __getattr__(name: str) -> object:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        setattr(importlib.import_module(package), name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__


def keep_exports(package: str, names: tuple[str, ...]) -> None:
    """Keep ``package.NAME`` the exported function when a submodule of the same name loads (the
    import system binds a submodule to its package's attribute of that name: ``events.files``)."""
    import sys
    import types

    class Package(types.ModuleType):
        def __setattr__(self, name: str, value: object) -> None:
            if name in names and isinstance(value, types.ModuleType):
                return
            super().__setattr__(name, value)

    sys.modules[package].__class__ = Package
