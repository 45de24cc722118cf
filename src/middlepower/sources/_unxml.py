"""Shared reader of the UN DGACM JSON-lines extracts (Assembly and Council): parsing and cleaning.

See :mod:`middlepower.sources.un_ga` for what is cleaned and how it is counted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import pandas as pd

from middlepower.errors import SourceError
from middlepower.sources.registry import SourceFile

VOTE_LISTS = {"MS_in_favour": 1, "MS_abstaining": 2, "MS_against": 3}
"""Each member list of an extract and the vote code its names get (1 yes, 2 abstain, 3 no, as in un_votes)."""

LICENCE = ("No open licence: the producer's README calls the files unofficial copies, provided without "
           "warranty; users must acknowledge the United Nations as the source")

def read_lines(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Return the JSON objects of a JSON-lines extract, each with ``_line`` (1-based) added.

    A line that does not parse (a truncated or altered file) or lacks a ``required`` field is a
    SourceError naming the file and the line.
    """
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(f"{path.name} line {number}: not valid JSON ({exc.msg} at column {exc.colno}); "
                                  f"the extract is truncated or altered") from None
            if not isinstance(record, dict):
                raise SourceError(f"{path.name} line {number}: expected one JSON object per line")
            missing = [key for key in required if key not in record]
            if missing:
                raise SourceError(f"{path.name} line {number}: no field {missing[0]!r} "
                                  f"(resolution {record.get('symbol', '?')})")
            for key in VOTE_LISTS:
                if not isinstance(record[key], list):
                    raise SourceError(f"{path.name} line {number}: field {key!r} is not a list of member names")
            record["_line"] = number
            records.append(record)
    return records


def clean_name(name: str) -> str:
    return " ".join(str(name).replace("\xa0", " ").split())


def member_lists(record: dict) -> tuple[dict[str, list[str]], int, int]:
    """Return the cleaned member lists of one record, with the repeats dropped and names joined.

    A name ending in "." followed by another item is a name the extract split in two; the two
    items are joined. A name listed twice in one list is kept once.
    """
    lists: dict[str, list[str]] = {}
    repeats = joined = 0
    for key in VOTE_LISTS:
        items = [clean_name(name) for name in record[key] if clean_name(name)]
        merged: list[str] = []
        skip = False
        for position, item in enumerate(items):
            if skip:
                skip = False
                continue
            if item.endswith(".") and position + 1 < len(items):
                merged.append(f"{item[:-1]} {items[position + 1]}")
                joined += 1
                skip = True
            else:
                merged.append(item)
        seen: list[str] = []
        for item in merged:
            if item in seen:
                repeats += 1
            else:
                seen.append(item)
        lists[key] = seen
    return lists, repeats, joined


def _total(value) -> int | None:
    text = str(value).strip()
    if text in ("", "N.A."):
        return None
    if not text.isdigit():
        raise ValueError(f"vote total {value!r} is not a number")
    return int(text)


def parse_date(text: str) -> pd.Timestamp:
    """Return the date of an extract's ``adoption_date`` ("2019-10-10 00:00:00", "7 December 2020",
    "19 November 2004 in Nairobi"); ValueError if it is none of these."""
    clean = clean_name(text).split(" in ")[0]
    for layout in ("%Y-%m-%d %H:%M:%S", "%d %B %Y", "%Y-%m-%d"):
        try:
            return pd.Timestamp(datetime.strptime(clean, layout))
        except ValueError:
            continue
    raise ValueError(f"adoption date {text!r} is not a date")


