"""One spec run on one panel: screen -> impute -> treat -> normalise -> weight -> aggregate.

``run`` returns an :class:`IndexResult` holding every stage's array and the spec that made it, so
one method can be changed and the index re-run (``result.rerun(normalisation=...)``). The Monte
Carlo engine calls the same stage functions with parameter draws; there is no second code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from middlepower.errors import ParameterError
from middlepower.index.aggregate import Plan, aggregate_level, rank_descending
from middlepower.index.impute import impute
from middlepower.index.normalise import normalise
from middlepower.index.panel_array import PanelArray, panel_from_frame
from middlepower.index.spec import Method, Spec, make_method
from middlepower.index.treat import TreatmentLog, treat
from middlepower.index.weights import apply_factors, resolve_weights, split_weights

NODES_SHOWN = 20
"""Node codes an unknown-node error lists before it says how many more there are."""


def check_node(spec: Spec, code: object, parameter: str) -> str:
    """``code`` if it names an indicator or aggregate of ``spec``; ParameterError naming ``parameter``
    and listing the spec's nodes otherwise."""
    nodes = [*spec.indicator_codes, *(a.code for a in spec.aggregates)]
    if isinstance(code, str) and code in nodes:
        return code
    more = len(nodes) - NODES_SHOWN
    known = ", ".join(nodes[:NODES_SHOWN]) + (f", ... and {more} more" if more > 0 else "")
    raise ParameterError(f"not a node of {spec.name} ({known})", parameter=parameter, value=code)


def screened(spec: Spec, panel: PanelArray) -> np.ndarray:
    """X with unit-years below ``min_data_availability`` (share of indicators present) blanked."""
    X = panel.X.copy()
    share = np.mean(~np.isnan(X), axis=2)
    X[(share < spec.min_data_availability) | ~panel.present] = np.nan
    return X


def indicator_stages(spec: Spec, panel: PanelArray, X: np.ndarray, imputation: Method, treatment: Method,
                     normalisation: Method) -> tuple[np.ndarray, np.ndarray, TreatmentLog, np.ndarray]:
    """(imputed, treated, treatment log, normalised) arrays, each (units, years, indicators)."""
    imputed = impute(X, imputation, panel.groups)
    treated, log = treat(imputed, treatment)
    return imputed, treated, log, normalise(treated, normalisation, spec.indicators)


def aggregate_blocks(plan: Plan, normalised_2d: np.ndarray, weights: dict[int, dict[int, np.ndarray]],
                     methods: dict[int, Method], factors: np.ndarray, offsets: dict[int, int]) -> dict[int, np.ndarray]:
    """All levels for R replications: block L is (unit-years, nodes of L, R); block 1 is shared.

    ``weights[L][S]`` are nominal W_S matrices; ``factors`` (R, all nodes) scale each child.
    """
    blocks: dict[int, np.ndarray] = {1: normalised_2d}
    for lp in plan.levels:
        child, member = split_weights(weights[lp.level])
        w = apply_factors(child, factors, offsets)
        sources = {s: blocks[s] for s in w}
        blocks[lp.level] = aggregate_level(sources, w, member, methods[lp.level], lp.min_availability)
    return blocks


