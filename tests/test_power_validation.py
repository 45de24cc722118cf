"""The validation report and model variants: the AUC against SciPy, the references read from the store and
the typed lists, the generated docs page in step with the spec, and two specs side by side."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from middlepower import power
from middlepower.errors import DataError
from middlepower.power import spec as power_spec
from middlepower.power.compute import MODEL_VERSION, compute
from middlepower.power.references import power_status, published_lists, published_rankings
from middlepower.power.validation import auc

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_auc_is_the_mann_whitney_statistic_scaled():
    rng = np.random.default_rng(5)
    score = np.round(rng.normal(size=200), 1)  # ties on purpose
    positive = rng.random(200) < 0.2
    u = stats.mannwhitneyu(score[positive], score[~positive]).statistic
    assert auc(score, positive) == pytest.approx(u / (positive.sum() * (~positive).sum()))
    assert np.isnan(auc(score, np.zeros(200, dtype=bool)))


def test_published_lists_are_typed_with_citations_and_how_they_were_verified():
    lists = {entry.id: entry for entry in published_lists()}
    # revision 2.5: only the members a text reached names; the rest recorded, never scored
    assert lists["jordaan_traditional"].members == ("AUS", "CAN", "NOR")
    assert lists["jordaan_traditional"].unverified == ("SWE",)
    assert lists["jordaan_emerging"].members == ("ARG", "MYS", "ZAF")
    assert set(lists["jordaan_emerging"].unverified) == {"BRA", "NGA", "TUR"}
    assert set(lists["mikta"].members) == {"MEX", "IDN", "KOR", "TUR", "AUS"}
    assert set(lists["flemes_ibsa"].members) == {"IND", "BRA", "ZAF"} and lists["flemes_ibsa"].years == (2003, 2007)
    assert all(entry.citation and entry.verified for entry in lists.values())


def test_a_state_cannot_be_both_a_member_and_unverified(tmp_path):
    from middlepower.errors import SpecError

    path = tmp_path / "refs.yaml"
    path.write_text("lists:\n  - id: x\n    members: [AUS, CAN]\n    unverified: [CAN]\n    years: [1990, 2000]\n"
                    "    citation: somebody\n")
    with pytest.raises(SpecError, match="refs.yaml: list 'x'"):
        published_lists(path)


def test_bootstrap_intervals_cover_every_reference_and_comparison(store_path):
    report = power.validate(db=store_path)
    intervals = report.intervals
    assert set(intervals["reference"]) == set(report.metrics["reference"])
    assert set(intervals["comparison"]) == {"capability - log GDP", "overall index - capability"}
    assert (intervals["lo"] <= intervals["hi"]).all() and intervals["p_positive"].between(0, 1).all()
    metrics = report.metrics.set_index("reference")
    for row in intervals.itertuples():
        high, low = ("capability", "log_gdp") if row.comparison.startswith("capability") else ("power", "capability")
        assert row.difference == pytest.approx(metrics.loc[row.reference, high] - metrics.loc[row.reference, low])
    lists = intervals[intervals["reference"].str.contains("Jordaan")]
    assert (lists["listed"] == 3).all()  # the verified members
    # a list of three states cannot separate two scores that differ by a hundredth: its interval is wide
    assert ((lists["hi"] - lists["lo"]) > 0.02).all()


def test_power_status_comes_from_cow_and_maoz_in_the_store(store_path):
    status = power_status(1995, 2019, db=store_path).set_index(["iso3", "year"])
    assert status.loc[("USA", 2000), "maoz_rank"] == 2 and bool(status.loc[("USA", 2000), "cow_major"])
    assert status.loc[("TUR", 2000), "maoz_rank"] == 1 and not bool(status.loc[("TUR", 2000), "cow_major"])
    assert status.loc[("KAZ", 2000), "maoz_rank"] == 0
    assert pd.isna(status.loc[("USA", 2018), "cow_major"])  # COW's list ends in 2016: unknown, not False
    later = power_status(2022, 2023, db=store_path).set_index(["iso3", "year"])
    assert later.loc[("KAZ", 2022), "cinc"] == pytest.approx(0.00266, abs=5e-6)  # SOURCES-ir.md's check
    assert pd.isna(later.loc[("KAZ", 2023), "cinc"])  # NMC v7.0 ends in 2022


def test_cinc_is_a_ranked_reference_scored_like_maoz_ordinal(store_path):
    from middlepower.power import validation

    report = power.validate(db=store_path)
    row = report.metrics.set_index("reference").loc[validation.CINC_LABEL]
    assert row["metric"] == "Spearman (yearly mean)" and row["years"] == "1990-2022"
    frame = validation.comparison_frame(power.model(db=store_path), db=store_path)
    assert row["log_gdp"] == pytest.approx(np.mean([
        stats.spearmanr(g["log_gdp"], g["cinc"]).statistic
        for _, g in frame[frame["year"].between(1990, 2022) & frame["cinc"].notna()].groupby("year")
    ]))


def test_published_rankings_are_typed_with_their_source_and_year():
    rankings = {entry.id: entry for entry in published_rankings()}
    lowy = rankings["lowy_api_2024"]
    assert lowy.year == 2023 and len(lowy.scores) == 27  # the 2024 edition's 27 states, its data year
    assert lowy.scores["USA"] == 81.7 and lowy.scores["PNG"] == 4.2  # its first and last, as published
    assert "power.lowyinstitute.org" in lowy.citation and lowy.verified


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("    year: 2023\n    citation: x\n    scores: {USA: 1, CHN: 2, XYZ: 3}\n", "known ISO3 codes .*XYZ"),
        ("    year: 2023\n    citation: x\n    scores: {USA: 1, CHN: 2, IND: high}\n", "numbers .*IND: 'high'"),
        ("    citation: x\n    scores: {USA: 1, CHN: 2, IND: 3}\n", "needs a year"),
        ("    year: 2023\n    scores: {USA: 1, CHN: 2, IND: 3}\n", "citation"),
        ("    year: 2023\n    citation: x\n    scores: {USA: 1}\n", "at least 3 states"),
    ],
)
def test_a_malformed_ranking_names_the_file_and_entry(tmp_path, entry, message):
    from middlepower.errors import SpecError

    path = tmp_path / "refs.yaml"
    path.write_text("rankings:\n  - id: r\n" + entry)
    with pytest.raises(SpecError, match=f"refs.yaml: ranking 'r': .*{message}"):
        published_rankings(path)


def test_a_published_ranking_is_scored_by_spearman_over_its_states_in_its_year(store_path):
    report = power.validate(db=store_path)
    lowy = published_rankings()[0]
    row = report.metrics.set_index("reference").loc[lowy.label]
    assert row["metric"] == "Spearman (one year)" and row["years"] == "2023-2023"
    from middlepower.power import validation

    frame = validation.comparison_frame(power.model(db=store_path), db=store_path)
    rows = frame[(frame["year"] == 2023) & frame["iso3"].isin(lowy.scores)]
    assert "PRK" not in set(rows["iso3"])  # no tier, so not compared (as for every reference)
    assert row["n"] == len(rows) >= 20
    for column in ("capability", "power", "log_gdp"):
        assert row[column] == pytest.approx(stats.spearmanr(rows[column], rows["iso3"].map(lowy.scores)).statistic)
    assert lowy.label in set(report.intervals["reference"])


def test_the_generated_validation_page_matches_the_shipped_spec():
    page = (DOCS / "validation.md").read_text()
    match = re.search(r"Spec fingerprint: `([0-9a-f]+)`; model version (\d+)", page)
    assert match, "docs/validation.md lacks its fingerprint line"
    assert match.group(1) == power_spec.load().fingerprint, (
        "regenerate: middlepower validate --markdown docs/validation.md"
    )
    assert int(match.group(2)) == MODEL_VERSION
    assert "## Could another capability measure pass?" in page, (
        "regenerate with the candidates: middlepower validate --candidates --markdown docs/validation.md"
    )


def _shipped_rows(heading: str) -> list[list[str]]:
    """The body rows of the first table under ``heading`` in docs/validation.md, cell by cell."""
    page = (DOCS / "validation.md").read_text()
    assert heading in page, f"docs/validation.md lacks {heading!r}: middlepower validate --candidates --markdown"
    section = page.split(heading, 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| input")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in rows]


def _assert_shipped_table_is(current, heading: str) -> None:
    """Fail unless docs/validation.md's table under ``heading`` shows ``current`` cell for cell."""
    rows = _shipped_rows(heading)
    assert len(rows) == len(current) >= 15
    for cells, (_, row) in zip(rows, current.iterrows(), strict=True):
        assert cells == [str(v) for v in row], cells


