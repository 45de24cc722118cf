"""Query-time lookups of states in the built store: which ISO3 codes exist, and which names denote them.

The crosswalk of :mod:`middlepower.codes` is made from the upstream code lists at build time; at query
time :func:`known_iso3` and :func:`check_iso3` read the built store's ``crosswalk`` table instead, and
:func:`state_names` its name lists, so a query never needs the upstream files. How a code or a name is
decided stays in :mod:`middlepower.codes`; this module only reads the store's copy of the inputs.
"""

from __future__ import annotations

from pathlib import Path

from middlepower import codes, config
from middlepower.errors import DataError
from middlepower.warehouse.store import Store, open_store


def known_iso3(db: Path | str | None = None) -> frozenset[str]:
    """Return every ISO3 code of the built store's crosswalk (current and historical states).

    A query-time check: it reads the store at ``db`` (default: the user's store). Only where no
    store has been built at all (the events layer can run without one) does it fall back to the
    crosswalk made from the registered code sources, as the build would make it.
    """
    if not config.store_path(db).is_file():
        return frozenset(codes.crosswalk()["iso3"].dropna())
    with open_store(db) as store:
        key = _build_key(store)
        if key not in _STORE_ISO3:
            frame = store.query("SELECT DISTINCT iso3 FROM crosswalk WHERE iso3 IS NOT NULL")
            _STORE_ISO3[key] = frozenset(frame["iso3"])
        return _STORE_ISO3[key]


_STORE_ISO3: dict[tuple[str, str], frozenset[str]] = {}


def _build_key(store: Store) -> tuple[str, str]:
    """The cache key of one build of one store file: its resolved path and build id."""
    return str(store.path.resolve()), str(store.build_info()["build_id"])


def check_iso3(code: str, db: Path | str | None = None) -> str:
    """Return ``code`` upper-cased if it is a known state's ISO3 (in the store at ``db``); DataError otherwise."""
    value = str(code).strip().upper()
    if value not in known_iso3(db):
        raise DataError(f"unknown country code {code!r}: expected an ISO3 code such as KAZ, CAN or AUS")
    return value


STATE_NAME_SQL = """
SELECT name_common AS name FROM countries UNION SELECT name_official FROM countries
UNION SELECT name_short FROM country_converter UNION SELECT name_official FROM country_converter
UNION SELECT name FROM crosswalk WHERE iso3 IS NOT NULL
"""
"""The store's lists of state names: mledoze common and official, country-converter short and
official names, and the crosswalk's names."""


def state_names(db: Path | str | None = None) -> dict[str, str]:
    """Return {lower-cased name: ISO3} of every state name the store's name lists hold, plus ``codes.TEXT_NAMES``.

    The names of ``STATE_NAME_SQL`` are resolved by :func:`middlepower.codes.resolve_state_names`
    (through :func:`~middlepower.codes.names_to_iso3`, the one mapping of names in the project).
    This is the dictionary the diplomacy layer's free-text matcher (:mod:`middlepower.diplomacy.mentions`)
    looks names up in. It reads the store only (the expressions too come from its ``country_converter``
    table). Cached per store build.
    """
    with open_store(db) as store:
        key = _build_key(store)
        if key not in _STATE_NAMES:
            names = store.query(STATE_NAME_SQL)["name"]
            patterns = codes.compile_name_patterns(store.query("SELECT regex, ISO3 FROM country_converter"))
            _STATE_NAMES.clear()
            _STATE_NAMES[key] = codes.resolve_state_names(names, patterns)
    return dict(_STATE_NAMES[key])


_STATE_NAMES: dict[tuple[str, str], dict[str, str]] = {}
