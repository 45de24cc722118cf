"""The conduct and influence measures of model revision 2.5 on the real data, each checked against the
raw files read independently here: force used against states (UCDP ACD), belligerents left out of
peace-process roles (UCDP ACD and PA-X), intellectual-property receipts (WDI)."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pyreadr
import pytest

from middlepower import panel

GW = {"CAN": 20, "AUS": 900, "NOR": 385, "RUS": 365, "SAU": 670, "TUR": 640, "USA": 2, "KAZ": 705, "QAT": 694,
      "ARE": 696, "IRN": 630, "ARM": 371, "AZE": 373}


@pytest.fixture(scope="module")
def raw_acd(mirror) -> pd.DataFrame:
    frame = next(iter(pyreadr.read_r(str(mirror / "peacesciencer" / "ucdp_acd.rda")).values()))
    return frame.astype({"conflict_id": int, "year": int})


# Revision 2.23, typed here from its sources (not imported): UCDP conflict-years whose side A is not the
# government holding the state's UN seat: Yemen from 2015 (Security Council resolution 2216), Afghanistan
# under the Taliban (1996-2001).
RECOGNISED_ON_SIDE_B = {230: (2015, 2100), 333: (1996, 2001)}


def force_against_states_by_hand(raw: pd.DataFrame, gwcode: int, year: int) -> int:
    """The rule of revisions 2.5 and 2.23 (docs/power-protocol.md), written out on the raw UCDP rows: distinct
    conflict-years in the ten years to ``year`` in which the state was any party to an interstate conflict, a
    secondary party on the side opposed to the recognised government of an internal conflict (side B, or side A
    in RECOGNISED_ON_SIDE_B's years), or the primary party of an extrasystemic one."""
    rows = raw[raw["year"].between(year - 9, year)]
    anywhere = rows[["gwno_a", "gwno_b", "gwno_a_2nd", "gwno_b_2nd"]].eq(gwcode).any(axis=1)
    interstate = (rows["type_of_conflict"] == "interstate") & anywhere
    swapped = pd.Series(False, index=rows.index)
    for conflict, (first, last) in RECOGNISED_ON_SIDE_B.items():
        swapped |= rows["conflict_id"].eq(conflict) & rows["year"].between(first, last)
    against_government = rows["gwno_a_2nd"].where(swapped, rows["gwno_b_2nd"])
    rebels = rows["type_of_conflict"].isin(["intrastate", "II"]) & against_government.eq(gwcode)
    colonial = (rows["type_of_conflict"] == "extrasystemic") & rows["gwno_a"].eq(gwcode)
    return len(rows.loc[interstate | rebels | colonial, ["conflict_id", "year"]].drop_duplicates())


def test_force_against_states_matches_the_raw_ucdp_rows(store_path, raw_acd):
    frame = panel.add_use_of_force(panel.state_years(2015, 2024, db=store_path), db=store_path)
    frame = frame.set_index(["iso3", "year"])["armed_conflicts_abroad_10y"]
    for iso3, gwcode in GW.items():
        for year in (2018, 2024):
            assert frame.loc[(iso3, year)] == force_against_states_by_hand(raw_acd, gwcode, year), (iso3, year)


def test_support_given_to_a_government_does_not_count_against_restraint(store_path, raw_acd):
    # UCDP lists Canada as a secondary party on the government's side in 2010-2019 (the UN mission in
    # Mali, the coalition in Iraq): contributions the middle-power literature counts as its conduct
    window = raw_acd[raw_acd["year"].between(2010, 2019)]
    assert (window["gwno_a_2nd"] == GW["CAN"]).sum() > 0
    frame = panel.add_use_of_force(panel.state_years(2019, 2019, db=store_path), db=store_path).set_index("iso3")
    assert frame.loc["CAN", "armed_conflicts_abroad_10y"] == 0
    # armed support for the rebels against a government counts: Russia in Donbas (side B, 2014-2022)
    donbas = raw_acd[(raw_acd["gwno_b_2nd"] == GW["RUS"]) & (raw_acd["gwno_a"] == 369)]
    assert donbas["year"].between(2010, 2019).sum() >= 6
    assert frame.loc["RUS", "armed_conflicts_abroad_10y"] >= 6


def test_support_for_the_recognised_government_against_the_one_in_the_capital_does_not_count(store_path, raw_acd):
    # revision 2.23: UCDP lists the Saudi-led coalition on side B of Yemen's conflict from 2015, against the
    # Houthi-held government in Sanaa; it intervened at the recognised government's request
    yemen = raw_acd[(raw_acd["conflict_id"] == 230) & (raw_acd["year"] >= 2015)]
    assert set(yemen["gwno_b_2nd"].dropna().astype(int)) >= {GW["QAT"], GW["SAU"], GW["ARE"]}
    assert yemen["gwno_a_2nd"].isna().all()
    frame = panel.add_use_of_force(panel.state_years(2001, 2024, db=store_path), db=store_path)
    frame = frame.set_index(["iso3", "year"])["armed_conflicts_abroad_10y"]
    assert frame.loc[("QAT", 2024)] == 0 and frame.loc[("QAT", 2017)] == 0  # Yemen 2015-17 was its only one
    for iso3 in ("SAU", "ARE", "IRN", "QAT"):
        for year in (2001, 2010, 2016, 2020, 2024):
            assert frame.loc[(iso3, year)] == force_against_states_by_hand(raw_acd, GW[iso3], year), (iso3, year)
    # what the rule keeps: a war over a territory inside recognised borders is the territorial state's own,
    # so Armenia's support of the Nagorno-Karabakh forces (side B of Azerbaijan's conflict 388) counts
    karabakh = raw_acd[(raw_acd["conflict_id"] == 388) & raw_acd["year"].between(2015, 2024)]
    assert (karabakh["gwno_b_2nd"] == GW["ARM"]).sum() >= 1 and (karabakh["gwno_a"] == GW["AZE"]).all()
    assert frame.loc[("ARM", 2024)] == force_against_states_by_hand(raw_acd, GW["ARM"], 2024) >= 1


def test_a_belligerent_is_not_a_third_party_of_its_own_war(store_path, raw_acd):
    from middlepower.diplomacy import peace
    from middlepower.panel.peace_roles import belligerent_roles

    roles = peace.third_party_roles(store_path)
    roles = roles[roles["source"] == "pax"].reset_index(drop=True)
    dropped = belligerent_roles(roles, store_path)
    russia = roles.assign(dropped=dropped).query("iso3 == 'RUS'").set_index("agt_id")["dropped"]
    # the Minsk protocols of 2014-2015 (PA-X 1362, 1363, 1364): UCDP has Russia fighting for the rebels in
    # Ukraine (369) in both years
    donbas = (raw_acd["gwno_a"] == 369) & (raw_acd["gwno_b_2nd"] == GW["RUS"])
    assert set(raw_acd.loc[donbas, "year"]) >= {2014, 2015}
    assert russia.loc[[1362, 1363, 1364]].all()
    # the Nagorno-Karabakh statement of 10 November 2020 (PA-X 2324): UCDP's conflict of that year has
    # Azerbaijan, Armenia and Turkey, not Russia, so Russia's role there stays
    karabakh = raw_acd[(raw_acd["year"] == 2020) & (raw_acd["gwno_a"] == 373)]
    assert not karabakh[["gwno_a", "gwno_b", "gwno_a_2nd", "gwno_b_2nd"]].eq(GW["RUS"]).any(axis=None)
    assert not russia.loc[2324]


def test_kazakhstans_astana_hosting_survives_the_belligerent_rule(store_path):
    frame = panel.add_peace_roles(panel.state_years(2018, 2018, db=store_path), db=store_path).set_index("iso3")
    # the four Astana statements (SOURCES-diplomacy.md), one process in 2017 and 2018: two process-years
    assert frame.loc["KAZ", "peace_hosted_10y"] == 2


def test_intellectual_property_receipts_are_the_world_banks_figures(store_path, mirror):
    with gzip.open(mirror / "worldbank_wdi" / "indicators" / "bx.gsr.royl.cd.csv.gz", "rt") as handle:
        raw = pd.read_csv(handle)
    raw = raw.set_index(["Country Code", "Year"])["Value"]
    frame = panel.add_economy(panel.state_years(2022, 2022, db=store_path), db=store_path).set_index("iso3")
    for iso3 in ("JPN", "KOR", "RUS", "KAZ"):
        assert frame.loc[iso3, "ip_receipts_usd"] == pytest.approx(raw.loc[(iso3, 2022)])
    assert np.isnan(frame.loc["TWN", "ip_receipts_usd"])  # the World Bank does not cover Taiwan
