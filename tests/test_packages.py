"""Each package's public names stay what they are when its submodules load.

A package whose function shares a submodule's name (``power.model``, ``power.criteria``,
``corridor.network``, ``corridor.capacity``, ``warehouse.build``, ``events.files``) loses the
function to the module the first time that submodule is imported, unless the package keeps it
(:func:`middlepower._lazy.keep_exports`).
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, types
import middlepower

packages = [importlib.import_module(f"middlepower.{info.name}")
            for info in pkgutil.iter_modules(middlepower.__path__) if info.ispkg]
for package in packages:  # every submodule first, as a long session would have them
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        importlib.import_module(info.name)
checked = 0
for package in packages:
    submodules = {info.name for info in pkgutil.iter_modules(package.__path__)}
    exported = package.__dict__.get("__all__") or package.__dict__.get("__dir__", list)()  # events: lazy only
    for name in exported:
        checked += name in submodules
        value = getattr(package, name)
        if isinstance(value, types.ModuleType):
            print(f"{package.__name__}.{name} is the submodule, not the export")
print(f"checked {checked}")
"""


def test_no_exported_name_turns_into_its_submodule():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "checked 6", lines  # model, criteria, capacity, network, build, files
    assert lines[:-1] == []
