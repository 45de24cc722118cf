"""The three GDELT event-file layouts and the type of every column.

GDELT 2.0 exports (every 15 minutes since 2015-02-18) have 61 tab-separated columns; GDELT 1.0
daily files (2013-04-01 onwards) have 58; the 1.0 historical back files (1979-2013, yearly then
monthly) have 57. The 1.0 layouts lack the ``*_ADM2Code`` columns, and the historical one lacks
``SOURCEURL``. Columns are named as in GDELT's codebooks (the 1.0 names are checked against
GDELT's own header files in the tests). Every code column — CAMEO event codes above all — is a
string: ``04`` is not ``4``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
EVENT_FIELDS = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                "NumMentions", "NumSources", "NumArticles", "AvgTone")


def _geo(prefix: str, adm2: bool) -> list[str]:
    fields = ["Type", "FullName", "CountryCode", "ADM1Code", *(["ADM2Code"] if adm2 else []), "Lat", "Long",
              "FeatureID"]
    return [f"{prefix}_{field}" for field in fields]


def _names(adm2: bool, source_url: bool) -> tuple[str, ...]:
    names = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    names += [f"Actor1{field}" for field in ACTOR_FIELDS] + [f"Actor2{field}" for field in ACTOR_FIELDS]
    names += list(EVENT_FIELDS)
    for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        names += _geo(prefix, adm2)
    names.append("DATEADDED")
    if source_url:
        names.append("SOURCEURL")
    return tuple(names)


TYPES: dict[str, pa.DataType] = {
    "GLOBALEVENTID": pa.int64(),
    "SQLDATE": pa.timestamp("s"),        # the event's estimated date, YYYYMMDD
    "MonthYear": pa.int32(),             # YYYYMM
    "Year": pa.int16(),
    "FractionDate": pa.float64(),        # year + fraction of the year
    "IsRootEvent": pa.bool_(),
    "QuadClass": pa.int8(),              # 1 verbal cooperation .. 4 material conflict
    "GoldsteinScale": pa.float64(),      # -10 .. +10, fixed per CAMEO code
    "NumMentions": pa.int32(),
    "NumSources": pa.int32(),
    "NumArticles": pa.int32(),
    "AvgTone": pa.float64(),             # -100 .. +100
    "DATEADDED": pa.timestamp("s"),      # when GDELT recorded the event: YYYYMMDDHHMMSS (2.0), YYYYMMDD (1.0)
}
"""Non-string columns; every column not listed (codes, names, FeatureIDs, URLs) is a string."""

for _prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
    TYPES[f"{_prefix}_Type"] = pa.int8()
    TYPES[f"{_prefix}_Lat"] = pa.float64()
    TYPES[f"{_prefix}_Long"] = pa.float64()


@dataclass(frozen=True)
class Layout:
    """One GDELT event-file layout: its name, the version it belongs to, and its column names."""

    name: str
    title: str
    columns: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.columns)

    def types(self, columns: tuple[str, ...] | None = None) -> dict[str, pa.DataType]:
        """Return the arrow type of each of ``columns`` (default: all) in this layout."""
        return {name: TYPES.get(name, pa.string()) for name in (columns or self.columns)}


V2 = Layout("v2", "GDELT 2.0 export", _names(adm2=True, source_url=True))
V1_DAILY = Layout("v1_daily", "GDELT 1.0 daily file", _names(adm2=False, source_url=True))
V1_HISTORICAL = Layout("v1_historical", "GDELT 1.0 historical file", _names(adm2=False, source_url=False))
LAYOUTS = {layout.width: layout for layout in (V2, V1_DAILY, V1_HISTORICAL)}
"""Layouts by their number of columns: 61, 58 and 57 (GDELT files carry no header row)."""
