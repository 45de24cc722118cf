"""Missing inputs made explicit: every gap is real, carried, imputed, structural or missing, with a spread.

:func:`impute` turns the raw inputs (:mod:`middlepower.power.inputs`) of a state-year panel into an
:class:`Imputed` panel: for every input and cell a status, the year of the real value behind it,
and a centre and spread on the input's scale. :meth:`Imputed.point` gives the nominal values (the
centres) and :meth:`Imputed.draw` one random data set in which every carried or imputed value, and
every real value that is itself an estimate (``InputRule.sampling``: a sample, revision 2.22; a
text-rule count, revision 2.25), is drawn from its spread — the multiple-imputation data sets of
the Monte Carlo. Rules (docs/power.md,
"Missing data"): real > another source (:class:`Alternative`, with the spread of its disagreement
with the primary one, if it has one) > carried (at most ``carry_years`` old, spread of real changes
over as many years, plus the spread of the value carried; only a zero for an input with
``model_after_last``, revision 2.26) > imputed (the input's model, spread of
its residuals, kept within the range of the year's real values and the state's own) > missing. An imputed value of a
state that has real values of the input in other years keeps its distance from the model there,
shrunk with the years between (:class:`Anchor`, revision 2.16).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from middlepower.intervals import Z90
from middlepower.power.inputs import INPUTS, from_space, on_scale, to_space

REAL, ALTERNATIVE, CARRIED, IMPUTED, STRUCTURAL, MISSING = range(6)
STATUS_NAMES = ("real", "real (other source)", "carried", "imputed", "does not apply", "missing")
MIN_FIT = 8
"""Fewest real cells for a region-year statistic or a year's regression; below it all states are pooled."""
HOLDOUT_DISTANCES = (1, 2, 5, 10, 20)
"""Years between the two real values of a hold-out pair (:func:`holdout`; revision 2.16's check)."""
CARRY_CHECK_DISTANCES = (1, 2, 5)
"""Revision 2.26's check: an input with a model (a ratio to GDP, 2.26; GDP, 2.27) is not carried
(``InputRule.model_after_last``) where the anchored model's mean absolute error in :func:`holdout` is no
larger than carrying's at each of these, on every branch of its model."""
BRIDGE_DISTANCES = (1, 2, 5, 10)
"""Years from a held-out real value to each of its two real neighbours (:func:`bridge_holdout`; 2.17's check)."""
BRIDGE_COLUMNS = ("input", "model", "rho", "distance", "predictions", "mean_error_nearest",
                  "mean_error_bridge", "inside_nearest", "inside_bridge")
HOLDOUT_COLUMNS = ("input", "model", "rho", "distance", "predictions", "error_model", "error_anchored",
                   "error_carry", "mean_error_model", "mean_error_anchored", "mean_error_carry", "inside_model",
                   "inside_anchored", "inside_carry")


@dataclass
class InputPanel:
    """One input on the (units, years) grid: status, data year, centre and spread on its scale."""

    name: str
    status: np.ndarray  # int8, codes REAL..MISSING
    data_year: np.ndarray  # year of the real value behind the cell (NaN if imputed or missing)
    centre: np.ndarray  # on the input's scale (INPUTS[name].space)
    spread: np.ndarray  # sd on that scale (0 for exact real values; a sampling sd, an alternative's own spread)
    offset_of: str | None = None  # imputed as ``offset_of``'s drawn value plus centre (a ratio to GDP)
    relative: np.ndarray | None = None  # cells imputed relative to offset_of
    bounds: np.ndarray | None = None  # (2, units, years): the range an imputed cell is kept within (real_bounds)
    anchors: dict[str, Anchor] = field(default_factory=dict)  # per model branch, its residuals (revision 2.16)


