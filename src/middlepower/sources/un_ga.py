"""UN DGACM machine-readable General Assembly resolutions (UNxml): recorded votes, sessions 74-80.

The UN Department for General Assembly and Conference Management publishes one JSON object per
resolution and line (``data_extract/<session>.json``; the Council's extracts, read the same way by
:mod:`middlepower.sources.un_sc`, are ``<year>.json``), with the members voting yes, no and
abstaining as lists of upper-case names. The reader (:mod:`middlepower.sources._unxml`) turns them
into two tidy frames: one row per resolution (with what was cleaned, and why a resolution is
excluded from the votes) and one row per listed member vote. Names stay names here; the warehouse
keys them to ISO3 through :func:`middlepower.codes.names_to_iso3`, the same mapping it uses for the
names of the {unvotes} table.

Cleaning, each step counted in a column of the resolutions frame, never silent:

* a symbol listed more than once (39 extra entries in the Assembly's 79/80 files, 3 in the
  Council's 2026 file) keeps the entry with the most listed names, the last of equals
  (``duplicates_dropped``; the member votes the dropped copies held: ``duplicate_votes_dropped``,
  3,380 Assembly and 30 Council votes);
* a name repeated within one list (every name of A/RES/75/290 A) is kept once (``repeats_dropped``);
* a name split in two ("CÔTE." / "D'IVOIRE" in S/RES/2403) is joined (``names_joined``);
* a recorded vote with totals but no member lists (A/RES/75/254 A-C, S/RES/2723) contributes no
  votes and says so in ``exclusion``, as does an Assembly resolution whose adoption type is blank.

A line that is not valid JSON, or lacks a field, is a SourceError naming the file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.errors import SourceError
from middlepower.sources._readers import github_raw_content
from middlepower.sources._unxml import (
    LICENCE,
    RESOLUTION_COLUMNS,
    VOTE_LISTS,
    clean_name,
    file_records,
    parse_date,
    parsed_once,
    resolution_rows,
)
from middlepower.sources.registry import Source, SourceFile, register

HOMEPAGE_GA = "https://github.com/UNxml/GAresolutions"
GA_REPO, GA_COMMIT = "UNxml/GAresolutions", "42a69b67bb92d23969fc45bba151320b82eb8e52"

GA_SHA256 = {
    "74": "70f4e80922ec7542792493a10aa8463c64830cf736ed02144bdf780d4f623b6f",
    "75": "b48efdb74739d86249a04999d75e2e67d267fcf6886e60f2987032d7c11f6427",
    "76": "1138b54c4b6b10c5c0be134d08c0dea464f9af9247c41c5d922c09f32fcdd4d0",
    "77": "fa9ba30c6f2a065417ecb7e26e518865ee31a36001c9c110b0303a84116183cf",
    "78": "ab8b9ad03f5e22dcfb40ede88d9fc6edbc8653213e4e044e466f8a6685897848",
    "79": "610f8aa502662bcac1e47004d3f155c0f86f3675c7f296afacddf3d10b0dabd8",
    "80": "f024775cf6ee4f6db354a1f7cd31c9b74f3e3f0b3381e81e465f17ccbcf09108",
    "ES-10": "ca470b45a979de773920b2c91a160940703bc74d303fdff8f20312074633534f",
    "ES-11": "14c3982981dcbfb7716f4ab086ca2753383a89827ed448e9cffc8f499ecc1fb8",
    "S-32": "64b635e8b09c6037d84f00b3957a822d94772a259aecc882e5c9048420394d25",
}
GA_FILES = tuple(
    SourceFile(path=f"unxml_ga_resolutions/data_extract/{name}.json",
               url=github_raw_content(GA_REPO, GA_COMMIT, f"data_extract/{name}.json"), sha256=sha)
    for name, sha in GA_SHA256.items()
)
GA_REQUIRED = ("symbol", "title", "adoption_date", "adoption_type", "MS_in_favour_count", "MS_against_count",
               "MS_abstaining_count", *VOTE_LISTS)


def regular_session(file_stem: str, date: pd.Timestamp) -> int:
    """Return the regular session an Assembly resolution belongs to.

    Regular-session files are named by their session. Emergency special and special sessions are
    assigned to the regular session in progress, which opens in September: session = year - 1945
    from September, year - 1946 before (ES-11/1 of 2 March 2022 is in session 76).
    """
    if file_stem.isdigit():
        return int(file_stem)
    return date.year - 1945 if date.month >= 9 else date.year - 1946


def _ga_kind(file_stem: str) -> str:
    return "regular" if file_stem.isdigit() else ("emergency special" if file_stem.startswith("ES-") else "special")


GA_ADOPTION = {"By a recorded vote": "recorded vote", "Without a vote": "without a vote", "": "not stated"}


@parsed_once
def _ga_frames(paths: Mapping[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = file_records(paths, GA_FILES, GA_REQUIRED)
    rows, votes = resolution_rows(records, "unxml_ga_resolutions/data_extract")
    out = []
    for row in rows:
        record = row.pop("_record")
        where = f"{record['_file']}.json line {record['_line']} ({row['symbol']})"
        adoption = GA_ADOPTION.get(clean_name(record["adoption_type"]))
        if adoption is None:
            raise SourceError(f"{where}: unknown adoption_type {record['adoption_type']!r}")
        try:
            date = parse_date(record["adoption_date"])
        except ValueError as exc:
            raise SourceError(f"{where}: {exc}") from None
        listed = row["yes_listed"] + row["no_listed"] + row["abstain_listed"]
        stated = sum(t or 0 for t in (row["yes_total"], row["no_total"], row["abstain_total"]))
        exclusion = None
        if adoption == "recorded vote" and listed == 0:
            exclusion = "totals without member lists" if stated else "recorded vote without totals or lists"
        elif adoption == "not stated":
            exclusion = "adoption type not stated"
        elif adoption == "without a vote" and listed:
            exclusion = "member lists on a resolution adopted without a vote"
        out.append({
            **row, "file": record["_file"], "session": regular_session(record["_file"], date),
            "session_kind": _ga_kind(record["_file"]), "date": date, "adoption": adoption,
            "recorded_vote": adoption == "recorded vote" and exclusion is None, "vote_kind": "resolution",
            "exclusion": exclusion, "title": clean_name(record["title"]),
            "agenda_item_name": clean_name(record.get("agenda_item_name", "")),
            "committee": clean_name(record.get("committee", "")),
        })
    frame = pd.DataFrame(out)
    counted = set(frame.loc[frame["recorded_vote"], "symbol"])
    vote_frame = pd.DataFrame(votes, columns=["symbol", "country", "vote"])
    vote_frame = vote_frame[vote_frame["symbol"].isin(counted)]
    return frame, vote_frame.astype({"symbol": "string", "country": "string", "vote": "int8"})


def _load_ga_resolutions(paths: Mapping[str, Path]) -> pd.DataFrame:
    frame, _ = _ga_frames(paths)
    return frame.sort_values(["date", "symbol"]).astype(
        {name: "Int64" for name in ("yes_total", "no_total", "abstain_total")})


def _load_ga_votes(paths: Mapping[str, Path]) -> pd.DataFrame:
    return _ga_frames(paths)[1]


register(
    Source(
        name="un_ga_resolutions",
        title="UN General Assembly resolutions, sessions 74-80 and ES-10, ES-11, S-32 (DGACM data extract)",
        producer="United Nations, Department for General Assembly and Conference Management (DGACM)",
        files=GA_FILES,
        licence=LICENCE,
        citation=("United Nations, Department for General Assembly and Conference Management (DGACM), "
                  "Machine-readable General Assembly resolutions (data_extract), github.com/UNxml/GAresolutions, "
                  "commit 42a69b6."),
        coverage=("Assembly resolutions adopted 2019-10-10 to 2026-06-04 (session 74 from October 2019 to "
                  "74/266 of 27 December 2019; session 80 still being uploaded); 2,193 resolutions, 731 by "
                  "recorded vote, 730 of them with member lists"),
        homepage=HOMEPAGE_GA,
        columns={
            "symbol": "resolution symbol, e.g. A/RES/ES-11/1",
            "file": "extract it came from: the session (74 ... 80) or ES-10, ES-11, S-32",
            "session": "regular session (emergency special and special sessions: the regular session in progress)",
            "session_kind": "regular, emergency special or special",
            "date": "adoption date",
            "adoption": "recorded vote, without a vote, or not stated (blank in the extract)",
            "recorded_vote": "True when the resolution's member votes are in un_ga_votes",
            "vote_kind": "always 'resolution': the extracts hold whole-resolution votes only",
            "exclusion": "why a resolution contributes no votes although it is not 'without a vote' (NA otherwise)",
            **RESOLUTION_COLUMNS,
            "title": "resolution title",
            "agenda_item_name": "agenda item",
            "committee": "main committee that reported it, or 'Without reference to a Main Committee'",
        },
        loader=_load_ga_resolutions,
        key=("symbol",),
        notes=("Only whole-resolution recorded votes: no paragraph or amendment votes and no failed drafts. "
               "ES-10/23 (May 2024) and ES-11/7 and /8 (February 2025) are missing; A/RES/77/293 lists 58 "
               "abstainers against a stated 59."),
    )
)

register(
    Source(
        name="un_ga_votes",
        title="UN General Assembly member votes, sessions 74-80 (DGACM data extract)",
        producer="United Nations, Department for General Assembly and Conference Management (DGACM)",
        files=GA_FILES,
        licence=LICENCE,
        citation=("United Nations, DGACM, Machine-readable General Assembly resolutions (data_extract), "
                  "github.com/UNxml/GAresolutions, commit 42a69b6."),
        coverage=("128,399 member votes (yes 105,446, abstain 13,771, no 9,182) on 730 recorded votes, 2019-10 to "
                  "2026-06; members in no list are absent (no row)"),
        homepage=HOMEPAGE_GA,
        columns={
            "symbol": "resolution symbol (joins un_ga_resolutions)",
            "country": "member name as listed (upper case; whitespace normalised)",
            "vote": "1 yes, 2 abstain, 3 no (as in un_votes)",
        },
        loader=_load_ga_votes,
        key=("symbol", "country"),
        notes=("Absent members and members in Article 19 arrears are in no list; the unga_votes view adds them "
               "as absent."),
    )
)
