"""The power model's spec: an index spec for :mod:`middlepower.index` plus the model's own settings.

The TOML file (default: ``data/power/default_spec.toml``) is an ordinary index spec whose
indicators carry two documentation fields (``coverage``, ``why``) and which has a ``[power]`` table
for tiers and the power gap. :func:`load` strips both before the index engine validates the rest,
and reads each indicator's unit and sources from the column catalogue by its ``column``, so one
file defines the model and every column is described once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from middlepower import index
from middlepower.errors import SpecError
from middlepower.specfile import read_mapping

DOC_FIELDS = ("coverage", "why")
POWER_DEFAULTS = {
    "tier_pillar": "capability",
    "great_percentile": 95.0,
    "middle_percentile": 75.0,
    "influence_pillars": ["multilateralism", "reach"],
    "capability_pillar": "capability",
    "replications": 1000,
    "seed": 0,
}
TIERS = ("great", "middle", "small")


@dataclass(frozen=True)
class PowerSettings:
    """Tier cut-offs (percentiles within the year of ``tier_pillar``) and power-gap settings."""

    tier_pillar: str
    great_percentile: float
    middle_percentile: float
    influence_pillars: tuple[str, ...]
    capability_pillar: str
    replications: int
    seed: int


@dataclass(frozen=True)
class PowerSpec:
    """The engine's validated spec, the indicators' documentation and the model's settings."""

    index: index.Spec
    docs: pd.DataFrame  # code, pillar, column, name, direction, coverage, why, unit, sources (tuple), source
    settings: PowerSettings
    fingerprint: str

    @property
    def pillars(self) -> list[str]:
        """Pillar codes (children of the root), in spec order."""
        root = self.index.root
        return [a.code for a in self.index.aggregates if a.parent == root]

    def pillar_name(self, code: str) -> str:
        return next((a.name or a.code for a in self.index.aggregates if a.code == code), code)


def default_spec_path() -> Path:
    """Path of the spec shipped with the package."""
    return Path(str(resources.files("middlepower.data.power").joinpath("default_spec.toml")))


def _settings(raw: dict, pillars: set[str], nodes: set[str]) -> PowerSettings:
    unknown = set(raw) - set(POWER_DEFAULTS)
    if unknown:
        raise SpecError(f"[power]: unknown setting {sorted(unknown)[0]!r}")
    merged = {**POWER_DEFAULTS, **raw}
    for key in ("tier_pillar", "capability_pillar"):
        if merged[key] not in nodes:
            raise SpecError(f"[power] {key}: {merged[key]!r} is not an aggregate of the spec")
    for code in merged["influence_pillars"]:
        if code not in pillars:
            raise SpecError(f"[power] influence_pillars: {code!r} is not a pillar of the spec")
    great, middle = float(merged["great_percentile"]), float(merged["middle_percentile"])
    if not 0 < middle < great <= 100:
        raise SpecError(f"[power]: need 0 < middle_percentile < great_percentile <= 100, got {middle}, {great}")
    if int(merged["replications"]) < 1:
        raise SpecError(f"[power] replications: must be >= 1, got {merged['replications']}")
    return PowerSettings(str(merged["tier_pillar"]), great, middle, tuple(merged["influence_pillars"]),
                         str(merged["capability_pillar"]), int(merged["replications"]), int(merged["seed"]))


def load(path: str | Path | None = None) -> PowerSpec:
    """Read and validate a power spec (default: the shipped one); SpecError names any bad entry."""
    path = Path(path) if path is not None else default_spec_path()
    raw = read_mapping(path, "spec", "toml")
    fingerprint = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()[:16]
    power_raw = raw.pop("power", {})
    rows = []
    for entry in raw.get("indicators", []):
        missing = [f for f in DOC_FIELDS if not entry.get(f)]
        if missing:
            raise SpecError(f"indicator {entry.get('code', '?')!r}: no {missing[0]!r} (every indicator is documented)")
        rows.append({"code": entry["code"], "pillar": entry.get("parent"), "column": entry.get("column", entry["code"]),
                     "name": entry.get("name", ""), "direction": entry.get("direction", 1),
                     **{f: entry.pop(f) for f in DOC_FIELDS}})
    spec = index.spec_from_dict(raw)
    pillars = {a.code for a in spec.aggregates if a.parent == spec.root}
    settings = _settings(power_raw, pillars, {a.code for a in spec.aggregates})
    return PowerSpec(spec, _with_catalogue(pd.DataFrame(rows)), settings, fingerprint)


def _with_catalogue(docs: pd.DataFrame) -> pd.DataFrame:
    """Add each indicator's ``unit``, ``sources`` (registry names) and ``source`` (for display) from the
    column catalogue; SpecError naming an indicator whose column is in no catalogue."""
    from middlepower import panel
    from middlepower.power.indicators import MODEL_COLUMNS

    catalogue = panel.declared(MODEL_COLUMNS).drop_duplicates("name").set_index("name")
    for row in docs.itertuples():
        if row.column not in catalogue.index:
            raise SpecError(f"indicator {row.code!r}: column {row.column!r} is in no column catalogue "
                            f"(see docs/panel.md)")
    found = catalogue.loc[docs["column"]]
    return docs.assign(unit=found["unit"].to_numpy(), sources=list(found["sources"]),
                       source=[", ".join(s) for s in found["sources"]])
