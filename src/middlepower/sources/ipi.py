"""UN peacekeeping contributions by country and month: IPI's Providing for Peacekeeping files.

148 per-country files ``ppp_files/countries/<Country>.csv`` (Date, Troops, Police, Experts) from
github.com/IPIDataLab/PPP_Loader, compiled by the International Peace Institute from the UN's
monthly contribution reports, November 1990 to March 2014. A file lists only the months in which
the country contributed; NA in a column means no contribution of that kind that month. The file
names are IPI's short names ("DR Congo", "Cote d Ivoire"); the warehouse maps them to ISO3 through
:func:`middlepower.codes.names_to_iso3`. Their checksums are listed in
``middlepower/data/sources/ipi_countries.sha256``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw_content
from middlepower.sources.registry import LeftOut, Source, SourceFile, register, require_columns

IPI_REPO, IPI_COMMIT = "IPIDataLab/PPP_Loader", "2653920af58e91a892d1cde3a402a57a2ebf5cdf"
COUNTRY_DIR = "ipi_peacekeeping/ppp_files/countries"


def _manifest() -> list[tuple[str, str]]:
    text = resources.files("middlepower.data").joinpath("sources/ipi_countries.sha256").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            sha, name = line.split(maxsplit=1)
            rows.append((name.strip(), sha))
    return rows


IPI_FIRST_MONTH, IPI_LAST_MONTH = date(1990, 11, 1), date(2014, 3, 1)
"""First and last month with per-country figures (the first day of each month)."""


COUNTRY_FILES = tuple(
    SourceFile(path=f"{COUNTRY_DIR}/{name}", sha256=sha,
               url=github_raw_content(IPI_REPO, IPI_COMMIT, f"ppp_files/countries/{name}"))
    for name, sha in _manifest()
)


LEFT_OUT = (
    LeftOut(f"{COUNTRY_DIR}/Antigua", "a 0-byte file in the mirror that is in no upstream commit; Antigua and "
            "Barbuda's months are in 'Antigua and Barbuda.csv', which is read", rows=0),
    LeftOut(f"{COUNTRY_DIR}/.csv", "the upstream commit's nameless stub (a header and one NA row, no country)",
            rows=1),
)
"""Files of the country folder that are not read, each with its reason (listed in ``_exclusions``)."""


def _load(paths: Mapping[str, Path]) -> pd.DataFrame:
    frames = []
    for file in COUNTRY_FILES:
        raw = pd.read_csv(paths[file.path], dtype=str, keep_default_na=False, na_values=["NA", ""])
        require_columns(raw, ["Date", "Troops", "Police", "Experts"], file.path)
        frame = pd.DataFrame({
            "country": Path(file.path).stem,
            "date": pd.to_datetime(raw["Date"], format="%Y-%m-%d"),
            "troops": pd.to_numeric(raw["Troops"], errors="raise").astype("Int64"),
            "police": pd.to_numeric(raw["Police"], errors="raise").astype("Int64"),
            "experts": pd.to_numeric(raw["Experts"], errors="raise").astype("Int64"),
        })
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"country": "string"})


register(
    Source(
        name="ipi_peacekeeping",
        title="IPI Providing for Peacekeeping: uniformed contributions to UN peacekeeping by country and month",
        producer="International Peace Institute (IPI)",
        files=COUNTRY_FILES,
        licence="GPL-2 (repository; covers the software); data compiled from UN DPKO monthly contribution reports",
        citation=("Perry, Chris and Adam C. Smith. 2013. Trends in Uniformed Contributions to UN Peacekeeping: "
                  "A New Dataset, 1991-2012. International Peace Institute. Providing for Peacekeeping "
                  "Database, www.providingforpeacekeeping.org."),
        coverage=(f"148 contributing countries, {IPI_FIRST_MONTH:%Y-%m} to {IPI_LAST_MONTH:%Y-%m} "
                  "(25,657 country-months)"),
        homepage="https://github.com/IPIDataLab/PPP_Loader",
        columns={
            "country": "IPI's name of the contributing country (the file name)",
            "date": "month-end date of the UN report",
            "troops": "troops deployed (persons; NA = none that month)",
            "police": "police deployed (persons; NA = none)",
            "experts": "military experts on mission (persons; NA = none)",
        },
        loader=_load,
        key=("country", "date"),
        left_out=LEFT_OUT,
        notes=(f"The per-country series stop in {IPI_LAST_MONTH:%B %Y} (the mission-level full_data.csv, to 2017, "
               "is not in the snapshot). A month missing from a country's file means no contribution."),
    )
)
