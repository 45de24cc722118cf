"""The event measures reach the panel and the CLI; the event store says where every figure came from."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from middlepower import events, panel
from middlepower.cli import app
from middlepower.errors import DataError
from middlepower.events import store
from middlepower.panel.events import EVENT_COLUMNS

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def event_db(tmp_path_factory) -> Path:
    """A main-store path whose event store is built from the sample, in-process."""
    db = tmp_path_factory.mktemp("events") / "middlepower.duckdb"
    events.build(sample=True, db=db, scheduler="synchronous")
    return db


def test_add_events_adds_documented_columns_with_na_outside_coverage_and_zero_inside(event_db, gdelt_awk, mirror):
    frame = pd.DataFrame({"iso3": ["KAZ", "KAZ", "KAZ", "TUV"], "year": [2016, 2024, 2025, 2024], "keep": [1, 2, 3, 4]})
    out = panel.add_events(frame, db=event_db)
    assert list(out.columns) == ["iso3", "year", "keep", *EVENT_COLUMNS]
    assert out["keep"].tolist() == [1, 2, 3, 4]
    assert out.loc[0, list(EVENT_COLUMNS)].isna().all()  # no 2016 file read: NA, not 0
    assert out.loc[3, "gdelt_consult_events"] == 0 and out.loc[3, "gdelt_files"] == 42
    files_2024 = [mirror / "gdelt/v2_export/oreillyross__GDELT_Downloader" / f"{slot}.export.CSV"
                  for slot in events.files(db=event_db).query("year == 2024")["slot"]]
    consult = gdelt_awk('($8=="KAZ" || $18=="KAZ") && $29=="04" {n++} END {print "n\t" n}', files_2024)["n"]
    hosted = gdelt_awk('$54=="KZ" && substr($27,1,3)=="043" {n++} END {print "n\t" n+0}', files_2024)["n"]
    assert out.loc[1, "gdelt_consult_events"] == consult
    assert out.loc[1, "gdelt_host_visit_hosted_events"] == hosted
    rows = gdelt_awk('END {print "n\t" NR}', files_2024)["n"]
    assert out.loc[1, "gdelt_consult_share"] == pytest.approx(consult / rows)


def test_the_event_store_records_the_files_of_every_aggregate(event_db):
    files = events.files(db=event_db)
    coverage = events.coverage(db=event_db)
    assert len(files) == 96 and files["md5"].str.fullmatch(r"[0-9a-f]{32}").all()
    per_year = files.groupby("year").agg(files=("name", "size"), events=("events", "sum"))
    assert per_year["files"].tolist() == coverage["files"].tolist()
    assert per_year["events"].tolist() == coverage["year_events"].tolist()
    build = store.read("_events_build", event_db).iloc[0]
    assert build["files"] == 96 and "gdelt_v2_sample" in build["inputs"] and "synchronous" in build["runner"]


def test_the_readers_take_any_case_and_refuse_a_code_that_is_no_state(event_db):
    from middlepower.errors import DataError

    kaz = events.state_year("KAZ", db=event_db)
    assert len(kaz) > 0 and set(kaz["iso3"]) == {"KAZ"}
    assert events.state_year(" kaz", db=event_db).equals(kaz)
    assert set(events.dyad_year("kaz", "rus", db=event_db)["partner"]) == {"RUS"}
    for read in (lambda: events.state_year("XYZ", db=event_db), lambda: events.dyad_year("KAZ", "XYZ", db=event_db)):
        with pytest.raises(DataError, match="unknown country code 'XYZ'"):
            read()


def test_add_events_without_an_event_store_says_how_to_build_one(tmp_path):
    with pytest.raises(DataError, match=r"no event store; run `middlepower events build`"):
        panel.add_events(pd.DataFrame({"iso3": ["KAZ"], "year": [2024]}), db=tmp_path / "none.duckdb")


def _cli(*args: str):
    return runner.invoke(app, ["events", *args], env={"COLUMNS": "200"})


def test_cli_build_show_and_partners(tmp_path):
    db = str(tmp_path / "m.duckdb")
    built = _cli("build", "--sample", "--scheduler", "synchronous", "--db", db)
    assert built.exit_code == 0, built.output
    assert re.search(r"built .*m\.events\.duckdb: 96 files, [\d,]+ events, 2017-2025", " ".join(built.output.split()))
    shown = _cli("show", "KAZ", "--db", db)
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()  # 2024 consultations: count, then per 1,000 events in the second table
    assert re.match(r"2024\s+involved\s+50\s", next(line for line in lines if line.startswith("2024  involved")))
    assert [line for line in lines if line.startswith("2024  involved")][1].split()[2] == "0.78"
    partners = _cli("show", "KAZ", "--partners", "--db", db)
    assert partners.exit_code == 0 and "RUS" in partners.output
    coverage = _cli("show", "--db", db)
    assert coverage.exit_code == 0 and "96 files" in coverage.output


def test_cli_show_counts_each_role_once_and_out_keeps_every_partner(event_db, tmp_path):
    shown = _cli("show", "KAZ", "--db", str(event_db))
    assert shown.exit_code == 0, shown.output
    every = events.state_year("KAZ", family="all", db=event_db).groupby("role")["events"].sum()
    assert every["involved"] != every["hosted"]  # so a summary with the two the wrong way round fails
    assert (f"KAZ: {every['involved']:,} events involving it and {every['hosted']:,} held in it"
            in " ".join(shown.output.split()))
    out = tmp_path / "partners.csv"
    listed = _cli("show", "KAZ", "--partners", "--top", "2", "--out", str(out), "--db", str(event_db))
    assert listed.exit_code == 0, listed.output
    partners = pd.read_csv(out)
    dyads = events.dyad_year("KAZ", family="all", db=event_db)
    assert len(partners) == dyads["partner"].nunique() > 2
    assert partners["events"].sum() == dyads["events"].sum()
    assert f"2 of {len(partners)} partners shown" in listed.output


@pytest.mark.parametrize("args, code, words", [
    (["--year", "1900"], 5, ["--year 1900", "2017, 2018, 2019, 2024, 2025"]),
    (["--year", "2021"], 5, ["--year 2021", "no file of that year"]),
    (["--partners", "--family", "999"], 2, ["--family '999'", "04, 043"]),
    (["--family", "04"], 2, ["--family '04'", "--partners only"]),
])
def test_cli_show_refuses_a_request_that_can_only_be_empty(event_db, args, code, words, capsys):
    from middlepower.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["events", "show", "KAZ", *args, "--db", str(event_db)])
    error = capsys.readouterr().err
    assert exited.value.code == code, error
    assert error.startswith("error: ") and all(word in " ".join(error.split()) for word in words), error


def test_cli_build_from_paths_reads_a_users_own_gdelt_folder(tmp_path, mirror):
    db = str(tmp_path / "m.duckdb")
    folder = mirror / "gdelt/v2_export/arekziobrowski__gdelt-big-data"
    result = _cli("build", str(folder), "--scheduler", "synchronous", "--db", db)
    assert result.exit_code == 0, result.output
    assert events.coverage(db=db)["year_events"].tolist() == [2111]  # SOURCES-gdelt.md: 2,111 rows


@pytest.mark.parametrize("args, needle", [
    (["build"], "choose one input"),
    (["build", "--sample", "--from", "2024"], "choose one input"),
    (["build", "--from", "2024-02-30", "--to", "2024-03-01"], "not a calendar date"),
    (["build", "/nonexistent/gdelt"], "no such file or folder"),
])
def test_cli_bad_input_is_a_one_line_library_error(args, needle):
    result = _cli(*args)
    assert result.exit_code != 0 and isinstance(result.exception, DataError)
    assert needle in str(result.exception) and "\n" not in str(result.exception)


def test_docs_list_every_event_column_and_command():
    text = (REPO / "docs/events.md").read_text()
    missing = [column for column in EVENT_COLUMNS if f"`{column}`" not in text and
               not _family_pattern_documented(column, text)]
    assert not missing, missing
    for command in ("events fetch", "events build", "events show", "--scheduler", "MIDDLEPOWER_SCHEDULER"):
        assert command in text, command


def _family_pattern_documented(column: str, text: str) -> bool:
    # docs/events.md documents the per-family columns once as gdelt_<family>_<measure>, with a family table.
    from middlepower.events.families import FAMILIES

    for family in FAMILIES:
        prefix = f"gdelt_{family.slug}_"
        if column.startswith(prefix):
            return f"`{family.slug}`" in text and f"`gdelt_<family>_{column.removeprefix(prefix)}`" in text
    return False
