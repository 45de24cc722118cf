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


CONFUSABLE = {"GV": "Guinea", "EK": "Equatorial Guinea", "PU": "Guinea-Bissau", "LO": "Slovak Republic",
              "EZ": "Czech Republic", "SG": "Senegal", "SN": "Singapore", "NI": "Nigeria", "NG": "Niger",
              "BM": "Myanmar", "BU": "Bulgaria", "AU": "Austria", "AS": "Australia", "SZ": "Switzerland",
              "SW": "Sweden", "IC": "Iceland", "IS": "Israel"}
"""FIPS 10-4 codes easily confused with ISO 3166 alpha-2 or with each other, and the country name
GDELT's geocoder writes after the last comma of a place it gives that code."""


def test_fips_codes_agree_with_the_places_gdelt_geocodes_under_them(gdelt_awk, gdelt_raw_files):
    # Independently of GDELT's label file: each located event gives a FIPS code and a full place name
    # ("Conakry, Guinea"); the country part must name the state the crosswalk gives the code.
    program = ('{for (i = 37; i <= 53; i += 8) if ($(i + 1) != "") {k = split($i, p, ", "); '
               'n[$(i + 1) "|" p[k]]++}} END {for (key in n) print key "\t" n[key]}')
    pairs = gdelt_awk(program, gdelt_raw_files)
    frame = pd.DataFrame([(*key.split("|", 1), n) for key, n in pairs.items()], columns=["fips", "country", "n"])
    frame["by_code"] = codes.fips_to_iso3(frame["fips"])
    frame["by_name"] = codes.names_to_iso3(frame["country"]).astype("string")
    located = frame[(frame["country"] != "") & (frame["by_code"].notna() | frame["by_name"].notna())]
    differ = located[located["by_code"].fillna("") != located["by_name"].fillna("")]
    # Three are no disagreement: the geocoder's name has a comma of its own ("Bahamas, The",
    # "Vietnam, Republic Of") or is "Virgin Islands" (US or British; FIPS VQ is the US one).
    assert sorted(differ["country"]) == ["Republic Of", "The", "Virgin Islands"], differ
    assert len(located) > 200 and located["n"].sum() > 300_000
    seen = located.set_index(["fips", "country"])["n"]
    table = codes.fips_table().set_index("fips")
    for code, country in CONFUSABLE.items():
        assert seen[(code, country)] > 0, (code, country)
        assert codes.fips_to_iso3(pd.Series([code]))[0] == codes.names_to_iso3(pd.Series([country]))[0]
        assert (frame.loc[frame["fips"] == code, "by_name"] == table.at[code, "iso3"]).all()
    # GDELT's own label file is wrong for two of them; the table says so and names the right state.
    assert table.index[table["label_wrong"]].tolist() == ["LO", "GV"]
    assert table.loc[["GV", "LO"], "name"].tolist() == ["Guinea", "Slovakia"]


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
