"""The middle-power model: where every state stands between the great and the small powers.

Built on the index engine (:mod:`middlepower.index`) with the default spec shipped in
``data/power/default_spec.toml`` (pillars after the classical middle-power criteria; every
indicator's source, unit, coverage and purpose documented there and in docs/power.md). Every
function returns DataFrames and accepts ``db=`` to read another store than the default. The model
is computed once per process (and cached on disk in the data home) for 1990 to the latest year
with data; ``years`` selects from it: an int, a ``(first, last)`` pair, or None for all.

Frames:

* :func:`scores`: iso3, year, pillar (each pillar and ``power``, the overall index), score
  (0-100 nominal score, min-max within the year), percentile (0-100 within the year, 100 = top),
  percentile_lo / percentile_hi (90% interval of the percentile over the Monte Carlo
  replications), rank (1 = top, nominal).
* :func:`tiers`: iso3, year, score and percentile of the tier pillar (capability), tier
  (``great`` / ``middle`` / ``small`` under the nominal spec), p_great, p_middle, p_small (share of
  replications in each tier).
* :func:`gap`: iso3, year, capability and influence scores (nominal, 0-100), gap_points (residual
  of influence on capability across states in the year, score points), gap (the residual in
  standard deviations of that year's residuals), gap_lo / gap_hi (its 90% interval over the
  replications), p_above (share of replications with a positive gap: "punches above its weight").

Sources of every indicator: :func:`indicators_doc`; where a figure came from: the claim
checker's evidence (:func:`check`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from middlepower.codes import check_iso3
from middlepower.errors import DataError, SpecError
from middlepower.power import views
from middlepower.power.compute import compute
from middlepower.power.model import ModelResult
from middlepower.power.spec import PowerSpec
from middlepower.power.spec import load as load_spec
from middlepower.power.views import Profile

__all__ = ["ModelResult", "PowerSpec", "Profile", "check", "compare", "gap", "history", "indicators_doc",
           "load_spec", "check_tier", "model", "pillars_doc", "profile", "rank", "rank_with_intervals", "scores",
           "tiers"]

Years = int | tuple[int, int] | None


def model(db: Path | str | None = None, replications: int | None = None,
          progress: Callable[[int, int], None] | None = None, scheduler=None) -> ModelResult:
    """Return the computed model (all frames) for 1990..latest under the default spec.

    ``replications`` overrides the spec's Monte Carlo size (default 1,000); ``progress(done,
    total)`` is called as replications complete. Cached per store build and spec. ``scheduler``
    (a Dask scheduler address, ``"local"``, a ``distributed.Client``; default
    ``$MIDDLEPOWER_SCHEDULER``, else this process's threads) is where the replications run; the
    result is the same.
    """
    return compute(db=db, replications=replications, progress=progress, scheduler=scheduler)


def _select(frame: pd.DataFrame, years: Years) -> pd.DataFrame:
    if years is None:
        return frame.reset_index(drop=True)
    first, last = (int(years), int(years)) if isinstance(years, numbers.Integral) else (int(years[0]), int(years[1]))
    out = frame[frame["year"].between(first, last)]
    if out.empty:
        covered = f"{int(frame['year'].min())}-{int(frame['year'].max())}"
        raise DataError(f"years {first}-{last}: the power model covers {covered}")
    return out.reset_index(drop=True)


def scores(years: Years = None, db: Path | str | None = None, pillar: str | None = None) -> pd.DataFrame:
    """Pillar and overall scores with percentile and its interval (columns: see the module doc)."""
    out = _select(model(db).scores, years)
    if pillar is not None:
        known = sorted(out["pillar"].unique())
        if pillar not in known:
            raise DataError(f"pillar {pillar!r}: unknown; expected one of {', '.join(known)}")
        out = out[out["pillar"] == pillar].reset_index(drop=True)
    return out


def tiers(years: Years = None, db: Path | str | None = None, tier: str | None = None) -> pd.DataFrame:
    """Tier of every state-year and the probability of each tier (columns: see the module doc)."""
    out = _select(model(db).tiers, years)
    if tier is not None:
        out = out[out["tier"] == check_tier(tier)].reset_index(drop=True)
    return out


def gap(years: Years = None, db: Path | str | None = None) -> pd.DataFrame:
    """The power gap of every state-year with its interval (columns: see the module doc)."""
    return _select(model(db).gap, years)


def profile(iso3: str, year: int, db: Path | str | None = None) -> Profile:
    """One state in one year: pillars (score, percentile, interval), tier probabilities, power gap,
    the five most similar states and the indicator values with units and sources (see :class:`Profile`)."""
    return views.profile(model(db), check_iso3(iso3), int(year))


def rank(year: int, tier: str | None = None, db: Path | str | None = None) -> pd.DataFrame:
    """States of ``year`` ordered by capability score, optionally only one tier: position, iso3, name,
    tier, p_great, p_middle, p_small, score, percentile, power, power_rank, gap, gap_lo, gap_hi."""
    return views.rank(model(db), int(year), None if tier is None else check_tier(tier))


def rank_with_intervals(year: int, tier: str | None = None, db: Path | str | None = None
                        ) -> tuple[pd.DataFrame, int]:
    """:func:`rank` with each state's rank interval (rank_lo, rank_hi: positions from the 90 % interval of its
    tier-pillar percentile; percentile_lo, percentile_hi), and the number of states scored that year."""
    return views.rank_with_intervals(model(db), int(year), None if tier is None else check_tier(tier))


def history(iso3: str, db: Path | str | None = None) -> pd.DataFrame:
    """One state over the model's years: tier probabilities, the index percentile and the power gap, each
    with its interval (columns: see :func:`middlepower.power.views.history`)."""
    return views.history(model(db), check_iso3(iso3))


def compare(iso3s: Sequence[str], first: int, last: int, db: Path | str | None = None) -> pd.DataFrame:
    """States side by side over ``first``..``last``: iso3, year, name, tier, p_great, p_middle, p_small,
    each pillar's and the overall index's percentile, gap, gap_lo, gap_hi."""
    codes = [check_iso3(code) for code in iso3s]
    if not codes:
        raise DataError("compare: name at least one ISO3 code")
    return views.compare(model(db), codes, int(first), int(last))


def check(path: str | Path, db: Path | str | None = None) -> pd.DataFrame:
    """Verdicts on the claims in a YAML file (format: docs/power.md): id, text, verdict
    (``supported`` / ``contradicted`` / ``insufficient data``), evidence, sources (store tables),
    years, source_titles."""
    from middlepower.power import verdicts

    return verdicts.check_file(path, db=db)


def indicators_doc() -> pd.DataFrame:
    """Every indicator of the default spec: code, pillar, column, name, direction, coverage, why, and
    from the column catalogue unit, sources (tuple of registry names) and source (the same, joined)."""
    return load_spec().docs.copy()


def pillars_doc() -> pd.DataFrame:
    """The pillars of the default spec: pillar (code), name, indicators (codes, comma-separated),
    plus the overall index ``power``; plain-words descriptions are in docs/power.md."""
    spec = load_spec()
    rows = [{"pillar": code, "name": spec.pillar_name(code),
             "indicators": ", ".join(spec.docs.loc[spec.docs["pillar"] == code, "code"])} for code in spec.pillars]
    rows.append({"pillar": spec.index.root, "name": spec.pillar_name(spec.index.root), "indicators": "all pillars"})
    return pd.DataFrame(rows)


def check_tier(tier: str) -> str:
    """Return ``tier`` if it is great, middle or small; SpecError naming it otherwise."""
    from middlepower.power.spec import TIERS

    if tier not in TIERS:
        raise SpecError(f"tier {tier!r}: expected one of {', '.join(TIERS)}")
    return tier
