"""UN Security Council votes per state-year, 2000 to date, and Council membership derived from them.

Read from the store's ``un_sc_resolutions`` and ``un_sc_votes`` (the DGACM extracts, adopted
resolutions only). A state is on the Council in a year when it is listed in a vote on any
resolution adopted that year; the elected members change on 1 January, so a calendar year's list
is one Council. A member in none of a resolution's lists did not participate (``not_voting``).
Resolutions adopted without a vote or whose lists are missing (S/RES/2723) count for nobody and
are listed in ``_exclusions``. The last year of the data (2026) is partial: ``complete`` says so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.warehouse import check_iso3, open_store

FIRST_YEAR = 2000
"""First year of the Security Council extracts."""

STATE_YEAR_SQL = """
WITH votes AS (
    SELECT v.symbol, year(r.date) AS year, v.iso3, v.vote
    FROM un_sc_votes v JOIN un_sc_resolutions r USING (symbol)
    WHERE v.iso3 IS NOT NULL AND r.recorded_vote
),
held AS (SELECT year(date) AS year, count(*) AS resolutions FROM un_sc_resolutions
         WHERE recorded_vote GROUP BY 1),
members AS (
    SELECT iso3, year, count(*) AS votes_cast, count(*) FILTER (WHERE vote = 1) AS yes,
           count(*) FILTER (WHERE vote = 2) AS abstain, count(*) FILTER (WHERE vote = 3) AS no
    FROM votes GROUP BY iso3, year
)
SELECT m.iso3, m.year, h.resolutions, m.votes_cast, m.yes, m.abstain, m.no,
       h.resolutions - m.votes_cast AS not_voting,
       m.year < (SELECT max(year) FROM held) AS complete
FROM members m JOIN held h USING (year)
ORDER BY m.year, m.iso3
"""


def state_years(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per Council member and year.

    Columns: ``iso3``, ``year``, ``resolutions`` (adopted with member lists that year),
    ``votes_cast``, ``yes``, ``abstain``, ``no`` (counts; "no" is a negative vote that did not block
    adoption), ``not_voting`` (resolutions of the year the member is in no list of), ``complete``
    (False for the last, partial year).
    """
    with open_store(db) as store:
        return store.query(STATE_YEAR_SQL)


def votes(db: Path | str | None = None, *, iso3: str | None = None) -> pd.DataFrame:
    """Return every member vote: symbol, date, year, iso3, vote (1 yes, 2 abstain, 3 no), agenda item, title.

    ``iso3`` (any case) keeps one state's rows; DataError for a code that is no state.
    """
    iso3 = None if iso3 is None else check_iso3(iso3, db)
    with open_store(db) as store:
        return store.query(
            """
            SELECT r.symbol, CAST(r.date AS DATE) AS date, year(r.date) AS year, v.iso3, v.vote,
                   r.agenda_item_name AS agenda, r.title
            FROM un_sc_votes v JOIN un_sc_resolutions r USING (symbol)
            WHERE v.iso3 IS NOT NULL AND r.recorded_vote AND (? IS NULL OR v.iso3 = ?)
            ORDER BY r.date, r.number
            """,
            [iso3, iso3],
        )


def membership_check(members: pd.DataFrame, terms: pd.DataFrame, *, last_year: int) -> pd.DataFrame:
    """Return the state-years on which the Council derived from the votes and a typed list disagree.

    ``members`` is :func:`state_years` (or any frame with iso3, year); ``terms`` a list of terms
    with iso3, first_year, last_year (such as ``panel.reach.unsc_terms()``). Years
    ``FIRST_YEAR``..``last_year`` are compared. Columns: ``iso3``, ``year``, ``in_votes``, ``in_list``.
    """
    years = range(FIRST_YEAR, last_year + 1)
    listed = {(row.iso3, year) for row in terms.itertuples() for year in years
              if row.first_year <= year <= row.last_year}
    voted = {(iso3, int(year)) for iso3, year in zip(members["iso3"], members["year"], strict=True)
             if FIRST_YEAR <= year <= last_year}
    rows = [{"iso3": iso3, "year": year, "in_votes": (iso3, year) in voted, "in_list": (iso3, year) in listed}
            for iso3, year in sorted(listed ^ voted)]
    return pd.DataFrame(rows, columns=["iso3", "year", "in_votes", "in_list"])
