"""Bad UN extracts: a truncated or altered file, an unknown member name, a resolution with totals but no
lists, two names for one state. Each is a one-line error or a recorded, counted exclusion."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from middlepower import codes
from middlepower.errors import MiddlepowerError, SourceError
from middlepower.sources import _unxml, un_ga
from middlepower.warehouse import un_views
from test_bad_input import (  # noqa: F401  (previous_store is a fixture)
    assert_one_line_error,
    assert_store_intact,
    fingerprint_of,
    partial_mirror,
    previous_store,
    run_cli,
)

EXTRACT = "unxml_ga_resolutions/data_extract/74.json"


def test_truncated_extract_fails_its_checksum_and_the_store_is_kept(mirror, previous_store, tmp_path):  # noqa: F811
    before = fingerprint_of(previous_store)
    fake = partial_mirror(mirror, tmp_path, EXTRACT)
    data = (mirror / EXTRACT).read_bytes()
    (fake / EXTRACT).write_bytes(data[: len(data) // 3])
    result = run_cli("build", "--db", str(previous_store), "--force",
                     env={"MIDDLEPOWER_MIRROR": str(fake), "MIDDLEPOWER_HOME": str(tmp_path / "home")})
    assert_one_line_error(result, EXTRACT, "checksum mismatch")
    assert_store_intact(previous_store, before)


def test_a_line_cut_short_is_named_by_file_and_line(mirror, tmp_path):
    lines = (mirror / EXTRACT).read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "74.json"
    broken.write_text("\n".join(lines[:10] + [lines[10][:200]]), encoding="utf-8")
    with pytest.raises(SourceError, match=r"74.json line 11: not valid JSON .* truncated or altered"):
        _unxml.read_lines(broken, un_ga.GA_REQUIRED)


def test_a_record_without_a_vote_list_is_named(mirror, tmp_path):
    lines = (mirror / EXTRACT).read_text(encoding="utf-8").splitlines()
    altered = tmp_path / "74.json"
    altered.write_text("\n".join([lines[0].replace('"MS_against": []', '"MS_against_x": []'), *lines[1:]]),
                       encoding="utf-8")
    with pytest.raises(SourceError, match=r"74.json line 1: no field 'MS_against' \(resolution A/RES/74/1\)"):
        _unxml.read_lines(altered, un_ga.GA_REQUIRED)


def _frames_with(mirror: Path, tmp_path: Path, old: str, new: str):
    """Return the Assembly frames read from the real extracts with ``old`` replaced by ``new`` in 75.json."""
    paths = {file.path: mirror / file.path for file in un_ga.GA_FILES}
    target = "unxml_ga_resolutions/data_extract/75.json"
    changed = tmp_path / "75.json"
    changed.write_text((mirror / target).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    paths[target] = changed
    return un_ga._ga_frames(paths)


def _store_with(store_path: Path, tmp_path: Path, resolutions, votes) -> duckdb.DuckDBPyConnection:
    """A small store: the session store's UN tables, with these Assembly frames, and the UN views."""
    con = duckdb.connect(str(tmp_path / "small.duckdb"))
    con.execute(f"ATTACH '{store_path}' AS s (READ_ONLY)")
    for table in ("un_roll_calls", "un_votes", "un_sc_resolutions", "un_sc_votes"):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM s.{table}")
    keyed, unmapped = codes.attach_iso3(votes, "un_ga_votes")
    for name, frame in (("un_ga_resolutions", resolutions), ("un_ga_votes", keyed)):
        con.register("incoming", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
        con.unregister("incoming")
    un_views.create(con)
    return con, unmapped


def test_unknown_member_name_is_an_unmapped_counted_exclusion(mirror, store_path, tmp_path):
    # Rename KAZAKHSTAN everywhere in session 75's extract: a member name no mapping knows.
    resolutions, votes = _frames_with(mirror, tmp_path, '"KAZAKHSTAN"', '"FREEDONIA"')
    expected = int((votes["country"] == "FREEDONIA").sum())
    assert expected > 90
    con, unmapped = _store_with(store_path, tmp_path, resolutions, votes)
    assert unmapped.set_index("code").loc["FREEDONIA", "rows"] == expected
    row = con.execute("SELECT reason, rows FROM _exclusions WHERE item = 'FREEDONIA'").fetchone()
    assert row == ("member name with no ISO3: votes left out", expected)
    # The votes are left out of the series, and no state is invented: Kazakhstan is absent there.
    (named,) = con.execute("SELECT count(*) FROM unga_votes v JOIN unga_roll_calls r USING (rcid) "
                           "WHERE r.session = 75 AND v.iso3 = 'KAZ' AND v.vote > 0").fetchone()
    assert named == 0


def test_totals_without_lists_are_recorded_and_give_no_votes(store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        row = con.execute("SELECT recorded_vote, exclusion, yes_total, no_total, yes_listed FROM un_ga_resolutions "
                          "WHERE symbol = 'A/RES/75/254 A-C'").fetchone()
        assert row == (False, "totals without member lists", 168, 2, 0)
        listed = con.execute("SELECT reason, rows FROM _exclusions WHERE item = 'A/RES/75/254 A-C'").fetchall()
        assert listed == [("totals without member lists", 1)]
        (votes,) = con.execute("SELECT count(*) FROM un_ga_votes WHERE symbol = 'A/RES/75/254 A-C'").fetchone()
        assert votes == 0
        sc = con.execute("SELECT exclusion FROM un_sc_resolutions WHERE symbol = 'S/RES/2723 (2024)'").fetchone()
        assert sc == ("totals without member lists",)


def test_cli_names_a_resolution_that_is_excluded(store_path):
    result = run_cli("diplomacy", "vote", "A/RES/75/254 A-C", "--db", str(store_path))
    assert result.returncode == 0, result.stderr
    assert "excluded from the vote series: totals without member lists" in " ".join(result.stdout.split())
    missing = run_cli("diplomacy", "vote", "A/RES/99/1", "--db", str(store_path))
    assert_one_line_error(missing, "'A/RES/99/1'")


def test_two_names_of_one_state_on_one_resolution_refuse_the_store(mirror, store_path, tmp_path):
    # Add "REPUBLIC OF KAZAKHSTAN" to every non-empty abstention list of session 75: wherever
    # KAZAKHSTAN voted too, one state has two votes on one roll call.
    resolutions, votes = _frames_with(mirror, tmp_path, '"MS_abstaining": ["',
                                      '"MS_abstaining": ["REPUBLIC OF KAZAKHSTAN", "')
    con, _ = _store_with(store_path, tmp_path, resolutions, votes)
    with pytest.raises(MiddlepowerError, match="unga_votes has two votes of KAZ"):
        un_views.validate(con)
