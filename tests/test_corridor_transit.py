"""Transit centrality and the add_transit panel verb."""

import numpy as np
import pandas as pd
import pytest

from middlepower.corridor import transit_centrality
from middlepower.panel.transit import add_transit


def test_kazakhstan_carries_all_observed_land_transit_in_2024():
    # Both land corridors cross Kazakhstan (corridor.md section 1), so its share is 1.
    table = transit_centrality(2024).set_index("iso3")
    assert table.loc["KAZ", "transit_centrality"] == pytest.approx(1.0)
    assert table.loc["RUS", "transit_centrality"] == pytest.approx(412_000 / (412_000 + 55_000))
    assert "CHN" not in table.index and "DEU" not in table.index


def test_add_transit_keeps_every_row_and_leaves_unvalued_years_na():
    frame = pd.DataFrame({"iso3": ["AZE", "KAZ", "USA", "KAZ"], "year": [2024, 2024, 2024, 1999], "x": [1, 2, 3, 4]})
    out = add_transit(frame)
    assert list(out["x"]) == [1, 2, 3, 4] and len(out) == len(frame)
    assert out.loc[2, "transit_centrality"] == 0
    assert pd.isna(out.loc[3, "transit_centrality"])
    values = out["transit_centrality"].dropna()
    assert ((values >= 0) & (values <= 1)).all()


def test_the_year_is_refused_by_kind_or_by_coverage():
    from middlepower.errors import DataError, ParameterError

    with pytest.raises(ParameterError, match=r"^year '2024': expected a year \(a whole number\)$"):
        transit_centrality("2024")
    with pytest.raises(DataError, match=r"^year 1800: the observed corridor volumes cover 2022-2025$"):
        transit_centrality(1800)
    assert transit_centrality(np.int64(2024)).equals(transit_centrality(2024))


def _volumes_csv() -> pd.DataFrame:
    """volumes.csv read straight from the package, not through the corridor code."""
    from importlib.resources import files

    return pd.read_csv(files("middlepower") / "data" / "corridor" / "volumes.csv")


def test_the_default_year_is_the_last_with_a_volume_for_every_land_corridor():
    """The CLI, the map and the API typed 2024 (and the report and dashboard 2022-2025) as the volumes' years."""
    from middlepower import corridor

    volumes = _volumes_csv()
    assert corridor.volume_years() == sorted(volumes["year"].unique().tolist())
    both = set.intersection(*(set(volumes.loc[volumes["corridor"] == c, "year"]) for c in ("middle", "northern")))
    assert corridor.transit_year() == max(both)
    assert transit_centrality().equals(transit_centrality(max(both)))


def test_the_cli_transit_default_is_that_year():
    from typer.testing import CliRunner

    from middlepower.corridor import cli

    volumes = _volumes_csv()
    result = CliRunner().invoke(cli.app, ["transit"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    both = set.intersection(*(set(volumes.loc[volumes["corridor"] == c, "year"]) for c in ("middle", "northern")))
    latest = max(both)
    assert result.output.strip().splitlines()[-1].endswith(f"in {latest}"), result.output


def test_the_cli_refuses_a_year_without_every_land_corridor_instead_of_an_empty_table():
    """`corridor transit --year 2025` printed an empty table and "0 transit countries in 2025"."""
    from typer.testing import CliRunner

    from middlepower.corridor import cli
    from middlepower.errors import DataError

    volumes = _volumes_csv()
    both = set.intersection(*(set(volumes.loc[volumes["corridor"] == c, "year"]) for c in ("middle", "northern")))
    partial = sorted(set(volumes["year"]) - both)
    assert partial, "volumes.csv has no year with one land corridor only"
    result = CliRunner().invoke(cli.app, ["transit", "--year", str(partial[-1])], env={"COLUMNS": "200"})
    assert isinstance(result.exception, DataError)  # the CLI's exit code 5, one line on stderr
    assert f"year {partial[-1]}: transit centrality needs an observed volume for every land corridor" in str(
        result.exception), result.exception


def test_the_cli_says_when_the_shares_mix_one_way_and_two_way_volumes(monkeypatch):
    """2024's northern volume is westbound and the middle one counts both directions; the table summed
    them without a word."""
    from typer.testing import CliRunner

    from middlepower.corridor import centrality, cli

    volumes = _volumes_csv()
    year = transit_centrality()["year"].iloc[0]
    directions = dict(volumes.loc[(volumes["year"] == year) & volumes["corridor"].isin(["middle", "northern"]),
                                  ["corridor", "direction"]].values)
    assert len(set(directions.values())) == 2  # the shipped volumes mix them (else this test has nothing to see)
    shown = " ".join(CliRunner().invoke(cli.app, ["transit"], env={"COLUMNS": "200"}).output.split())
    assert "volumes count different directions (" + ", ".join(
        f"{c} {directions[c]}" for c in sorted(directions)) + ")" in shown
    same = volumes.assign(direction="westbound")
    monkeypatch.setattr(centrality, "load_volumes", lambda: same)
    assert centrality.mixed_directions_note(int(year)) == ""
    assert "different directions" not in CliRunner().invoke(cli.app, ["transit"], env={"COLUMNS": "200"}).output


def test_the_capacity_legend_gives_every_rows_note():
    """Only rows above 1 had their note printed, so 'the volume counts both directions' named northern 2022 alone."""
    from typer.testing import CliRunner

    from middlepower.corridor import cli

    volumes = _volumes_csv()
    shown = " ".join(CliRunner().invoke(cli.app, ["capacity"], env={"COLUMNS": "200"}).output.split())
    both = ", ".join(f"{r.corridor} {r.year}" for r in volumes.itertuples() if r.direction == "both")
    assert f"{both}: the volume counts both directions" in shown
