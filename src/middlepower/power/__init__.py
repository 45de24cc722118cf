"""The middle-power model: where every state stands between the great and the small powers.

Built on the index engine (:mod:`middlepower.index`) with a spec (default: the one shipped in
``data/power/default_spec.toml``; any variant by ``spec=`` — a path or a loaded
:class:`PowerSpec`). Every function returns DataFrames and accepts ``db=`` to read another store
than the default. The model is computed once per process (and cached on disk in the data home) for
1990 to the last year with capability data; ``years`` selects from it: an int, a ``(first, last)``
pair, or None for all. :attr:`ModelResult.default_last_year` is the last year in which every
pillar has real data for most states; later years carry older data, and every frame says how old.

Frames (intervals are 90% intervals over the Monte Carlo replications, which vary weights and
normalisation and draw every carried or imputed input):

* :func:`scores`: iso3, year, pillar (every node: pillars, behaviour components, ``power`` — the
  overall index), score (0-100, min-max within the year), percentile (0-100 within the year),
  percentile_lo / percentile_hi, rank (1 = highest score; tied states share the best position, while
  their percentile is that of their average position), real_share (share of its inputs real), data_year (oldest
  real data behind it), carried (inputs carried, with the year they are from), imputed, missing
  (inputs with no value, or whose concept does not apply: "name (does not apply)").
* :func:`tiers`: iso3, year, score and percentile (with interval) of capability, tier
  (``great`` / ``middle`` / ``small``, None with fewer than half of its inputs real), p_great,
  p_middle, p_small, real_inputs, inputs, data_year.
* :func:`classes`: iso3, year, class (``great power``, ``middle power`` = middle tier with
  middle-power conduct, ``middle-ranking power``, ``small state``), the probability of each,
  behaviour_percentile, p_conduct, conduct.
* :func:`gap`: iso3, year, capability, influence (0-100 scores), expected_influence (the robust
  local fit of influence on capability at the state's capability: what states of like capability
  have), gap_points (influence - expected_influence), gap (gap_points standardised by the
  residuals' spread, SD), gap_lo, gap_hi, p_above, data_year, no_gap (why there is no gap, in
  words; None where there is one).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from middlepower._lazy import exports, keep_exports
from middlepower.errors import DataError, ParameterError
from middlepower.limits import check_year

if TYPE_CHECKING:
    import pandas as pd

    from middlepower.power.model import ModelResult
    from middlepower.power.spec import PowerSpec
    from middlepower.power.views import Profile

# The model's modules (pandas, the engine, the store) load on first use, so that importing the
# CLI's module (``middlepower.power.cli``) costs nothing beyond typer: ``middlepower --help`` stays fast.
_getattr, __dir__ = exports(__name__, {"ModelResult": "model", "PowerSpec": "spec", "Profile": "views",
                                        "vintage_text": "vintage"})
keep_exports(__name__, ("model", "criteria"))  # the functions, not the submodules of the same names


def __getattr__(name: str) -> object:
    if name in ("views", "compute", "spec"):  # submodules, as eager imports used to bind them
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    return _getattr(name)


def load_spec(path: str | Path | None = None) -> PowerSpec:
    """Read and validate a power spec (default: the shipped one); SpecError names any bad entry."""
    from middlepower.power.spec import load

    return load(path)


def _check_iso3(code: str, db: Path | str | None = None) -> str:
    """The store's :func:`middlepower.warehouse.check_iso3`, imported when first needed so that importing
    this package does not open the warehouse."""
    from middlepower.warehouse import check_iso3 as check

    return check(code, db)


def _views():
    from middlepower.power import views

    return views

__all__ = [
    "ModelResult",
    "PowerSpec",
    "Profile",
    "check",
    "check_tier",
    "check_years",
    "classes",
    "compare",
    "compare_specs",
    "criteria",
    "gap",
    "history",
    "indicators_doc",
    "input_labels",
    "input_years",
    "load_spec",
    "model",
    "model_key",
    "pillars_doc",
    "profile",
    "profiles",
    "rank",
    "rank_with_intervals",
    "scores",
    "tiers",
    "validate",
    "vintage_text",
]

Years = int | tuple[int, int] | None
SpecLike = "PowerSpec | str | Path | None"  # a string: PowerSpec loads on first use


def resolve_spec(spec: SpecLike) -> PowerSpec:
    """A loaded spec from a PowerSpec, a path or None (the shipped default)."""
    from middlepower.power.spec import PowerSpec

    return spec if isinstance(spec, PowerSpec) else load_spec(spec)


def model(
    db: Path | str | None = None,
    replications: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    spec: SpecLike = None,
    scheduler=None,
) -> ModelResult:
    """Return the computed model (all frames) for 1990..latest under ``spec`` (default: the shipped one).

    ``replications`` overrides the spec's Monte Carlo size; ``progress(done, total)`` is called as
    replications complete. Cached per store build and spec. ``scheduler`` (a Dask scheduler
    address, ``"local"``, a ``distributed.Client``; default ``$MIDDLEPOWER_SCHEDULER``, else this
    process's threads) is where the replications run; the result is the same.
    """
    from middlepower.power.compute import compute

    return compute(db=db, replications=replications, progress=progress, spec=resolve_spec(spec),
                   scheduler=scheduler)


def _span(years: Years) -> tuple[int, int]:
    """``(first, last)`` from one year or a pair of years; ParameterError for anything else,
    DataError for a pair that ends before it starts."""
    from middlepower.limits import is_year

    pair = (years, years) if is_year(years) else tuple(years) if isinstance(years, (tuple, list)) else ()
    if len(pair) != 2 or not (is_year(pair[0]) and is_year(pair[1])):
        raise ParameterError(f"years {years!r}: expected a year or a (first, last) pair of years")
    first, last = int(pair[0]), int(pair[1])
    if last < first:
        raise DataError(f"years {first}-{last}: the range ends before it starts")
    return first, last


def _select(frame: pd.DataFrame, years: Years) -> pd.DataFrame:
    if years is None:
        return frame.reset_index(drop=True)
    first, last = _span(years)
    out = frame[frame["year"].between(first, last)]
    if out.empty:
        covered = f"{int(frame['year'].min())}-{int(frame['year'].max())}"
        asked = f"year {first}" if first == last else f"years {first}-{last}"
        raise DataError(f"{asked}: the power model covers {covered}")
    return out.reset_index(drop=True)


def scores(
    years: Years = None, db: Path | str | None = None, pillar: str | None = None, spec: SpecLike = None
) -> pd.DataFrame:
    """Node scores with percentile, interval and vintage (columns: see the module doc)."""
    out = _select(model(db, spec=spec).scores, years)
    if pillar is not None:
        known = sorted(out["pillar"].unique())
        if pillar not in known:
            raise DataError(f"pillar {pillar!r}: unknown; expected one of {', '.join(known)}")
        out = out[out["pillar"] == pillar].reset_index(drop=True)
    return out


def tiers(
    years: Years = None, db: Path | str | None = None, tier: str | None = None, spec: SpecLike = None
) -> pd.DataFrame:
    """Tier of every state-year and the probability of each tier (columns: see the module doc)."""
    out = _select(model(db, spec=spec).tiers, years)
    if tier is not None:
        out = out[out["tier"] == check_tier(tier)].reset_index(drop=True)
    return out


def classes(years: Years = None, db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """Position x conduct: the class of every state-year and its probabilities (see the module doc)."""
    return _select(model(db, spec=spec).classes, years)


def gap(years: Years = None, db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """The power gap of every state-year with its interval (columns: see the module doc)."""
    return _select(model(db, spec=spec).gap, years)


def profile(iso3: str, year: int, db: Path | str | None = None, spec: SpecLike = None) -> Profile:
    """One state in one year: every node with interval and vintage, tier and class probabilities,
    power gap, the six criteria's verdicts, similar states and the indicator values (see :class:`Profile`)."""
    year = check_year("year", year)
    return _views().profile(model(db, spec=spec), _check_iso3(iso3, db), year)


def profiles(
    year: int, db: Path | str | None = None, spec: SpecLike = None, iso3s: Sequence[str] | None = None
) -> dict[str, Profile]:
    """The :class:`Profile` of every state of ``year`` at once (or of ``iso3s``): ISO3 -> Profile, each
    equal to :func:`profile` of that state but computed from year-level tables selected once.

    Units as in :class:`Profile`: scores and percentiles 0-100 within the year, probabilities 0-1,
    the power gap in standard deviations of the influence residual, similarity distances in
    percentile points, indicator values in each indicator's ``unit``. DataError for a year outside
    the model or a state in ``iso3s`` that was not a member of the state system that year."""
    year = check_year("year", year)
    codes = None if iso3s is None else _iso3_list("iso3s", iso3s, db)
    return _views().profiles(model(db, spec=spec), year, codes)


def _iso3_list(parameter: str, iso3s, db: Path | str | None) -> list[str]:
    """``iso3s`` checked, in order, each once: a code alone is one state; ParameterError naming
    ``parameter`` for anything that is not a code or a sequence of codes."""
    try:
        codes = [iso3s] if isinstance(iso3s, str) else list(iso3s)
    except TypeError:
        raise ParameterError("expected an ISO3 code or a list of ISO3 codes", parameter=parameter,
                             value=iso3s) from None
    return list(dict.fromkeys(_check_iso3(code, db) for code in codes))


def model_key(spec: SpecLike = None) -> str:
    """What a computed model depends on besides the store, as text: the model's version and the
    spec's fingerprint (a cache of model outputs keyed on it is stale when either changes)."""
    from middlepower.power.compute import MODEL_VERSION

    return f"model v{MODEL_VERSION} spec {resolve_spec(spec).fingerprint}"


def criteria(iso3: str, year: int, db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """The article's six criteria for one state-year: measure, vintage, percentile with interval, verdict."""
    return profile(iso3, year, db=db, spec=spec).criteria


def rank(year: int, tier: str | None = None, db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """States of ``year`` ordered by capability score, optionally one tier (columns: :func:`views.rank`)."""
    year = check_year("year", year)
    return _views().rank(model(db, spec=spec), year, None if tier is None else check_tier(tier))


def rank_with_intervals(
    year: int, tier: str | None = None, db: Path | str | None = None, spec: SpecLike = None
) -> tuple[pd.DataFrame, int]:
    """:func:`rank` with each state's rank interval (rank_lo, rank_hi: positions from the 90 % interval of its
    tier-pillar percentile; percentile_lo, percentile_hi), and the number of states scored that year."""
    year = check_year("year", year)
    return _views().rank_with_intervals(model(db, spec=spec), year, None if tier is None else check_tier(tier))


def history(iso3: str, db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """One state over the model's years: tier and class probabilities, the index percentile and the power
    gap, each with its interval (columns: see :func:`middlepower.power.views.history`)."""
    return _views().history(model(db, spec=spec), _check_iso3(iso3, db))


def compare(
    iso3s: Sequence[str], first: int, last: int, db: Path | str | None = None, spec: SpecLike = None
) -> pd.DataFrame:
    """States side by side over ``first``..``last``: tier, class, every node's percentile, gap. A code
    alone is one state, and a state named twice is one state."""
    codes = _iso3_list("iso3s", iso3s, db)
    if not codes:
        raise DataError("compare: name at least one ISO3 code")
    first, last = check_year("first", first), check_year("last", last)
    if last < first:
        raise DataError(f"years {first}-{last}: the range ends before it starts")
    return _views().compare(model(db, spec=spec), codes, first, last)


def compare_specs(
    spec_a: SpecLike, spec_b: SpecLike = None, year: int | None = None, db: Path | str | None = None
) -> pd.DataFrame:
    """Two model variants side by side for one year (default: both models' common last default year):
    see :func:`middlepower.power.variants.side_by_side`."""
    from middlepower.power import variants

    year = None if year is None else check_year("year", year)
    return variants.side_by_side(model(db, spec=spec_a), model(db, spec=spec_b), year)


def check(path: str | Path, db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """Verdicts on the claims in a YAML file (format: docs/power.md): id, text, verdict
    (``supported`` / ``contradicted`` / ``inconclusive`` / ``insufficient data``), evidence, sources
    (store tables), years, source_titles."""
    from middlepower.power import verdicts

    if not isinstance(path, str | os.PathLike):
        raise DataError(f"claims file {path!r}: expected a path to a YAML file, got {type(path).__name__}")
    return verdicts.check_file(path, db=db, result=model(db, spec=spec))


def validate(db: Path | str | None = None, spec: SpecLike = None, candidates: bool = False):
    """The validation report (:class:`middlepower.power.validation.Validation`) of a model variant, with
    the missing-data model checked on held-out real values (``imputation``); with ``candidates``, also
    the other capability measures of :mod:`middlepower.power.candidates` against log GDP."""
    from middlepower.power import validation

    result = model(db, spec=spec)
    frame = validation.comparison_frame(result, db=db)
    report = validation.validate(result, db=db, frame=frame)
    if candidates:
        from middlepower.power import candidates as others

        report.candidates = others.compare(result, db=db, frame=frame)
    return report


def input_years(db: Path | str | None = None, spec: SpecLike = None) -> pd.DataFrame:
    """input, first_year, last_year, states_last: for each raw input of the model (GDP, military spending,
    ...), the first and last year of the model's span in which some state has it real (never carried
    or imputed), and how many states have it real in that last year."""
    return _views().input_years(model(db=db, spec=spec))


def indicators_doc(spec: SpecLike = None) -> pd.DataFrame:
    """Every indicator of a spec: code, pillar, column, engine_column, transform, inputs, name, direction,
    coverage, why, and from the column catalogue unit, sources (tuple of registry names) and source
    (the same, joined)."""
    return resolve_spec(spec).docs.copy()


def input_labels(spec: SpecLike = None) -> dict[str, str]:
    """{raw input: label}: the name of the indicator an input alone makes (``milex_share_gdp_pct``:
    "Military burden"), for naming carried, imputed and missing inputs (:func:`vintage_text`)."""
    from middlepower.power.vintage import input_labels as labels

    return labels(resolve_spec(spec).docs)


def pillars_doc(spec: SpecLike = None) -> pd.DataFrame:
    """The nodes of a spec: pillar (code), name, parent, weight, indicators (codes, comma-separated)."""
    import pandas as pd

    loaded = resolve_spec(spec)
    parents = {a.code: a.parent for a in loaded.index.aggregates}
    rows = [
        {
            "pillar": code,
            "name": loaded.pillar_name(code),
            "parent": parents.get(code),
            "weight": loaded.weight(code),
            "indicators": ", ".join(loaded.docs.loc[loaded.docs["pillar"] == code, "code"])
            or ", ".join(loaded.children(code)),
        }
        for code in loaded.nodes
    ]
    return pd.DataFrame(rows)


def check_years(first: int, last: int | None = None, db: Path | str | None = None, spec: SpecLike = None) -> None:
    """Refuse, before the model is run, a year (``first`` alone) or span ``first``-``last`` that falls
    wholly outside the years the model of ``spec`` covers on the store at ``db``: DataError with the
    message the model's own views give (``year 1980: the power model covers 1990-2024``)."""
    from middlepower.power.compute import span

    first = check_year("year", first)
    last = first if last is None else check_year("year", last)
    covered = span(db, resolve_spec(spec))
    if last < covered[0] or first > covered[1]:
        asked = f"year {first}" if first == last else f"years {first}-{last}"
        raise DataError(f"{asked}: the power model covers {covered[0]}-{covered[1]}")


def check_tier(tier: str) -> str:
    """Return ``tier`` if it is great, middle or small; ParameterError (parameter ``tier``) otherwise."""
    from middlepower.power.spec import TIERS

    if tier not in TIERS:
        raise ParameterError(f"expected one of {', '.join(TIERS)}", parameter="tier", value=tier)
    return tier