@dataclass
class IndexResult:
    """Every stage of one run. Arrays are (units, years, indicators); ``scores`` is tidy."""

    spec: Spec
    data: pd.DataFrame = field(repr=False)
    panel: PanelArray = field(repr=False)
    plan: Plan = field(repr=False)
    imputed: np.ndarray = field(repr=False)
    treated: np.ndarray = field(repr=False)
    treatment_log: TreatmentLog = field(repr=False)
    normalised: np.ndarray = field(repr=False)
    weights: dict[int, dict[int, np.ndarray]] = field(repr=False)
    aggregated: dict[int, np.ndarray] = field(repr=False)  # level -> (units, years, nodes)
    _scores: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def scores(self) -> pd.DataFrame:
        """Tidy scores: unit, year, node, level, score, rank (built on first use)."""
        if self._scores is None:
            shaped = {1: self.normalised, **self.aggregated}
            self._scores = _tidy(self.panel, shaped, self.plan)
        return self._scores

    def rerun(self, **changes: object) -> IndexResult:
        """Run again with some spec fields changed, e.g. ``rerun(normalisation="zscore")``."""
        fixed = {k: make_method(k, v, f"rerun {k}") if k in ("imputation", "treatment", "normalisation") else v
                 for k, v in changes.items()}
        return run(self.spec.replace(**fixed), self.data)

    def node_scores(self, code: str) -> pd.DataFrame:
        """Scores of one node as a units x years frame; ParameterError listing the nodes for an unknown ``code``."""
        code = check_node(self.spec, code, "code")
        level, codes = next((level, codes) for level, codes in self.level_codes().items() if code in codes)
        values = self.normalised if level == 1 else self.aggregated[level]
        return pd.DataFrame(values[:, :, codes.index(code)], index=self.panel.units, columns=self.panel.years)

    def level_codes(self) -> dict[int, tuple[str, ...]]:
        return {1: self.plan.indicator_codes, **{lp.level: lp.codes for lp in self.plan.levels}}


def _tidy(panel: PanelArray, depth_blocks: dict[int, np.ndarray], plan: Plan) -> pd.DataFrame:
    units, years = panel.units, panel.years
    frames = []
    for level, values in depth_blocks.items():
        codes = plan.block_codes(level)
        ranks = rank_descending(values, axis=0)
        u, y, k = np.nonzero(np.broadcast_to(panel.present[:, :, None], values.shape))
        frames.append(pd.DataFrame({
            "unit": units[u], "year": years[y], "node": np.asarray(codes, dtype=object)[k],
            "level": level, "score": values[u, y, k], "rank": ranks[u, y, k],
        }))
    return pd.concat(frames, ignore_index=True)


def check_run_arguments(spec: object, data: object) -> None:
    """ParameterError naming ``spec`` or ``data`` when it is not a :class:`Spec` or a DataFrame."""
    if not isinstance(spec, Spec):
        raise ParameterError(f"expected an index Spec (load_spec, spec_from_dict or read_coinr make one), "
                             f"got {type(spec).__name__}", parameter="spec")
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"expected a pandas DataFrame with a row per unit-year, got {type(data).__name__}",
                             parameter="data")


def run(spec: Spec, data: pd.DataFrame) -> IndexResult:
    """Evaluate ``spec`` on every unit and year of ``data`` (wide: a row per unit-year).

    Raises ParameterError when ``spec`` is not a :class:`Spec` or ``data`` not a DataFrame; the
    uncertainty and sensitivity analyses check theirs through this run."""
    check_run_arguments(spec, data)
    panel = panel_from_frame(spec, data)
    plan = spec.plan
    n_units, n_years, n_ind = panel.shape
    imputed, treated, log, normalised = indicator_stages(
        spec, panel, screened(spec, panel), spec.imputation, spec.treatment, spec.normalisation)
    flat: dict[int, np.ndarray] = {1: normalised.reshape(-1, n_ind)}
    weights: dict[int, dict[int, np.ndarray]] = {}
    for lp in plan.levels:
        weights[lp.level] = resolve_weights(lp, flat)
        child, member = split_weights(weights[lp.level])
        sources = {s: flat[s] if s == 1 else flat[s][:, :, None] for s in child}
        w = {s: v[None] for s, v in child.items()}
        flat[lp.level] = aggregate_level(sources, w, member, lp.method, lp.min_availability)[:, :, 0]
    shaped = {level: v.reshape(n_units, n_years, -1) for level, v in flat.items()}
    aggregated = {level: v for level, v in shaped.items() if level > 1}
    return IndexResult(spec, data, panel, plan, imputed, treated, log, normalised, weights, aggregated)