def test_the_shipped_hold_out_table_is_the_current_missing_data_model(store_path):
    # revision 2.16's check, as docs/validation.md prints it, is what the store's inputs give now
    from middlepower.power import validation, validation_report

    result = power.model(db=store_path)
    current = validation_report.imputation_table(result.imputation, validation.imputed_state_years(result))
    _assert_shipped_table_is(current, "## The missing-data model on held-out real values")
    gdp = current.set_index(["input", "model"]).loc[("gdp_usd", "Maddison")]
    before, after = (float(x) for x in gdp["mean error, d = 1"].split(" → "))
    assert after < 0.5 * before  # a state's own level one year away says more than the cross-state line


def test_the_imputed_state_years_are_what_the_scores_say_is_imputed(store_path):
    # the hold-out table's count, from the inputs' statuses, against the other record of the same fact:
    # each node score's list of imputed inputs (one score per state-year of states in the system)
    from middlepower.power import validation

    result = power.model(db=store_path)
    counts = validation.imputed_state_years(result)
    scores = result.scores
    for node, name in (("capability", "gdp_usd"), ("capability", "milex_usd"), ("restraint", "milex_share_gdp_pct"),
                       ("peacekeeping", "peacekeepers_per_million"), ("influence", "ip_receipts_usd")):
        listed = scores.loc[scores["pillar"] == node, "imputed"].fillna("").str.split("; ")
        assert counts[name] == sum(name in names for names in listed), name
    assert counts["milex_share_gdp_pct"] > 0 and counts["armed_conflicts_abroad_10y"] == 0  # as docs/validation.md


