"""The ``index`` CLI: thin commands over the library, one-line errors for bad input."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from middlepower.errors import DataError, ParameterError, SpecError

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


def test_run_says_how_many_nodes_have_no_score_at_all(app, files, tmp_path):
    spec, data = files
    result = runner.invoke(app, ["index", "run", str(spec), "--data", str(data)], terminal_width=200)
    assert "6 nodes scored" in result.output, result.output
    blank = pd.read_csv(data).assign(life=np.nan)
    blank.to_csv(tmp_path / "blank.csv", index=False)
    result = runner.invoke(app, ["index", "run", str(spec), "--data", str(tmp_path / "blank.csv")], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = tmp_path / "blank-scores.csv"
    runner.invoke(app, ["index", "run", str(spec), "--data", str(tmp_path / "blank.csv"), "--out", str(out)])
    scored = pd.read_csv(out).dropna(subset=["score"])["node"].nunique()
    assert scored < 6 and f"{scored} of 6 nodes have a score" in result.output, result.output


def test_run_cuts_the_ranking_at_top_and_all_shows_every_unit(app, files):
    spec, data = files
    cut = runner.invoke(app, ["index", "run", str(spec), "--data", str(data), "--top", "3"], terminal_width=120)
    assert cut.exit_code == 0, cut.output
    assert "first 3 of 8 rows shown; --all for every one" in cut.output
    every = runner.invoke(app, ["index", "run", str(spec), "--data", str(data), "--all"], terminal_width=120)
    assert every.exit_code == 0, every.output
    assert "rows shown" not in every.output
    assert sorted(line.split()[0] for line in every.output.splitlines() if line.endswith(".0")) == list("ABCDEFGH")
    both = runner.invoke(app, ["index", "run", str(spec), "--data", str(data), "--top", "3", "--all"])
    assert isinstance(both.exception, ParameterError)  # not one of them silently ignored (exit 2: bad_inputs)
    assert "give --top N or --all, not both" in str(both.exception)


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


def _coinr_tables(tmp_path):
    """A tiny COINr framework: 8 units, two pillars, a group column and a denominator."""
    idata = tmp_path / "iData.csv"
    imeta = tmp_path / "iMeta.csv"
    pd.DataFrame({"uCode": list("ABCDEFGH"), "Size": [1, 2, 4, 8, 1, 2, 4, 8], "Region": list("EEEEAAAA"),
                  "Other": list("xyxyxyxy"),
                  "x1": [1, 2, None, 4, 5, 6, 7, 8], "x2": [8, 7, 6, 5, 4, 3, 2, 1], "x3": [2, 4, 6, 8, 1, 3, 5, 7],
                  "x4": [3, 1, 4, 1, 5, 9, 2, 6]}).to_csv(idata, index=False)
    pd.DataFrame({"Level": [1, 1, 1, 1, 2, 2, 3, None, None, None],
                  "iCode": ["x1", "x2", "x3", "x4", "P1", "P2", "Index", "Other", "Region", "Size"],
                  "iName": [""] * 10, "Direction": [1, 1, -1, 1, 1, 1, 1, None, None, None],
                  "Weight": [1, 1, 1, 1, 1, 1, 1, None, None, None],
                  "Denominator": ["Size", None, None, None, None, None, None, None, None, None],
                  "Parent": ["P1", "P1", "P2", "P2", "Index", "Index", None, None, None, None],
                  "Type": ["Indicator"] * 4 + ["Aggregate"] * 3 + ["Group", "Group", "Denominator"]}
                 ).to_csv(imeta, index=False)
    return imeta, idata


def test_every_index_command_reads_coinr_tables(app, tmp_path):
    imeta, idata = _coinr_tables(tmp_path)
    settings = tmp_path / "settings.toml"
    settings.write_text('[methods]\nimputation = "group_mean"\n')
    common = [str(imeta), "--coinr", "--data", str(idata), "--group", "Region", "--denominate",
              "--settings", str(settings)]
    result = runner.invoke(app, ["index", "run", *common, "--node", "x1", "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(tmp_path / "s.csv").query("node == 'x1'").set_index("unit")["score"]
    # by hand: x1 / Size = 1, 1, gap, .5, 5, 3, 1.75, 1; C gets the mean of its Region "E" (A, B, D)
    # = 2.5 / 3; min-max onto [0, 100] over .5 .. 5
    raw = {"A": 1, "B": 1, "C": 2.5 / 3, "D": 0.5, "E": 5, "F": 3, "G": 1.75, "H": 1}
    for unit, value in raw.items():
        assert scores[unit] == pytest.approx((value - 0.5) / 4.5 * 100), unit
    result = runner.invoke(app, ["index", "uncertainty", *common, "-n", "50"])
    assert result.exit_code == 0, result.output
    # COINr's example inputs; its Level 3 is the root here, so only Level 2 gets weight noise
    assert "50 replications over treatment, normalisation, weights_of_L2, aggregation" in result.output
    result = runner.invoke(app, ["index", "sensitivity", *common, "-n", "16", "--boot", "5"])
    assert result.exit_code == 0, result.output


def test_coinr_group_must_be_a_group_row(app, tmp_path):
    imeta, idata = _coinr_tables(tmp_path)
    result = runner.invoke(app, ["index", "run", str(imeta), "--coinr", "--data", str(idata), "--group", "Size"])
    assert isinstance(result.exception, SpecError) and "not a Group row" in str(result.exception)
    result = runner.invoke(app, ["index", "run", str(imeta), "--data", str(idata), "--group", "Region"])
    assert result.exit_code == 2 and "need --coinr" in result.output


def test_sensitivity_of_an_output_that_does_not_vary_says_so(app, tmp_path):
    spec = tmp_path / "leader.toml"
    spec.write_text('unit = "u"\nindicators = [{code = "a", parent = "I"}, {code = "b", parent = "I"}]\n'
                    'aggregates = [{code = "I"}]\nuncertainty = [{input = "weights", level = 2, noise = 0.5}]\n')
    data = tmp_path / "leader.csv"
    pd.DataFrame({"u": ["L", "x", "y"], "a": [9, 1, 5], "b": [9, 4, 2]}).to_csv(data, index=False)
    result = runner.invoke(app, ["index", "sensitivity", str(spec), "--data", str(data), "-n", "16", "--boot", "5",
                                 "--output", "rank", "--unit", "L"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "the output does not vary across them, so its Sobol indices are undefined (NaN)" in said
    assert "ST nan" not in said
