"""GDELT's country codes (CAMEO actors, FIPS 10-4 places) map to ISO3 in one place, with sources."""

from __future__ import annotations

import pandas as pd

from middlepower import codes, sources
from middlepower.events import families


def test_fips_codes_follow_fips_10_4_not_gdelt_mislabels():
    table = codes.fips_table().set_index("fips")
    assert table.at["KZ", "iso3"] == "KAZ" and table.at["RS", "iso3"] == "RUS" and table.at["UK", "iso3"] == "GBR"
    # GDELT's FIPS.country.txt labels GV "Equatorial Guinea" and LO "Czechoslovakia"; FIPS 10-4 says Guinea, Slovakia.
    assert table.at["GV", "label"] == "Equatorial Guinea" and table.at["GV", "iso3"] == "GIN"
    assert table.at["EK", "iso3"] == "GNQ" and table.at["LO", "iso3"] == "SVK"
    assert table.at["KV", "iso3"] == "XKX" and table.at["OD", "iso3"] == "SSD"
    assert pd.isna(table.at["OS", "iso3"])  # oceans are no state
    assert table["basis"].notna().all()


def test_cameo_actor_codes_are_iso3_except_the_typed_ones_and_regions():
    table = codes.cameo_country_table().set_index("cameo")
    assert table.at["KAZ", "iso3"] == "KAZ" and table.at["ROM", "iso3"] == "ROU" and table.at["TMP", "iso3"] == "TLS"
    assert pd.isna(table.at["AFR", "iso3"]) and pd.isna(table.at["WST", "iso3"])
    assert codes.cameo_to_iso3(pd.Series(["SSD", "KAZ", "EUR", None])).tolist()[:2] == ["SSD", "KAZ"]


def test_every_code_in_the_sample_that_names_a_state_maps(gdelt_awk, gdelt_raw_files):
    actors = gdelt_awk('{n[$8]++; n[$18]++} END {for (k in n) if (k != "") print k "\t" n[k]}', gdelt_raw_files)
    places = gdelt_awk('$54 != "" {n[$54]++} END {for (k in n) print k "\t" n[k]}', gdelt_raw_files)
    regions = set(codes.cameo_country_table().query("iso3.isna()", engine="python")["cameo"])
    unmapped_actors = {code for code in actors if code not in codes.cameo_iso3_map()}
    assert unmapped_actors <= regions, unmapped_actors - regions
    unmapped_places = {code for code in places if code not in codes.fips_iso3_map()}
    assert unmapped_places <= {"OS", "OC"}, unmapped_places  # oceans
    mapped_share = sum(n for c, n in places.items() if c in codes.fips_iso3_map()) / sum(places.values())
    assert mapped_share > 0.99


def test_family_labels_are_cameos_own():
    lookup = sources.load("gdelt_cameo_eventcodes").set_index("code")["description"]
    for family in families.FAMILIES:
        if family.code == "044":  # GDELT's own mojibake: "Meet at a ÒhirdÓlocation"
            assert lookup[family.code].startswith("Meet at a")
            continue
        assert lookup[family.code].lower() == family.label.lower(), family
