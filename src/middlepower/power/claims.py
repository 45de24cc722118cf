"""The claim checker: small YAML claims, each a query on the store with an expected relation.

Format (docs/power.md has the full description)::

    claims:
      - id: kaz-largest-economy-central-asia
        text: Kazakhstan has the largest economy of Central Asia.
        subject: KAZ
        measure: gdp_usd              # a panel column, pillar:<node>, tier, class, p_*, gap
        year: 2022                    # or years: [1992, 2022] with holds: all (default) or any
        relation: {largest_among: [KGZ, TJK, TKM, UZB]}

Relations: ``largest_among`` / ``smallest_among`` (list of ISO3), ``top_fraction`` (0-1, among all
states with a value that year), ``greater_than`` / ``less_than`` (a number or an ISO3 code),
``equals`` (a number or text, e.g. a tier; the one relation of ``tier`` and ``class``),
``probability_at_least`` (0-1, for p_* measures). A verdict is
``supported``, ``contradicted``, ``inconclusive`` (a model measure whose 90% interval straddles the
threshold) or ``insufficient data`` (a value needed is missing: never a guess).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from middlepower.errors import SpecError
from middlepower.power.indicators import CONTEXT_COLUMNS, derived_columns
from middlepower.power.inputs import INPUTS
from middlepower.power.spec import CLASSES, TIERS, PowerSpec
from middlepower.power.spec import load as load_spec
from middlepower.specfile import about, read_mapping
from middlepower.warehouse import known_iso3, open_store

RELATIONS = ("largest_among", "smallest_among", "top_fraction", "greater_than", "less_than", "equals",
             "probability_at_least")
TIER_MEASURES = ("tier", "p_great", "p_middle", "p_small")
CLASS_MEASURES = ("class", "p_great_power", "p_middle_power", "p_middle_ranking_power", "p_small_state", "p_conduct")
PROBABILITIES = (*TIER_MEASURES[1:], *CLASS_MEASURES[1:])
FIELDS = {"id", "text", "subject", "measure", "year", "years", "holds", "relation"}
QUANTIFIERS = ("all", "any")
FIRST_CLAIM_YEAR = 1946
"""Claims may name years from the first year of the store's state system."""


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    subject: str
    measure: str
    years: tuple[int, int]
    relation: str
    argument: object
    holds: str = "all"


def _fail(claim_id: str, field: str, message: str) -> SpecError:
    return SpecError(f"claim {claim_id!r}, field {field!r}: {message}")


def _iso3(claim_id: str, field: str, code: object, known: frozenset[str] | None) -> str:
    value = str(code).strip().upper()
    if value not in (known if known is not None else known_iso3()):
        raise _fail(claim_id, field, f"unknown ISO3 code {code!r}")
    return value


