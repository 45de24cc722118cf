"""Data flows one way: sources → codes → warehouse → domain layers → panel (and the index engine) → power → outputs.

Read from the import statements of every module (at top level and inside functions), so a layer
that reaches back, or an output that calls another output, fails here rather than in review."""

from __future__ import annotations

from pathlib import Path

from package_imports import middlepower_imports

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "middlepower"

RANK = {
    # shared helpers any layer may use: errors, terminal output, paths, limits, spec files
    "errors": 0, "terminal": 0, "output": 0, "outpath": 0, "limits": 0, "config": 0, "specfile": 0,
    "intervals": 0, "_lazy": 0, "cluster": 0, "data": 0,  # data: package files (specs, reference lists)
    "sources": 1,
    "codes": 2,  # country codes: the warehouse keys every table through them
    "warehouse": 3,
    "alignment": 4, "diplomacy": 4, "corridor": 4, "events": 4,  # independent of one another
    "panel": 5,
    "index": 5,  # the general engine: it reads no data layer
    "power": 6,
    "report": 7, "web": 7, "cli": 7, "docgen": 7, "__main__": 7, "__init__": 7,  # outputs
}
"""Each top-level module or package of middlepower and its place in the flow."""

ALLOWED_ACROSS = {
    ("web", "report"): "the dashboard's report download serves the file the report output draws",
    ("docgen", "cli"): "docs/cli.md is generated from the CLI's own parser",
    ("__main__", "cli"): "python -m middlepower runs the CLI",
}
"""Imports between packages of the same rank (or upward) that are allowed, each with its reason."""


def _place(relative: Path) -> str:
    """The place in the flow of a module, by its path under the package: its top-level package or
    module, except that a layer's ``cli.py`` is that layer's command-line face, an output like ``cli``."""
    top = relative.parts[0].removesuffix(".py")
    return "cli" if len(relative.parts) > 1 and relative.name == "cli.py" else top


def _imports(root: Path = PACKAGE) -> set[tuple[str, str, str]]:
    """(importing place, imported package, file) for every absolute import of a middlepower module under
    ``root``: ``import middlepower.x.y``, ``from middlepower.x import y`` and ``from middlepower import x``
    (a name of the root package that is not a module, such as ``__version__``, imports no layer)."""
    found = set()
    for relative, module, names in middlepower_imports(root):
        source, own = _place(relative), relative.parts[0].removesuffix(".py")
        targets = [name for name in names if name in RANK] if module == "middlepower" else module.split(".")[1:2]
        found.update((source, target, str(relative)) for target in targets if target not in (own, source))
    return found


def _wrong(imports: set[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(file, imported package) of every import that goes against the flow: to a later or the same
    place (the shared helpers of rank 0 excepted), unless ``ALLOWED_ACROSS`` gives its reason."""
    return sorted((file, target) for source, target, file in imports
                  if (RANK[target] > RANK[source] or (RANK[target] == RANK[source] > 0))
                  and (source, target) not in ALLOWED_ACROSS)


def test_every_module_has_a_place_in_the_flow():
    modules = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
               if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert modules == set(RANK), sorted(modules ^ set(RANK))


def test_no_layer_imports_one_at_or_after_its_own_place():
    imports = _imports()
    assert imports, "no imports found: the scan is broken"
    assert not _wrong(imports), _wrong(imports)


def test_every_allowed_exception_is_still_used():
    used = {(source, target) for source, target, _ in _imports()}
    assert set(ALLOWED_ACROSS) <= used, set(ALLOWED_ACROSS) - used


def test_a_reaching_back_import_or_an_output_calling_another_would_be_found(tmp_path):
    (tmp_path / "panel").mkdir()
    (tmp_path / "panel" / "late.py").write_text("def f():\n    from middlepower.power import model\n")
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "cross.py").write_text("import middlepower.web.app\n")
    (tmp_path / "panel" / "root.py").write_text("from middlepower import __version__, power\n")
    (tmp_path / "power").mkdir()
    (tmp_path / "power" / "fine.py").write_text("from middlepower.panel import state_years\n")
    (tmp_path / "alignment").mkdir()
    (tmp_path / "alignment" / "cli.py").write_text("from middlepower import panel\n")  # a layer's CLI is an output
    assert _wrong(_imports(tmp_path)) == [("panel/late.py", "power"), ("panel/root.py", "power"),
                                          ("report/cross.py", "web")]


def test_the_import_walker_gives_each_form_of_import_with_its_names(tmp_path):
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "forms.py").write_text(
        "import os, middlepower.power.views\nfrom middlepower.index import run, spec_from_dict\n"
        "from . import sibling\n\ndef f():\n    from middlepower import __version__, power\n")
    assert sorted(middlepower_imports(tmp_path)) == [
        (Path("web/forms.py"), "middlepower", ("__version__", "power")),
        (Path("web/forms.py"), "middlepower.index", ("run", "spec_from_dict")),
        (Path("web/forms.py"), "middlepower.power.views", ())]
