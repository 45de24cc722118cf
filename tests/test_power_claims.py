"""The claim checker: the shipped example gets a verdict per claim with sources and years; malformed
claims fail with one line naming the claim and field; missing data give 'insufficient data'."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from middlepower import power, sources
from middlepower.errors import SpecError
from middlepower.power.verdicts import check_file

EXAMPLE = Path(power.spec.default_spec_path()).with_name("claims_example.yaml")
VERDICTS = {"supported", "contradicted", "inconclusive", "insufficient data"}


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n" + body)
    return path


def test_every_example_claim_gets_a_verdict_with_sources_and_years(model, store_path):
    verdicts = check_file(EXAMPLE, db=store_path, result=model)
    assert len(verdicts) >= 15
    assert set(verdicts["verdict"]) <= VERDICTS
    assert verdicts["evidence"].str.len().gt(0).all()
    assert verdicts["years"].str.match(r"^\d{4}(-\d{4})?$").all()
    registered = {source.name for source in sources.all_sources()}
    for claim_id, named in zip(verdicts["id"], verdicts["sources"], strict=True):
        for entry in named.split(", "):  # a store table, or a data file shipped with the package
            assert entry in registered or "data/power/" in entry or "data/corridor/" in entry, (claim_id, entry)


def test_facts_of_the_article_checkable_from_independent_data_are_supported(model, store_path):
    verdicts = check_file(EXAMPLE, db=store_path, result=model).set_index("id")["verdict"]
    # KAZ's GDP exceeds its four neighbours' (WDI) and KAZ sat on the Council in 2017-18 (UN)
    assert verdicts["kaz-largest-economy-central-asia"] == "supported"
    assert verdicts["kaz-security-council"] == "supported"


def test_the_example_has_an_inconclusive_verdict_where_an_interval_straddles(model, store_path):
    verdicts = check_file(EXAMPLE, db=store_path, result=model)
    inconclusive = verdicts[verdicts["verdict"] == "inconclusive"]
    assert len(inconclusive) >= 1
    assert inconclusive["evidence"].str.contains(r"p\(|interval").all()


def test_no_example_claim_rests_on_the_corridor_model_alone_where_it_cannot_fail():
    import yaml

    claims = yaml.safe_load(EXAMPLE.read_text())["claims"]
    # every modelled land corridor crosses Kazakhstan, so a claim on its transit share passes by construction
    assert not [c["id"] for c in claims if c["subject"] == "KAZ" and c["measure"].startswith("transit")]


def test_a_window_claim_holds_in_any_year_when_asked(model, store_path, tmp_path):
    path = write(
        tmp_path,
        """
  - id: council-some-year
    text: Kazakhstan sat on the Council at some point in 2010-2020.
    subject: KAZ
    measure: unsc_member
    years: [2010, 2020]
    holds: any
    relation: {equals: 1}
  - id: council-every-year
    text: Kazakhstan sat on the Council in every year 2010-2020.
    subject: KAZ
    measure: unsc_member
    years: [2010, 2020]
    relation: {equals: 1}
""",
    )
    verdicts = check_file(path, db=store_path, result=model).set_index("id")["verdict"]
    assert verdicts["council-some-year"] == "supported" and verdicts["council-every-year"] == "contradicted"


def test_missing_values_give_insufficient_data_not_a_guess(model, store_path, tmp_path):
    path = write(
        tmp_path,
        """
  - id: cinc-after-coverage
    text: CINC is published for 2024.
    subject: KAZ
    measure: cinc
    year: 2024
    relation: {greater_than: 0}