@dataclass(frozen=True)
class Anchor:
    """A model's standardised residuals in the states' real years, and how long they persist (revision 2.16).

    ``z`` (units, years) is (value - model) / spread where the state's value is known and the model has
    a positive spread, NaN elsewhere; ``spread`` is the model's spread on the input's scale; ``rho`` the
    first-order autocorrelation of ``z`` between consecutive years, pooled over states (0..0.999).
    """

    z: np.ndarray
    spread: np.ndarray
    rho: float

    @classmethod
    def fit(cls, value: np.ndarray, model: np.ndarray, spread: np.ndarray, known: np.ndarray) -> Anchor:
        """Residuals of ``value`` from ``model`` (both on the input's scale) at ``known`` cells, and their rho."""
        usable = known & np.isfinite(value) & np.isfinite(model) & (np.nan_to_num(spread) > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(usable, (value - model) / np.where(usable, spread, 1.0), np.nan)
        before, after = z[:, :-1], z[:, 1:]
        both = ~np.isnan(before) & ~np.isnan(after)
        rho = 0.0
        if both.sum() >= MIN_FIT:
            a, b = before[both], after[both]
            denominator = np.sqrt(np.sum(a**2) * np.sum(b**2))
            rho = float(np.clip(np.sum(a * b) / denominator, 0.0, 0.999)) if denominator > 0 else 0.0
        return cls(z, spread, rho)

    def sides(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(units, years) each: years back to the state's last cell with a residual and that residual,
        years on to its next one and that residual (inf and NaN where there is none)."""
        n = self.z.shape[1]
        index = np.broadcast_to(np.arange(n)[None, :], self.z.shape)
        has = ~np.isnan(self.z)
        before = _last_index(has)
        after = n - 1 - _last_index(has[:, ::-1])[:, ::-1]  # n where there is none
        to_before = np.where(before >= 0, index - before, np.inf)
        to_after = np.where(after < n, after - index, np.inf)
        z_before = np.where(before >= 0, np.take_along_axis(self.z, np.clip(before, 0, n - 1), axis=1), np.nan)
        z_after = np.where(after < n, np.take_along_axis(self.z, np.clip(after, 0, n - 1), axis=1), np.nan)
        return to_before, z_before, to_after, z_after

    def nearest(self) -> tuple[np.ndarray, np.ndarray]:
        """(units, years): years to the state's nearest cell with a residual (the earlier one on a tie;
        inf if it has none), and that residual (NaN if none)."""
        return _nearest(*self.sides())

    def conditional(self) -> tuple[np.ndarray, np.ndarray]:
        """(units, years): the expected standardised residual and its standard deviation under the
        autoregression, given the state's residuals on both sides where it has both (revision 2.17,
        a bridge), else given the nearest one (2.16); NaN where the state has none."""
        sides = self.sides()
        to_before, z_before, to_after, z_after = sides
        distance, z = _nearest(*sides)
        with np.errstate(invalid="ignore", over="ignore"):
            mean, sd = _one_side(self.rho ** np.where(np.isfinite(distance), distance, 0.0), z)
            mean, sd = np.where(np.isnan(z), np.nan, mean), np.where(np.isnan(z), np.nan, sd)
            both = np.isfinite(to_before) & np.isfinite(to_after) & (to_before > 0) & (to_after > 0)
            r1 = self.rho ** np.where(both, to_before, 0.0)
            r2 = self.rho ** np.where(both, to_after, 0.0)
            ok = both & (1.0 - (r1 * r2) ** 2 > 0)
            bridged, bridged_sd = _bridge(np.where(ok, r1, 0.0), np.where(ok, r2, 0.0),
                                          np.nan_to_num(z_before), np.nan_to_num(z_after))
        return np.where(ok, bridged, mean), np.where(ok, bridged_sd, sd)

    def apply(self, model: np.ndarray, spread: np.ndarray, fill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Centre and spread for the ``fill`` cells: the model plus spread x the expected residual of
        :meth:`conditional`, drawn with spread x its standard deviation; the model and its spread where
        the state has no residual. Cells outside ``fill`` are returned as the model has them."""
        z, sd = self.conditional()
        use = fill & ~np.isnan(z) & np.isfinite(spread)
        centre = np.where(use, model + spread * np.nan_to_num(z), model)
        return centre, np.where(use, spread * np.nan_to_num(sd, nan=1.0), spread)


def _last_index(known: np.ndarray) -> np.ndarray:
    """(units, years): index along the years of the last ``known`` cell at or before each one (-1 if none)."""
    index = np.broadcast_to(np.arange(known.shape[1])[None, :], known.shape)
    return np.maximum.accumulate(np.where(known, index, -1), axis=1)


def _nearest(to_before, z_before, to_after, z_after) -> tuple[np.ndarray, np.ndarray]:
    """Distance to, and residual at, the nearer of the two sides of :meth:`Anchor.sides` (earlier on a tie)."""
    earlier = to_before <= to_after
    return np.where(earlier, to_before, to_after), np.where(earlier, z_before, z_after)


