"""The corridor CLI is a thin face: each command prints a table and a one-line summary."""

import pytest
from typer.testing import CliRunner

from middlepower.corridor import cli as corridor_cli
from middlepower.errors import DataError

runner = CliRunner()


def test_compare_prints_all_four_alternatives_and_a_summary():
    result = runner.invoke(corridor_cli.app, ["compare", "--from", "Xi'an", "--to", "Duisburg"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for name in ("middle", "northern", "suez", "cape", "geesecargo.com", "dfwatch.net"):
        assert name in result.output
    assert "4 of 4 corridors routed" in result.output


def test_route_prints_segments_sources_and_totals():
    result = runner.invoke(corridor_cli.app, ["route", "--from", "Xi'an", "--to", "Duisburg", "--via", "northern"],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "NC02" in result.output and "index1520" in result.output and "days" in result.output


def test_route_to_a_missing_node_raises_the_library_error_for_the_main_cli():
    result = runner.invoke(corridor_cli.app, ["route", "--from", "Xi'an", "--to", "Atlantis"])
    assert result.exit_code != 0
    assert isinstance(result.exception, DataError) and "Atlantis" in str(result.exception)


@pytest.mark.parametrize(
    "command", [["capacity"], ["transit", "--year", "2024"], ["scenario", "baku_phase2", "--draws", "2000"]]
)
def test_other_commands_run(command):
    result = runner.invoke(corridor_cli.app, command, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
