"""The one country-code crosswalk: COW ccode <-> Gleditsch-Ward <-> ISO3 <-> ISO2 <-> names <-> region.

Every table leaves the warehouse keyed by ISO3 + year; this module is where that key comes from.
At build time it rests on three registered sources: ``country_codelist`` (the countrycode package's code list:
ccode -> ISO3 and names for states that exist today), ``cw_gw_panel`` ({isard}: COW and G-W
state-years 1816-2025) and ``cw_system`` (COW membership spells); the warehouse build is its
only caller for those. Queries read the built store's copy instead
(:mod:`middlepower.warehouse.lookups`), so a query never needs the upstream files.

Historical cases are decided here, once (see ``HISTORICAL`` and docs/codes.md):

* USSR / Russia: both are COW 365, and ISO3 RUS throughout (Russia is the continuator state).
* Yugoslavia / Serbia: COW 345 throughout; ISO3 SRB for every year. Values before 2006 describe
  Yugoslavia or Serbia and Montenegro, not today's Serbia alone.
* West Germany / Germany: COW 260 (1955-1990) and 255 (1816-1945, 1990-) are both ISO3 DEU; in 1990
  the state that existed at year end (255) is kept. East Germany (COW 265) is ISO3 DDR.
* The Yemens: the Yemen Arab Republic (COW 678) and unified Yemen (679) are both ISO3 YEM, 679 kept in
  1990; the Yemen People's Republic (680) is ISO3 YMD.
* Czechoslovakia (COW 315) is ISO3 CSK; Czechia (316) and Slovakia (317) start in 1993.
* States with no ISO3 code get a user-assigned X-code: Zanzibar (511) XZN, Republic of Vietnam
  (817) XRV, Kosovo (347) XKX (the World Bank's code).

States that left the system before 1946 (Bavaria, Hanover, Austria-Hungary, ...) have no ISO3 here;
rows carrying them keep a NULL iso3 and are counted by :func:`attach_iso3`, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from middlepower import sources

FIRST_YEAR = 1946
"""First year the crosswalk guarantees an ISO3 code for every COW system member."""


@dataclass(frozen=True)
class Historical:
    """A hand-decided ISO3 assignment for a COW code the code list does not cover (or covers wrongly)."""

    ccode: int
    iso3: str
    name: str
    region: str
    subregion: str
    note: str


HISTORICAL: tuple[Historical, ...] = (
    Historical(260, "DEU", "German Federal Republic", "Europe & Central Asia", "Western Europe",
               "West Germany 1955-1990 shares DEU with Germany (255); 255 is kept in 1990"),
    Historical(265, "DDR", "German Democratic Republic", "Europe & Central Asia", "Western Europe",
               "East Germany, former ISO3 DDR"),
    Historical(315, "CSK", "Czechoslovakia", "Europe & Central Asia", "Eastern Europe",
               "former ISO3 CSK; not spliced into Czechia"),
    Historical(345, "SRB", "Yugoslavia / Serbia", "Europe & Central Asia", "Southern Europe",
               "COW 345 is Yugoslavia, then Serbia and Montenegro, then Serbia"),
    Historical(347, "XKX", "Kosovo", "Europe & Central Asia", "Southern Europe",
               "user-assigned code as used by the World Bank"),
    Historical(511, "XZN", "Zanzibar", "Sub-Saharan Africa", "Eastern Africa",
               "independent December 1963 to April 1964; user-assigned code"),
    Historical(678, "YEM", "Yemen Arab Republic", "Middle East & North Africa", "Western Asia",
               "North Yemen shares YEM with unified Yemen (679); 679 is kept in 1990"),
    Historical(680, "YMD", "Yemen People's Republic", "Middle East & North Africa", "Western Asia",
               "South Yemen, former ISO3 YMD"),
    Historical(817, "XRV", "Republic of Vietnam", "East Asia & Pacific", "South-eastern Asia",
               "South Vietnam 1954-1975; user-assigned code"),
)

LEGACY_NAMES = {
    "Federal Republic of Germany": "DEU",
    "German Federal Republic": "DEU",
    "Yemen Arab Republic": "YEM",
    "Zanzibar": "XZN",
    "Yemen People's Republic": "YMD",
}
"""Country names that some datasets give without any code, mapped to ISO3."""


@lru_cache(maxsize=1)
def crosswalk() -> pd.DataFrame:
    """Return one row per COW state code with its other codes, name and region.

    Columns: ``ccode`` (COW), ``gwcode`` (Gleditsch-Ward, NA if none), ``iso3``, ``iso2``,
    ``stateabb`` (COW letters), ``name``, ``region`` (World Bank region), ``subregion`` (UN
    sub-region), ``first_year`` and ``last_year`` of COW system membership (from {isard}, which
    extends COW to 2025), ``note`` for hand-decided cases. ``iso3`` is NA only for states that left
    the system before 1946.
    """
    panel = sources.load("cw_gw_panel")
    spans = (
        panel.dropna(subset=["ccode"])
        .groupby("ccode")
        .agg(first_year=("year", "min"), last_year=("year", "max"), stateabb=("stateabb", "first"),
             cw_name=("cw_name", "first"), gwcode=("gwcode", lambda s: s.dropna().mode().min()))
        .reset_index()
    )
    codelist = sources.load("country_codelist").dropna(subset=["cown"])
    codelist = codelist.assign(cown=codelist["cown"].astype("Int64")).drop_duplicates("cown")
    merged = spans.merge(codelist, left_on="ccode", right_on="cown", how="left")
    frame = pd.DataFrame(
        {
            "ccode": merged["ccode"].astype("Int64"),
            "gwcode": pd.to_numeric(merged["gwcode"]).astype("Int64"),
            "iso3": merged["iso3c"],
            "iso2": merged["iso2c"],
            "stateabb": merged["stateabb"],
            "name": merged["country_name"].fillna(merged["cw_name"]),
            "region": merged["region"],
            "subregion": merged["un_region_sub"],
            "first_year": merged["first_year"].astype("Int64"),
            "last_year": merged["last_year"].astype("Int64"),
            "note": pd.Series(pd.NA, index=merged.index, dtype="string"),
        }
    )
    for case in HISTORICAL:
        row = frame["ccode"] == case.ccode
        frame.loc[row, ["iso3", "name", "region", "subregion", "note"]] = [
            case.iso3, case.name, case.region, case.subregion, case.note]
    return frame.sort_values("ccode").reset_index(drop=True)


@lru_cache(maxsize=4)
def state_years(start: int = FIRST_YEAR, end: int | None = None) -> pd.DataFrame:
    """Return the country-year backbone: one row per (iso3, year) of COW system membership.

    Columns: ``iso3``, ``year``, ``ccode``, ``gwcode``, ``name``. Where two COW codes share an ISO3
    in one year (Germany and Yemen in 1990), the state that existed at the end of the year is kept.
    Years run from ``start`` to ``end`` (default: the last year of the {isard} panel, 2025).
    """
    panel = sources.load("cw_gw_panel").dropna(subset=["ccode"])
    panel = panel[panel["year"] >= start]
    if end is not None:
        panel = panel[panel["year"] <= end]
    walk = crosswalk()[["ccode", "iso3", "name"]]
    years = panel[["ccode", "year"]].drop_duplicates().merge(walk, on="ccode", how="left")
    years = years.dropna(subset=["iso3"])
    # A ccode whose membership ends mid-year loses the year to its successor sharing the ISO3.
    ends = _membership_end_dates()
    years = years.merge(ends, on=["ccode", "year"], how="left")
    years["ends_in_year"] = years["ends_in_year"].fillna(False).astype(bool)
    years = years.sort_values(["iso3", "year", "ends_in_year"]).drop_duplicates(["iso3", "year"])
    gw = crosswalk()[["ccode", "gwcode"]]
    years = years.merge(gw, on="ccode", how="left")
    return years[["iso3", "year", "ccode", "gwcode", "name"]].sort_values(["iso3", "year"]).reset_index(drop=True)


def _membership_end_dates() -> pd.DataFrame:
    system = sources.load("cw_system")
    ends = system.dropna(subset=["end_date"])
    ends = ends[(ends["end_date"].dt.month < 12) | (ends["end_date"].dt.day < 31)]
    return pd.DataFrame({"ccode": ends["ccode"].astype("Int64"),
                         "year": ends["end_date"].dt.year.astype("Int64"),
                         "ends_in_year": True}).drop_duplicates(["ccode", "year"])


def ccode_to_iso3(ccodes: pd.Series) -> pd.Series:
    """Return the ISO3 code of each COW code (NA where the state left the system before 1946)."""
    lookup = crosswalk().set_index("ccode")["iso3"]
    return pd.Series(pd.array(ccodes, dtype="Int64"), index=ccodes.index).map(lookup)


def iso_numeric_to_iso3(numeric: pd.Series, countries: pd.DataFrame, preferred: set[str] | None = None) -> pd.Series:
    """Return the ISO3 code of each ISO 3166-1 numeric code (NA where unknown).

    ``countries`` is the ``countries`` source table (mledoze: ``iso3``, ``iso_numeric``); where two of
    its rows share a numeric code, an ISO3 in ``preferred`` (e.g. the crosswalk's states) wins.
    """
    table = countries.dropna(subset=["iso_numeric"]).assign(iso_numeric=lambda f: f["iso_numeric"].astype(int))
    if preferred:
        table = table.assign(_rank=~table["iso3"].isin(preferred)).sort_values("_rank", kind="stable")
    lookup = table.drop_duplicates("iso_numeric").set_index("iso_numeric")["iso3"]
    return pd.Series(pd.array(numeric, dtype="Int64"), index=numeric.index).map(lookup)


FIPS_TYPED = {
    "KV": ("XKX", "Kosovo; FIPS 10-4 KV per CIA World Factbook appendix D, ISO3 as the World Bank's XKX"),
    "OD": ("SSD", "South Sudan; FIPS 10-4 OD (assigned 2011) per CIA World Factbook appendix D"),
    "GZ": ("PSE", "Gaza Strip; FIPS 10-4 GZ per CIA World Factbook appendix D, ISO 3166 counts it in PS/PSE"),
    "RN": ("MAF", "Saint Martin; FIPS 10-4 RN per CIA World Factbook appendix D, ISO3 MAF"),
    "RB": ("SRB", "Serbia: GDELT's geocoder writes RB for places in Serbia ('Belgrade, Serbia' in the sample files)"),
    "YI": ("SRB", "Serbia and Montenegro (withdrawn FIPS 10-4 YI); SRB, as COW 345 in this crosswalk"),
}
"""FIPS 10-4 codes GDELT uses that the countrycode list lacks or leaves without ISO3, typed with their source."""

CAMEO_TYPED = {
    "ROM": ("ROU", "Romania: CAMEO keeps ISO 3166's alpha-3 ROM, changed to ROU by ISO 3166-1 newsletter V-5 (2002)"),
    "TMP": ("TLS", "East Timor: CAMEO keeps ISO 3166's alpha-3 TMP, changed to TLS by ISO 3166-1 newsletter V-6 "
                   "(2002)"),
    "IMY": ("IMN", "Isle of Man: CAMEO's own code (label in GDELT's CAMEO.country.txt); ISO3 IMN"),
    "MTN": ("MNE", "Montenegro: CAMEO's own code (label in GDELT's CAMEO.country.txt); ISO3 MNE"),
    "WSB": ("PSE", "West Bank: CAMEO's own code; ISO 3166 counts it in PS/PSE"),
    "GZS": ("PSE", "Gaza Strip: CAMEO's own code; ISO 3166 counts it in PS/PSE"),
    "BAG": ("IRQ", "Baghdad: CAMEO codes the city as a location-country; it lies in Iraq"),
}
"""CAMEO actor country codes that are not ISO3 codes of the same place, typed with their source.

Every other CAMEO country code is an ISO 3166-1 alpha-3 code (identity); CAMEO's regional codes
(AFR, EUR, MEA, WST, ...) denote no state and map to NA.
"""


@lru_cache(maxsize=1)
def fips_table() -> pd.DataFrame:
    """Return GDELT's FIPS 10-4 country list with the ISO3 code of each entry and where it comes from.

    Columns: ``fips``, ``label`` (GDELT's FIPS.country.txt as published, errors included), ``iso3``
    (NA for oceans, minor islands and disputed features), ``basis`` (``countrycode fips`` or the typed
    source in ``FIPS_TYPED``), ``name`` (the English short name of ``iso3``, from the countrycode list:
    what the code denotes) and ``label_wrong`` (True where GDELT's label names another state than the
    code does, by :func:`names_to_iso3`: GV, labelled "Equatorial Guinea", is Guinea, Equatorial
    Guinea being EK; LO, labelled "Czechoslovakia", is Slovakia). Show ``name``, not ``label``.
    """
    table = _code_table(sources.load("gdelt_fips_countries"), "fips", _fips_lookup())
    codelist = sources.load("country_codelist").dropna(subset=["iso3c"]).drop_duplicates("iso3c")
    names = dict(zip(codelist["iso3c"], codelist["country_name"], strict=True))
    names |= {case.iso3: case.name for case in HISTORICAL if case.iso3 not in names}
    by_label = names_to_iso3(table["label"]).astype("string")
    return table.assign(
        name=pd.array([names.get(code) if isinstance(code, str) else None for code in table["iso3"]],
                      dtype="string"),
        label_wrong=(table["iso3"].notna() & by_label.notna() & (by_label != table["iso3"])).astype(bool))


@lru_cache(maxsize=1)
def _fips_lookup() -> dict[str, tuple[str, str]]:
    codelist = sources.load("country_codelist").dropna(subset=["fips", "iso3c"])
    return {code: (iso3, "countrycode fips column (FIPS 10-4 as in the CIA World Factbook)")
            for code, iso3 in zip(codelist["fips"], codelist["iso3c"], strict=True)} | FIPS_TYPED


@lru_cache(maxsize=1)
def cameo_country_table() -> pd.DataFrame:
    """Return GDELT's CAMEO actor country list with the ISO3 code of each entry and where it comes from.

    Columns: ``cameo``, ``label`` (GDELT's CAMEO.country.txt), ``iso3`` (NA for regions such as AFR
    or WST), ``basis`` (``identity`` for ISO3 codes the countrycode list knows, else ``CAMEO_TYPED``).
    """
    return _code_table(sources.load("gdelt_cameo_countries"), "cameo", _cameo_lookup())


@lru_cache(maxsize=1)
def _cameo_lookup() -> dict[str, tuple[str, str]]:
    # Any ISO3 code is its own CAMEO code, listed or not (GDELT writes SSD, absent from its list).
    iso3 = set(sources.load("country_codelist")["iso3c"].dropna()) | {"XKX"}
    return {code: (code, "identity: the CAMEO code is the ISO3 code (countrycode list)") for code in iso3} | CAMEO_TYPED


def _code_table(labels: pd.DataFrame, name: str, lookup: dict[str, tuple[str, str]]) -> pd.DataFrame:
    found = [lookup.get(code, (None, "no state")) for code in labels["code"]]
    return pd.DataFrame({name: labels["code"], "label": labels["label"],
                         "iso3": pd.array([iso3 for iso3, _ in found], dtype="string"),
                         "basis": pd.array([basis for _, basis in found], dtype="string")})


def fips_iso3_map() -> dict[str, str]:
    """Return {FIPS 10-4 code: ISO3} for every FIPS code that denotes a state or territory."""
    return {code: iso3 for code, (iso3, _) in _fips_lookup().items()}


def cameo_iso3_map() -> dict[str, str]:
    """Return {CAMEO actor country code: ISO3}; regional codes (AFR, WST, ...) are absent."""
    return {code: iso3 for code, (iso3, _) in _cameo_lookup().items()}


def fips_to_iso3(fips: pd.Series) -> pd.Series:
    """Return the ISO3 code of each FIPS 10-4 code (GDELT geography); NA where no state is meant."""
    return fips.map(fips_iso3_map()).astype("string")


def cameo_to_iso3(cameo: pd.Series) -> pd.Series:
    """Return the ISO3 code of each CAMEO actor country code (GDELT actors); NA for regions and unknowns."""
    return cameo.map(cameo_iso3_map()).astype("string")


NAME_OVERRIDES = {
    "turkiye": "TUR",
    "türkiye": "TUR",
    "türkýye": "TUR",  # a misspelling in the UN DGACM extracts (79.json, 80.json)
    "czechoslovakia": "CSK",
    "ussr": "RUS",
    "soviet union": "RUS",
    "yugoslavia": "SRB",
    "german democratic republic": "DDR",
    "german dr": "DDR",
    "yemen, north": "YEM",
    "yemen, south": "YMD",
    "kosovo": "XKX",
    "russia (soviet union)": "RUS",
    "south vietnam": "XRV",
}
"""Lower-cased names the regex table does not resolve (or resolves to a different state), mapped to ISO3."""


AGGREGATE_NAME = re.compile(r"^(total|other|rest of)\b")
"""Names of regional totals and residual groups, which never denote one state."""


@lru_cache(maxsize=1)
def _name_patterns() -> list[tuple[object, str]]:
    return compile_name_patterns(sources.load("country_converter"))


def compile_name_patterns(table: pd.DataFrame) -> list[tuple[object, str]]:
    """Return (compiled expression, ISO3) for each row of a country-converter table (``regex``, ``ISO3``)."""
    table = table.dropna(subset=["regex", "ISO3"])
    pairs = zip(table["regex"], table["ISO3"], strict=True)
    return [(re.compile(pattern, re.IGNORECASE), iso3) for pattern, iso3 in pairs]


def names_to_iso3(names: pd.Series, *, patterns: list[tuple[object, str]] | None = None) -> pd.Series:
    """Return the ISO3 code of each country name (NA where no state matches, e.g. regional totals).

    Names are matched against the country-converter regular expressions; underscores count as
    spaces (Energy Institute keys such as ``united_kingdom``); ``NAME_OVERRIDES``, ``LEGACY_NAMES``
    and the names of the ``HISTORICAL`` cases ("Republic of Vietnam") take precedence. Group names
    (``Total …``, ``Other …``, ``Rest of …``) and a name matching two different states map to NA.

    This is also the one mapping of UN member names: the warehouse keys the {unvotes} votes
    ("Yugoslavia", "Federal Republic of Germany", "Namibia") and the DGACM extracts' upper-case
    names ("TÜRKİYE", "NETHERLANDS (KINGDOM OF THE)", "LIBYAN ARAB JAMAHIRIYA") through it.

    ``patterns`` are the compiled expressions to match (default: those of the registered
    ``country_converter`` source); a query-time caller passes the store's
    (:func:`middlepower.warehouse.lookups.state_names`).
    """
    patterns = _name_patterns() if patterns is None else patterns
    lookup: dict[str, object] = {}
    legacy = {case.name.lower(): case.iso3 for case in HISTORICAL} | {
        key.lower(): value for key, value in LEGACY_NAMES.items()}
    for name in pd.unique(names.dropna()):
        text = str(name).replace("_", " ").strip()
        key = text.lower()
        if AGGREGATE_NAME.match(key):
            lookup[name] = pd.NA
        elif key in NAME_OVERRIDES or key in legacy:
            lookup[name] = NAME_OVERRIDES.get(key) or legacy[key]
            continue
        hits = {iso3 for pattern, iso3 in patterns if pattern.search(text)}
        lookup[name] = hits.pop() if len(hits) == 1 else pd.NA
    return names.map(lookup)


TEXT_NAMES: dict[str, str] = {
    # Former and alternative names still found in agreement texts of the 1990s and later.
    "Soviet Union": "RUS", "USSR": "RUS", "Russian Federation": "RUS",
    "Great Britain": "GBR", "Britain": "GBR", "UK": "GBR", "U.K.": "GBR",
    "USA": "USA", "U.S.A.": "USA", "United States": "USA", "U.S.": "USA",
    "Kazakstan": "KAZ", "Kirghizia": "KGZ", "Kyrgyz Republic": "KGZ",
    "Ivory Coast": "CIV", "Cote d'Ivoire": "CIV", "Côte d’Ivoire": "CIV", "Cote d’Ivoire": "CIV",
    "Burma": "MMR", "Zaire": "COD", "DRC": "COD", "Swaziland": "SWZ", "East Timor": "TLS",
    "Macedonia": "MKD", "Former Yugoslav Republic of Macedonia": "MKD", "Czech Republic": "CZE",
    "Holy See": "VAT", "Vatican": "VAT", "Yugoslavia": "SRB", "Federal Republic of Yugoslavia": "SRB",
    "Libyan Arab Jamahiriya": "LBY", "Republic of the Congo": "COG", "Congo-Brazzaville": "COG",
    "Congo-Kinshasa": "COD", "Cape Verde": "CPV", "The Gambia": "GMB", "Laos": "LAO",
    "Turkiye": "TUR", "Türkiye": "TUR", "Timor Leste": "TLS", "Viet Nam": "VNM",
    "Sahrawi Arab Democratic Republic": "ESH",
}
"""Spellings of states that free text uses and the name lists lack or resolve to no single state, typed
(general usage). :func:`resolve_state_names` gives them precedence."""

AMBIGUOUS_NAMES = frozenset({"congo", "korea", "zanzibar"})
"""Names that name no state in free text: "Congo" and "Korea" could mean either of two states, and
"Zanzibar" after April 1964 is the semi-autonomous part of Tanzania, not the state of 1963-64 (XZN),
e.g. "the presidents of ... Tanzania, Zanzibar" at Gbadolite in 1989 (UCDP paid 1021)."""


def resolve_state_names(names: pd.Series, patterns: list[tuple[object, str]]) -> dict[str, str]:
    """Return {lower-cased name: ISO3} of the ``names`` (three characters or more) that denote one state, plus
    ``TEXT_NAMES``.

    The names are resolved by :func:`names_to_iso3` with ``patterns``, the one mapping of names in the
    project; ``TEXT_NAMES`` decide where they apply. A name that resolves to no single state ("Virgin
    Islands": British or US) and the ``AMBIGUOUS_NAMES`` are left out. The store's name lists are read
    by :func:`middlepower.warehouse.lookups.state_names`.
    """
    candidates = pd.Series(sorted({str(n).strip() for n in names.dropna() if len(str(n).strip()) >= 3}), dtype=object)
    resolved = names_to_iso3(candidates, patterns=patterns)
    out = {name.lower(): iso3 for name, iso3 in zip(candidates, resolved, strict=True) if isinstance(iso3, str)}
    out |= {name.lower(): iso3 for name, iso3 in TEXT_NAMES.items()}
    return {key: iso3 for key, iso3 in out.items() if key not in AMBIGUOUS_NAMES}


def attach_iso3(frame: pd.DataFrame, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``frame`` keyed by ISO3, and a report of codes that could not be mapped.

    A ``ccode`` column gains an ``iso3`` column beside it; ``ccode1``/``ccode2`` gain ``iso3_1``/
    ``iso3_2``; a ``country`` (SIPRI) or ``geo`` (Energy Institute) name column gains ``iso3``. A
    frame that already has ``iso3`` is returned unchanged. No row is dropped: unmapped rows keep NA
    and are counted in the report (columns ``source``, ``code``, ``rows``).
    """
    out = frame.copy()
    reports = []
    plans = [("ccode", "iso3", ccode_to_iso3), ("ccode1", "iso3_1", ccode_to_iso3), ("ccode2", "iso3_2", ccode_to_iso3)]
    if "iso3" not in out.columns:
        plans += [("country", "iso3", names_to_iso3), ("geo", "iso3", names_to_iso3)]
    for column, new, mapper in plans:
        if column not in out.columns or new in out.columns:
            continue
        mapped = mapper(out[column])
        out.insert(out.columns.get_loc(column) + 1, new, mapped.astype("string"))
        missing = out.loc[mapped.isna(), column]
        counts = missing.astype("string").value_counts(dropna=False)
        reports.append(
            pd.DataFrame({"source": source, "code": counts.index.astype("string"), "rows": counts.to_numpy()})
        )
    report = (
        pd.concat(reports, ignore_index=True)
        if reports
        else pd.DataFrame(
            {"source": pd.Series(dtype="string"), "code": pd.Series(dtype="string"), "rows": pd.Series(dtype="int64")}
        )
    )
    return out, report
