"""The CLI is complete at import: every layer's commands are reachable from ``middlepower.cli.app``."""

from __future__ import annotations

import importlib

from typer.testing import CliRunner

from middlepower.cli import COMMANDS, app


def _layer_commands(module: str) -> set[str]:
    layer = importlib.import_module(module).app
    if layer.info.name:
        return {layer.info.name}
    return {command.name or command.callback.__name__ for command in layer.registered_commands}


def test_commands_table_names_exactly_the_commands_each_layer_defines():
    for module in set(COMMANDS.values()):
        assert _layer_commands(module) == {name for name, owner in COMMANDS.items() if owner == module}, module


def test_every_command_answers_help_from_a_fresh_app_without_registration():
    runner = CliRunner()
    listing = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    for name in COMMANDS:
        assert name in listing.output
        result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0 and "Usage" in result.output, name


def test_every_command_reading_the_store_takes_db():
    from middlepower.docgen import cli_commands

    # the shipped network; GDELT's files; the registered upstream files
    reads_no_store = ("middlepower corridor", "middlepower events fetch", "middlepower fetch")
    without = [path for path, command, group in cli_commands() if not group
               and not path.startswith(reads_no_store)
               and "--db" not in [o for p in command.params for o in getattr(p, "opts", [])]]
    assert not without, without


def test_help_wraps_each_paragraph_to_the_terminal_not_to_the_docstrings_lines():
    # Typer's rich mode keeps a docstring's single newlines, so `--help` used to break "tier and class
    # / probabilities" where the source did; every paragraph is now one line that the terminal wraps.
    runner = CliRunner()
    wide = runner.invoke(app, ["--help"], env={"COLUMNS": "400"}).output
    profile = next(line for line in wide.splitlines() if "│ profile " in line)
    assert "tier and class probabilities; the power gap" in profile  # one line at 400 columns
    shown = runner.invoke(app, ["profile", "--help"], env={"COLUMNS": "400"}).output
    assert "FILE.json every table (nodes, tier, class, gap, criteria, similar states, indicators)." in shown
    from middlepower.docgen import cli_commands

    for path, command, _ in cli_commands():  # every command and group, nested ones included
        assert all("\n" not in p for p in (command.help or "").split("\n\n")), path