def parse_claim(
    raw: object, position: int, measures: set[str], last_year: int = 2100, known: frozenset[str] | None = None,
    text: frozenset[str] = frozenset(),
) -> Claim:
    """Validate one claim mapping; SpecError names the claim id and the offending field.

    ``known`` is the set of valid ISO3 codes (default: those of the user's store); ``text`` the measures
    whose values are text (:func:`text_measures`), which only ``equals`` a text can judge."""
    if not isinstance(raw, dict):
        raise SpecError(f"claim #{position}: expected a mapping with id, text, subject, measure, year, relation")
    given_id = raw.get("id")
    if given_id is not None and (not isinstance(given_id, (str, int)) or isinstance(given_id, bool)):
        raise _fail(f"#{position}", "id", f"expected text, got {given_id!r}")
    cid = str(given_id if given_id is not None and str(given_id).strip() else f"#{position}")
    for field in ("id", "text", "subject", "measure", "relation"):
        if raw.get(field) is None or not str(raw[field]).strip():
            raise _fail(cid, field, "missing")
    if not isinstance(raw["text"], str):
        raise _fail(cid, "text", f"expected a sentence, got {raw['text']!r}")
    unknown = set(raw) - FIELDS
    if unknown:
        raise _fail(cid, sorted(unknown)[0], f"unknown field (expected {', '.join(sorted(FIELDS))})")
    if ("year" in raw) == ("years" in raw):
        raise _fail(cid, "year", "give exactly one of 'year: 2022' or 'years: [first, last]'")
    given = [raw["year"]] if "year" in raw else raw["years"]
    try:
        if not isinstance(given, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in given):
            raise TypeError
        years = (int(raw["year"]),) * 2 if "year" in raw else tuple(int(y) for y in raw["years"])
    except (TypeError, ValueError):
        raise _fail(cid, "year" if "year" in raw else "years", "expected a year or [first, last]") from None
    if len(years) != 2 or years[1] < years[0]:
        raise _fail(cid, "years", "expected [first, last] with first <= last")
    if years[0] < FIRST_CLAIM_YEAR or years[1] > last_year:
        raise _fail(cid, "year" if "year" in raw else "years",
                    f"{years[0]}-{years[1]} is outside the store's years {FIRST_CLAIM_YEAR}-{last_year}")
    holds = str(raw.get("holds", "all"))
    if holds not in QUANTIFIERS:
        raise _fail(cid, "holds", f"expected 'all' (every year) or 'any' (at least one year), got {holds!r}")
    if holds == "any" and years[0] == years[1]:
        raise _fail(cid, "holds", "'any' needs a window of years (years: [first, last])")
    measure = str(raw["measure"])
    if measure not in measures:
        raise _fail(cid, "measure", f"unknown measure {measure!r} (a panel column, pillar:<node>, "
                                    f"{', '.join((*TIER_MEASURES, *CLASS_MEASURES))} or gap)")
    relation = raw["relation"]
    if not isinstance(relation, dict) or len(relation) != 1 or next(iter(relation)) not in RELATIONS:
        given = f" (got {', '.join(map(str, relation))})" if isinstance(relation, dict) else f" (got {relation!r})"
        raise _fail(cid, "relation", f"expected one of {', '.join(RELATIONS)} with its argument{given}")
    name, argument = next(iter(relation.items()))
    subject = _iso3(cid, "subject", raw["subject"], known)
    if measure in ("tier", "class") and name != "equals":
        raise _fail(cid, "relation", f"a {measure} is a category: use equals (one of "
                                     f"{', '.join(TIERS if measure == 'tier' else CLASSES)}), not {name}")
    if measure in text and not (name == "equals" and isinstance(argument, str)):
        raise _fail(cid, "relation", f"{measure} is text: only 'equals' with a text value applies, not "
                                     f"{name} {argument!r}")
    if name in ("largest_among", "smallest_among"):
        if not isinstance(argument, list) or not argument:
            raise _fail(cid, "relation", f"{name} needs a list of ISO3 codes")
        argument = tuple(_iso3(cid, "relation", code, known) for code in argument)
        if set(argument) <= {subject}:
            raise _fail(cid, "relation", f"{name} needs a state other than the subject {subject}")
    elif name in ("top_fraction", "probability_at_least"):
        if isinstance(argument, bool) or not isinstance(argument, (int, float)) or not 0 < float(argument) <= 1:
            raise _fail(cid, "relation", f"{name} needs a number in (0, 1]")
        if name == "top_fraction" and float(argument) == 1:
            raise _fail(cid, "relation", "top_fraction 1 is every state, which no value can contradict "
                                         "(give a share below 1)")
        if name == "probability_at_least" and measure not in PROBABILITIES:
            raise _fail(cid, "relation", f"probability_at_least applies to {', '.join(PROBABILITIES)}")
    elif name in ("greater_than", "less_than") and isinstance(argument, (int, float)):
        if isinstance(argument, bool) or not math.isfinite(argument):
            raise _fail(cid, "relation", f"{name} needs a finite number or an ISO3 code, got {argument!r}")
    elif name in ("greater_than", "less_than"):
        argument = _iso3(cid, "relation", argument, known)
        if argument == subject:
            raise _fail(cid, "relation", f"{name} {argument}: the subject itself (give another state or a number)")
    elif name == "equals" and measure in ("tier", "class"):
        allowed = TIERS if measure == "tier" else CLASSES
        if argument not in allowed:
            raise _fail(cid, "relation", f"equals {argument!r}: a {measure} is one of {', '.join(allowed)}")
    elif name == "equals" and not (
        isinstance(argument, str) or (isinstance(argument, (int, float)) and math.isfinite(argument))
    ):
        raise _fail(cid, "relation", f"equals needs a finite number or a text value, got {argument!r}")
    return Claim(cid, raw["text"], subject, measure, years, name, argument, holds)


def load_claims(
    path: str | Path, measures: set[str], last_year: int = 2100, known: frozenset[str] | None = None,
    text: frozenset[str] = frozenset(),
) -> list[Claim]:
    """Read and validate a claim file; SpecError names the file, or the claim id and field (``text``:
    see :func:`parse_claim`)."""
    path = Path(path)
    raw = read_mapping(path, "claim", "yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list) or not raw["claims"]:
        raise SpecError(f"{path}: expected a top-level 'claims:' list")
    if set(raw) != {"claims"}:
        raise SpecError(f"{path}: unknown top-level key {sorted(map(str, set(raw) - {'claims'}))[0]!r} "
                        "(a claim file has only 'claims:')")
    with about(path):
        claims = [parse_claim(entry, i + 1, measures, last_year, known, text) for i, entry in enumerate(raw["claims"])]
        seen: set[str] = set()
        for claim in claims:
            if claim.id in seen:
                raise _fail(claim.id, "id", "used twice")
            seen.add(claim.id)
    return claims


def measure_names(spec: PowerSpec, panel_columns: list[str]) -> set[str]:
    """Every measure a claim may name: panel columns, the model's indicator columns, pillars, tiers, gap."""
    pillars = {f"pillar:{code}" for code in spec.nodes}
    model_columns = [*spec.docs["column"], *INPUTS, *CONTEXT_COLUMNS, *derived_columns()]
    return {*panel_columns, *model_columns, *pillars, *TIER_MEASURES, *CLASS_MEASURES, "gap"} - {
        "iso3",
        "year",
        "name",
        "ccode",
    }


def text_measures() -> frozenset[str]:
    """The claim measures whose values are text (``region``, ``closest_pole``, ...): the columns the
    panel's catalogue declares in the unit "text"."""
    from middlepower import panel
    from middlepower.power.indicators import MODEL_COLUMNS

    declared = panel.declared(MODEL_COLUMNS)
    return frozenset(declared.loc[declared["unit"] == "text", "name"])


def read_claims(path: str | Path, db=None, spec: PowerSpec | None = None) -> list[Claim]:
    """Read and validate a claim file against the store's panel columns and the model's measures."""
    with open_store(db) as store:
        panel_columns = list(store.query("SELECT * FROM panel LIMIT 0").columns)
        last_year = int(store.query("SELECT max(year) AS y FROM state_years")["y"].iloc[0])
    return load_claims(path, measure_names(spec or load_spec(), panel_columns), last_year, known_iso3(db),
                       text_measures())
