"""The ``index`` CLI: thin commands over the library, one-line errors for bad input."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from middlepower.errors import DataError, SpecError

runner = CliRunner()


@pytest.fixture()
def app() -> typer.Typer:
    from middlepower.cli import app

    return app


@pytest.fixture()
def files(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(textwrap.dedent("""
        name = "Toy index"
        unit = "country"
        time = "year"
        [methods]
        normalisation = { method = "minmax", low = 1, high = 100 }
        [[indicators]]
        code = "gdp"
        parent = "size"
        [[indicators]]
        code = "pop"
        parent = "size"
        [[indicators]]
        code = "life"
        parent = "welfare"
        [[aggregates]]
        code = "size"
        parent = "index"
        [[aggregates]]
        code = "welfare"
        parent = "index"
        [[aggregates]]
        code = "index"
        [[uncertainty]]
        input = "weights"
        level = 2
        noise = 0.3
        [[uncertainty]]
        input = "aggregation"
        alternatives = ["arithmetic", "geometric"]
    """))
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"country": np.repeat(list("ABCDEFGH"), 2), "year": np.tile([2020, 2021], 8),
                          "gdp": rng.lognormal(size=16), "pop": rng.lognormal(size=16), "life": rng.normal(70, 5, 16)})
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    return spec, data


def test_run_prints_ranking_and_summary_and_writes_scores(app, files, tmp_path):
    spec, data = files
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["index", "run", str(spec), "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Toy index: index (2021)" in result.output
    assert "8 units x 2 years x 3 indicators" in result.output
    scores = pd.read_csv(out)
    assert set(scores["node"]) == {"gdp", "pop", "life", "size", "welfare", "index"}


def test_uncertainty_and_sensitivity_commands(app, files):
    spec, data = files
    result = runner.invoke(app, ["index", "uncertainty", str(spec), "--data", str(data), "-n", "200"])
    assert result.exit_code == 0, result.output
    assert "200 replications over weights_L2, aggregation" in result.output
    result = runner.invoke(app, ["index", "sensitivity", str(spec), "--data", str(data), "-n", "32", "--boot", "10"])
    assert result.exit_code == 0, result.output
    assert "largest total effect" in result.output


def test_coinr_tables_run_directly(app, tmp_path):
    idata = tmp_path / "iData.csv"
    imeta = tmp_path / "iMeta.csv"
    pd.DataFrame({"uCode": ["A", "B", "C"], "x1": [1, 2, 3], "x2": [3, 1, 2]}).to_csv(idata, index=False)
    pd.DataFrame({"Level": [1, 1, 2], "iCode": ["x1", "x2", "Index"], "iName": ["", "", ""],
                  "Direction": [1, 1, None], "Weight": [1, 1, 1], "Parent": ["Index", "Index", None],
                  "Type": ["Indicator", "Indicator", "Aggregate"]}).to_csv(imeta, index=False)
    result = runner.invoke(app, ["index", "run", str(imeta), "--coinr", "--data", str(idata)])
    assert result.exit_code == 0, result.output


def test_bad_spec_raises_a_one_line_spec_error(app, files, tmp_path):
    _, data = files
    bad = tmp_path / "bad.toml"
    bad.write_text('unit = "country"\n[[indicators]]\ncode = "gdp"\nparent = "index"\n'
                   '[[aggregates]]\ncode = "index"\n[methods]\nnormalisation = "minimax"\n')
    result = runner.invoke(app, ["index", "run", str(bad), "--data", str(data)])
    assert isinstance(result.exception, SpecError)
    assert "'minimax'" in str(result.exception) and "\n" not in str(result.exception)


def test_missing_data_file_raises_data_error(app, files, tmp_path):
    spec, _ = files
    result = runner.invoke(app, ["index", "run", str(spec), "--data", str(tmp_path / "nope.csv")])
    assert isinstance(result.exception, DataError)
