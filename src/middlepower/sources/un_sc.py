"""UN DGACM machine-readable Security Council resolutions (UNxml): member votes on adopted resolutions, 2000-2026.

Parsed and cleaned as the Assembly extracts are (:mod:`middlepower.sources.un_ga`). Only adopted
resolutions are in the extracts, so a veto leaves no trace. One Council-specific repair: a date
whose year contradicts the symbol (S/RES/2423 (2018), dated 29 June 2016) is replaced by the draft
resolution's date and flagged in ``date_flag``; "19 November 2004 in Nairobi" loses its place.
"""

from __future__ import annotations

import re
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

HOMEPAGE_SC = "https://github.com/UNxml/SCresolutions"
SC_REPO, SC_COMMIT = "UNxml/SCresolutions", "6c4072a866bfd189176ae91d119cc4c66e3ff331"

SC_SHA256 = {
    2000: "d69e674f7eb945db3b3e0bf5481fd6561d4d259310c0ef3e6818ab1e1391ffef",
    2001: "7a136b4b9cdf134a0a53d8fccf564395913a3a32f18ae72117dadd5cda79d73f",
    2002: "bc56656bf4fee59928eaaee55bd6f1a722de08371af5f5451572c05cbba1f162",
    2003: "52c8c1b23862b2b7f03710126c26ef2ae7d7f7323dedfa6b232d6b48434b09c3",
    2004: "005466b757706539702e62206b90cabc0413467b805c37707c12cdd1bcb08dd6",
    2005: "4e4cfdbc713c238374acd6e55af8997b95d403b0a2758d963edef2a3b7e8f3d1",
    2006: "95510bc640f9d2e69b0a1639ced1296ada06aee7eaba9af7a5d52e42f7fed584",
    2007: "8f1ab56356d61142f76355b61af2d95a6866e300ff23ef6d1ed8421fe1067e7e",
    2008: "2acccbb04add8e1459d4ed410dd439f5a8744e2b4594e6917805c450b934a234",
    2009: "d0ebefac9adedb55ea3cd91b1686453629b3e8fdbcff83fd1418f3f654884363",
    2010: "e7e9875b7ddcbe3d0f91a91e418184a86b287b50e10fe7f75f3c1ebff8d55c85",
    2011: "2cb5e7a697cd303fdcfdcdc01e11d6ac504ec1c5fa5252dcbf26e8ae3c656d43",
    2012: "d9c1580f15993b35601c7d1616d729fd7423bf87d9e5dd95d7457bc3210e985f",
    2013: "b88741e3cc0fa0a8d723649b2235b008bf219a22f80e8273f6bb186e441ad1e4",
    2014: "62619ea5cd43a9b816dd4331e783e9c41690a935d77aecfd8f22390b669df85a",
    2015: "6f95a6d4372d2583d9f88fc8a7108ee66f69ad1f98fcdf2ad329be4b1ad02dd5",
    2016: "a4f3208a334647fdf3ace3775c4633e41984f99fd9eeb581bdd4452ae5d650c3",
    2017: "652ef3db451ae914c85d4d8e1119ffaccf796fb95d39931159f030bb8eef0900",
    2018: "3f64ad32e099770e410fdf6b59333ffad2b52ac550e63ffd5bae4c0ea67568fd",
    2019: "134d783ccfe24723bc2f2f615e0fed014182afefa004170fe22969047edacf08",
    2020: "5d04b3b9246fd374032505ed367d5888ac34fe485341312c2928a8f9b25d67c7",
    2021: "dc58207ea2fd9f969a8edc67b1ce6eaaf7cbddb75294d17a5688dacda0887731",
    2022: "d39090e16b6130e68e86f3ac7c020b6782fec0b76b58495fc1284387c672f2b6",
    2023: "5ebca0c872f5e63f912933cf3beb1808bb1144820bbc3ef79713b23535a993d3",
    2024: "c4328f2d915bb95bc3e806171e367662482d5ae42fefd43acfa5c44837565a72",
    2025: "49500ac720e980f776f064a63d337548324893c6edce0b58fee10011ec4ecb5c",
    2026: "466ecfb1f857f75e4d9644a72efb9eb9e9ce4c6ee5c5d9e8d6c7bf91e27d09fc",
}

SC_FILES = tuple(
    SourceFile(path=f"unxml_sc_resolutions/data_extract/{year}.json",
               url=github_raw_content(SC_REPO, SC_COMMIT, f"data_extract/{year}.json"), sha256=sha)
    for year, sha in SC_SHA256.items()
)

SC_REQUIRED = ("symbol", "adoption_date", "adoption_type", "MS_in_favour_count",
               "MS_against_count", "MS_abstaining_count", *VOTE_LISTS)


SYMBOL_YEAR = re.compile(r"\((\d{4})\)")


