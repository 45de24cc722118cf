"""The power model's spec: an index spec for :mod:`middlepower.index` plus the model's own fields.

The TOML file (default: ``data/power/default_spec.toml``) is an ordinary index spec whose
indicators carry model and documentation fields (``inputs``, ``transform``, ``coverage``, ``why``)
and which has a ``[power]`` table for tiers, conduct, the power gap, criteria and the Monte Carlo.
:func:`load` strips them before the index engine validates the rest, and reads each indicator's
unit and sources from the column catalogue by its ``column`` (never typed in the spec), so one file
defines a model variant and every column is described once. The engine sees each indicator's
*transformed* column (``log(gdp_usd)``), which :mod:`middlepower.power.indicators` provides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from middlepower import index, limits
from middlepower.errors import SpecError
from middlepower.power.inputs import INPUTS, TRANSFORMS
from middlepower.specfile import about, read_mapping

DOC_FIELDS = ("coverage", "why")
MODEL_FIELDS = ("inputs", "transform")
CRITERIA = ("location", "resources", "multilateralism", "mediation", "diplomacy_not_force", "balance")
"""The article's six criteria of a middle power, in its order (docs/power.md, "The article's criteria")."""

POWER_DEFAULTS: dict[str, object] = {
    "tier_pillar": "capability",
    "great_percentile": 95.0,
    "middle_percentile": 75.0,
    "min_real_inputs": 0.5,
    "influence_pillar": "influence",
    "capability_pillar": "capability",
    "behaviour_pillar": "behaviour",
    "conduct_percentile": 50.0,
    "criterion_percentile": 66.7,
    "criteria": {},
    "imputation_draws": 50,
    "replications": 1000,
    "seed": 0,
}
TIERS = ("great", "middle", "small")
CLASSES = ("great power", "middle power", "middle-ranking power", "small state")
"""Position x conduct: great tier; middle tier with middle-power conduct; middle tier otherwise; small tier."""


def probability_column(name: str) -> str:
    """The column of a tier's or class's probability: ``p_middle``, ``p_middle_ranking_power``."""
    return "p_" + name.replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class PowerSettings:
    """Tier cut-offs, the no-tier rule, conduct, power gap, criteria and Monte Carlo settings."""

    tier_pillar: str
    great_percentile: float
    middle_percentile: float
    min_real_inputs: float
    influence_pillar: str
    capability_pillar: str
    behaviour_pillar: str
    conduct_percentile: float
    criterion_percentile: float
    criteria: tuple[tuple[str, str], ...]
    imputation_draws: int
    replications: int
    seed: int


@dataclass(frozen=True)
class PowerSpec:
    """The engine's validated spec, the indicators' documentation and the model's settings.

    ``docs`` columns: code, pillar, column (the value, a catalogued column), engine_column (what the
    engine reads), transform, inputs (tuple), name, direction, coverage, why, and from the column
    catalogue unit, sources (tuple of registry names) and source (the same, joined). ``path`` is
    the file it came from; ``fingerprint`` changes with any edit.
    """

    index: index.Spec
    docs: pd.DataFrame
    settings: PowerSettings
    fingerprint: str
    path: Path

    @property
    def pillars(self) -> list[str]:
        """Children of the root, in spec order."""
        root = self.index.root
        return [a.code for a in self.index.aggregates if a.parent == root]

    @property
    def nodes(self) -> list[str]:
        """Every aggregate (pillars, their components and the root), in spec order."""
        return [a.code for a in self.index.aggregates]

    def children(self, code: str) -> list[str]:
        """Aggregates and indicators directly under ``code``."""
        kids = [a.code for a in self.index.aggregates if a.parent == code]
        return kids + [i.code for i in self.index.indicators if i.parent == code]

    def indicators_under(self, code: str) -> list[str]:
        """Indicator codes anywhere below ``code`` (the code itself if it is an indicator), through
        children of positive weight only (a weight-0 pillar is reported, not part of its parent)."""
        if code in set(self.docs["code"]):
            return [code]
        kids = [kid for kid in self.children(code) if self.weight(kid) > 0]
        return [leaf for kid in kids for leaf in self.indicators_under(kid)]

    def inputs_under(self, code: str) -> list[str]:
        """Raw inputs (see :mod:`middlepower.power.inputs`) behind ``code``, without repeats."""
        rows = self.docs.set_index("code").loc[self.indicators_under(code), "inputs"]
        return list(dict.fromkeys(name for names in rows for name in names))

    def weight(self, code: str) -> float:
        """The weight of node ``code`` under its parent."""
        nodes = [*self.index.aggregates, *self.index.indicators]
        return next((float(a.weight) for a in nodes if a.code == code), 1.0)

    def pillar_name(self, code: str) -> str:
        return next((a.name or a.code for a in self.index.aggregates if a.code == code), code)

    def node_label(self, code: str) -> str:
        """A node's name as ``profile`` and the reports list it: indented ("· " a level) under its
        pillar when it is a component of one (behaviour's mediation), plain for a pillar or the root."""
        parents = {a.code: a.parent for a in self.index.aggregates}
        depth = 0
        parent = parents.get(code)
        while parent is not None and parent != self.index.root:
            depth += 1
            parent = parents.get(parent)
        return ("· " * depth) + self.pillar_name(code)

    def criterion_node(self, criterion: str) -> str | None:
        return dict(self.settings.criteria).get(criterion)


