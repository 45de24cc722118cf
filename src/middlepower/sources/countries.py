"""Country metadata and code lists: mledoze/countries, R countrycode's codelist, country_converter.

``countries`` gives ISO codes, names, regions, land borders, area and position of 250 countries and
territories. ``country_codelist`` and ``country_converter`` are the inputs of the crosswalk in
:mod:`middlepower.codes`, which reads them by these names and columns: keep both stable.
"""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.errors import SourceError
from middlepower.sources._readers import github_raw, write_csv_gz
from middlepower.sources.registry import Derived, Source, SourceFile, register, require_columns

MLEDOZE_COMMIT = "5e9f370050f83ad2ba4cb885f75d66114badf72c"
COUNTRIES_PATH = "countries_mledoze/countries.json"


KOSOVO_FIX = {"UNK": "XKX"}
"""mledoze codes Kosovo UNK; the crosswalk (and the World Bank) use XKX."""


def _optional_int(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def load_countries(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return one row per country or territory in mledoze/countries (area in km², lat/lon in degrees)."""
    path = paths[COUNTRIES_PATH]
    records = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(records, list) or not records or "cca3" not in records[0]:
        raise SourceError(f"{path}: expected a JSON list of country records with 'cca3' keys")
    rows = [
        {
            "iso3": KOSOVO_FIX.get(record["cca3"], record["cca3"]),
            "iso2": record["cca2"],
            "iso_numeric": _optional_int(record.get("ccn3")),
            "name_common": record["name"]["common"],
            "name_official": record["name"]["official"],
            "region": record.get("region"),
            "subregion": record.get("subregion") or None,
            "landlocked": bool(record["landlocked"]),
            "borders": ",".join(record.get("borders") or []),
            "area_km2": float(record["area"]),
            "lat": float(record["latlng"][0]),
            "lon": float(record["latlng"][1]),
            "un_member": bool(record["unMember"]),
            "independent": record.get("independent"),
        }
        for record in records
    ]
    frame = pd.DataFrame(rows)
    frame["iso_numeric"] = frame["iso_numeric"].astype("Int64")
    frame["independent"] = frame["independent"].astype("boolean")
    for column in ("iso3", "iso2", "name_common", "name_official", "region", "subregion", "borders"):
        frame[column] = frame[column].astype("string")
    return frame.sort_values("iso3")


register(
    Source(
        name="countries",
        title="mledoze/countries (world-countries 5.1.0): country metadata",
        producer="Mohammed Le Doze (mledoze/countries)",
        files=(
            SourceFile(
                path=COUNTRIES_PATH,
                url=github_raw("mledoze/countries", MLEDOZE_COMMIT, "countries.json"),
                sha256="69e45428770b8750c89a54ac6e6c91131c56cac930ec63551f9ee6d2a179f2da",
            ),
        ),
        licence="ODbL 1.0 (flags excluded)",
        citation="Mohammed Le Doze, world-countries 5.1.0, https://github.com/mledoze/countries, commit 5e9f370.",
        coverage="250 countries and territories, as of 2026-04 (no years)",
        homepage="https://github.com/mledoze/countries",
        columns={
            "iso3": "ISO 3166-1 alpha-3 (Kosovo's 'UNK' in the file is given as XKX, the crosswalk's code)",
            "iso2": "ISO 3166-1 alpha-2",
            "iso_numeric": "ISO 3166-1 numeric code (NA for Kosovo)",
            "name_common": "common English name",
            "name_official": "official English name",
            "region": "region (Africa, Americas, Antarctic, Asia, Europe, Oceania)",
            "subregion": "subregion (e.g. Central Asia); NA where none",
            "landlocked": "True if the country has no sea coast (the Caspian counts as a lake: KAZ is landlocked)",
            "borders": "ISO3 codes of land neighbours, comma-separated, '' if none (sea neighbours excluded)",
            "area_km2": "total area, square kilometres",
            "lat": "latitude of a representative point, decimal degrees",
            "lon": "longitude of a representative point, decimal degrees",
            "un_member": "True for UN member states",
            "independent": (
                "True for independent states, False for dependencies; NA where "
                "mledoze leaves it open (Kosovo)"
            ),
        },
        loader=load_countries,
        key=("iso3",),
    )
)


CODELIST_PATH = "country_codes/countrycode_codelist.csv.gz"
CODELIST_MEMBER = "countrycode/data/codelist.pickle"
COUNTRYCODE_WHEEL = SourceFile(
    path="country_codes/countrycode-0.6.0-py3-none-any.whl",
    url=("https://files.pythonhosted.org/packages/9f/06/c406e6c161bdffa52d8039ff26eed1b474d222952a9a67c42630baa7631d/"
         "countrycode-0.6.0-py3-none-any.whl"),
    sha256="71abf50c9a4e237686f3684bf9a36511c0c940cd5b86363da09bde653e918484",
)


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles built-in containers and scalars only: any class reference is refused."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{CODELIST_MEMBER}: refusing to load {module}.{name}")


def _make_codelist(inputs: Mapping[str, Path], out: Path) -> None:
    """Write the wheel's pickled codelist (a dict of equal-length lists) as a gzipped CSV table.

    Columns holding only integers and None stay integer (Int64), so codes are written as ``705``,
    not ``705.0``.
    """
    with zipfile.ZipFile(inputs[COUNTRYCODE_WHEEL.path]) as archive:
        columns = _PlainUnpickler(io.BytesIO(archive.read(CODELIST_MEMBER))).load()
    if not isinstance(columns, dict) or len({len(v) for v in columns.values()}) != 1:
        raise ValueError(f"{CODELIST_MEMBER}: expected a dict of equal-length lists")
    frame = pd.DataFrame({
        name: (pd.array(values, dtype="Int64")
               if all(v is None or type(v) is int for v in values) and any(v is not None for v in values)
               else values)
        for name, values in columns.items()
    })
    write_csv_gz(frame, out)


CODELIST = Derived(
    path=CODELIST_PATH,
    inputs=(COUNTRYCODE_WHEEL,),
    make=_make_codelist,
    recipe=f"{CODELIST_MEMBER} of the countrycode 0.6.0 wheel written out as a table",
    mirror_sha256="46228c6623d617abcc06c81bb248231dfad968014fc1fa5dac6875aa864743b9",
)

# Output column -> codelist column.
CODELIST_COLUMNS: dict[str, str] = {
    "iso3c": "iso3c",
    "iso2c": "iso2c",
    "iso3n": "iso3n",
    "cown": "cown",
    "cowc": "cowc",
    "gwn": "gwn",
    "gwc": "gwc",
    "wb": "wb",
    "fips": "fips",
    "country_name": "country.name.en",
    "country_name_regex": "country.name.en.regex",
    "continent": "continent",
    "region": "region",
    "un_region": "un.region.name",
    "un_region_sub": "un.regionsub.name",
    "un_region_intermediate": "un.regionintermediate.name",
    "eu28": "eu28",
}


def load_codelist(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return the countrycode codelist restricted to the crosswalk's columns (codes as Int64/strings)."""
    path = paths[CODELIST_PATH]
    raw = pd.read_csv(path, usecols=lambda column: column in set(CODELIST_COLUMNS.values()), dtype="string",
                      keep_default_na=False, na_values=[""])  # Namibia's ISO2 is "NA"
    require_columns(raw, list(CODELIST_COLUMNS.values()), str(path))
    out = raw.rename(columns={source: name for name, source in CODELIST_COLUMNS.items()})
    for column in ("iso3n", "cown", "gwn"):
        out[column] = pd.to_numeric(out[column], errors="raise").round().astype("Int64")
    out["eu28"] = out["eu28"].notna()
    return out[list(CODELIST_COLUMNS)]


register(
    Source(
        name="country_codelist",
        title="countrycode codelist (Python port countrycode 0.6.0): country codes across schemes",
        producer="Vincent Arel-Bundock, Nils Enevoldsen and CJ Yetman (countrycode)",
        files=(CODELIST,),
        licence="GPL-3.0-or-later (countrycode package)",
        citation=(
            "Arel-Bundock, Vincent, Nils Enevoldsen and CJ Yetman. 2018. \"countrycode: An R package to convert "
            "country names and country codes.\" Journal of Open Source Software 3(28): 848."
        ),
        coverage="291 current and historical countries (no years); 215 with a COW code, 191 with a GW code",
        homepage="https://vincentarelbundock.github.io/countrycode/",
        columns={
            "iso3c": "ISO 3166-1 alpha-3 (NA for historical states such as Czechoslovakia, and for Kosovo)",
            "iso2c": "ISO 3166-1 alpha-2",
            "iso3n": "ISO 3166-1 numeric",
            "cown": "Correlates of War numeric state code",
            "cowc": "Correlates of War letter code",
            "gwn": "Gleditsch-Ward numeric code",
            "gwc": "Gleditsch-Ward letter code",
            "wb": "World Bank code (XKX for Kosovo)",
            "fips": "FIPS 10-4 country code (two letters; GDELT's geography codes), NA where none",
            "country_name": "English short name (countrycode's country.name.en)",
            "country_name_regex": "countrycode's regular expression matching English name variants",
            "continent": "continent (Africa, Americas, Asia, Europe, Oceania)",
            "region": "World Bank region (e.g. 'Europe & Central Asia')",
            "un_region": "UN M49 region",
            "un_region_sub": "UN M49 subregion (e.g. 'Central Asia')",
            "un_region_intermediate": "UN M49 intermediate region (NA where M49 has none)",
            "eu28": "True for the 28 EU members before Brexit",
        },
        loader=load_codelist,
        notes="Read from the pickled codelist inside the PyPI wheel countrycode 0.6.0.",
    )
)


CONVERTER_PATH = "country_codes/country_converter_country_data.tsv"
CONVERTER_TEXT = ("name_short", "name_official", "regex", "ISO2", "ISO3", "continent", "UNregion")
CONVERTER_CODES = ("ISOnumeric", "GWcode")
# Columns that hold a flag (the group's name or empty) and columns that hold a year of accession.
CONVERTER_FLAGS = ("EU", "EU27", "EU28", "G7", "G20", "BRIC", "CIS", "APEC", "Schengen", "CoE")
CONVERTER_YEARS = ("OECD", "UNmember", "EURO", "obsolete")


def load_converter(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return country_converter's table: names, regex, codes, group flags (bool) and accession years."""
    path = paths[CONVERTER_PATH]
    raw = pd.read_csv(path, sep="\t", dtype="string", keep_default_na=False, na_values=[""])
    wanted = [*CONVERTER_TEXT, *CONVERTER_CODES, *CONVERTER_FLAGS, *CONVERTER_YEARS]
    require_columns(raw, wanted, str(path))
    out = raw[wanted].copy()
    for column in (*CONVERTER_CODES, *CONVERTER_YEARS):
        out[column] = pd.to_numeric(out[column], errors="raise").round().astype("Int64")
    for column in CONVERTER_FLAGS:
        out[column] = out[column].notna()
    return out


register(
    Source(
        name="country_converter",
        title="country_converter (coco) 1.3.2 country data: names, regex, codes, memberships",
        producer="Konstantin Stadler (country_converter)",
        files=(
            SourceFile(
                path=CONVERTER_PATH,
                url=github_raw("IndEcol/country_converter", "v1.3.2", "country_converter/country_data.tsv"),
                sha256="73c5f9c3b94110d74e63ed79f2da61d589280a5301d26aa3680a78ecb1d478b9",
            ),
        ),
        licence="GPL-3.0 (country_converter package)",
        citation=(
            "Stadler, K. 2017. \"The country converter coco - a Python package for converting country names "
            "between different classification schemes.\" Journal of Open Source Software 2(16): 332."
        ),
        coverage="256 countries and territories (no years); memberships as of country_converter 1.3.2",
        homepage="https://github.com/IndEcol/country_converter",
        columns={
            "name_short": "short English name",
            "name_official": "official English name",
            "regex": "regular expression matching name variants (case-insensitive)",
            "ISO2": "ISO 3166-1 alpha-2",
            "ISO3": "ISO 3166-1 alpha-3",
            "continent": "continent",
            "UNregion": "UN M49 subregion name",
            "ISOnumeric": "ISO 3166-1 numeric",
            "GWcode": "Gleditsch-Ward numeric code (NA for non-members of the GW system)",
            **{flag: f"True if a member of {flag} in coco 1.3.2" for flag in CONVERTER_FLAGS},
            "OECD": "year of OECD accession (NA if not a member)",
            "UNmember": "year of UN admission (NA if not a member)",
            "EURO": "year the euro was adopted (NA if not in the euro area)",
            "obsolete": "year the entity ceased to exist as coded (NA if current)",
        },
        loader=load_converter,
        notes=(
            "G20 is True for every EU member (the EU itself sits in the G20): 43 rows, not 19. URL is the "
            "release tag's copy; the mirror file is the one shipped in the PyPI 1.3.2 wheel."
        ),
    )
)
