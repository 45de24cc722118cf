"""The ``middlepower`` command line: a thin face over the library.

Each command parses options, calls one library function, prints the result and a one-line
summary. Errors from the library (:mod:`middlepower.errors`) become one-line messages and a
non-zero exit code; no command holds analysis of its own.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from middlepower.errors import MiddlepowerError

app = typer.Typer(
    name="middlepower",
    help="Measure where every state stands between the great and the small powers, from open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Measure where every state stands between the great and the small powers, from open data."""


LAYER_COMMANDS: dict[str, tuple[str, ...]] = {
    "middlepower.warehouse.cli": ("build", "fetch", "sources", "panel"),
    "middlepower.power.cli": ("profile", "rank", "compare", "check"),
    "middlepower.index.cli": ("index",),
    "middlepower.alignment.cli": ("alignment", "balance"),
    "middlepower.corridor.cli": ("corridor",),
    "middlepower.web.cli": ("serve",),
    "middlepower.report.cli": ("report",),
}
"""Each layer's CLI module and the top-level commands it mounts."""


_MOUNTED: set[str] = set()


def register_subcommands(command: str | None = None) -> typer.Typer:
    """Mount the layer owning ``command`` (every layer if None or unknown) on ``app``; return ``app``."""
    # Each layer owns its commands in <layer>/cli.py; this module only mounts them. When the
    # command is known, only its layer is imported, so a command starts without loading the
    # others (SciPy, networkx, matplotlib); --help and unknown commands mount every layer.
    import importlib

    wanted = [module for module, commands in LAYER_COMMANDS.items() if command in commands]
    for module in wanted or LAYER_COMMANDS:
        if module not in _MOUNTED:
            importlib.import_module(module).mount(app)
            _MOUNTED.add(module)
    return app


def main() -> None:
    """Run the CLI; library errors become a one-line message on stderr and their exit code.

    Usage errors (unknown options, bad values) are reported by typer itself with exit code 2.
    """
    first = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    register_subcommands(first)
    try:
        app()
    except MiddlepowerError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