def _one_side(decay: np.ndarray | float, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A unit-variance AR(1)'s expectation and sd given ``z`` at lag d, with ``decay`` = rho^d (2.16)."""
    return decay * z, np.sqrt(1.0 - decay**2) * np.ones_like(z)


def _bridge(r1, r2, z1, z2) -> tuple[np.ndarray, np.ndarray]:
    """A unit-variance AR(1)'s expectation and sd given ``z1`` d1 years before and ``z2`` d2 years after,
    with r1 = rho^d1, r2 = rho^d2 (revision 2.17); r1 = r2 = 0 gives 0 and 1."""
    span = 1.0 - (r1 * r2) ** 2
    mean = (r1 * (1.0 - r2**2) * z1 + r2 * (1.0 - r1**2) * z2) / span
    return mean, np.sqrt(np.clip((1.0 - r1**2) * (1.0 - r2**2) / span, 0.0, 1.0))


@dataclass(frozen=True)
class Alternative:
    """Values of an input from another source, aligned with the frame passed to :func:`impute`.

    ``spread`` (same index; None = exact) is the standard deviation on the input's scale with which
    a value is drawn: how far the two sources usually disagree where both have one.
    """

    value: pd.Series
    spread: pd.Series | None = None


@dataclass
class Imputed:
    """Every input of a panel after the gap rules; ``frame`` holds iso3, year and context columns."""

    frame: pd.DataFrame
    units: np.ndarray
    years: np.ndarray
    inputs: dict[str, InputPanel] = field(default_factory=dict)

    def members(self) -> np.ndarray:
        """(units, years) True where the state is a member of the system that year (a row of ``frame``)."""
        grid = np.zeros((self.units.size, self.years.size), dtype=bool)
        rows = self.frame[["iso3", "year"]]
        grid[np.searchsorted(self.units, rows["iso3"]), rows["year"].to_numpy() - self.years[0]] = True
        return grid

    def point(self) -> pd.DataFrame:
        """The frame with every input at its centre (carried values as carried, imputed at the model)."""
        return self._frame({name: self._values(panel, None) for name, panel in self.inputs.items()})

    def draw(self, rng: np.random.Generator) -> pd.DataFrame:
        """The frame with every input that has a spread drawn from it (values of the primary source fixed;
        another source's, carried and imputed ones drawn)."""
        drawn: dict[str, np.ndarray] = {}
        for name, panel in self.inputs.items():  # offsets' bases (GDP) come first in INPUTS
            drawn[name] = self._values(panel, rng, drawn)
        return self._frame(drawn)

    def status_frame(self) -> pd.DataFrame:
        """Long table: iso3, year, input, status (name), data_year."""
        rows = []
        u, y = np.meshgrid(np.arange(self.units.size), np.arange(self.years.size), indexing="ij")
        for name, panel in self.inputs.items():
            rows.append(
                pd.DataFrame(
                    {
                        "iso3": self.units[u.ravel()],
                        "year": self.years[y.ravel()],
                        "input": name,
                        "status": np.asarray(STATUS_NAMES)[panel.status.ravel()],
                        "data_year": panel.data_year.ravel(),
                    }
                )
            )
        return pd.concat(rows, ignore_index=True)

    def real_share(self, names: list[str]) -> np.ndarray:
        """(units, years) share of ``names`` that are real (or from another source)."""
        real = [self.inputs[n].status <= ALTERNATIVE for n in names]
        return np.mean(real, axis=0) if real else np.ones((self.units.size, self.years.size))

    def _values(
        self, panel: InputPanel, rng: np.random.Generator | None, drawn: dict[str, np.ndarray] | None = None
    ) -> np.ndarray:
        rule = INPUTS[panel.name]
        centre = panel.centre.copy()
        if panel.offset_of is not None and panel.relative is not None:
            base = (
                to_space(drawn[panel.offset_of], INPUTS[panel.offset_of].space)
                if drawn
                else self.inputs[panel.offset_of].centre
            )
            centre = np.where(panel.relative, base + panel.centre, centre)
        if rng is not None:
            noise = rng.standard_normal(centre.shape)
            centre = centre + np.where(panel.spread > 0, panel.spread * noise, 0.0)
        if panel.bounds is not None:  # an imputed state is not beyond the year's and its own real values
            bounded = np.fmin(np.fmax(centre, panel.bounds[0]), panel.bounds[1])
            centre = np.where(panel.status == IMPUTED, bounded, centre)
        values = from_space(centre, rule.space)
        values = np.where(panel.status >= STRUCTURAL, np.nan, values)
        if rng is not None and (rule.space == "linear" or rule.sampling is not None):  # a sampled count is never < 0
            values = np.clip(values, 0.0, rule.upper if rule.upper is not None else np.inf)
        return values

    def _frame(self, values: dict[str, np.ndarray]) -> pd.DataFrame:
        out = self.frame.copy()
        index = pd.MultiIndex.from_arrays([out["iso3"], out["year"]])
        grid = pd.MultiIndex.from_product([self.units, self.years])
        position = grid.get_indexer(index)
        for name, array in values.items():
            out[name] = array.ravel()[position]
        return out


def wide(frame: pd.DataFrame, column: str, units: np.ndarray, years: np.ndarray) -> np.ndarray:
    """(units, years) float array of ``column`` (NaN where the frame has no row or no value)."""
    table = frame.pivot_table(index="iso3", columns="year", values=column, aggfunc="first", dropna=False)
    return table.reindex(index=units, columns=years).to_numpy(dtype=float)


def carry_spread(x: np.ndarray, real: np.ndarray, max_age: int) -> np.ndarray:
    """Standard deviation of changes over 1..max_age years between ``real`` cells (index = age; [0] = 0).

    Callers pass as ``real`` only the cells with a place on the input's scale (no log of a zero)."""
    out = np.zeros(max_age + 1)
    for age in range(1, max_age + 1):
        both = real[:, age:] & real[:, :-age]
        diffs = (x[:, age:] - x[:, :-age])[both]
        out[age] = np.std(diffs) if diffs.size >= 30 else out[age - 1] * np.sqrt(age / max(age - 1, 1))
    return out


def group_stats(x: np.ndarray, known: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the median and sd of ``x`` over known cells of the same group and year (all states
    when the group has fewer than ``MIN_FIT``)."""
    centre = np.full(x.shape, np.nan)
    spread = np.full(x.shape, np.nan)
    masked = np.where(known, x, np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN years: no statistic, NaN kept
        all_median, all_sd = np.nanmedian(masked, axis=0), np.nanstd(masked, axis=0)
        for group in np.unique(groups):
            rows = groups == group
            count = known[rows].sum(axis=0)
            median, sd = np.nanmedian(masked[rows], axis=0), np.nanstd(masked[rows], axis=0)
            enough = count >= MIN_FIT
            centre[rows] = np.where(enough, median, all_median)
            spread[rows] = np.where(enough, sd, all_sd)
    return centre, spread


def held_after_end(centre: np.ndarray, spread: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``centre`` and ``spread`` (units x years) with every year after the last one in which some state
    has a ``known`` value set to that last year's: after an input's source ends its model is the one of
    the source's last year (revision 2.18), so a gap is imputed alike before and after the end."""
    with_data = np.flatnonzero(known.any(axis=0))
    if with_data.size == 0 or with_data[-1] == known.shape[1] - 1:
        return centre, spread
    last = with_data[-1]
    centre, spread = centre.copy(), spread.copy()
    centre[:, last + 1:] = centre[:, last:last + 1]
    spread[:, last + 1:] = spread[:, last:last + 1]
    return centre, spread


def real_bounds(space: np.ndarray, known: np.ndarray) -> np.ndarray:
    """(2, units, years): the lowest and highest value an imputed cell may take on the input's scale.

    The smallest and largest of the year's ``known`` values (revision 2.10: an imputed state is not the
    world's smallest or largest), widened to the state's own smallest and largest ``known`` value of
    any year (revision 2.27: a state that is the smallest in its real years, Tuvalu's GDP, may stay so
    in its imputed ones). NaN in a year without any known value (no bound, as before 2.27).
    """
    masked = np.where(known, space, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # years or states without a real value: NaN
        year_low, year_high = np.nanmin(masked, axis=0)[None, :], np.nanmax(masked, axis=0)[None, :]
        own_low, own_high = np.nanmin(masked, axis=1)[:, None], np.nanmax(masked, axis=1)[:, None]
    low = np.where(np.isnan(year_low), np.nan, np.fmin(year_low, own_low))
    high = np.where(np.isnan(year_high), np.nan, np.fmax(year_high, own_high))
    return np.stack([low, high])


def _carry(panel: InputPanel, x: np.ndarray, years: np.ndarray, max_age: int, spread_by_age: np.ndarray,
           after_last_only: bool = False, off_scale_only: str | None = None) -> None:
    """Carry the last known value at most ``max_age`` years; its spread is that of the change over the
    age, in quadrature with the carried value's own spread (an alternative source's). With
    ``after_last_only``, only after the state's last known value: a gap with a known value on both
    sides is left to the model's bridge (revision 2.19). With ``off_scale_only`` (the input's scale),
    only a value without a place on it, a zero on a log scale, which the model cannot anchor to
    (revision 2.26)."""
    known = panel.status <= ALTERNATIVE
    last = _last_index(known)
    age = np.arange(years.size)[None, :] - last
    carry = ~known & (last >= 0) & (age <= max_age)
    if after_last_only:
        known_later = np.zeros_like(known)
        known_later[:, :-1] = np.flip(np.logical_or.accumulate(np.flip(known[:, 1:], axis=1), axis=1), axis=1)
        carry &= ~known_later
    source = np.take_along_axis(x, np.maximum(last, 0), axis=1)
    if off_scale_only is not None:
        carry &= ~on_scale(source, off_scale_only)
    source_spread = np.take_along_axis(panel.spread, np.maximum(last, 0), axis=1)
    panel.status[carry] = CARRIED
    panel.centre[carry] = source[carry]
    panel.spread[carry] = np.hypot(spread_by_age[np.minimum(age, max_age)], source_spread)[carry]
    panel.data_year[carry] = years[np.maximum(last, 0)][carry]


def _input_panel(
    name: str, x: np.ndarray, alternative: tuple[np.ndarray, np.ndarray] | None, years: np.ndarray,
    sampling: np.ndarray | None = None,
) -> tuple[InputPanel, np.ndarray]:
    """The input's panel before imputation: real (drawn with ``sampling``, its sd, where given),
    another source's (value, spread) or carried; and its known values on the input's scale (NaN elsewhere)."""
    rule = INPUTS[name]
    status = np.full(x.shape, MISSING, dtype=np.int8)
    value = x.copy()
    spread = np.zeros(x.shape)
    status[~np.isnan(x)] = REAL
    if sampling is not None:
        spread = np.where(status == REAL, np.nan_to_num(sampling), 0.0)
    if alternative is not None:
        alt_value, alt_spread = alternative
        use = np.isnan(x) & ~np.isnan(alt_value)
        value[use] = alt_value[use]
        spread[use] = np.nan_to_num(alt_spread[use])
        status[use] = ALTERNATIVE
    known = status <= ALTERNATIVE
    space = np.where(known, to_space(np.where(known, value, 1.0), rule.space), np.nan)
    data_year = np.where(known, years[None, :].astype(float), np.nan)
    panel = InputPanel(name, status, data_year, space.copy(), spread)
    if rule.carry_years > 0:
        by_age = carry_spread(space, known & on_scale(space, rule.space), rule.carry_years)
        bridged = rule.model != "none" and not rule.structural  # a model can bridge a gap inside the series
        _carry(panel, space, years, rule.carry_years, by_age, after_last_only=bridged,
               off_scale_only=rule.space if rule.model_after_last else None)
    return panel, space


def impute(
    frame: pd.DataFrame, alternatives: dict[str, Alternative] | None = None, gdp_model: np.ndarray | None = None
) -> Imputed:
    """Apply the gap rules to every input column of ``frame`` (iso3, year, region, inputs...).

    ``alternatives`` maps an input to values from another source (:class:`Alternative`, aligned with
    ``frame``) used where the primary one has none (status ``real (other source)``, drawn with the
    alternative's spread if it has one). ``gdp_model`` is
    an optional (units, years) array of Maddison-based log GDP predictions with their residual sd
    stacked last (shape (units, years, 2)), see :func:`middlepower.power.indicators.maddison_gdp`.
    """
    units = np.array(sorted(frame["iso3"].unique()), dtype=object)
    years = np.arange(int(frame["year"].min()), int(frame["year"].max()) + 1)
    groups = frame.drop_duplicates("iso3").set_index("iso3")["region"].reindex(units).fillna("?").to_numpy()
    out = Imputed(frame[[c for c in frame.columns if c not in INPUTS]].copy(), units, years)
    for name, rule in INPUTS.items():
        if name not in frame.columns:
            continue
        x = wide(frame, name, units, years)
        alt = None
        if alternatives and name in alternatives:
            other = alternatives[name]
            spread = other.spread if other.spread is not None else pd.Series(0.0, index=frame.index)
            with_alt = frame.assign(_alt=other.value, _alt_spread=spread)
            alt = (wide(with_alt, "_alt", units, years), wide(with_alt, "_alt_spread", units, years))
        sampling = wide(frame, rule.sampling, units, years) if rule.sampling in frame.columns else None
        panel, space = _input_panel(name, x, alt, years, sampling)
        gaps = panel.status == MISSING
        if rule.structural or rule.model == "none" or not gaps.any():
            if rule.structural:
                panel.status[gaps] = STRUCTURAL
            out.inputs[name] = panel
            continue
        known = panel.status <= ALTERNATIVE
        if rule.model == "gdp_ratio" and "gdp_usd" in out.inputs:
            gdp = out.inputs["gdp_usd"]
            gdp_known = (gdp.status <= ALTERNATIVE) & on_scale(gdp.centre, INPUTS["gdp_usd"].space)
            both = known & on_scale(space, rule.space) & gdp_known
            ratio = np.where(both, space - gdp.centre, np.nan)
            centre, spread = held_after_end(*group_stats(ratio, ~np.isnan(ratio), groups), ~np.isnan(ratio))
            fill = gaps & (gdp.status < STRUCTURAL)
            panel.offset_of, panel.relative = "gdp_usd", fill
            _fill_anchored(panel, "ratio to GDP", ratio, ~np.isnan(ratio), centre, spread, fill)
        elif rule.model == "gdp" and "population" in out.inputs:
            fill = _impute_gdp(panel, space, known, groups, out.inputs["population"], gdp_model)
        else:
            centre, spread = held_after_end(*group_stats(space, known, groups), known)
            fill = gaps & ~np.isnan(centre)
            _fill_anchored(panel, "region", space, known, centre, spread, fill)
        panel.status[fill] = IMPUTED
        panel.bounds = real_bounds(space, known & on_scale(space, rule.space))
        out.inputs[name] = panel
    return out


def _impute_gdp(
    panel: InputPanel,
    space: np.ndarray,
    known: np.ndarray,
    groups: np.ndarray,
    population: InputPanel,
    model: np.ndarray | None,
) -> np.ndarray:
    """Fill GDP gaps: the Maddison-based model where it has a value, else region GDP per capita x population."""
    gaps = panel.status == MISSING
    filled = np.zeros(gaps.shape, dtype=bool)
    measured = known & on_scale(space, INPUTS[panel.name].space)
    if model is not None:
        use = gaps & ~np.isnan(model[..., 0])
        _fill_anchored(panel, "Maddison", space, measured, model[..., 0], model[..., 1], use)
        filled |= use
    pop_ok = population.status < STRUCTURAL
    per_capita = np.where(measured & pop_ok, space - population.centre, np.nan)
    centre, spread = group_stats(per_capita, ~np.isnan(per_capita), groups)
    rest = gaps & ~filled & pop_ok & ~np.isnan(centre)
    _fill_anchored(panel, "region per head", space, measured & pop_ok, centre + population.centre,
                   np.sqrt(spread**2 + population.spread**2), rest)
    return filled | rest


def _fill_anchored(
    panel: InputPanel,
    branch: str,
    value: np.ndarray,
    known: np.ndarray,
    model: np.ndarray,
    spread: np.ndarray,
    fill: np.ndarray,
) -> None:
    """Set the ``fill`` cells of ``panel`` from ``model`` (with its ``spread``), each moved towards the
    state's own residual at its nearest ``known`` cell (:class:`Anchor`); the anchor is kept under
    ``branch`` for :func:`holdout`."""
    anchor = Anchor.fit(value, model, spread, known)
    centre, sd = anchor.apply(model, spread, fill)
    panel.centre[fill], panel.spread[fill] = centre[fill], sd[fill]
    panel.anchors[branch] = anchor


def holdout(imputed: Imputed, distances: tuple[int, ...] = HOLDOUT_DISTANCES) -> pd.DataFrame:
    """Revision 2.16's check on real values only: one row per input, model branch and distance d.

    For every pair of a state's real values of an input d years apart (both with a residual from the
    branch's model), each is predicted from the other, by the model alone, by the anchored rule and by
    the other value held flat (carrying; revision 2.26). Columns: input, model, rho, distance,
    predictions (2 per pair), median absolute error of each (``error_model``, ``error_anchored``,
    ``error_carry``, on the input's scale: log units for log inputs), the mean absolute error of each
    (``mean_error_*``; the median is 0 for inputs that are mostly zero) and the share of real values
    inside each prediction's 90% interval (``inside_*``; carrying's is that of the pairs' own spread
    of changes over d years, as :func:`carry_spread` gives a carried value).
    """
    rows = []
    for name, panel in imputed.inputs.items():
        for branch, anchor in panel.anchors.items():
            z, spread = anchor.z, anchor.spread
            for d in distances:
                if d >= z.shape[1]:
                    continue
                pair = ~np.isnan(z[:, :-d]) & ~np.isnan(z[:, d:])
                if not pair.any():
                    continue
                target = np.concatenate([z[:, d:][pair], z[:, :-d][pair]])
                source = np.concatenate([z[:, :-d][pair], z[:, d:][pair]])
                scale = np.concatenate([spread[:, d:][pair], spread[:, :-d][pair]])
                expected, sd = _one_side(anchor.rho**d, source)
                residual = target - expected
                later, earlier = panel.centre[:, d:][pair], panel.centre[:, :-d][pair]
                change = np.concatenate([later - earlier, earlier - later])  # the other value held flat
                rows.append({
                    "input": name, "model": branch, "rho": anchor.rho, "distance": d, "predictions": target.size,
                    "error_model": float(np.median(np.abs(target) * scale)),
                    "error_anchored": float(np.median(np.abs(residual) * scale)),
                    "error_carry": float(np.median(np.abs(change))),
                    "mean_error_model": float(np.mean(np.abs(target) * scale)),
                    "mean_error_anchored": float(np.mean(np.abs(residual) * scale)),
                    "mean_error_carry": float(np.mean(np.abs(change))),
                    "inside_model": float(np.mean(np.abs(target) <= Z90)),
                    "inside_anchored": float(np.mean(np.abs(residual) <= Z90 * sd)),
                    "inside_carry": float(np.mean(np.abs(change) <= Z90 * np.std(change))),
                })
    return pd.DataFrame(rows, columns=list(HOLDOUT_COLUMNS))


def bridge_holdout(imputed: Imputed, distances: tuple[int, ...] = BRIDGE_DISTANCES) -> pd.DataFrame:
    """Revision 2.17's check on real values only: one row per input, model branch and distance d.

    Every real value with a real value of the same state and input d years before and d years after
    (all three with a residual from the branch's model) is predicted from the earlier one alone (2.16's
    rule on a tie) and from both (2.17's bridge). Columns: input, model, rho, distance, predictions,
    the mean absolute error of each on the input's scale (``mean_error_nearest``, ``mean_error_bridge``)
    and the share of real values inside each 90% interval (``inside_nearest``, ``inside_bridge``).
    """
    rows = []
    for name, panel in imputed.inputs.items():
        for branch, anchor in panel.anchors.items():
            z, spread, rho = anchor.z, anchor.spread, anchor.rho
            for d in distances:
                if 2 * d >= z.shape[1]:
                    continue
                before, target, after = z[:, : -2 * d], z[:, d:-d], z[:, 2 * d :]
                triple = ~np.isnan(before) & ~np.isnan(target) & ~np.isnan(after)
                if not triple.any():
                    continue
                scale = spread[:, d:-d][triple]
                expected, nearest_sd = _one_side(rho**d, before[triple])
                nearest = target[triple] - expected
                expected, bridge_sd = _bridge(rho**d, rho**d, before[triple], after[triple])
                bridge = target[triple] - expected
                rows.append({
                    "input": name, "model": branch, "rho": rho, "distance": d, "predictions": int(triple.sum()),
                    "mean_error_nearest": float(np.mean(np.abs(nearest) * scale)),
                    "mean_error_bridge": float(np.mean(np.abs(bridge) * scale)),
                    "inside_nearest": float(np.mean(np.abs(nearest) <= Z90 * nearest_sd)),
                    "inside_bridge": float(np.mean(np.abs(bridge) <= Z90 * bridge_sd)),
                })
    return pd.DataFrame(rows, columns=list(BRIDGE_COLUMNS))