def _sc_date(record: dict, symbol: str, where: str) -> tuple[pd.Timestamp, str | None]:
    """Return the adoption date and a flag saying why it is not the extract's ``adoption_date``.

    A date whose year contradicts the symbol's is replaced by the draft resolution's date when that
    falls in the symbol's year (S/RES/2423 (2018): "29 June 2016" in the extract, draft of 2018-06-28).
    """
    try:
        date = parse_date(record["adoption_date"])
    except ValueError as exc:
        raise SourceError(f"{where}: {exc}") from None
    flag = "place stripped from the date" if " in " in clean_name(record["adoption_date"]) else None
    year = SYMBOL_YEAR.search(symbol)
    if year and int(year.group(1)) != date.year:
        try:
            draft = parse_date(str(record.get("draft_resolution_date", "")))
        except ValueError:
            draft = None
        if draft is None or draft.year != int(year.group(1)):
            raise SourceError(f"{where}: date {record['adoption_date']!r} contradicts the symbol's year")
        date = draft
        flag = f"extract's date {record['adoption_date']!r} contradicts the symbol; the draft's date is used"
    return date, flag


@parsed_once
def _sc_frames(paths: Mapping[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = file_records(paths, SC_FILES, SC_REQUIRED)
    rows, votes = resolution_rows(records, "unxml_sc_resolutions/data_extract")
    out = []
    for row in rows:
        record = row.pop("_record")
        where = f"{record['_file']}.json line {record['_line']} ({row['symbol']})"
        date, flag = _sc_date(record, row["symbol"], where)
        listed = row["yes_listed"] + row["no_listed"] + row["abstain_listed"]
        stated = sum(t or 0 for t in (row["yes_total"], row["no_total"], row["abstain_total"]))
        adoption = clean_name(record["adoption_type"]).split(",")[0].split(";")[0].strip()
        without = bool(re.search(r"without vote|by acclamation", adoption, re.IGNORECASE))
        exclusion = None
        if listed == 0 and stated:
            exclusion = "totals without member lists"
        elif listed == 0 and not without:
            exclusion = "no member lists"
        number = re.search(r"S/RES/(\d+)", row["symbol"])
        out.append({
            **row, "number": int(number.group(1)) if number else None, "date": date, "date_flag": flag,
            "adoption": adoption, "recorded_vote": listed > 0, "exclusion": exclusion,
            "agenda_item_name": clean_name(record.get("agenda_item_name", "")),
            "title": clean_name(record.get("resolution_title", "") or record.get("title", "")),
        })
    frame = pd.DataFrame(out)
    vote_frame = pd.DataFrame(votes, columns=["symbol", "country", "vote"])
    return frame, vote_frame.astype({"symbol": "string", "country": "string", "vote": "int8"})


def _load_sc_resolutions(paths: Mapping[str, Path]) -> pd.DataFrame:
    frame, _ = _sc_frames(paths)
    return frame.sort_values(["date", "symbol"]).astype(
        {name: "Int64" for name in ("number", "yes_total", "no_total", "abstain_total")})


def _load_sc_votes(paths: Mapping[str, Path]) -> pd.DataFrame:
    return _sc_frames(paths)[1]


SC_CITATION = ("United Nations, DGACM, Machine-readable Security Council resolutions (data_extract), "
               "github.com/UNxml/SCresolutions, commit 6c4072a.")

register(
    Source(
        name="un_sc_resolutions",
        title="UN Security Council resolutions adopted 2000-2026 (DGACM data extract)",
        producer="United Nations, Department for General Assembly and Conference Management (DGACM)",
        files=SC_FILES,
        licence=LICENCE,
        citation=SC_CITATION,
        coverage=("adopted resolutions S/RES/1284 (2000) to June 2026; 1,538 resolutions (vetoed drafts are not "
                  "included)"),
        homepage=HOMEPAGE_SC,
        columns={
            "symbol": "resolution symbol, e.g. S/RES/2418 (2018)",
            "number": "resolution number",
            "date": "adoption date",
            "date_flag": "why the date differs from the extract's adoption_date (NA when it does not)",
            "adoption": "adoption as described (Adopted unanimously, Adopted 13-0-2, Adopted without vote, ...)",
            "recorded_vote": "True when member lists exist (un_sc_votes holds them)",
            "exclusion": "why a resolution adopted by vote contributes no member votes (NA otherwise)",
            **RESOLUTION_COLUMNS,
            "agenda_item_name": "agenda item",
            "title": "resolution title as catalogued",
        },
        loader=_load_sc_resolutions,
        key=("symbol",),
        notes=("Only adopted resolutions: a veto leaves no row, so 'no' votes are negative votes that did not "
               "block adoption. A unanimous resolution lists all 15 members in favour. Where totals and lists "
               "differ the lists are used."),
    )
)

register(
    Source(
        name="un_sc_votes",
        title="UN Security Council member votes on adopted resolutions, 2000-2026 (DGACM data extract)",
        producer="United Nations, Department for General Assembly and Conference Management (DGACM)",
        files=SC_FILES,
        licence=LICENCE,
        citation=SC_CITATION,
        coverage="22,886 member votes (yes 22,473, abstain 400, no 13) on 1,526 resolutions, 2000 to June 2026",
        homepage=HOMEPAGE_SC,
        columns={
            "symbol": "resolution symbol (joins un_sc_resolutions)",
            "country": "member name as listed (old names such as LIBYAN ARAB JAMAHIRIYA kept)",
            "vote": "1 yes, 2 abstain, 3 no",
        },
        loader=_load_sc_votes,
        key=("symbol", "country"),
    )
)
