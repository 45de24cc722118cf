"""Finding a state by what a reader types: an ISO3 code or (part of) its name.

:func:`find` answers the search box on every page (``/search?q=``, which redirects to the state's
page) and ``/api/search``: an exact ISO3 code, else an exact name, else the one name containing the
text (case, accents and punctuation ignored). Several names containing it are reported with their
codes, so the reader can choose; nothing matching is an :class:`~middlepower.web.data.UnknownCountry`.
"""

from __future__ import annotations

import re
import unicodedata

from middlepower.errors import DataError
from middlepower.web.data import UnknownCountry, WebData

MAX_QUERY = 80
"""Longest text searched for (the longest state name is under 60 characters)."""
MAX_LISTED = 8
"""How many candidates a "several states match" answer names."""


class SeveralMatches(DataError):
    """The text matches several states' names; ``matches`` holds (ISO3, name) of each."""

    def __init__(self, message: str, matches: list[tuple[str, str]]):
        super().__init__(message)
        self.matches = matches


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, with every run of non-letters and non-digits one space."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", " ", plain.casefold()).strip()


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def find(data: WebData, text: str | None) -> str:
    """Return the ISO3 code of the one state ``text`` names (its code, its name or part of its name).

    DataError for empty or over-long text; SeveralMatches naming the candidates; UnknownCountry
    when no state matches."""
    text = (text or "").strip()
    if not text:
        raise DataError("q: type a state's name or ISO3 code, e.g. Kazakhstan or KAZ")
    if len(text) > MAX_QUERY:
        raise DataError(f"q {_shown(text)}: at most {MAX_QUERY} characters")
    if text.upper() in data.countries:
        return text.upper()
    wanted = fold(text)
    names = {iso3: fold(str(row["name"])) for iso3, row in data.countries.items()}
    exact = [iso3 for iso3, name in names.items() if name == wanted]
    found = exact or ([iso3 for iso3, name in names.items() if wanted in name] if wanted else [])
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownCountry(f"no state matches {_shown(text)}: type a name such as Kazakhstan or an ISO3 code "
                             f"such as KAZ")
    matches = sorted((iso3, str(data.countries[iso3]["name"])) for iso3 in found)
    listed = "; ".join(f"{name} ({iso3})" for iso3, name in matches[:MAX_LISTED])
    more = f" and {len(matches) - MAX_LISTED} more" if len(matches) > MAX_LISTED else ""
    raise SeveralMatches(f"{len(matches)} states match {_shown(text)}: {listed}{more}; type more of the name "
                         f"or the ISO3 code", matches)