def test_the_shipped_bridge_table_is_the_current_check_between_two_real_years(store_path):
    # revision 2.17's check, generated into docs/validation.md beside 2.16's, is what the store gives now
    from middlepower.power import validation_report

    current = validation_report.bridge_table(power.model(db=store_path).bridge)
    _assert_shipped_table_is(current, "### Between two real years")
    for column in (c for c in current.columns if c.startswith("mean error")):
        pairs = [[float(v) for v in cell.split(" → ")] for cell in current[column] if cell != "–"]
        assert pairs and all(bridge < nearest for nearest, bridge in pairs), column


def test_validate_command_writes_the_page_and_refuses_other_names(store_path, tmp_path):
    from middlepower.cli import app

    compute(db=store_path)
    out = tmp_path / "v.md"
    result = CliRunner().invoke(
        app, ["validate", "--db", str(store_path), "--markdown", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "references: capability beats log GDP on" in result.output.strip().splitlines()[-1]
    text = out.read_text()
    assert "COW major powers" in text and "Jordaan" in text and "MIKTA" in text and "Flemes" in text
    assert "## How much the comparisons can support" in text and "not verified, not used: SWE" in text
    assert "cluster bootstrap over states" in result.output
    assert "## The missing-data model on held-out real values" in text and "| gdp_usd | Maddison |" in text
    assert "held-out real values" in result.output
    bad = CliRunner().invoke(app, ["validate", "--db", str(store_path), "--markdown", str(tmp_path / "v.txt")])
    assert bad.exit_code != 0 and not (tmp_path / "v.txt").exists()


def test_a_spec_beside_itself_changes_nothing(store_path):
    frame = power.compare_specs(None, None, year=2019, db=store_path)
    assert len(frame) > 180 and not frame["tier_changed"].any() and not frame["class_changed"].any()
    assert (frame["rank_shift"].dropna() == 0).all()


def test_a_stricter_conduct_cut_changes_classes_but_not_tiers(store_path, tmp_path):
    text = power_spec.default_spec_path().read_text()
    variant = tmp_path / "strict.toml"
    variant.write_text(text.replace("conduct_percentile = 50.0", "conduct_percentile = 75.0"))
    frame = power.compare_specs(variant, None, year=2019, db=store_path)
    assert not frame["tier_changed"].any()
    changed = frame[frame["class_changed"]]
    assert len(changed) > 0
    assert set(changed["class_a"].dropna()) <= {"middle-ranking power"}  # stricter: fewer middle powers
    assert set(changed["class_b"].dropna()) <= {"middle power"}
    with pytest.raises(DataError, match="year 1950"):
        power.compare_specs(variant, None, year=1950, db=store_path)