def default_spec_path() -> Path:
    """Path of the spec shipped with the package."""
    return Path(str(resources.files("middlepower.data.power").joinpath("default_spec.toml")))


def _settings(raw: dict, nodes: set[str]) -> PowerSettings:
    unknown = set(raw) - set(POWER_DEFAULTS)
    if unknown:
        raise SpecError(
            f"[power]: unknown setting {sorted(unknown)[0]!r} (expected one of {', '.join(POWER_DEFAULTS)})"
        )
    merged = {**POWER_DEFAULTS, **raw}
    for key in ("tier_pillar", "capability_pillar", "influence_pillar", "behaviour_pillar"):
        if merged[key] not in nodes:
            raise SpecError(f"[power] {key}: {merged[key]!r} is not an aggregate of the spec")
    try:
        numbers = {
            key: float(merged[key])
            for key in (
                "great_percentile",
                "middle_percentile",
                "min_real_inputs",
                "conduct_percentile",
                "criterion_percentile",
            )
        }
        counts = {key: int(merged[key]) for key in ("imputation_draws", "replications", "seed")}
    except (TypeError, ValueError) as exc:
        raise SpecError(f"[power]: settings must be numbers ({exc})") from None
    great, middle = numbers["great_percentile"], numbers["middle_percentile"]
    if not 0 < middle < great <= 100:
        raise SpecError(f"[power]: need 0 < middle_percentile < great_percentile <= 100, got {middle}, {great}")
    for key in ("min_real_inputs",):
        if not 0 <= numbers[key] <= 1:
            raise SpecError(f"[power] {key}: must be between 0 and 1, got {numbers[key]}")
    for key in ("conduct_percentile", "criterion_percentile"):
        if not 0 < numbers[key] < 100:
            raise SpecError(f"[power] {key}: must be a percentile strictly between 0 and 100, got {numbers[key]}")
    if not 1 <= counts["replications"] <= limits.REPLICATIONS.value:
        raise SpecError(f"[power] replications: must be between 1 and {limits.REPLICATIONS.value:,}, "
                        f"got {counts['replications']}")
    if not 1 <= counts["imputation_draws"] <= counts["replications"]:
        raise SpecError(
            f"[power] imputation_draws: must be between 1 and replications, got {counts['imputation_draws']}"
        )
    criteria = merged["criteria"]
    if not isinstance(criteria, dict):
        raise SpecError("[power] criteria: expected a table {criterion = node}")
    for criterion, node in criteria.items():
        if criterion not in CRITERIA:
            raise SpecError(
                f"[power] criteria: unknown criterion {criterion!r} (expected one of {', '.join(CRITERIA)})"
            )
        if node not in nodes:
            raise SpecError(f"[power] criteria.{criterion}: {node!r} is not an aggregate of the spec")
    return PowerSettings(
        str(merged["tier_pillar"]),
        great,
        middle,
        numbers["min_real_inputs"],
        str(merged["influence_pillar"]),
        str(merged["capability_pillar"]),
        str(merged["behaviour_pillar"]),
        numbers["conduct_percentile"],
        numbers["criterion_percentile"],
        tuple(criteria.items()),
        counts["imputation_draws"],
        counts["replications"],
        counts["seed"],
    )


