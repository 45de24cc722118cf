"""The ``middlepower`` command line: a thin face over the library, complete at import.

Each layer owns its commands in ``<layer>/cli.py``: a ``typer.Typer`` called ``app`` (with
``name=`` for a command group such as ``corridor``, without for top-level commands), built from
the shared pieces in :mod:`middlepower.terminal`; it never imports this module. ``COMMANDS`` names
every top-level command and the layer module that defines it, so ``app`` knows all of them from
the start (no registration step); a layer's module is imported only when one of its commands runs
or ``--help`` lists them, so a command does not pay for the libraries of the others.

Errors from the library (:mod:`middlepower.errors`) become one-line messages and a non-zero exit
code; no command holds analysis of its own.
"""

from __future__ import annotations

import importlib
import sys

import typer
from typer.core import TyperGroup

from middlepower.errors import MiddlepowerError

COMMANDS = {
    "build": "middlepower.warehouse.cli",
    "fetch": "middlepower.warehouse.cli",
    "sources": "middlepower.warehouse.cli",
    "panel": "middlepower.panel.cli",
    "profile": "middlepower.power.cli",
    "rank": "middlepower.power.cli",
    "compare": "middlepower.power.cli",
    "check": "middlepower.power.cli",
    "validate": "middlepower.power.cli",
    "variants": "middlepower.power.cli",
    "index": "middlepower.index.cli",
    "alignment": "middlepower.alignment.cli",
    "balance": "middlepower.alignment.cli",
    "diplomacy": "middlepower.diplomacy.cli",
    "corridor": "middlepower.corridor.cli",
    "events": "middlepower.events.cli",
    "serve": "middlepower.web.cli",
    "report": "middlepower.report.cli",
}
"""Every top-level command (or command group) and the layer CLI module whose ``app`` defines it,
in the order ``--help`` lists them. A test checks it against the layers' apps."""


def layer_command(module: str, name: str):
    """Return the click command ``name`` of the layer CLI ``module`` (its ``app``, or a command of it)."""
    layer = importlib.import_module(module).app
    built = typer.main.get_command(layer)
    if layer.info.name or not hasattr(built, "list_commands"):
        return built  # a command group (``corridor``), or a layer with a single command
    return built.get_command(None, name)


class LayeredGroup(TyperGroup):
    """The root group: lists ``COMMANDS`` and builds each from its layer on first use."""

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in COMMANDS:
            return None
        if name not in self.commands:
            self.commands[name] = layer_command(COMMANDS[name], name)
        return self.commands[name]


app = typer.Typer(
    name="middlepower",
    help="Measure where every state stands between the great and the small powers, from open data.",
    cls=LayeredGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Measure where every state stands between the great and the small powers, from open data."""


def main() -> None:
    """Run the CLI; library errors become a one-line message on stderr and their exit code.

    Usage errors (unknown options, bad values) are reported by typer itself with exit code 2.
    """
    from middlepower.terminal import console

    try:
        app()
    except MiddlepowerError as exc:
        from rich.markup import escape

        # escape: messages quote user input and name ranges like [first, last], which are not markup
        console(stderr=True).print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
