"""The UN General Assembly vote series 1946 to date as store views, and the ``_exclusions`` record.

Two sources hold roll calls: Voeten's via {unvotes} (``un_roll_calls``/``un_votes``, sessions
1-74, to 14 January 2020) and the DGACM extracts (``un_ga_resolutions``/``un_ga_votes``, from
October 2019). They overlap in session 74: a DGACM resolution whose symbol is an {unvotes}
``unres`` is the same roll call and is counted once, from {unvotes} (which carries the issue codes);
its DGACM symbol is kept in ``dgacm_symbol``. Every other DGACM recorded vote is appended with a
roll-call id of 100000 + its rank by date and symbol.

* ``unga_roll_calls``: rcid, session, date, year, symbol, source ('unvotes' or 'dgacm'),
  vote_kind ('resolution', 'amendment' or 'paragraph'), amend, para, importantvote, title,
  dgacm_symbol.
* ``unga_votes``: rcid, iso3, vote: 1 yes, 2 abstain, 3 no, and 0 for a member in none of a DGACM
  roll call's lists (absent or not voting; {unvotes} dropped absences upstream, so its roll calls
  have no 0 rows). Votes whose member name found no ISO3 are left out here and counted in
  ``_exclusions`` (and in ``_unmapped``).
* ``unga_years``: year, roll_calls, sources, first_date, last_date, complete. A calendar year is
  complete when the series has roll calls dated after it (2020, 2021, ... while session 80 is
  being uploaded, the last year, 2026, is not).
* ``_exclusions``: source, item, reason, rows: everything the readers dropped, merged or refused,
  with how many rows it concerned, and every file a source declares it does not read
  (``Source.left_out``, e.g. IPI's empty ``Antigua``).
"""

from __future__ import annotations

import duckdb

from middlepower.errors import MiddlepowerError

DGACM_RCID_OFFSET = 100_000
"""DGACM roll calls get rcid = offset + rank, clear of {unvotes}' ids (below 10,000)."""

UNGA_ROLL_CALLS = f"""
CREATE VIEW unga_roll_calls AS
WITH dgacm AS (
    SELECT r.*, {DGACM_RCID_OFFSET} + row_number() OVER (ORDER BY r.date, r.symbol) AS rcid
    FROM un_ga_resolutions r
    WHERE r.recorded_vote
      AND r.symbol NOT IN (SELECT unres FROM un_roll_calls WHERE unres IS NOT NULL)
)
SELECT c.rcid, c.session, CAST(c.date AS DATE) AS date, c.year, c.unres AS symbol, 'unvotes' AS source,
       CASE WHEN c.amend = 1 THEN 'amendment' WHEN c.para = 1 THEN 'paragraph' ELSE 'resolution' END AS vote_kind,
       c.amend, c.para, c.importantvote, c.short AS title, g.symbol AS dgacm_symbol
FROM un_roll_calls c
LEFT JOIN (SELECT symbol FROM un_ga_resolutions WHERE recorded_vote) g ON g.symbol = c.unres
UNION ALL
SELECT d.rcid, d.session, CAST(d.date AS DATE), year(d.date), d.symbol, 'dgacm', d.vote_kind,
       NULL, NULL, NULL, d.title, d.symbol
FROM dgacm d
"""

UNGA_VOTES = """
CREATE VIEW unga_votes AS
WITH dgacm_calls AS (SELECT rcid, symbol FROM unga_roll_calls WHERE source = 'dgacm'),
     listed AS (SELECT c.rcid, v.iso3, v.vote FROM un_ga_votes v JOIN dgacm_calls c ON c.symbol = v.symbol
                WHERE v.iso3 IS NOT NULL),
     members AS (SELECT DISTINCT iso3 FROM un_ga_votes WHERE iso3 IS NOT NULL),
     absent AS (SELECT c.rcid, m.iso3, 0 AS vote FROM dgacm_calls c CROSS JOIN members m
                WHERE NOT EXISTS (SELECT 1 FROM listed l WHERE l.rcid = c.rcid AND l.iso3 = m.iso3))
SELECT rcid, iso3, CAST(vote AS TINYINT) AS vote FROM un_votes WHERE iso3 IS NOT NULL
UNION ALL SELECT rcid, iso3, CAST(vote AS TINYINT) FROM listed
UNION ALL SELECT rcid, iso3, CAST(vote AS TINYINT) FROM absent
"""

UNGA_YEARS = """
CREATE VIEW unga_years AS
SELECT year, count(*) AS roll_calls, string_agg(DISTINCT source, '+' ORDER BY source) AS sources,
       min(date) AS first_date, max(date) AS last_date,
       year < (SELECT max(year) FROM unga_roll_calls) AS complete
FROM unga_roll_calls GROUP BY year
"""

