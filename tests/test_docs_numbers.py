"""The numbers typed into the README and docs/power.md are the model's current ones.

Those pages quote the model's output (the README's profile example, the article's states, the 2024
power gaps, the claim checker's counts). A revision of the model changes them; these tests fail until
the text is brought in step, so no page can go on quoting an earlier revision's numbers."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from middlepower import power
from middlepower.power.verdicts import check_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path(power.spec.default_spec_path()).with_name("claims_example.yaml")
NAMES = {"Kazakhstan": "KAZ", "Azerbaijan": "AZE", "Canada": "CAN", "Australia": "AUS", "Türkiye": "TUR"}
NODES = ["influence", "resources", "location", "multilateralism", "mediation", "peacekeeping", "restraint",
         "balance", "behaviour"]


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def interval(value: float, lo: float, hi: float, digits: int = 0, sign: bool = False) -> str:
    """A value with its interval as the pages print it: ``70 [68–70]`` or ``-0.39 [-0.59, -0.16]``."""
    if sign:
        return f"{value:+.{digits}f} [{lo:+.{digits}f}, {hi:+.{digits}f}]"
    return f"{value:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"


def unicode_minus(s: str) -> str:
    return s.replace("-", "−")


def test_the_readme_profile_example_is_the_current_output(store_path, model):
    from middlepower.power.vintage import data_line

    readme = text("README.md")
    profile = power.profile("KAZ", 2024, db=store_path)
    block = readme.split("The article's criteria (meets:", 1)[1].split("```", 1)[0]
    rows = profile.criteria.set_index("label")
    labels = power.input_labels()
    quoted = 0
    for label, row in rows.iterrows():
        line = next((x for x in block.splitlines() if x.strip().startswith(label)), None)
        assert line is not None, f"README: criterion {label!r} missing from the profile example"
        expected = interval(row["percentile"], row["percentile_lo"], row["percentile_hi"])
        data = data_line(row.to_dict(), labels)  # the table's data cell, as profile prints it
        assert expected in line and line.rstrip().endswith(data), (label, expected, data, line)
        assert re.search(rf"\b{row['verdict']}\b", line), (label, row["verdict"], line)
        quoted += 1
    assert quoted == 6
    tier, gap = profile.tier.iloc[0], profile.gap.iloc[0]
    counts = profile.criteria["verdict"].value_counts()
    gap_text = interval(gap["gap"], gap["gap_lo"], gap["gap_hi"], 2, True)
    summary = (f"KAZ 2024: {tier['tier']} tier (p = {tier['p_' + tier['tier']]:.2f}), "
               f"{profile.classes.iloc[0]['class']}, power gap {gap_text}"
               f"; criteria: {counts.get('meets', 0)} meets, {counts.get('does not', 0)} does not")
    assert summary in block, summary


def test_the_article_states_tables_in_docs_are_the_current_model(store_path, model):
    doc = text("docs/power.md")
    section = doc.split("## Where the article's states land", 1)[1].split("### The 2024 power gap", 1)[0]
    for year in (2019, 2024):
        table = section.split(f"**{year}**", 1)[1].split("\n\n", 2)[1]
        scores = power.scores(year, db=store_path).set_index(["iso3", "pillar"])
        tiers = power.tiers((year, year), db=store_path).set_index("iso3")
        gaps = power.gap(year, db=store_path).set_index("iso3")
        classes = power.classes(year, db=store_path).set_index("iso3")
        for name, iso3 in NAMES.items():
            line = next(x for x in table.splitlines() if x.startswith(f"| {name} |"))
            cells = [c.strip() for c in line.strip("|").split("|")]
            t, g = tiers.loc[iso3], gaps.loc[iso3]
            assert cells[1] == interval(t["percentile"], t["percentile_lo"], t["percentile_hi"]), (year, name, cells[1])
            assert cells[2] == f"{t['tier']} ({t['p_' + t['tier']]:.2f})", (year, name, cells[2])
            assert cells[3:12] == [f"{scores.loc[(iso3, node), 'percentile']:.0f}" for node in NODES], (year, name)
            assert cells[12] == classes.loc[iso3, "class"], (year, name)
            assert cells[13] == interval(g["gap"], g["gap_lo"], g["gap_hi"], 2, True), (year, name, cells[13])


def test_the_2024_power_gaps_in_docs_are_the_current_model(store_path, model):
    doc = text("docs/power.md")
    table = doc.split("### The 2024 power gap of the states the issue names", 1)[1].split("\n\n", 2)[1]
    gaps = power.gap(2024, db=store_path).set_index("iso3")
    names = {"Russia": "RUS", "Japan": "JPN", "India": "IND", "Australia": "AUS", "South Korea": "KOR",
             "Canada": "CAN", "Kazakhstan": "KAZ"}
    for name, iso3 in names.items():
        line = next(x for x in table.splitlines() if x.startswith(f"| {name} |"))
        cells = [c.strip() for c in line.strip("|").split("|")]
        g = gaps.loc[iso3]
        assert cells[1:3] == [f"{g['capability']:.1f}", f"{g['influence']:.1f}"], (name, cells)
        assert cells[3] == unicode_minus(interval(g["gap"], g["gap_lo"], g["gap_hi"], 2, True)), (name, cells[3])
        assert cells[4] == f"{g['p_above']:.2f}", (name, cells[4])


def test_the_claim_counts_in_docs_are_the_current_checker(store_path, model):
    verdicts = check_file(EXAMPLE, db=store_path, result=model)["verdict"].value_counts()
    doc = " ".join(text("docs/power.md").split())
    expected = (f"it gives {verdicts.get('supported', 0)} supported, {verdicts.get('contradicted', 0)} "
                f"contradicted, {verdicts.get('inconclusive', 0)} inconclusive")
    assert expected in doc, expected


def test_the_figures_of_the_shipped_claims_in_docs_are_the_current_model(store_path, model):
    # "Claim files", the shipped example: the figures behind its inconclusive and contradicted verdicts
    doc = " ".join(text("docs/power.md").split())
    gaps = power.gap(2022, db=store_path).set_index("iso3")
    kaz, can = gaps.loc["KAZ"], gaps.loc["CAN"]
    assert (f"Kazakhstan's 2022 power gap, {unicode_minus(f'{kaz.gap:.2f}')}, interval "
            f"{unicode_minus(f'{kaz.gap_lo:.2f}')} to {unicode_minus(f'{kaz.gap_hi:.2f}')}, is inconclusive") in doc
    assert kaz["gap_lo"] < 0 < kaz["gap_hi"]
    assert (f"Canada's 2022 power gap, {unicode_minus(f'{can.gap:.2f}')}, interval "
            f"{unicode_minus(f'{can.gap_lo:.2f}')} to {unicode_minus(f'{can.gap_hi:.2f}')}, is inconclusive") in doc
    assert can["gap_lo"] < 0 < can["gap_hi"]
    p_class = power.classes(2019, db=store_path).set_index("iso3").loc["CAN", "p_middle_power"]
    assert f"Canada's 2019 middle-power class, p = {p_class:.2f}" in doc
    kaz_balance = power.scores(2019, db=store_path).query("iso3 == 'KAZ' and pillar == 'balance'").iloc[0]
    assert (f"Kazakhstan's 2019 multi-vector balance, percentile {kaz_balance.percentile:.0f}, interval "
            f"{kaz_balance.percentile_lo:.0f}–{kaz_balance.percentile_hi:.0f}") in doc
    great = power.tiers((1990, 1999), db=store_path).query("iso3 == 'CAN'").set_index("year")["p_great"]
    assert (great.loc[1990:1993] == 1.0).all() and 0.5 < great.loc[1994] < 1 and 0.5 < great.loc[1998] < 1
    assert f"great tier with certainty in 1990–1993, and probably in 1994 and 1998 (p = " \
           f"{great.loc[1994]:.2f} and {great.loc[1998]:.2f})" in doc
    checked = check_file(EXAMPLE, db=store_path, result=model).set_index("id")
    votes = re.findall(r"(\d{4}): KAZ (\d+) > 0", checked.loc["kaz-council-votes", "evidence"])
    assert [y for y, _ in votes] == ["2017", "2018"], votes
    assert f"resolutions in 2017 and 2018 ({votes[0][1]} and {votes[1][1]} votes" in doc


def test_the_certainty_and_no_tier_figures_in_docs_are_the_current_model(store_path, model):
    doc = " ".join(text("docs/power.md").split())
    tiers = power.tiers((2022, 2022), db=store_path).set_index("iso3")
    tiered = tiers[tiers["tier"].notna()]
    certain = int(tiered[["p_great", "p_middle", "p_small"]].isin([0.0, 1.0]).all(axis=1).sum())
    assert f"in 2022 {certain} of {len(tiered)} tiered states have probability 0 or 1 for every tier" in doc
    for iso3, name in (("PRK", "North Korea"), ("YEM", "Yemen")):
        t = tiers.loc[iso3]
        assert not isinstance(t["tier"], str), iso3  # no tier from too little data
        quoted = f"{t['percentile']:.0f}, interval {t['percentile_lo']:.0f}–{t['percentile_hi']:.0f}"
        assert quoted in doc, (name, quoted)


def test_the_2024_top_of_the_capability_ranking_in_docs_is_the_current_model(store_path, model):
    doc = " ".join(text("docs/power.md").split())
    tiers = power.tiers((2024, 2024), db=store_path).set_index("iso3")
    # the page lists the top 30 as "USA 100.0, China 99.5, ..." and gives Taiwan's and Algeria's in brackets
    for iso3, quoted in (("USA", "USA {}"), ("CHN", "China {}"), ("SAU", "Saudi Arabia {}"), ("ITA", "Italy {}"),
                         ("TWN", "Taiwan ({})"), ("DZA", "Algeria ({})")):
        quoted = quoted.format(f"{tiers.loc[iso3, 'percentile']:.1f}")
        assert quoted in doc, quoted
    sau, ita = tiers.loc["SAU", "p_great"], tiers.loc["ITA", "p_great"]
    assert f"Saudi Arabia and Italy are great with p = {sau:.2f} and {ita:.2f}" in doc
    assert f"South Korea ({tiers.loc['KOR', 'percentile']:.1f}, p(great) = {tiers.loc['KOR', 'p_great']:.2f})" in doc



def test_the_points_outside_their_intervals_in_docs_are_the_current_model(store_path, model):
    # "A point outside its own interval": how often, on which node, and the example the page gives
    doc = " ".join(text("docs/power.md").split())
    scores = power.scores(db=store_path)
    scores["outside"] = ((scores["percentile"] < scores["percentile_lo"] - 0.5)
                         | (scores["percentile"] > scores["percentile_hi"] + 0.5))
    share = scores.groupby("pillar")["outside"].mean()
    restraint = scores[scores["pillar"] == "restraint"]
    per_year = restraint[restraint["imputed"].str.contains("milex_share_gdp_pct")].groupby("year").size()
    assert (f"restraint: {per_year.min()}–{per_year.max()} states a year (median {per_year.median():.0f}) "
            "have an imputed military burden") in doc
    assert f"so {share['restraint']:.0%} of restraint's state-years" in doc
    assert f"does the same in {share['balance']:.1%} of its state-years" in doc  # drawn since revision 2.22
    assert f"for every other node it is at most {share.drop(['restraint', 'balance']).max():.1%}" in doc
    che = restraint.set_index(["iso3", "year"]).loc[("CHE", 2024)]
    assert che["outside"] and che["real_share"] == 1.0  # the example is a real-data state outside its interval
    example = f"{che['percentile']:.0f} against {che['percentile_lo']:.0f}–{che['percentile_hi']:.0f}"
    assert f"(Switzerland 2024: {example})" in doc


def test_the_no_tier_states_and_taiwan_in_docs_are_the_current_model(store_path, model):
    # "No tier from too little data": the states without a tier in 2019 and 2024, and Taiwan's case
    doc = " ".join(text("docs/power.md").split())
    tiers = power.tiers((2019, 2024), db=store_path)
    untiered = {y: set(tiers[(tiers["year"] == y) & tiers["tier"].isna()]["iso3"]) for y in (2019, 2024)}
    assert untiered[2019] == {"ERI", "PRK", "SSD", "YEM"}, untiered[2019]
    assert untiered[2024] - untiered[2019] == {"CUB", "SMR", "SYR"}, untiered[2024]
    assert "in 2019: Eritrea, North Korea, South Sudan, Yemen; in 2024 also Cuba, San Marino and Syria" in doc
    taiwan = tiers[(tiers["iso3"] == "TWN") & (tiers["year"] == 2022)].iloc[0]
    assert f"Taiwan** has a tier ({taiwan['tier']}, p = {taiwan['p_' + taiwan['tier']]:.2f} in 2022)" in doc
    g = power.gap(2024, db=store_path).set_index("iso3").loc["TWN"]
    assert f"(2024: {unicode_minus(interval(g['gap'], g['gap_lo'], g['gap_hi'], 2, True))})" in doc



@pytest.mark.parametrize(("page", "start", "end"), [
    ("docs/power.md", "## Validation\n", "What this says, plainly:"),
    ("benchmarks/README.md", "### Validation of the model", "\n#"),
])
def test_the_validation_tables_in_docs_are_the_current_report(store_path, model, page, start, end):
    # the table of the comparisons, row by row in the report's order of references
    section = text(page).split(start, 1)[1].split(end, 1)[0]
    table = section[section.index("\n| reference"):].strip().split("\n\n", 1)[0]  # the first table only
    rows = table.splitlines()[2:]
    report = power.validate(db=store_path)
    metrics = report.metrics.reset_index(drop=True)
    assert len(rows) == len(metrics) >= 9
    intervals = report.intervals.set_index(["reference", "comparison"])
    for line, (_, metric) in zip(rows, metrics.iterrows(), strict=True):
        cells = [c.strip().strip("*") for c in line.strip("|").split("|")]
        shown = [f"{metric[c]:.3f}" for c in ("capability", "power", "log_gdp", "log_beckley", "log_milex")]
        assert cells[1:6] == shown, (metric["reference"], cells[1:6])
        for cell, comparison in zip(cells[6:8], ("capability - log GDP", "overall index - capability"), strict=True):
            row = intervals.loc[(metric["reference"], comparison)]
            assert cell == unicode_minus(interval(row["difference"], row["lo"], row["hi"], 3, True)), (
                metric["reference"], comparison, cell)


def test_the_candidate_recipes_figures_in_docs_are_the_current_report(store_path, model):
    # "Could another capability measure pass?": the prose quotes differences from log GDP of several recipes
    doc = " ".join(text("docs/power.md").split("### Could another capability measure pass?", 1)[1]
                   .split("## Where the article's states land", 1)[0].split())
    candidates = power.validate(db=store_path, candidates=True).candidates
    assert f"Results, on {candidates.n_state_years:,} state-years" in doc
    diffs = candidates.intervals.set_index(["candidate", "reference"])
    refs = {"traditional": "Traditional middle powers (Jordaan 2003)",
            "emerging": "Emerging middle powers (Jordaan 2003)",
            "lowy": "Lowy Asia Power Index (2024 edition)", "maoz": "Maoz global or regional powers",
            "ordinal": "Maoz ordinal (global 2, regional 1, none 0)", "cinc": "COW CINC (national capability index)"}

    def shown(candidate: str, ref: str, digits_only: bool = False) -> str:
        row = diffs.loc[(candidate, refs[ref])]
        if digits_only:
            return unicode_minus(f"{row['difference']:+.3f}")
        return unicode_minus(interval(row["difference"], row["lo"], row["hi"], 3, True))

    summary = candidates.summary.set_index("candidate")
    best = summary[summary["beats_log_gdp"] == summary["beats_log_gdp"].max()]
    assert set(best.index) == {"gdp_both", "gdp_milex_population"}, best.index.tolist()
    assert f"beat it on {best['beats_log_gdp'].iloc[0]} of {best['references'].iloc[0]}" in doc
    for candidate in best.index:
        assert diffs.loc[(candidate, refs["traditional"]), "hi"] < 0  # "both lose clearly on ... traditional"
    assert f"numbers: {shown('gdp_both', 'lowy')} and {shown('gdp_milex_population', 'lowy')})" in doc
    assert f"GDP + population {shown('gdp_population', 'traditional')} there" in doc
    assert f"({shown('beckley_milex', 'traditional')}); it loses on the emerging list " \
           f"({shown('beckley_milex', 'emerging')})" in doc
    assert (f"(3:1: {shown('gdp_milex_3_1', 'emerging')}; 1:1: {shown('gdp_milex', 'emerging', True)}; "
            f"1:3: {shown('gdp_milex_1_3', 'emerging', True)};") in doc
    assert f"(GDP + population {shown('gdp_population', 'lowy')})" in doc
    assert f"Beckley's recipe above it ({shown('beckley_milex', 'lowy')})" in doc
    ordinal = diffs.loc[("gdp_milex_ppp", refs["ordinal"])]
    assert (f"({shown('gdp_milex_ppp', 'maoz')} and [{unicode_minus(f'{ordinal.lo:+.3f}')}, "
            f"{unicode_minus(f'{ordinal.hi:+.3f}')}] on the ordinal)") in doc
    assert f"on Maoz's list ({shown('gdp_milex_population', 'maoz')})" in doc
    assert (f"{shown('gdp_population', 'cinc', True)} and {shown('gdp_milex_population', 'cinc', True)} against "
            f"log GDP; the shipped composition {shown('gdp_milex', 'cinc', True)}") in doc


def test_the_hold_out_figures_in_docs_are_the_current_check(store_path, model):
    # "Missing data", item 3: the 90% intervals' coverage on held-out real values, and where the
    # anchored prediction is not the better one
    doc = " ".join(text("docs/power.md").split())
    check = power.model(db=store_path).imputation
    anchored, alone = check["inside_anchored"], check["inside_model"]
    assert (f"its 90% interval holds {anchored.min():.2f}–{anchored.max():.2f} of the real values "
            f"(the model's alone {alone.min():.2f}–{alone.max():.2f})") in doc
    worse = check[check["mean_error_anchored"] >= check["mean_error_model"]]
    assert set(worse["input"]) == {"armed_conflicts_abroad_10y"} and set(worse["distance"]) == {10, 20}
    assert "distance but armed conflicts abroad 10 and 20 years apart (about equal)" in doc
    assert (worse["mean_error_anchored"] / worse["mean_error_model"]).max() < 1.1  # "about equal"


TOP_30_NAMES = {
    "USA": "USA", "CHN": "China", "DEU": "Germany", "IND": "India", "RUS": "Russia", "GBR": "United Kingdom",
    "JPN": "Japan", "FRA": "France", "SAU": "Saudi Arabia", "ITA": "Italy", "KOR": "South Korea", "CAN": "Canada",
    "AUS": "Australia", "BRA": "Brazil", "ESP": "Spain", "POL": "Poland", "TUR": "Türkiye", "MEX": "Mexico",
    "NLD": "the Netherlands", "ISR": "Israel", "IDN": "Indonesia", "TWN": "Taiwan", "UKR": "Ukraine",
    "ARE": "the United Arab Emirates", "SGP": "Singapore", "SWE": "Sweden", "CHE": "Switzerland",
    "COL": "Colombia", "BEL": "Belgium", "DZA": "Algeria", "NOR": "Norway",
}


def test_the_order_of_the_2024_top_30_and_japans_neighbours_in_docs_are_the_current_model(store_path, model):
    # "The 2024 top 30 by capability" names them in order; the power-gap text quotes Japan's neighbours
    doc = " ".join(text("docs/power.md").split())
    section = doc.split("### The 2024 top 30 by capability", 1)[1].split("Capability did not change", 1)[0]
    tiers = power.tiers((2024, 2024), db=store_path).sort_values("percentile", ascending=False)
    top = list(tiers["iso3"].head(30))
    assert set(top) <= set(TOP_30_NAMES), set(top) - set(TOP_30_NAMES)
    found = [re.search(rf"\b{re.escape(TOP_30_NAMES[iso3])}\b", section) for iso3 in top]
    assert all(found), [TOP_30_NAMES[i] for i, f in zip(top, found, strict=True) if not f]
    positions = [f.start() for f in found]
    assert positions == sorted(positions), [TOP_30_NAMES[i] for i in top]
    gaps = power.gap(2024, db=store_path).set_index("iso3")["gap"]
    for iso3, name in (("DEU", "Germany"), ("GBR", "the United Kingdom"), ("FRA", "France"), ("ITA", "Italy")):
        assert f"{name} ({gaps[iso3]:+.2f})" in doc, (name, gaps[iso3])


def signed(value: float) -> str:
    """A signed figure as the pages print it: ``+0.12``, ``−0.10``."""
    return unicode_minus(f"{value:+.2f}")


def test_the_power_gap_figures_in_docs_are_the_current_model(store_path, model, gap_shifts_without_armed_forces):
    # "The power gap", "It cannot see": the fifths' medians, the USA, the states without armed forces,
    # and how far leaving those states out of the fit moves the others
    from middlepower.power.indicators import no_armed_forces

    doc = " ".join(text("docs/power.md").split())
    gap = model.gap.dropna(subset=["gap"])
    gap = gap[gap["year"] == 2024]
    fifth = gap["capability"].rank(pct=True).mul(5).apply(np.ceil).clip(1, 5)
    medians = [signed(v) for v in gap.groupby(fifth)["gap"].median()]
    assert f"is {', '.join(medians[:4])} and {medians[4]} (under 2.13's straight line" in doc, medians
    gaps = gap.set_index("iso3")["gap"]
    assert f"(the United States' {signed(gaps['USA'])} says" in doc
    named = {"ISL": "Iceland", "LIE": "Liechtenstein", "CRI": "Costa Rica", "MCO": "Monaco"}
    for iso3, name in named.items():
        assert f"{name} ({signed(gaps[iso3])})" in doc, (name, gaps[iso3])
    others = gaps[no_armed_forces(gaps.index.to_series(), pd.Series(2024, index=gaps.index)).to_numpy()]
    others = others.drop(list(named))
    assert len(others) == 13 and others.idxmin() == "TUV" and others.idxmax() == "PAN", others
    assert "the other thirteen of 2024" in doc
    assert f"(from Tuvalu's {signed(others['TUV'])} to Panama's {signed(others['PAN'])})" in doc
    shifts = gap_shifts_without_armed_forces
    largest = shifts.loc[shifts["shift"].idxmax()]
    assert largest["iso3"] == "STP"
    assert (f"by {shifts['shift'].median():.2f} standard deviations at the median (Theil–Sen line 0.11, least "
            f"squares 0.13) and {shifts['shift'].quantile(0.9):.2f} at the 90th percentile, and by at most "
            f"{largest['shift']:.2f} (São Tomé and Príncipe, {largest['year']},") in doc
    in_2024 = shifts[shifts["year"] == 2024].set_index("iso3")["shift"]
    assert f"Japan's and India's 2024 gaps move by {in_2024['JPN']:.2f} and {in_2024['IND']:.2f}" in doc


def test_the_intellectual_property_coverage_in_docs_is_the_current_model(store_path, model):
    # the influence pillar's "It cannot see": how much of its thinnest series is imputed
    doc = " ".join(text("docs/power.md").split())
    members = model.tiers[["iso3", "year"]].drop_duplicates()
    status = model.vintage.merge(members, on=["iso3", "year"])
    status = status[status["input"] == "ip_receipts_usd"]
    imputed = int((status["status"] == "imputed").sum())
    last = status[status["year"] == 2024]["status"].value_counts()
    assert (f"WDI reports them for {last['real']} of {last.sum()} states in 2024 (fewer before), "
            f"{last['carried']} more are carried") in doc
    assert (f"for {imputed:,} of the model's {len(members):,} state-years ({imputed / len(members):.0%}) "
            f"and, in 2024, for {last['imputed']} states") in doc
    tiers = model.tiers[model.tiers["year"] == 2024].set_index("iso3")
    named = tiers.loc[["TWN", "VNM", "IRN", "QAT"]]
    imputed_2024 = set(status[(status["year"] == 2024) & (status["status"] == "imputed")]["iso3"])
    assert set(named.index) <= imputed_2024  # the states the page names are imputed ones...
    top = tiers.loc[sorted(imputed_2024)].dropna(subset=["tier"]).nlargest(4, "percentile")
    assert set(top.index) == set(named.index)  # ...and the four highest-ranked of them


def test_the_neighbours_without_gdp_in_docs_are_the_current_model(model):
    # location: state-years whose neighbours' GDP counts a neighbouring state the WDI lacks (revision 2.20)
    doc = " ".join(text("docs/power.md").split())
    members = model.tiers[["iso3", "year"]]
    status = model.vintage[model.vintage["input"] == "neighbours_gdp_usd"].merge(members, on=["iso3", "year"])
    imputed = status[status["status"] == "imputed"]
    assert f"{len(imputed)} of the model's {len(members):,} state-years, South Korea's in every year" in doc
    frame = model.indicators.merge(members, on=["iso3", "year"]).set_index(["iso3", "year"])
    kor, prk = frame.loc["KOR"], frame.loc["PRK"]
    assert set(imputed[imputed["iso3"] == "KOR"]["year"]) == set(kor.index)
    assert np.allclose(kor["neighbours_gdp_usd"], prk["gdp_usd"].reindex(kor.index))  # North Korea, its only one


def test_the_balance_sampling_spreads_in_docs_are_the_current_panel(store_path):
    from middlepower import panel

    doc = " ".join(text("docs/alignment.md").split())
    frame = panel.add_balance(panel.state_years(2010, 2024, db=store_path), db=store_path)
    frame = frame[frame["balance_relative"].notna()].set_index(["iso3", "year"])
    spread = frame["balance_relative_sd"]
    assert f"its median is {spread.median():.2f} across the {len(spread):,} state-years" in doc
    assert f"(Canada {spread.loc[('CAN', 2019)]:.2f} in 2019, {spread.loc[('CAN', 2024)]:.2f} in 2024)" in doc
    assert f"(Kazakhstan {spread.loc[('KAZ', 2019)]:.2f} and {spread.loc[('KAZ', 2024)]:.2f})" in doc
    point = frame["balance_relative"]
    assert (f"(Canada {point.loc[('CAN', 2019)]:.2f} in 2019 and {point.loc[('CAN', 2024)]:.2f} in 2024, with the "
            f"Western camp") in doc
    assert f"Kazakhstan {point.loc[('KAZ', 2019)]:.2f} and {point.loc[('KAZ', 2024)]:.2f})" in doc
    # revision 2.28's example of a state compared on the votes it cast
    aze = panel.add_un_participation(panel.state_years(2023, 2024, db=store_path), db=store_path)
    aze = aze[aze["iso3"] == "AZE"].set_index("year")
    assert (f"Azerbaijan, present on {aze.loc[2023, 'unga_vote_participation']:.0%}–"
            f"{aze.loc[2024, 'unga_vote_participation']:.0%} of the roll calls of 2023–24, moved from 0.01 and 0.03 "
            f"to {point.loc[('AZE', 2023)]:.2f} and {point.loc[('AZE', 2024)]:.2f}") in doc


def test_the_resources_figures_in_docs_are_the_current_model(store_path, model):
    # "Natural resources (criterion)": revision 2.24's figures, per inhabitant
    doc = " ".join(text("docs/power.md").split())
    scores = power.scores((2019, 2024), db=store_path, pillar="resources").set_index(["iso3", "year"])["percentile"]
    quoted = (f"Brunei 81 → {scores[('BRN', 2024)]:.0f} in 2024, Kuwait 93 → {scores[('KWT', 2024)]:.0f}) and the "
              f"large economies fall (India 95 → {scores[('IND', 2024)]:.0f}, China 99 → {scores[('CHN', 2024)]:.0f}, "
              f"Japan 56 → {scores[('JPN', 2024)]:.0f})")
    assert quoted in doc, quoted
    assert f"in 2019 ({scores[('DEU', 2019)]:.0f} and {scores[('ITA', 2019)]:.0f})" in doc
    coal = model.indicators.set_index(["iso3", "year"]).loc[("DEU", 2019), "coal_production_kg_per_person"]
    assert f"Germany's {coal / 1000:.1f} t of coal and lignite per person in 2019" in doc


def test_the_nominal_against_likeliest_counts_in_docs_are_the_current_model(store_path, model):
    from middlepower.power.views import likeliest_class, likeliest_tier

    doc = " ".join(text("docs/power.md").split())
    classes = power.classes(db=store_path).dropna(subset=["class"])
    tiers = power.tiers(db=store_path).dropna(subset=["tier"])
    other_class = int((likeliest_class(classes).notna() & (likeliest_class(classes) != classes["class"])).sum())
    other_tier = int((likeliest_tier(tiers).notna() & (likeliest_tier(tiers) != tiers["tier"])).sum())
    assert (f"That happens for {other_tier} of the {len(tiers):,} tiered state-years' tiers and {other_class} of "
            "their classes") in doc
    example = power.classes(2024, db=store_path).set_index("iso3").loc["SGP"]
    assert example["class"] == "middle power" and example["p_middle_ranking_power"] > example["p_middle_power"]
    assert (f"(Singapore 2024: a middle power nominally, a middle-ranking power in "
            f"{example['p_middle_ranking_power']:.0%} of the replications, its behaviour "
            f"percentile {example['behaviour_percentile']:.0f})") in doc
