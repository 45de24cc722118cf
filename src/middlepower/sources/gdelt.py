"""GDELT: its code lookups, its file lists, and the 97 real GDELT 2.0 export files of the mirror.

The GDELT archive itself (a file every 15 minutes since February 2015) is far too large for a
registry entry per file: the events layer downloads the files a user asks for and verifies each
against GDELT's own master file list (md5 + size), see :mod:`middlepower.events.fetch`. What is
registered here is what the project reads as fixed inputs:

* ``gdelt_cameo_countries``, ``gdelt_fips_countries``, ``gdelt_cameo_eventcodes``: GDELT's lookup
  tables (actor country codes, FIPS 10-4 geography codes, CAMEO event codes), read by
  :mod:`middlepower.codes` and the events layer. Codes are strings: ``04`` is not ``4``.
* ``gdelt_headers``: GDELT 1.0's column-name files (daily 58 and historical 57 columns).
* ``gdelt_file_lists``: real excerpts of GDELT's ``masterfilelist.txt`` (2.0) and ``md5sums`` (1.0).
* ``gdelt_v2_sample``: 97 real export files (96 distinct 15-minute slots of 2017-2019 and
  2024-2025, one also as its original zip), listed in ``data/events/gdelt_v2_sample.csv`` with
  size, md5 and sha256. Its loader returns the file list; the events layer reads the files.

The mirror copies come from public GitHub repositories that committed GDELT data (see each URL and
the mirror's SOURCES-gdelt.md); GDELT's own address of each sample file serves it zipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd

from middlepower.errors import SourceError
from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register

GDELT_LICENCE = "GDELT terms: unrestricted use for any purpose, citation of the GDELT Project required"
GDELT_PRODUCER = "The GDELT Project"
GDELT_CITATION = (
    "The GDELT Project, https://www.gdeltproject.org/. Leetaru, Kalev and Philip A. Schrodt. 2013. "
    "\"GDELT: Global Data on Events, Location and Tone, 1979-2012.\" ISA Annual Convention."
)
GDELT_HOMEPAGE = "https://www.gdeltproject.org/data.html"
GDELT_V2_BASE = "http://data.gdeltproject.org/gdeltv2/"

OREILLY = ("oreillyross/GDELT_Downloader", "ea1a3c6f0eed0ac665d0e4a751e54efd55d81e4a", "utils/")
PANCHI = ("panchicore/es-gdelt", "f9707012560652ff9e67c67cd9e4e24a0d41a3a4", "config/gdelt/lookups/")


def _lookup_file(name: str, origin: tuple[str, str, str], sha256: str) -> SourceFile:
    repo, commit, folder = origin
    return SourceFile(path=f"gdelt/lookups/{name}", url=github_raw(repo, commit, folder + name), sha256=sha256)


CAMEO_COUNTRY = _lookup_file("CAMEO.country.txt", OREILLY,
                             "e1fbc5cf51fd582cd5745263e22d57383a6882c6ea8c4418e1ddb159b568fba3")
CAMEO_EVENTCODES = _lookup_file("CAMEO.eventcodes.txt", OREILLY,
                                "ccbfa4f59f62028399363dd8a9458b64128b5044d29df591bad718cdeccc145d")
FIPS_COUNTRY = _lookup_file("FIPS.country.txt", PANCHI,
                            "7384dca73b1f71bd85cc55e430fc5ccaedc4fc2632b2008089fbf8bda5c16547")
HEADER_DAILY = _lookup_file("CSV.header.dailyupdates.txt", PANCHI,
                            "ae0c05b3c0335a1ea3cf4c10a3f34bac11c8219f1cfaa6feccbae42458aac0c3")
HEADER_HISTORICAL = _lookup_file("CSV.header.historical.txt", PANCHI,
                                 "0f40822800852a9c38c2d11294fad6c164cd3fe09f8af509bfc9e1fd09cbbce6")

MASTER_LIST_EXCERPT = SourceFile(
    path="gdelt/filelists/masterfilelist.excerpt_20150218230000-20150222121500.from_gdeltPyR.txt",
    url=github_raw("linwoodc3/gdeltPyR", "4f45d442d3ecc35126e01a1442be0551d1d08a90",
                   "notebook/earlyConceptsnFunctionality.md"),
    sha256="4279990a11ccd288c492b6399422a8797dad3cbfbe41d4bf5e3dc6416598db05",
    converted="the first 1,000 lines of masterfilelist.txt, cut verbatim out of a notebook's printed output",
)
MD5SUMS_V1_EXCERPT = SourceFile(
    path="gdelt/filelists/md5sums.gdelt1_events.excerpt.from_lamastex.txt",
    url=github_raw("lamastex/spark-gdelt-examples", "a980d03abc8bc3fb5563ad01f7327cb4d5c185b4",
                   "gdelt-docs/README.md"),
    sha256="e8f692cac50e5918a6e09dac049bca2eb346b10f44ec5396e1fdb623ee97589a",
    converted="41 lines of GDELT 1.0 events/md5sums, cut verbatim out of a README",
)


def _read_lookup(path: Path, columns: tuple[str, str], header: bool) -> pd.DataFrame:
    # GDELT's lookups are tab-separated, some with CRLF; labels carry GDELT's own mojibake (kept).
    frame = pd.read_csv(path, sep="\t", header=0 if header else None, names=list(columns), dtype="string",
                        keep_default_na=False, encoding="latin-1", quoting=3)
    frame = frame.apply(lambda column: column.str.strip())
    if frame.empty or frame[columns[0]].eq("").any():
        raise SourceError(f"{path}: expected two tab-separated columns ({', '.join(columns)}) on every line")
    return frame


def _lookup_source(name: str, title: str, file: SourceFile, header: bool, coverage: str,
                   columns: dict[str, str]) -> Source:
    names = tuple(columns)
    return register(Source(
        name=name, title=title, producer=GDELT_PRODUCER, files=(file,), licence=GDELT_LICENCE, citation=GDELT_CITATION,
        coverage=coverage, homepage="https://www.gdeltproject.org/data/lookups/",
        columns=columns, loader=lambda paths: _read_lookup(paths[file.path], names, header),
        table=False, key=(names[0],),
        notes="GDELT serves the same tables under https://www.gdeltproject.org/data/lookups/ "
              "(line endings may differ).",
    ))


_lookup_source("gdelt_cameo_countries", "GDELT CAMEO actor country codes (CAMEO.country.txt)", CAMEO_COUNTRY, True,
               "261 codes: ISO 3166-1 alpha-3 codes, a few CAMEO-specific ones and 25 regions",
               {"code": "CAMEO country code (three letters, string)", "label": "GDELT's label"})
_lookup_source("gdelt_fips_countries", "GDELT FIPS 10-4 country codes (FIPS.country.txt)", FIPS_COUNTRY, False,
               "274 FIPS 10-4 codes of countries, territories, oceans and minor islands",
               {"code": "FIPS 10-4 country code (two letters, string)", "label": "GDELT's label"})
_lookup_source("gdelt_cameo_eventcodes", "GDELT CAMEO event codes (CAMEO.eventcodes.txt)", CAMEO_EVENTCODES, True,
               "310 CAMEO event codes (2-4 digits)",
               {"code": "CAMEO event code (string with leading zeros: '04', '043')",
                "description": "GDELT's description (its mojibake for 044 kept)"})


def _read_headers(paths: Mapping[str, Path]) -> pd.DataFrame:
    frames = []
    for layout, file in (("v1_daily", HEADER_DAILY), ("v1_historical", HEADER_HISTORICAL)):
        names = paths[file.path].read_text(encoding="ascii").strip().split("\t")
        frames.append(pd.DataFrame({"layout": layout, "position": range(1, len(names) + 1), "name": names}))
    return pd.concat(frames, ignore_index=True).astype({"layout": "string", "name": "string"})


register(Source(
    name="gdelt_headers", title="GDELT 1.0 event file column names (daily and historical)",
    producer=GDELT_PRODUCER,
    files=(HEADER_DAILY, HEADER_HISTORICAL), licence=GDELT_LICENCE, citation=GDELT_CITATION,
    coverage="58 daily and 57 historical column names; 2.0 adds an ADM2Code after each ADM1Code (61)",
    homepage=GDELT_HOMEPAGE,
    columns={"layout": "v1_daily or v1_historical", "position": "1-based column position",
             "name": "column name as GDELT writes it"},
    loader=_read_headers, table=False, key=("layout", "position"),
))


def _file_frame(paths: Mapping[str, Path], files: tuple[SourceFile, ...]) -> pd.DataFrame:
    return pd.DataFrame({"path": [f.path for f in files], "local_path": [str(paths[f.path]) for f in files]})


register(Source(
    name="gdelt_file_lists", title="Excerpts of GDELT's file lists with md5 sums (2.0 master list, 1.0 md5sums)",
    producer=GDELT_PRODUCER,
    files=(MASTER_LIST_EXCERPT, MD5SUMS_V1_EXCERPT), licence=GDELT_LICENCE, citation=GDELT_CITATION,
    coverage="2.0: 1,000 lines from 2015-02-18 23:00; 1.0: back files 1979-2006 and dailies 2020-03-19..24",
    homepage=GDELT_HOMEPAGE,
    columns={"path": "file path in the mirror layout", "local_path": "verified local copy"},
    loader=lambda paths: _file_frame(paths, (MASTER_LIST_EXCERPT, MD5SUMS_V1_EXCERPT)), table=False, key=("path",),
))


def _sample_manifest() -> pd.DataFrame:
    text = resources.files("middlepower.data").joinpath("events/gdelt_v2_sample.csv")
    with resources.as_file(text) as path:
        return pd.read_csv(path, dtype={"path": "string", "slot": "string", "bytes": "int64", "md5": "string",
                                        "sha256": "string", "origin": "string"})


SAMPLE_MANIFEST = _sample_manifest()
SAMPLE_FILES = tuple(
    SourceFile(
        path=row.path,
        url=f"{GDELT_V2_BASE}{row.slot}.export.CSV.zip",
        sha256=row.sha256,
        converted="" if row.path.endswith(".zip") else "the zip's single member, unzipped"
        + (" and renamed" if not row.path.endswith(f"{row.slot}.export.CSV") else ""),
    )
    for row in SAMPLE_MANIFEST.itertuples()
)


def _read_sample(paths: Mapping[str, Path]) -> pd.DataFrame:
    frame = SAMPLE_MANIFEST[["path", "slot", "bytes", "md5"]].copy()
    frame["local_path"] = pd.array([str(paths[path]) for path in frame["path"]], dtype="string")
    return frame


register(Source(
    name="gdelt_v2_sample", title="97 real GDELT 2.0 event export files (15-minute slots, 2017-2019 and 2024-2025)",
    producer=GDELT_PRODUCER,
    files=SAMPLE_FILES, licence=GDELT_LICENCE, citation=GDELT_CITATION,
    coverage="96 distinct 15-minute slots (2017-11-26 .. 2025-02-12, scattered), about 135,500 events",
    homepage=GDELT_HOMEPAGE,
    columns={"path": "file path in the mirror layout", "slot": "GDELT 15-minute stamp YYYYMMDDHHMMSS",
             "bytes": "file size, bytes", "md5": "md5 of the file", "local_path": "verified local copy"},
    loader=_read_sample, table=False, key=("path",),
    notes=("Copies of GDELT files that public GitHub repositories committed (origin of each in "
           "data/events/gdelt_v2_sample.csv). GDELT serves each slot as <slot>.export.CSV.zip; the mirror holds "
           "the unzipped member (and one original zip), so only the zip can be checked after a download."),
))
