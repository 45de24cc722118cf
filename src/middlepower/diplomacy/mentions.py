"""Finding states and places named in free text (agreement titles, signatory and third-party fields).

:func:`find_states` returns every state named in a text, with where it is named. The names and
their ISO3 codes come from :func:`middlepower.warehouse.state_names`, the project's one mapping of
names (the store's name lists resolved by ``codes.names_to_iso3``, plus ``codes.TEXT_NAMES``, the
spellings that official lists lack but agreement texts use); this module only finds them in text.
Rules, decided before any hand check (docs/diplomacy.md gives their measured error rate):

* whole words only, longest name first at each position ("Papua New Guinea" is not Guinea,
  "Democratic Republic of the Congo" is not the Republic of the Congo, "South Sudan" is not Sudan);
* multi-word names match in any case; a one-word name must start with a capital letter, so that
  "turkey" or "chad" in running text are not states; acronyms (USA, UK, DRC) must be upper case;
  "U.S." is an acronym, plain "US" is never a name (it is also a pronoun in upper-case texts);
* bare "Congo" and "Korea" name no state (each could be either of two);
* "Peoples", "People s" and "People 's" are read as "People's" (model revision 2.21: typed texts
  drop the apostrophe, and "Peoples Republic of China" must not leave "Republic of China", Taiwan);
* no state is found inside one of the ``PERSONAL_NAMES`` (a first name such as "Nigeria").

:func:`find_places` does the same for the cities of ``natural_earth_places`` (plus ``EXTRA_PLACES``),
each mapped to the country it lies in. A name that Natural Earth gives for cities in two countries
is kept only if one of them is a national capital, and then means that capital.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from middlepower import codes
from middlepower.warehouse import open_store, state_names

EXTRA_PLACES: dict[str, str] = {
    # Venues of well-known negotiations that the 1:50m gazetteer lacks, typed with their country.
    "Nur-Sultan": "KAZ", "Washington": "USA", "Camp David": "USA", "Dayton": "USA", "Wye River": "USA",
    "Naivasha": "KEN", "Machakos": "KEN", "Sirte": "LBY", "Taif": "SAU", "Zheleznovodsk": "RUS",
    "Sharm el-Sheikh": "EGY", "Sharm El Sheikh": "EGY", "Sun City": "ZAF", "Rambouillet": "FRA",
    "Linas-Marcoussis": "FRA", "Marcoussis": "FRA", "Evian": "FRA", "Erdut": "HRV", "Ohrid": "MKD",
    "Lomé": "TGO", "Lome": "TGO", "Bonn": "DEU", "The Hague": "NLD", "Dushanbe": "TJK",
    "Almaty": "KAZ", "Alma-Ata": "KAZ", "Bishkek": "KGZ", "Tashkent": "UZB", "Ashgabat": "TKM",
    "Ashkhabad": "TKM", "Kampala": "UGA", "Entebbe": "UGA", "Gbadolite": "COD", "Sun City, South Africa": "ZAF",
}
"""Negotiation venues absent from Natural Earth 1:50m (or spelt differently there), typed with their country."""


PERSONAL_NAMES: dict[str, str] = {
    # People whose names hold a state's name, found by reading every one-word state name written next
    # to a capitalised word in PA-X's signatory and third-party fields (model revision 2.21).
    "Nigeria Rentería": "Colombian government negotiator, PA-X agreements of 2023-24 (26 mentions)",
    "Oman Hassan Ali": "signatory of PA-X agreement 1679 (Sudan, 1992)",
    "Isa Burma Joda": "signatory of PA-X agreement 2529 (Sudan, 1999)",
    "Kombo Tonga Booke": "civil-society signatory of PA-X agreement 623 (DR Congo, 2002)",
    "Ojullo Oman Akway": "signatory of PA-X agreement 2532 (Sudan, 2003)",
}
"""Personal names inside which no state is named, with where they occur (typed from PA-X v10)."""
PERSONAL_NAME = re.compile("|".join(re.escape(name) for name in PERSONAL_NAMES))


@dataclass(frozen=True)
class Mention:
    """A state named in a text: its ISO3, the words that named it and where (character offsets)."""

    iso3: str
    name: str
    start: int
    end: int


TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*\.?")
MAX_WORDS = 9


def _word_key(word: str) -> str:
    key = word.lower().replace("’", "'").rstrip(".")
    return "people's" if key == "peoples" else key


SPLIT_POSSESSIVE = re.compile(r"\s?['’]?")
"""What may stand between "People" and a detached "s" ("People s", "People 's") for them to be one word."""


def _words(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, key) of each word of ``text``, "People s" joined into one "people's"."""
    out: list[tuple[int, int, str]] = []
    for match in TOKEN.finditer(text):
        key = _word_key(match.group(0))
        if (key == "s" and out and out[-1][2] == "people"
                and SPLIT_POSSESSIVE.fullmatch(text[out[-1][1]:match.start()])):
            out[-1] = (out[-1][0], match.end(), "people's")
        else:
            out.append((match.start(), match.end(), key))
    return out


