"""Every table command at 80 columns: no line wider than the terminal, no cell cut, files written whole.

Each command runs on the real store through the root CLI with ``COLUMNS=80``; its output must keep
every line within 80 cells, contain no "…" (a cut cell) and no number broken across lines, and show
the figures the same command writes with ``--out`` (read back and formatted by the test itself).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from middlepower.cli import app

CLAIMS = Path(__file__).resolve().parents[1] / "src/middlepower/data/power/claims_example.yaml"
WIDTH = 80
BROKEN_NUMBER = [
    re.compile(r"(?<![\d,])\d{1,3},\d{1,2}(?![\d,])"),  # "12,30" then "3.0" on the next line
    re.compile(r"\d,\d{4,}"),  # a thousands group that swallowed the next line's digits
    re.compile(r"(?<![\w.])\d+\.…|…\d"),  # "0.…"
]


@pytest.fixture(scope="module")
def run(store_path, quick_fit):
    """Invoke the root CLI at 80 columns on the session store (alignment on the quick ideal-point fit)."""
    from middlepower.alignment import series
    from middlepower.web import alignment_data

    patch = pytest.MonkeyPatch()
    patch.setattr(series, "yearly_ideal_points", lambda db=None, period="year": quick_fit)
    series.clear_caches()
    alignment_data.frame.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, db: bool = True):
        argv = [*args, *(["--db", str(store_path)] if db else [])]
        result = runner.invoke(app, argv, env={"COLUMNS": str(WIDTH)}, terminal_width=WIDTH)
        assert result.exit_code == 0, f"{argv}: {result.output}{result.exception!r}"
        return result.stdout if "--format" in args else result.output  # data alone on stdout

    yield invoke
    patch.undo()
    series.clear_caches()


def assert_fits(output: str, command: str) -> None:
    assert output.strip(), f"{command}: no output"
    wide = [line for line in output.splitlines() if cell_len(line) > WIDTH]
    assert not wide, f"{command}: {len(wide)} lines wider than {WIDTH}: {wide[:2]}"
    assert "…" not in output, f"{command}: a cell is cut with an ellipsis"
    for pattern in BROKEN_NUMBER:
        found = pattern.search(output)
        assert found is None, f"{command}: a number is cut: {found.group(0)!r} in {output[found.start() - 60:][:120]!r}"


def _line(output: str, start: str) -> str:
    return next(line for line in output.splitlines() if line.lstrip().startswith(start))


def test_power_tables_fit_80_columns_and_show_the_figures_of_their_files(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # short file names: "wrote PATH" is one unbreakable word (long under pytest -n)
    out = Path("rank.csv")
    text = run("rank", "--year", "2024", "--out", str(out))
    assert_fits(text, "rank")
    frame = pd.read_csv(out)
    assert len(frame) > 150 and "first 20 of" in text  # the file has every state, the terminal the top 20
    for row in frame.head(20).itertuples():
        line = _line(text, f"{row.position}  {row.iso3}")
        assert f"{row.power:.1f}" in line.split(), line  # the overall index, whole
        assert f"{row.percentile:.0f} [{row.percentile_lo:.0f}–{row.percentile_hi:.0f}]" in line, line
    assert "Legend:" in text and "cap % = capability percentile" in text

    middle = run("rank", "--year", "2024", "--tier", "middle", "--all", "--format", "csv")
    tiered = pd.read_csv(pd.io.common.StringIO(middle))
    overall = frame.set_index("iso3")["position"]
    assert (tiered["tier"] == "middle").all() and tiered["position"].min() > 1
    assert tiered.set_index("iso3")["position"].equals(overall.loc[tiered["iso3"]])  # overall ranks, not renumbered

    profile_json = Path("kaz.json")
    text = run("profile", "KAZ", "--year", "2024", "--out", str(profile_json))
    assert_fits(text, "profile")
    tables = json.loads(profile_json.read_text())
    assert {"nodes", "tier", "classes", "gap", "criteria", "similar", "indicators"} <= set(tables)
    for node in tables["nodes"]:  # every node's percentile and its interval, as the file has them
        shown = f"{node['percentile']:.0f} [{node['percentile_lo']:.0f}–{node['percentile_hi']:.0f}]"
        assert shown in text, shown
    for criterion in tables["criteria"]:
        assert criterion["verdict"] in text
    assert "igo full" not in " ".join(text.split())  # inputs by their labels (the next test)
    for command in (["compare", "KAZ", "AZE", "CAN", "AUS", "TUR", "--from", "2015", "--to", "2024"],
                    ["check", str(CLAIMS)], ["validate", "--candidates"]):
        assert_fits(run(*command), command[0])
    from middlepower.power.spec import default_spec_path

    shown = run("variants", str(default_spec_path()))
    assert_fits(shown, "variants")
    assert not re.search(r"\bnan\b", shown), shown  # a state without a tier reads "– > –"
    from middlepower.power import cli_views

    tier = next(c for c in cli_views.variant_columns() if c.key == "tier")
    assert tier.fmt({"tier_a": float("nan"), "tier_b": pd.NA}) == "– > –"
    assert tier.fmt({"tier_a": "small", "tier_b": "middle"}) == "small > middle"


def test_profile_names_inputs_that_are_not_real_by_their_indicator(store_path, tmp_path):
    from middlepower import power

    out = tmp_path / "kaz.json"
    argv = ["profile", "KAZ", "--year", "2024", "--db", str(store_path), "--out", str(out)]
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "400"}, terminal_width=400)  # no cell wrapped
    assert result.exit_code == 0, result.output
    labels = power.input_labels()
    nodes = json.loads(out.read_text())["nodes"]
    carried = {entry.split(" from ")[0]: entry.split(" from ")[1]
               for node in nodes if node["carried"] for entry in node["carried"].split("; ")}
    assert "igo_full" in carried  # the file keeps the raw names, the panel's columns
    for name, year in carried.items():
        assert f"{labels[name]} from {year}" in result.output, name
    assert "igo full" not in result.output and "reserves bn barrels" not in result.output


def test_other_tables_fit_80_columns(run, store_path):
    for command in (["alignment", "KAZ", "--with", "USA", "RUS", "CHN", "EU", "--from", "2005", "--to", "2024"],
                    ["balance", "--year", "2024"], ["sources", "--no-check"],
                    ["diplomacy", "council", "KAZ", "--votes"], ["diplomacy", "peace", "KAZ"],
                    ["diplomacy", "peacekeeping", "KAZ"]):
        assert_fits(run(*command), " ".join(command[:2]))
    for command in (["corridor", "compare", "--draws", "2000"], ["corridor", "scenario", "roadmap", "--draws", "2000"],
                    ["corridor", "capacity"], ["corridor", "route", "--from", "xian", "--to", "Duisburg"]):
        assert_fits(run(*command, db=False), " ".join(command[:2]))
    compare = run("corridor", "compare", "--draws", "2000", "--format", "json", db=False)
    for row in json.loads(compare)["compare"]:  # every distance whole on its corridor's line
        assert f"{row['distance_km']:,.0f}" in _line(run("corridor", "compare", "--draws", "0", db=False),
                                                     row["corridor"]).split()
    run("events", "build", "--sample", "--scheduler", "synchronous")
    assert_fits(run("events", "show", "KAZ"), "events show")


def test_index_run_fits_80_columns(run, tmp_path):
    import numpy as np

    spec = tmp_path / "spec.toml"
    spec.write_text('name = "Toy"\nunit = "country"\ntime = "year"\n[[indicators]]\ncode = "gdp"\nparent = "index"\n'
                    '[[indicators]]\ncode = "pop"\nparent = "index"\n[[aggregates]]\ncode = "index"\n')
    rng = np.random.default_rng(1)
    data = tmp_path / "data.csv"
    pd.DataFrame({"country": [f"C{i:02d}" for i in range(40)], "year": 2020,
                  "gdp": rng.lognormal(10, 2, 40), "pop": rng.lognormal(5, 1, 40)}).to_csv(data, index=False)
    assert_fits(run("index", "run", str(spec), "--data", str(data), db=False), "index run")


def test_out_refuses_bad_names_and_folders_in_one_line_and_writes_nothing(store_path, tmp_path):
    runner = CliRunner()
    readonly = Path("/sys") if os.geteuid() == 0 else tmp_path / "locked"  # root ignores permission bits
    if readonly != Path("/sys"):
        readonly.mkdir()
        readonly.chmod(0o555)
    cases = {str(tmp_path / "rank.txt"): "expected a .csv, .parquet or .json",
             str(tmp_path / "missing" / "rank.csv"): "does not exist",
             str(readonly / "rank.csv"): "cannot write",
             str(tmp_path / "rank.csv") + "|json": "is a .csv file but --format says json"}
    for target, message in cases.items():
        path, _, fmt = target.partition("|")
        argv = ["rank", "--year", "2024", "--db", str(store_path), "--out", path, *(["--format", fmt] if fmt else [])]
        result = runner.invoke(app, argv)
        assert result.exit_code != 0
        error = str(result.exception)
        assert message in error and "\n" not in error, error
        assert result.exception.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == (["locked"] if readonly != Path("/sys") else [])


def test_a_failed_write_leaves_neither_the_file_nor_its_temporary(tmp_path, monkeypatch):
    from middlepower.errors import UsageError
    from middlepower.output import TableOutput

    output = TableOutput(tmp_path / "a.parquet", None)
    frame = pd.DataFrame({"x": [1, 2]})

    def full_disk(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(UsageError, match="No space left"):
        output.emit({"t": frame}, "t")
    assert list(tmp_path.iterdir()) == []


def test_a_wrapped_cell_breaks_a_long_hyphenated_word_at_its_hyphens():
    # claim ids such as kaz-largest-economy-central-asia are longer than a squeezed column; they used to be
    # cut at the column's edge ("kaz-largest-economy-ce" / "ntral-asia"), now after a hyphen
    from middlepower.terminal import Col, fit_lines

    frame = pd.DataFrame({"claim": ["kaz-largest-economy-central-asia: Kazakhstan has the biggest economy"],
                          "note": ["x " * 40]})
    lines, _ = fit_lines(frame, [Col("claim", wrap=True), Col("note", wrap=True)], 60)
    claim = [line.plain.split("  ")[0] for line in lines[2:]]  # the claim column, below the header and rule
    assert claim == ["kaz-largest-economy-central-", "asia: Kazakhstan has the", "biggest economy"], claim


def test_every_command_that_points_to_all_has_it():
    """A --top whose help (or cut note) says "--all for every one" must sit beside an --all option."""
    from middlepower.docgen import cli_commands

    pointing = []
    for path, command, is_group in cli_commands():
        if is_group:
            continue
        options = {opt for param in command.params for opt in param.opts}
        helps = " ".join(getattr(param, "help", "") or "" for param in command.params)
        if "--all" in helps:
            pointing.append(path)
            assert "--all" in options, path
    assert len(pointing) >= 5, pointing  # rank, alignment, variants, index run and uncertainty
