"""Military spending as the model reads it (revision 2.8): current dollars, SIPRI's data errors missing."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from middlepower.power.indicators import MILEX_MISMATCH_FACTOR, input_frame, military_spending


def frame(rows: list[tuple]) -> pd.DataFrame:
    """iso3, year, current US$ million, share of GDP (fraction), WDI GDP (US$)."""
    return pd.DataFrame(rows, columns=["iso3", "year", "sipri_milex_current_usd_m", "sipri_milex_share_gdp", "gdp_usd"])


def test_each_rule_on_its_own_case():
    out = military_spending(frame([
        ("AAA", 2000, 1_000.0, 0.02, 50e9),     # 1,000 m vs 2% of 50 bn = 1,000 m: kept
        ("AAA", 2001, 4_900.0, 0.02, 50e9),     # 4.9 times share x GDP: kept
        ("AAA", 2002, 5_100.0, 0.02, 50e9),     # 5.1 times: an error
        ("AAA", 2003, 190.0, 0.02, 50e9),       # 1/5.3: an error
        ("AAA", 2004, 0.0, np.nan, 50e9),       # a printed zero for a state with armed forces: no figure
        ("AAA", 2005, 4.0, np.nan, 50e9),       # no share, below 0.01% of GDP: an error
        ("AAA", 2006, 6.0, np.nan, 50e9),       # no share, above the floor: kept
        ("AAA", 2007, 300.0, np.nan, np.nan),   # no WDI GDP this year, though in others: unchecked, missing (2.18)
        ("CRI", 2010, 0.0, np.nan, 60e9),       # no armed forces (SIPRI's footnote): a real zero
        ("HTI", 2005, 0.0, np.nan, 8e9),        # forces disbanded 1994-2011: a real zero
        ("HTI", 2012, 0.0, np.nan, 8e9),        # a defence budget again from 2012: no figure
        ("PAN", 1989, 0.0, np.nan, 8e9),        # before the 1990 disbanding: no figure
        ("PRK", 2017, 961.0, np.nan, np.nan),   # SIPRI's footnote: no dollar figures are provided
        ("AAA", 2008, np.nan, np.nan, 50e9),    # no figure at all: missing (imputed later)
        ("AND", 2010, np.nan, np.nan, 3e9),     # not in SIPRI; the Factbook names no military force: 0
        ("SLB", 2003, np.nan, np.nan, 1e9),     # paramilitary police units until 2003: missing
        ("SLB", 2004, np.nan, np.nan, 1e9),     # none from 2004: 0
        ("GRD", 2010, np.nan, np.nan, 1e9),     # a paramilitary unit (Special Services Unit): missing
        ("BBB", 2007, 300.0, np.nan, np.nan),   # no WDI GDP in any year (as Taiwan): nothing to check, kept
    ]))
    expected = [1e9, 4.9e9, np.nan, np.nan, np.nan, np.nan, 6e6, np.nan, 0.0, 0.0, np.nan, np.nan, np.nan,
                np.nan, 0.0, np.nan, 0.0, np.nan, 3e8]
    np.testing.assert_allclose(out.to_numpy(dtype=float), expected)


def test_the_rule_against_sipri_itself(store_path):
    inputs = input_frame(2024, db=store_path)
    inputs = inputs[inputs["year"] >= 1990].set_index(["iso3", "year"])
    milex = inputs["milex_usd"]
    # current dollars, as SIPRI prints them, where the figure is sound
    assert milex[("KAZ", 2024)] == pytest.approx(inputs.loc[("KAZ", 2024), "sipri_milex_current_usd_m"] * 1e6)
    # Venezuela: the constant-2023 series is broken in every year (rule 2.1 lost all of it), the current one
    # only from 2019, where it is a few thousandths of SIPRI's own share of GDP x GDP
    assert milex.loc["VEN"].loc[1990:2018].notna().all()
    assert milex.loc["VEN"].loc[2019:2023].isna().all()
    # Myanmar before 2012: dollars at the official kyat rate (SIPRI's footnote)
    assert milex.loc["MMR"].loc[1990:2005].isna().all() and milex[("MMR", 2015)] > 0
    # printed zeros: a figure only where SIPRI says there were no armed forces
    assert (milex.loc["CRI"] == 0).all() and (milex.loc["ISL"] == 0).all()
    # North Korea: zeros printed for 1990-2014 and, for 2015-2018, figures SIPRI's footnote says it does not provide
    assert (inputs.loc["PRK", "sipri_milex_current_usd_m"].loc[2015:2018] > 0).all()
    assert milex.loc["PRK"].isna().all()
    assert np.isnan(milex[("MRT", 2010)]) and milex[("MRT", 2009)] > 0
    zero = milex[milex == 0].reset_index()
    sipri_says = {"CRI", "ISL", "PAN", "HTI"}
    factbook_says = {"AND", "LIE", "MCO", "DMA", "LCA", "VCT", "FSM", "NRU", "PLW", "WSM", "TUV", "KIR", "MHL", "SLB"}
    assert set(zero["iso3"]) == sipri_says | factbook_says
    # revision 2.12: the Factbook's states are those SIPRI does not cover at all, and each is 0 in every
    # year the model has it (the Solomon Islands from 2004, after their police's paramilitary units went)
    sipri = inputs["sipri_milex_current_usd_m"]
    for state in factbook_says:
        assert sipri.loc[state].isna().all(), state
        years = milex.loc[state].loc[2004:] if state == "SLB" else milex.loc[state]
        assert (years == 0).all() and len(years) >= 20, state
    assert milex.loc["SLB"].loc[:2003].isna().all()
    # entries naming a paramilitary unit or a military corps keep their gap for the imputation
    for state in ("GRD", "VUT", "SMR", "MDV"):
        assert milex.loc[state].isna().all() and sipri.loc[state].isna().all(), state
    # what is left agrees with SIPRI's share of GDP wherever there is one to check
    ratio = milex / (inputs["sipri_milex_share_gdp"] * inputs["gdp_usd"])
    checked = ratio[(milex > 0) & ratio.notna()]
    assert checked.between(1 / MILEX_MISMATCH_FACTOR, MILEX_MISMATCH_FACTOR).all() and len(checked) > 4_500


def test_current_dollars_undo_the_constant_series_drift(store_path):
    """Ecuador's constant-2023 figures for the 1990s are many times its share of GDP; current dollars are not."""
    with duckdb.connect(str(store_path), read_only=True) as con:
        row = con.execute("SELECT sipri_milex_current_usd_m, sipri_milex_constant_2023_usd_m, sipri_milex_share_gdp, "
                          "gdp_usd FROM panel WHERE iso3 = 'ECU' AND year = 1995").fetchone()
    current, constant, share, gdp = row
    assert constant * 1e6 / (share * gdp) > 10
    assert current * 1e6 / (share * gdp) == pytest.approx(1.0, rel=0.1)
