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


def _register_subcommands() -> None:
    # Each layer owns its commands in <layer>/cli.py; this module only mounts them.
    from middlepower.corridor import cli as corridor_cli
    from middlepower.warehouse import cli as warehouse_cli
    from middlepower.report import cli as report_cli
    from middlepower.web import cli as web_cli

    warehouse_cli.mount(app)
    corridor_cli.mount(app)
    web_cli.mount(app)
    report_cli.mount(app)
    from middlepower.power import cli as power_cli
    power_cli.mount(app)
    from middlepower.index import cli as index_cli
    index_cli.mount(app)
    from middlepower.alignment import cli as alignment_cli; alignment_cli.mount(app)  # noqa: E702


_register_subcommands()


def main() -> None:
    """Run the CLI; library errors become a one-line message on stderr and their exit code.

    Usage errors (unknown options, bad values) are reported by typer itself with exit code 2.
    """
    try:
        app()
    except MiddlepowerError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
