"""Bailey-Strezhnev-Voeten UN ideal points, June 2024 release (all votes, with agreement shares).

One row per state and General Assembly session, 1946-2023 (sessions 1-78, 19 absent). The
``*_agree`` columns are the share of the session's votes on which the state voted as the reference
state did; :mod:`middlepower.alignment` reproduces them from the raw votes as an independent check.
The published ISO3 column is kept as ``iso3_published`` (it says YUG for COW 345 and YAR for both
Yemens before 1990); the warehouse derives ``iso3`` from ``ccode`` through :mod:`middlepower.codes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import as_int, github_raw_content
from middlepower.sources.registry import Source, SourceFile, register, require_columns

IDEAL_POINTS_2024 = SourceFile(
    path="voeten_idealpoints_2024/IdealpointestimatesAll_Jun2024.csv",
    # The producer's Dataverse file (CRLF line endings). Its sha256 is recorded independently in
    # two public repositories' checksum tables; ../shared/data holds it gzipped.
    url="https://dataverse.harvard.edu/api/access/datafile/10295878",
    sha256="94ce7440bdba9252b2f4294333291585748dfe84dbaf56fe9f26e1af38f66198",
)

RENAMES = {
    "iso3c": "iso3_published",
    "ccode": "ccode",
    "session": "session",
    "NVotesAll": "nvotes",
    "IdealPointAll": "ideal_point",
    "Q5%All": "q5",
    "Q50%All": "q50",
    "Q95%All": "q95",
    "USAgree": "us_agree",
    "RUSSAgree": "russia_agree",
    "ChinaAgree": "china_agree",
    "BrazilAgree": "brazil_agree",
    "IndiaAgree": "india_agree",
    "IsraelAgree": "israel_agree",
}


def _load(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = IDEAL_POINTS_2024.path
    raw = pd.read_csv(paths[where], encoding="utf-8")
    require_columns(raw, list(RENAMES), where)
    frame = raw[list(RENAMES)].rename(columns=RENAMES)
    frame = as_int(frame, ["ccode", "session", "nvotes"])
    frame["iso3_published"] = frame["iso3_published"].astype("string")
    frame["year"] = (frame["session"] + 1945).astype("Int64")
    return frame


register(
    Source(
        name="voeten_ideal_points_2024",
        title="Bailey-Strezhnev-Voeten UN General Assembly ideal points, June 2024 (all votes)",
        producer="Michael A. Bailey, Anton Strezhnev and Erik Voeten",
        files=(IDEAL_POINTS_2024,),
        licence="CC0 (producer's Dataverse release)",
        citation=(
            "Bailey, Michael A., Anton Strezhnev and Erik Voeten. 2017. \"Estimating Dynamic State "
            "Preferences from United Nations Voting Data.\" Journal of Conflict Resolution 61(2): 430-456. "
            "Data: Voeten, Strezhnev and Bailey, United Nations General Assembly Voting Data, "
            "Harvard Dataverse hdl:1902.1/12379, file IdealpointestimatesAll_Jun2024.csv."
        ),
        coverage="sessions 1-78 (1946-2023; session 19 absent), 11,238 state-sessions",
        homepage="https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
        columns={
            "iso3_published": "ISO3 as published (YUG for COW 345, YAR for COW 678 and 680); the store "
            "derives iso3 from ccode instead",
            "ccode": "COW state code",
            "session": "General Assembly session",
            "year": "session + 1945 (the calendar year in which the session opened)",
            "nvotes": "number of votes the state cast in the session",
            "ideal_point": "ideal point (posterior mean; mean 0, sd 1; higher = closer to the US-led order)",
            "q5": "5th posterior percentile of the ideal point",
            "q50": "posterior median of the ideal point",
            "q95": "95th posterior percentile of the ideal point",
            "us_agree": "share of the session's votes on which the state voted as the USA (0-1)",
            "russia_agree": "share of votes agreeing with the USSR / Russia (0-1)",
            "china_agree": "share of votes agreeing with the People's Republic of China (0-1, from 1971)",
            "brazil_agree": "share of votes agreeing with Brazil (0-1)",
            "india_agree": "share of votes agreeing with India (0-1)",
            "israel_agree": "share of votes agreeing with Israel (0-1, from 1949)",
        },
        loader=_load,
        key=("ccode", "session"),
        notes=(
            "Dataverse file id 10295878 of hdl:1902.1/12379 (the producer's bytes, CRLF line endings). "
            "GitHub re-hosts of this file have LF line endings and do not match its checksum."
        ),
    )
)


IDEAL_POINTS_2025 = SourceFile(
    path="voeten_idealpoints_2025/IdealpointsJuly2025.dta",
    # Re-hosted unchanged (git blob f4b6d579...); the producer's copy is on Dataverse.
    url=github_raw_content("lucasbuildsapps/Masterthesis", "00de4ce7f259894dd3f9c1ea7006b192be4dcb74",
                           "IdealpointsJuly2025.dta"),
    sha256="fea7fa9414e3643586dbdf95baa1100ceb418e56684d79d801a146cad79443ce",
)

RENAMES_2025 = {
    "ccode": "ccode",
    "iso3c": "iso3_published",
    "year": "year",
    "idealpointfp": "ideal_point_fp",
    "q5fp": "q5_fp",
    "q95fp": "q95_fp",
    "nvotesfp": "nvotes_fp",
    "idealpointall": "ideal_point_all",
    "nvotesall": "nvotes_all",
    "idealpointlegacy": "ideal_point_legacy",
}


def _load_2025(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = IDEAL_POINTS_2025.path
    raw = pd.read_stata(paths[where])
    require_columns(raw, list(RENAMES_2025), where)
    frame = raw[list(RENAMES_2025)].rename(columns=RENAMES_2025)
    frame = as_int(frame, ["ccode", "year", "nvotes_fp", "nvotes_all"])
    frame["iso3_published"] = frame["iso3_published"].astype("string").replace("", pd.NA)
    for column in ("ideal_point_fp", "q5_fp", "q95_fp", "ideal_point_all", "ideal_point_legacy"):
        frame[column] = frame[column].astype("float64")
    return frame


register(
    Source(
        name="voeten_ideal_points_2025",
        title="Bailey-Strezhnev-Voeten UN General Assembly ideal points, July 2025 (calendar years)",
        producer="Michael A. Bailey, Anton Strezhnev and Erik Voeten",
        files=(IDEAL_POINTS_2025,),
        licence="CC0 (producer's Dataverse release); this re-host states no licence",
        citation=(
            "Bailey, Michael A., Anton Strezhnev and Erik Voeten. 2017. \"Estimating Dynamic State "
            "Preferences from United Nations Voting Data.\" Journal of Conflict Resolution 61(2): 430-456. "
            "Data: Voeten, Strezhnev and Bailey, United Nations General Assembly Voting Data, Harvard "
            "Dataverse hdl:1902.1/12379, file IdealpointsJuly2025.dta (votes from UNGA-DM, Fjelstul, Hug "
            "and Kilby 2025)."
        ),
        coverage="calendar years 1946-2024 (1964 absent); final-passage estimates to 2024, all-vote and "
                 "legacy estimates to 2023; 11,440 rows",
        homepage="https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
        columns={
            "ccode": "COW state code",
            "iso3_published": "ISO3 as published (NA on 17 stub rows of admission years without estimates)",
            "year": "calendar year",
            "ideal_point_fp": "ideal point from final-passage votes only (posterior mean; higher = closer to the USA)",
            "q5_fp": "5th posterior percentile of ideal_point_fp",
            "q95_fp": "95th posterior percentile of ideal_point_fp",
            "nvotes_fp": "final-passage votes the state cast in the year",
            "ideal_point_all": "ideal point from all votes, paragraph and amendment votes included (to 2023)",
            "nvotes_all": "votes of any kind the state cast in the year",
            "ideal_point_legacy": "the earlier session-based series, by year (to 2023)",
        },
        loader=_load_2025,
        key=("ccode", "year"),
        notes="Used only as an independent reference in tests and benchmarks; 2024 has only the final-passage series.",
    )
)
