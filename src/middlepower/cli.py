"""The ``middlepower`` command line: a thin face over the library, complete at import.

Each layer owns its commands in ``<layer>/cli.py``: a ``typer.Typer`` called ``app`` (with
``name=`` for a command group such as ``corridor``, without for top-level commands), built from
the shared pieces in :mod:`middlepower.terminal`. This module only adds every layer's ``app``
listed in ``LAYERS``; the layer modules import typer alone at the top and their libraries inside
the command bodies, so ``--help`` and every command start without loading the others.

Errors from the library (:mod:`middlepower.errors`) become one-line messages and a non-zero exit
code; no command holds analysis of its own.
"""

from __future__ import annotations

import importlib
import sys

import typer

from middlepower.errors import MiddlepowerError

LAYERS = (
    "middlepower.warehouse.cli",   # build, sources
    "middlepower.panel.cli",       # panel
    "middlepower.power.cli",       # profile, rank, compare, check
    "middlepower.index.cli",       # index run | uncertainty | sensitivity
    "middlepower.alignment.cli",   # alignment, balance
    "middlepower.corridor.cli",    # corridor route | compare | capacity | scenario | transit | map
    "middlepower.web.cli",         # serve
    "middlepower.report.cli",      # report
)
"""The modules whose ``app`` contributes commands, in the order ``--help`` lists them."""

app = typer.Typer(
    name="middlepower",
    help="Measure where every state stands between the great and the small powers, from open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in LAYERS:
    app.add_typer(importlib.import_module(_module).app)


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
        console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