class _Names:
    """Names looked up by their word sequence: at each word, the longest name starting there wins."""

    def __init__(self, names: dict[str, str]):
        keys = {name: tuple(key for _, _, key in _words(name)) for name in names}
        self.codes = {keys[name]: code for name, code in names.items() if keys[name]}
        self.longest = min(MAX_WORDS, max((len(key) for key in self.codes), default=1))

    def finditer(self, text: str):
        """Yield (code, start, end) of every name in ``text``, left to right, without overlaps."""
        words = _words(text)
        keys = tuple(key for _, _, key in words)
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                code = self.codes.get(keys[i:i + n])
                if code is not None:
                    start, end = words[i][0], words[i + n - 1][1]
                    if text[end - 1] == "." and not text[start:end].count(".") > 1:
                        end -= 1  # a sentence's full stop is not part of the name
                    yield code, start, end
                    i += n
                    break
            else:
                i += 1


ACRONYMS = {"usa", "u.s.a.", "u.s.", "uk", "u.k.", "ussr", "drc"}
"""Names that count only in upper case ("US" or "us" in running text is not the United States)."""


def _accepts(found: str) -> bool:
    key = found.lower()
    if key in codes.AMBIGUOUS_NAMES:
        return False
    if key in ACRONYMS:
        return found.isupper()
    if " " in found or "-" in found:
        return True
    return found[0].isupper()


@dataclass(frozen=True)
class Gazetteer:
    """State names and place names with their ISO3 codes, read once from a store."""

    state_names: dict[str, str]
    place_names: dict[str, str]
    states: _Names
    places: _Names

    def find_states(self, text: str | None) -> list[Mention]:
        """Return every state named in ``text``, in order (see the module docstring for the rules)."""
        if not isinstance(text, str) or not text:
            return []
        people = [match.span() for match in PERSONAL_NAME.finditer(text)]
        out = []
        for iso3, start, end in self.states.finditer(text):
            found = text[start:end]
            if _accepts(found) and not any(left <= start and end <= right for left, right in people):
                out.append(Mention(iso3, found, start, end))
        return out

    def find_places(self, text: str | None) -> list[Mention]:
        """Return every gazetteer place named in ``text``, with the ISO3 of its country."""
        if not isinstance(text, str) or not text:
            return []
        out = []
        for iso3, start, end in self.places.finditer(text):
            found = text[start:end]
            if found[0].isupper():
                out.append(Mention(iso3, found, start, end))
        return out


def gazetteer(db: Path | str | None = None) -> Gazetteer:
    """Return the :class:`Gazetteer` of the store at ``db`` (cached per store build)."""
    with open_store(db) as store:
        key = (str(store.path.resolve()), str(store.build_info()["fingerprint"]))
    return _gazetteer(*key)


@lru_cache(maxsize=2)
def _gazetteer(path: str, fingerprint: str) -> Gazetteer:
    states = state_names(path)
    with open_store(path) as store:
        places = store.query(
            "SELECT name, name_ascii, iso3, capital FROM natural_earth_places WHERE iso3 IS NOT NULL")
    place_names = _place_names(places)
    # A place that is also a state's name is a state (Singapore, Djibouti, Kuwait, ...).
    place_names = {key: iso3 for key, iso3 in place_names.items() if key not in states}
    return Gazetteer(states, place_names, _Names(states), _Names(place_names))


def _place_names(places) -> dict[str, str]:
    candidates: dict[str, set[str]] = {}
    capitals: dict[str, str] = {}
    for row in places.itertuples():
        for name in {row.name, row.name_ascii}:
            if not isinstance(name, str) or len(name) < 4:
                continue
            key = name.lower()
            candidates.setdefault(key, set()).add(row.iso3)
            if row.capital:
                capitals[key] = row.iso3
    out = {}
    for key, countries in candidates.items():
        if len(countries) == 1:
            out[key] = next(iter(countries))
        elif key in capitals:
            out[key] = capitals[key]
    for name, iso3 in EXTRA_PLACES.items():
        out[name.lower()] = iso3
    return out