EXCLUSIONS = """
CREATE VIEW _exclusions AS
SELECT 'un_ga_resolutions' AS source, symbol AS item, exclusion AS reason, 1::BIGINT AS rows
    FROM un_ga_resolutions WHERE exclusion IS NOT NULL
UNION ALL SELECT 'un_sc_resolutions', symbol, exclusion, 1 FROM un_sc_resolutions WHERE exclusion IS NOT NULL
UNION ALL SELECT 'un_ga_resolutions', symbol, 'duplicate entries dropped', duplicates_dropped
    FROM un_ga_resolutions WHERE duplicates_dropped > 0
UNION ALL SELECT 'un_sc_resolutions', symbol, 'duplicate entries dropped', duplicates_dropped
    FROM un_sc_resolutions WHERE duplicates_dropped > 0
UNION ALL SELECT 'un_ga_votes', symbol, 'votes of a duplicate entry dropped (each member kept once)',
    duplicate_votes_dropped FROM un_ga_resolutions WHERE duplicate_votes_dropped > 0
UNION ALL SELECT 'un_sc_votes', symbol, 'votes of a duplicate entry dropped (each member kept once)',
    duplicate_votes_dropped FROM un_sc_resolutions WHERE duplicate_votes_dropped > 0
UNION ALL SELECT 'un_ga_resolutions', symbol, 'names listed twice, kept once', repeats_dropped
    FROM un_ga_resolutions WHERE repeats_dropped > 0
UNION ALL SELECT 'un_sc_resolutions', symbol, 'names listed twice, kept once', repeats_dropped
    FROM un_sc_resolutions WHERE repeats_dropped > 0
UNION ALL SELECT 'un_sc_resolutions', symbol, 'split name joined', names_joined
    FROM un_sc_resolutions WHERE names_joined > 0
UNION ALL SELECT 'un_sc_resolutions', symbol, 'date corrected: ' || date_flag, 1
    FROM un_sc_resolutions WHERE date_flag IS NOT NULL
UNION ALL SELECT 'un_ga_resolutions', symbol, 'stated totals differ from the lists (lists used)', 1
    FROM un_ga_resolutions WHERE recorded_vote AND NOT totals_match
UNION ALL SELECT 'un_sc_resolutions', symbol, 'stated totals differ from the lists (lists used)', 1
    FROM un_sc_resolutions WHERE recorded_vote AND NOT totals_match
UNION ALL SELECT 'un_ga_votes', country, 'member name with no ISO3: votes left out', count(*)
    FROM un_ga_votes WHERE iso3 IS NULL GROUP BY country
UNION ALL SELECT 'un_sc_votes', country, 'member name with no ISO3: votes left out', count(*)
    FROM un_sc_votes WHERE iso3 IS NULL GROUP BY country
UNION ALL SELECT 'un_votes', country, 'state with no ISO3: votes left out', count(*)
    FROM un_votes WHERE iso3 IS NULL GROUP BY country
"""


VIEWS = ("unga_roll_calls", "unga_votes", "unga_years", "_exclusions")
"""Every view :func:`create` makes; opening a store checks that each exists."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _left_out(registry) -> str:
    """SQL rows of ``_exclusions`` for the files the sources of ``registry`` declare they leave unread."""
    rows = [(source.name, file.path, f"file not read: {file.reason}", file.rows)
            for source in registry for file in source.left_out]
    if not rows:
        return ""
    values = ", ".join(f"({_literal(a)}, {_literal(b)}, {_literal(c)}, {int(d)}::BIGINT)" for a, b, c, d in rows)
    return f"\nUNION ALL SELECT * FROM (VALUES {values})"


def create(con: duckdb.DuckDBPyConnection, registry=()) -> None:
    """Create the UN vote views and ``_exclusions`` in the store behind ``con``; ``_exclusions`` also
    lists the files the sources of ``registry`` declare they do not read (``Source.left_out``)."""
    for statement in (UNGA_ROLL_CALLS, UNGA_VOTES, UNGA_YEARS, EXCLUSIONS.rstrip() + _left_out(registry)):
        con.execute(statement)


def validate(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a store in which one state has two votes on one roll call (two names, one ISO3)."""
    for view, key in (("unga_votes", "rcid, iso3"), ("un_sc_votes", "symbol, iso3")):
        row = con.execute(
            f"SELECT {key} FROM {view} WHERE iso3 IS NOT NULL GROUP BY {key} HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        if row is not None:
            raise MiddlepowerError(f"store validation failed: {view} has two votes of {row[-1]} on {row[0]} "
                                   f"(two member names map to one ISO3)")
