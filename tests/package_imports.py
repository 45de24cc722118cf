"""Test helper: every absolute import of a middlepower module in a tree of Python files, read from the source.

The layering test and the tests that hold a layer to another's public API all read imports the same
way, so that a form one of them skips (``from middlepower import x``, an import inside a function)
cannot hide an import from it alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path


def middlepower_imports(root: Path) -> Iterator[tuple[Path, str, tuple[str, ...]]]:
    """Yield (file relative to ``root``, imported module, imported names) for every absolute import of
    middlepower or one of its modules in the ``*.py`` files under ``root``, at top level or inside a
    function: ``import middlepower.x.y`` gives ``("middlepower.x.y", ())``, ``from middlepower.x import
    y, z`` gives ``("middlepower.x", ("y", "z"))`` and ``from middlepower import x`` gives
    ``("middlepower", ("x",))``. Relative imports (``from .errors import ...``) are not read."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and _is_middlepower(node.module or ""):
                yield relative, node.module, tuple(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                yield from ((relative, alias.name, ()) for alias in node.names if _is_middlepower(alias.name))


def _is_middlepower(module: str) -> bool:
    return module == "middlepower" or module.startswith("middlepower.")
