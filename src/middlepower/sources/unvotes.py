"""UN General Assembly roll-call votes (Voeten) as shipped by {unvotes} (Robinson), commit 7eb7034.

Three frames: the votes (one row per state and roll call), the roll calls, and their issue codes.
Absences and non-members were removed upstream, so a missing row means "did not vote", never
"abstained". The votes carry the name and ISO2 code the package produced from COW codes; the
warehouse keys them to ISO3 by name through :func:`middlepower.codes.names_to_iso3`, the mapping it
uses for the DGACM extracts too (the ISO2 column is kept as published: Namibia's is the string
``"NA"``; West Germany, the Yemen Arab Republic and Zanzibar have none).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import as_int, github_raw, read_rda
from middlepower.sources.registry import Source, SourceFile, register, require_columns

UNVOTES = "dgrtwo/unvotes"
UNVOTES_COMMIT = "7eb7034314ff79c49c9e0785fcd9d216fa04cf14"
UNVOTES_LICENCE = "MIT (package, (c) 2016 David Robinson); underlying Voeten data CC0"
UNVOTES_CITATION = (
    "Voeten, Erik. 2013. \"Data and Analyses of Voting in the United Nations General Assembly.\" "
    "In Reinalda (ed.), Routledge Handbook of International Organization. Dataverse hdl:1902.1/12379. "
    "Robinson, David. {unvotes}: United Nations General Assembly Voting Data (R package)."
)
UNVOTES_HOMEPAGE = "https://github.com/dgrtwo/unvotes"

VOTE_CODES = {"yes": 1, "abstain": 2, "no": 3}
"""Integer code of each recorded vote; 0 is reserved for "no recorded vote" in vote matrices."""


def unvotes_file(name: str, sha256: str) -> SourceFile:
    """Return the SourceFile for ``unvotes/<name>`` at the pinned commit."""
    return SourceFile(path=f"unvotes/{name}", url=github_raw(UNVOTES, UNVOTES_COMMIT, f"data/{name}"), sha256=sha256)


VOTES_FILE = unvotes_file("un_votes.rda", "cf814a48bc536e8f87f8e027942ac515fe6aae9d63cd71dd88ed718b14887e87")
ROLL_CALLS_FILE = unvotes_file("un_roll_calls.rda", "ff2070ae600cfd32176c6d149637306b9b677d6b910f48bec59a15357d673b4b")
ISSUES_FILE = unvotes_file(
    "un_roll_call_issues.rda", "eec1b509ebce692c242b842837d5d861b52b65b2868a7c66f573d4a87d2eb0be"
)


def _load_votes(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = VOTES_FILE.path
    raw = read_rda(paths[where])
    require_columns(raw, ["rcid", "country", "country_code", "vote"], where)
    votes = raw["vote"].astype("string").map(VOTE_CODES)
    if votes.isna().any():
        bad = raw.loc[votes.isna(), "vote"].iloc[0]
        raise ValueError(f"unexpected vote value {bad!r} (expected yes, abstain or no)")
    frame = pd.DataFrame(
        {
            "rcid": raw["rcid"],
            "country": raw["country"].astype("string"),
            # pyreadr keeps R's NA_character_ as missing and Namibia's "NA" as a string: keep both so.
            "iso2": raw["country_code"].astype("string"),
            "vote": votes.astype("int8"),
        }
    )
    return as_int(frame, ["rcid"])


def _flag(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="raise").round().astype("Int64")


def _load_roll_calls(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = ROLL_CALLS_FILE.path
    raw = read_rda(paths[where])
    require_columns(
        raw, ["rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"], where
    )
    dates = pd.to_datetime(raw["date"])
    frame = as_int(raw, ["rcid", "session"])
    return frame.assign(
        date=dates,
        year=dates.dt.year.astype("Int64"),
        importantvote=_flag(raw["importantvote"]),
        amend=_flag(raw["amend"]),
        para=_flag(raw["para"]),
        unres=raw["unres"].astype("string"),
        short=raw["short"].astype("string"),
        descr=raw["descr"].astype("string"),
    )


def _load_issues(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = ISSUES_FILE.path
    raw = read_rda(paths[where])
    require_columns(raw, ["rcid", "short_name", "issue"], where)
    frame = pd.DataFrame(
        {"rcid": raw["rcid"], "issue": raw["short_name"].astype("string"), "issue_name": raw["issue"].astype("string")}
    )
    return as_int(frame, ["rcid"])


COVERAGE = "UN General Assembly sessions 1-74, roll calls from 1946-01-01 to 2020-01-14"

register(
    Source(
        name="un_votes",
        title="UN General Assembly roll-call votes (Voeten, via {unvotes})",
        producer="Erik Voeten (via the {unvotes} package)",
        files=(VOTES_FILE,),
        licence=UNVOTES_LICENCE,
        citation=UNVOTES_CITATION,
        coverage=COVERAGE + "; 870,109 recorded votes of 200 states",
        homepage=UNVOTES_HOMEPAGE,
        columns={
            "rcid": "roll-call id (joins un_roll_calls)",
            "country": "state name as given by {unvotes} (from COW codes via {countrycode}); the warehouse keys "
                       "it to iso3 through codes.names_to_iso3, as it does the DGACM names",
            "iso2": "ISO2 code as given by {unvotes} (not used as a key); 'NA' is Namibia; missing for West "
            "Germany, the Yemen Arab Republic and Zanzibar; legacy CS, YU, DD, YD kept",
            "vote": "recorded vote: 1 yes, 2 abstain, 3 no (absences are not recorded)",
        },
        loader=_load_votes,
        key=("rcid", "country"),
        notes="Absences and non-members were dropped upstream: abstain and absent cannot be confused, "
        "but absent and 'not yet a member' cannot be told apart.",
    )
)

register(
    Source(
        name="un_roll_calls",
        title="UN General Assembly roll calls (Voeten, via {unvotes})",
        producer="Erik Voeten (via the {unvotes} package)",
        files=(ROLL_CALLS_FILE,),
        licence=UNVOTES_LICENCE,
        citation=UNVOTES_CITATION,
        coverage=COVERAGE + "; 6,203 roll calls",
        homepage=UNVOTES_HOMEPAGE,
        columns={
            "rcid": "roll-call id",
            "session": "General Assembly session (1 = 1946; session 19, 1964, held no recorded votes)",
            "date": "date of the vote",
            "year": "calendar year of the vote",
            "importantvote": "1 if on the US State Department's list of important votes, 0 if not, NA before 1983",
            "unres": "resolution number as coded by Voeten",
            "amend": "1 if a vote on an amendment, 0 if not, NA where uncoded (mostly after 1985)",
            "para": "1 if a vote on a paragraph, 0 if not, NA where uncoded (mostly after 1985)",
            "short": "short description",
            "descr": "long description",
        },
        loader=_load_roll_calls,
        key=("rcid",),
        notes="amend and para are coded for the original series to 1985 and for the amendment and "
        "paragraph votes of 1997-2018 added later (high rcids); elsewhere they are NA.",
    )
)

register(
    Source(
        name="un_roll_call_issues",
        title="UN General Assembly roll-call issue codes (Voeten, via {unvotes})",
        producer="Erik Voeten (via the {unvotes} package)",
        files=(ISSUES_FILE,),
        licence=UNVOTES_LICENCE,
        citation=UNVOTES_CITATION,
        coverage=COVERAGE + "; 5,745 (roll call, issue) pairs",
        homepage=UNVOTES_HOMEPAGE,
        columns={
            "rcid": "roll-call id",
            "issue": "issue code: me (Palestinian conflict), nu (nuclear weapons), di (arms control and "
            "disarmament), co (colonialism), hr (human rights), ec (economic development)",
            "issue_name": "issue name",
        },
        loader=_load_issues,
        key=("rcid", "issue"),
        notes="A roll call can carry several issues (1,646 carry more than one); many carry none.",
    )
)