def parsed_once(parse: Callable[[Mapping[str, Path]], tuple[pd.DataFrame, pd.DataFrame]]):
    """Wrap a parser of (resolutions, votes) so the two loaders of one organ share a single parse.

    The cache is keyed by each file's path, size and modification time; callers get copies.
    """
    cache: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}

    def wrapper(paths: Mapping[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
        key = tuple(sorted((name, str(path), path.stat().st_size, path.stat().st_mtime_ns)
                           for name, path in paths.items()))
        if key not in cache:
            cache.clear()
            cache[key] = parse(paths)
        resolutions, votes = cache[key]
        return resolutions.copy(), votes.copy()

    return wrapper


def _listed(record: dict) -> int:
    return sum(len(record[key]) for key in VOTE_LISTS)


def keep_one_per_symbol(records: list[dict]) -> tuple[list[dict], dict[str, tuple[int, int]]]:
    """Return one record per symbol and, per symbol with copies, (entries dropped, member votes they held).

    The entry kept has the most listed names, and is the last of equals: a copy with empty lists
    is an incomplete upload (S/RES/2820 (2026) is listed twice, the second time without lists),
    and equal copies are identical in the extracts (S/RES/2821 and 2822 (2026); the Assembly's 39
    copies differ only in spelling TÜRKİYE). Every (resolution, member) vote therefore appears
    once; the votes of the dropped entries are counted, not silently lost.
    """
    chosen: dict[str, dict] = {}
    dropped: dict[str, tuple[int, int]] = {}
    for record in records:
        symbol = clean_name(record["symbol"])
        if symbol in chosen:
            entries, votes = dropped.get(symbol, (0, 0))
            loser = record if _listed(record) < _listed(chosen[symbol]) else chosen[symbol]
            dropped[symbol] = (entries + 1, votes + _listed(loser))
            if loser is record:
                continue
        chosen[symbol] = record
    return list(chosen.values()), dropped


def resolution_rows(records: list[dict], where: str) -> tuple[list[dict], list[dict]]:
    """Return (resolution rows, vote rows) for the deduplicated records of one organ."""
    unique, dropped = keep_one_per_symbol(records)
    rows, votes = [], []
    for record in unique:
        symbol = clean_name(record["symbol"])
        lists, repeats, joined = member_lists(record)
        try:
            totals = [_total(record[f"MS_{kind}_count"]) for kind in ("in_favour", "against", "abstaining")]
        except ValueError as exc:
            raise SourceError(f"{where}/{record['_file']} line {record['_line']} ({symbol}): {exc}") from None
        listed = [len(lists["MS_in_favour"]), len(lists["MS_against"]), len(lists["MS_abstaining"])]
        entries, dropped_votes = dropped.get(symbol, (0, 0))
        rows.append({
            "symbol": symbol, "_record": record, "duplicates_dropped": entries,
            "duplicate_votes_dropped": dropped_votes,
            "repeats_dropped": repeats, "names_joined": joined,
            "yes_total": totals[0], "no_total": totals[1], "abstain_total": totals[2],
            "yes_listed": listed[0], "no_listed": listed[1], "abstain_listed": listed[2],
            "totals_match": [t or 0 for t in totals] == listed,
        })
        for key, code in VOTE_LISTS.items():
            votes.extend({"symbol": symbol, "country": name, "vote": code} for name in lists[key])
    return rows, votes


def file_records(paths: Mapping[str, Path], files: tuple[SourceFile, ...], required) -> list[dict]:
    records = []
    for file in files:
        stem = Path(file.path).stem
        for record in read_lines(paths[file.path], required):
            record["_file"] = stem
            records.append(record)
    return records


RESOLUTION_COLUMNS = {
    "duplicates_dropped": "other entries with the same symbol that were dropped (the one kept has the most "
                          "listed names, the last of equals)",
    "duplicate_votes_dropped": "member votes listed in the dropped entries (count; each member's vote is kept once, "
                               "from the entry kept)",
    "repeats_dropped": "names listed twice in one list, kept once (count)",
    "names_joined": "names the extract split in two and that were joined (count)",
    "yes_total": "stated number of votes in favour (NA where the extract says N.A.)",
    "no_total": "stated number of votes against (NA where N.A.)",
    "abstain_total": "stated number of abstentions (NA where N.A.)",
    "yes_listed": "members listed as voting in favour (count)",
    "no_listed": "members listed as voting against (count)",
    "abstain_listed": "members listed as abstaining (count)",
    "totals_match": "the stated totals equal the listed counts (N.A. counted as 0); the lists are used either way",
}
