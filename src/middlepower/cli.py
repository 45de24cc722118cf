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

import functools
import importlib
import inspect
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
    if not layer.info.name and hasattr(built, "list_commands"):
        built = built.get_command(None, name)  # one command of a layer with several top-level ones
    return reflowed(name_options(built))


def reflowed(command):
    """Return ``command`` (and every subcommand) with each paragraph of its help on one line, so that
    ``--help`` wraps the text to the terminal instead of keeping the docstring's line breaks (Typer's
    rich mode keeps single newlines). A paragraph Click marks as preformatted (``\\b``) is kept."""
    for sub in getattr(command, "commands", {}).values():
        reflowed(sub)
    if command.help:
        paragraphs = inspect.cleandoc(command.help).split("\n\n")
        command.help = "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)
    return command


def _flag(param) -> str:
    """How a user wrote ``param``: its long option (``--draws``), or an argument's name (``ISO3``)."""
    if param.param_type_name != "option":
        return param.name.upper()
    return max(param.opts, key=lambda opt: (opt.startswith("--"), len(opt)))


def name_options(command):
    """Return ``command`` (and every subcommand) with its callback wrapped so that a library error
    about a parameter (:attr:`MiddlepowerError.parameter`) names the option or argument that fed it:
    ``draws 2000000000: ...`` from the library reads ``--draws 2000000000: ...`` on the command line.
    A parameter maps to the command's option of the same Python name."""
    if hasattr(command, "list_commands"):
        for sub in command.commands.values():
            name_options(sub)
        return command
    callback = command.callback
    if callback is None or getattr(callback, "names_options", False):
        return command
    flags = {param.name: _flag(param) for param in command.params}
    for library, own in getattr(callback, "library_names", {}).items():  # a parameter named otherwise here
        flags[library] = flags[own]

    @functools.wraps(callback)
    def named(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except MiddlepowerError as exc:
            if exc.option is None and exc.parameter in flags:
                exc.option = flags[exc.parameter]
            raise

    named.names_options = True
    command.callback = named
    return command


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


def _given(exc: Exception, argv: list[str]) -> str:
    """`` (got 'VALUE')`` for a usage error about an option's value when the message does not quote
    it (click says "Input should be a valid integer" without the value), else ``""``."""
    param = getattr(exc, "param", None)
    if param is None or getattr(param, "param_type_name", None) != "option":
        return ""
    for index, token in enumerate(argv):
        for opt in param.opts:
            if token == opt and index + 1 < len(argv):
                value = argv[index + 1]
            elif token.startswith(opt + "="):
                value = token[len(opt) + 1:]
            else:
                continue
            return "" if value in str(exc.format_message()) else f" (got {value!r})"
    return ""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI on ``argv`` (default: the command line) and exit with its code.

    Every error is one line on stderr starting ``error:``: a library error (:mod:`middlepower.errors`)
    with its exit code, a usage error (unknown option, bad value) with 2, an operating-system error
    about a file (no such folder, permission denied) with 1.
    """
    from typer import _click as click  # typer runs on its own copy of click: catch its exceptions

    from middlepower.terminal import console

    def fail(message: str, code: int) -> None:
        from rich.markup import escape

        # escape: messages quote user input and name ranges like [first, last], which are not markup
        console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
        sys.exit(code)

    try:
        code = app(args=argv, prog_name="middlepower", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare command group: its help, as click prints it
        click.echo(exc.ctx.get_help())
        sys.exit(exc.exit_code)
    except click.exceptions.ClickException as exc:  # usage errors name the option; click's text is one line
        fail(" ".join(exc.format_message().split()) + _given(exc, sys.argv[1:] if argv is None else argv),
             exc.exit_code)
    except typer.Abort:
        fail("aborted", 1)
    except MiddlepowerError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        if exc.filename is None:
            raise
        fail(f"{exc.filename}: {exc.strerror or exc}", 1)
    sys.exit(code if isinstance(code, int) else 0)