""",
    )
    row = check_file(path, db=store_path, result=model).iloc[0]
    assert row["verdict"] == "insufficient data" and "no value" in row["evidence"]


@pytest.mark.parametrize(
    "body, needle",
    [
        ("  - {id: a, text: t, subject: KAZ, measure: gdp_usd, year: 2022}\n", "claim 'a', field 'relation': missing"),
        (
            "  - {id: b, text: t, subject: KAZ, measure: gdp, year: 2022, relation: {greater_than: 0}}\n",
            "claim 'b', field 'measure': unknown measure 'gdp'",
        ),
        (
            "  - {id: c, text: t, subject: QQQ, measure: gdp_usd, year: 2022, relation: {greater_than: 0}}\n",
            "claim 'c', field 'subject': unknown ISO3 code 'QQQ'",
        ),
        (
            "  - {id: d, text: t, subject: KAZ, measure: gdp_usd, year: 2022, relation: {bigger: 0}}\n",
            "claim 'd', field 'relation': expected one of",
        ),
        (
            "  - {id: e, text: t, subject: KAZ, measure: gdp_usd, year: 2022, relation: {top_fraction: 3}}\n",
            "claim 'e', field 'relation': top_fraction needs a number in (0, 1]",
        ),
        (
            "  - {id: f, text: t, subject: KAZ, measure: gdp_usd, years: [2022, 2020], relation: {greater_than: 0}}\n",
            "claim 'f', field 'years'",
        ),
        (
            "  - {id: g, text: t, subject: KAZ, measure: gdp_usd, years: [1800, 2020], relation: {greater_than: 0}}\n",
            "claim 'g', field 'years': 1800-2020 is outside the store's years",
        ),
        (
            "  - {id: h, text: t, subject: KAZ, measure: gdp_usd, years: [2010, 2020], holds: most, "
            "relation: {greater_than: 0}}\n",
            "claim 'h', field 'holds': expected 'all'",
        ),
        (
            "  - {id: i, text: t, subject: KAZ, measure: gdp_usd, year: 2020, holds: any, "
            "relation: {greater_than: 0}}\n",
            "claim 'i', field 'holds': 'any' needs a window",
        ),
        (  # a text measure ordered against a number: was a TypeError traceback
            "  - {id: j, text: t, subject: KAZ, measure: region, year: 2022, relation: {greater_than: 0}}\n",
            "claim 'j', field 'relation': region is text: only 'equals' with a text value applies",
        ),
        (  # two equal texts tied, so this was "supported"
            "  - {id: k, text: t, subject: KAZ, measure: region, year: 2022, relation: {largest_among: [UZB]}}\n",
            "claim 'k', field 'relation': region is text",
        ),
        (  # ranked alphabetically
            "  - {id: m, text: t, subject: KAZ, measure: closest_pole, year: 2022, relation: {top_fraction: 0.5}}\n",
            "claim 'm', field 'relation': closest_pole is text",
        ),
        (  # every state is in the top 100%: always supported
            "  - {id: n, text: t, subject: AZE, measure: gdp_usd, year: 2022, relation: {top_fraction: 1}}\n",
            "claim 'n', field 'relation': top_fraction 1 is every state",
        ),
    ],
)
def test_malformed_claims_name_the_claim_and_field(store_path, tmp_path, body, needle):
    with pytest.raises(SpecError) as info:
        check_file(write(tmp_path, body), db=store_path)
    assert needle in str(info.value) and "\n" not in str(info.value)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "middlepower", *args], capture_output=True, text=True, env=env, timeout=300
    )


def run_in_process(*args: str):
    """Invoke the CLI app in this process (the model is already computed and cached)."""
    from typer.testing import CliRunner

    from middlepower.cli import app

    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_cli_check_profile_rank_compare_end_with_a_summary(model, store_path):
    n_claims = len(check_file(EXAMPLE, db=store_path, result=model))
    result = run_in_process("check", str(EXAMPLE), "--db", str(store_path))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith(f"{n_claims} claims:")
    result = run_in_process("profile", "KAZ", "--year", "2022", "--db", str(store_path))
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1].startswith("KAZ 2022:"), result.output
    gap = model.gap.set_index(["iso3", "year"]).loc[("KAZ", 2022)]  # influence set against its expected value
    expected = f"influence {gap['influence']:.1f} against {gap['influence'] - gap['gap_points']:.1f} for states"
    assert expected in " ".join(result.output.split()), expected
    result = run_in_process("profile", "PRK", "--year", "2022", "--db", str(store_path))  # no tier, so no gap
    assert result.exit_code == 0 and "power gap  none (no tier: less than 50%" in result.output, result.output
    assert not re.search(r"\bnan\b", result.output), result.output
    result = run_in_process("compare", "PRK", "KAZ", "--from", "2021", "--to", "2022", "--db", str(store_path))
    assert result.exit_code == 0 and "in 2022: PRK no tier, KAZ " in result.output.strip().splitlines()[-1]
    result = run_in_process("rank", "--year", "2022", "--tier", "middle", "--db", str(store_path))
    last = result.output.strip().splitlines()[-1]  # the tier's count, not "0 great, 39 middle, 0 small"
    assert result.exit_code == 0 and re.match(r"\d+ states of the middle tier in 2022", last), result.output
    assert "great" not in last and "small" not in last, last
    result = run_in_process(
        "compare", "KAZ", "AZE", "CAN", "AUS", "TUR", "--from", "1995", "--to", "2022", "--db", str(store_path)
    )
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1].startswith("5 states, 1995-2022"), (
        result.output
    )
    # profile and rank without --year: the model's last default year, as the report and the dashboard use
    result = run_in_process("profile", "KAZ", "--db", str(store_path))
    assert result.exit_code == 0 and f"KAZ {model.default_last_year}: " in result.output.strip().splitlines()[-1]
    result = run_in_process("rank", "--db", str(store_path))
    assert result.exit_code == 0 and f"states in {model.default_last_year}: " in result.output.strip().splitlines()[-1]
    # --to was typed as 2022 while the model reaches later; codes as the dashboard writes them are accepted
    result = run_in_process("compare", "KAZ,AZE", "--from", "2020", "--db", str(store_path))
    summary = result.output.strip().splitlines()[-1]
    assert result.exit_code == 0 and summary.startswith(f"2 states, 2020-{model.default_last_year}"), result.output


def test_a_model_claim_outside_the_model_years_names_the_claim(model, store_path, tmp_path):
    path = write(
        tmp_path, "  - {id: old, text: t, subject: KAZ, measure: gap, year: 1980, relation: {greater_than: 0}}\n"
    )
    with pytest.raises(SpecError, match="claims.yaml: claim 'old', field 'year': 1980 is outside the model's years"):
        check_file(path, db=store_path, result=model)


def test_a_gap_ranked_by_top_fraction_gets_a_verdict_not_a_traceback(model, store_path, tmp_path):
    path = write(
        tmp_path, "  - {id: g, text: t, subject: TUR, measure: gap, year: 2022, relation: {top_fraction: 0.5}}\n"
    )
    row = check_file(path, db=store_path, result=model).iloc[0]
    gaps = model.gap[model.gap["year"] == 2022].set_index("iso3")["gap"].dropna()
    rank = int((gaps > gaps["TUR"]).sum()) + 1
    assert row["verdict"] == ("supported" if rank <= -(-len(gaps) // 2) else "contradicted")
    assert f"ranks {rank} of {len(gaps)}" in row["evidence"]


def test_cli_bad_spec_is_a_one_line_error_before_any_computing(store_path, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 'x'\n[power]\nsurprise = 1\n")
    for command in (
        ["profile", "KAZ", "--year", "2022"],
        ["rank", "--year", "2022"],
        ["check", str(EXAMPLE)],
        ["compare", "KAZ"],
        ["validate"],
        ["variants", str(bad)],
    ):
        result = run_cli(*command, "--db", str(store_path), *([] if command[0] == "variants" else ["--spec", str(bad)]))
        assert result.returncode != 0, command
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:") and "bad.toml" in lines[0], (command, result.stderr)


@pytest.mark.parametrize("command", [
    ["variants", "{spec}", "--year", "1980"],
    ["profile", "KAZ", "--year", "1980", "--spec", "{spec}"],
    ["rank", "--year", "2999", "--spec", "{spec}"],
    ["compare", "KAZ", "--from", "1950", "--to", "1960", "--spec", "{spec}"],
])
def test_cli_year_outside_the_model_is_refused_before_the_monte_carlo(command, store_path, tmp_path, monkeypatch,
                                                                      capsys):
    from middlepower.cli import main
    from middlepower.power import compute

    variant = tmp_path / "variant.toml"  # another seed: a spec with no cached model, as a user's own would be
    text = Path(power.spec.default_spec_path()).read_text(encoding="utf-8")
    variant.write_text(re.sub(r"(?m)^seed = \d+", "seed = 7", text, count=1), encoding="utf-8")

    def no_monte_carlo(*args, **kwargs):
        raise AssertionError("the Monte Carlo ran for a year the model does not cover")

    monkeypatch.setattr(compute, "_run", no_monte_carlo)
    with pytest.raises(SystemExit) as exited:
        main([part.replace("{spec}", str(variant)) for part in command] + ["--db", str(store_path)])
    captured = capsys.readouterr()
    assert exited.value.code == 5, captured.err
    assert re.fullmatch(r"error: years? [\d-]+: the power model covers 1990-\d{4}\n", captured.err), captured.err
    assert captured.out == ""


def test_cli_malformed_claim_file_is_a_one_line_error(store_path, tmp_path):
    path = write(tmp_path, "  - {id: z, text: t, subject: KAZ, measure: gdp_usd, year: 2022}\n")
    result = run_cli("check", str(path), "--db", str(store_path))
    assert result.returncode == 4
    assert " ".join(result.stderr.split()) == f"error: {path}: claim 'z', field 'relation': missing"


def test_cli_error_keeps_the_brackets_of_its_message(store_path, tmp_path):
    path = write(
        tmp_path,
        "  - {id: w, text: t, subject: KAZ, measure: gdp_usd, years: [2020, 2010], relation: {greater_than: 0}}\n",
    )
    result = run_cli("check", str(path), "--db", str(store_path))
    assert result.returncode == 4
    assert "expected [first, last] with first <= last" in " ".join(result.stderr.split())