def engine_column(column: str, transform: str) -> str:
    """The column the engine reads for ``column`` under ``transform`` (e.g. ``log(milex_usd)``)."""
    return column if transform == "none" else f"{transform}({column})"


def _indicator_row(entry: dict) -> dict:
    code = entry.get("code", "?")
    where = f"indicator {code!r}"
    missing = [f for f in (*DOC_FIELDS, *MODEL_FIELDS) if not entry.get(f)]
    if missing:
        raise SpecError(
            f"{where}: no {missing[0]!r} (every indicator names its inputs, transform, coverage "
            "and why; unit and sources come from the column catalogue)"
        )
    transform = entry["transform"]
    if transform not in TRANSFORMS:
        raise SpecError(f"{where}, field 'transform': {transform!r} is not one of {', '.join(TRANSFORMS)}")
    inputs = entry["inputs"]
    if not isinstance(inputs, list) or not all(isinstance(x, str) for x in inputs):
        raise SpecError(f"{where}, field 'inputs': expected a list of input names")
    unknown = [name for name in inputs if name not in INPUTS]
    if unknown:
        raise SpecError(f"{where}, field 'inputs': unknown input {unknown[0]!r} (known: {', '.join(sorted(INPUTS))})")
    column = entry.get("column", code)
    row = {
        "code": code,
        "pillar": entry.get("parent"),
        "column": column,
        "engine_column": engine_column(column, transform),
        "transform": transform,
        "inputs": tuple(inputs),
        "name": entry.get("name", ""),
        "direction": entry.get("direction", 1),
        **{f: entry[f] for f in DOC_FIELDS},
    }
    for field in (*DOC_FIELDS, *MODEL_FIELDS):
        entry.pop(field)
    entry["column"] = row["engine_column"]
    return row


def load(path: str | Path | None = None) -> PowerSpec:
    """Read and validate a power spec (default: the shipped one); SpecError names any bad entry."""
    path = Path(path) if path is not None else default_spec_path()
    raw = read_mapping(path, "spec", "toml")
    fingerprint = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()[:16]
    power_raw = raw.pop("power", {})
    if not isinstance(power_raw, dict):
        raise SpecError(f"{path}: [power] must be a table")
    indicators = raw.get("indicators", [])
    if not isinstance(indicators, list) or not all(isinstance(e, dict) for e in indicators):
        raise SpecError(f"{path}: [[indicators]] must be a list of tables")
    with about(path):
        rows = [_indicator_row(entry) for entry in indicators]
        spec = index.spec_from_dict(raw)
        settings = _settings(power_raw, {a.code for a in spec.aggregates})
        return PowerSpec(spec, _with_catalogue(pd.DataFrame(rows), path), settings, fingerprint, path)


def _with_catalogue(docs: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Add each indicator's ``unit``, ``sources`` (registry names; with the alternative sources of its
    inputs) and ``source`` (for display) from the column catalogue; SpecError naming an indicator
    whose column is in no catalogue."""
    from middlepower import panel
    from middlepower.power.indicators import ALTERNATIVE_SOURCES, MODEL_COLUMNS

    catalogue = panel.declared(MODEL_COLUMNS).drop_duplicates("name").set_index("name")
    for row in docs.itertuples():
        if row.column not in catalogue.index:
            raise SpecError(
                f"{path}: indicator {row.code!r}: column {row.column!r} is in no column catalogue "
                "(docs/panel.md; the model's own columns: middlepower.power.indicators.MODEL_COLUMNS)"
            )
    found = catalogue.loc[docs["column"]]
    sources = [
        tuple(dict.fromkeys([*names, *(alt for name in inputs for alt in ALTERNATIVE_SOURCES.get(name, ()))]))
        for names, inputs in zip(found["sources"], docs["inputs"], strict=True)
    ]
    return docs.assign(unit=found["unit"].to_numpy(), sources=sources, source=[", ".join(s) for s in sources])
