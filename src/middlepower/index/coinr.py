"""Read COINr-style input tables, so an analyst can bring an existing framework.

- iData: one row per unit (and time): ``uCode``, optionally ``uName`` and ``Time``, group
  columns, denominator columns, and one column per indicator (named by its iCode).
- iMeta: one row per indicator or aggregate: ``Level``, ``iCode``, ``iName``, ``Direction``,
  ``Weight``, ``Parent``, ``Type`` ("Indicator", "Aggregate", "Group", "Denominator", "Other"),
  optionally ``Denominator`` (the iCode of the denominator an indicator is divided by).

The spec runs each of COINr's build functions with its defaults unless ``methods`` says otherwise:
``Treat()`` (winsorise up to 5 points, log_CT fallback), ``Normalise()`` (min-max onto [0, 100]),
``Aggregate()`` (weighted arithmetic mean, re-weighting around gaps). No imputation unless asked
(COINr imputes only when ``Impute()`` is called), and no denominators unless ``denominate`` is set
(COINr's ``Denominate()``: each indicator with a ``Denominator`` entry divided by that column).
``uncertainty`` defaults to the uncertain inputs of COINr's own uncertainty-analysis example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from middlepower.errors import SpecError
from middlepower.index.hierarchy import node_levels
from middlepower.index.spec import Spec, read_spec_mapping, spec_from_dict

IMETA_COLUMNS = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")

COINR_TREATMENT = {"method": "winsorise", "winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5, "fallback": "log_ct"}
"""COINr's Treat() defaults: winsorise(winmax = 5, skew_thresh = 2, kurt_thresh = 3.5), then log_CT."""

COINR_EXAMPLE_UNCERTAINTY: tuple[dict[str, Any], ...] = (
    {"input": "treatment", "alternatives": [{**COINR_TREATMENT, "winmax": w} for w in (1, 2, 3, 4, 5)]},
    {"input": "normalisation", "alternatives": [{"method": "minmax", "low": 1, "high": 100},
                                                 {"method": "zscore", "mean": 10, "sd": 2}]},
    {"input": "weights", "node_level": 2, "noise": 0.25},
    {"input": "weights", "node_level": 3, "noise": 0.25},
    {"input": "aggregation", "alternatives": ["arithmetic", "geometric"]},
)
"""The four uncertain inputs of COINr's sensitivity vignette (COINr 1.1.14, vignettes/sensitivity.Rmd):
winmax 1 to 5; min-max onto [1, 100] or z-scores with mean 10 and sd 2; weight noise of +-25 %
at COINr's Levels 2 and 3 (``get_noisy_weights``); arithmetic or geometric mean. A weights entry
for a level the framework lacks below its root is dropped."""


def _frame(table: pd.DataFrame | str | Path, what: str) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    path = Path(table)
    if not path.is_file():
        raise SpecError(f"{what}: file {path} not found")
    return pd.read_excel(path) if path.suffix in (".xlsx", ".xls") else pd.read_csv(path)


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def spec_dict_from_imeta(imeta: pd.DataFrame, has_time: bool, group: str | None = None,
                         denominate: bool = False) -> dict[str, Any]:
    """The spec mapping (hierarchy, directions, weights, group, denominators) of an iMeta table.

    ``group`` names the Group column for group imputation (default: the first Group row)."""
    missing = [c for c in IMETA_COLUMNS if c not in imeta.columns]
    if missing:
        raise SpecError(f"iMeta: column {missing[0]!r} missing")
    if denominate and "Denominator" not in imeta.columns:
        raise SpecError("iMeta: no 'Denominator' column to denominate by")
    indicators, aggregates, groups = [], [], []
    for row in imeta.to_dict("records"):
        code, kind = str(row["iCode"]), str(row["Type"])
        name = _text(row.get("iName")) or ""
        weight = 1.0 if pd.isna(row["Weight"]) else float(row["Weight"])
        if kind == "Indicator":
            direction = 1 if pd.isna(row["Direction"]) else int(row["Direction"])
            entry = {"code": code, "parent": _text(row["Parent"]), "column": code, "direction": direction,
                     "weight": weight, "name": name}
            if denominate and _text(row.get("Denominator")):
                entry["denominator"] = _text(row["Denominator"])
            indicators.append(entry)
        elif kind == "Aggregate":
            aggregates.append({"code": code, "parent": _text(row["Parent"]), "weight": weight, "name": name})
        elif kind == "Group":
            groups.append(code)
        elif kind not in ("Denominator", "Other"):
            raise SpecError(f"iMeta row {code!r}: unknown Type {kind!r}")
    if group is not None and group not in groups:
        raise SpecError(f"iMeta: {group!r} is not a Group row (Group rows: {', '.join(groups) or 'none'})")
    return {"unit": "uCode", "time": "Time" if has_time else None,
            "group": group if group is not None else (groups[0] if groups else None),
            "indicators": indicators, "aggregates": aggregates}


def _example_uncertainty(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """COINr's example inputs, without weight noise at levels the framework lacks below its root."""
    probe = spec_from_dict({**raw, "uncertainty": []})
    depth = node_levels(probe.indicators, probe.aggregates)
    below_root = {lvl for code, lvl in depth.items() if code != probe.root}
    return [u for u in COINR_EXAMPLE_UNCERTAINTY if u["input"] != "weights" or u["node_level"] in below_root]


def read_coinr(idata: pd.DataFrame | str | Path, imeta: pd.DataFrame | str | Path,
               methods: dict[str, Any] | None = None, group: str | None = None, denominate: bool = False,
               uncertainty: list[dict[str, Any]] | None = None, **spec_fields: Any) -> tuple[Spec, pd.DataFrame]:
    """Return (spec, data) built from COINr iData and iMeta tables (frames or CSV/Excel paths).

    ``methods`` is the ``[methods]`` table of a spec (e.g. ``{"imputation": "group_mean"}``),
    merged over COINr's defaults; ``group`` the Group column to impute by; ``denominate`` divides
    each indicator by its iMeta ``Denominator`` column; ``uncertainty`` the ``[[uncertainty]]``
    entries (default :data:`COINR_EXAMPLE_UNCERTAINTY`). Other keyword arguments are top-level
    spec fields (``levels``, ``min_data_availability``, ``min_availability``, ``name``).
    """
    data, meta = _frame(idata, "iData"), _frame(imeta, "iMeta")
    if "uCode" not in data.columns:
        raise SpecError("iData: column 'uCode' missing")
    raw = spec_dict_from_imeta(meta, has_time="Time" in data.columns, group=group, denominate=denominate)
    raw["name"] = "COINr framework"
    raw.update(spec_fields)
    raw["methods"] = {"treatment": COINR_TREATMENT, **(methods or {})}
    raw["uncertainty"] = list(uncertainty) if uncertainty is not None else _example_uncertainty(raw)
    return spec_from_dict(raw), data


SETTINGS_KEYS = ("name", "group", "denominate", "methods", "levels", "uncertainty", "min_data_availability",
                 "min_availability")
"""Keys of a COINr settings file: how to build the index from iData/iMeta (see docs/index-engine.md)."""


def read_coinr_settings(path: str | Path) -> dict[str, Any]:
    """The keyword arguments of :func:`read_coinr` from a TOML/YAML settings file."""
    raw = read_spec_mapping(path)
    unknown = sorted(set(raw) - set(SETTINGS_KEYS))
    if unknown:
        raise SpecError(f"{path}: unknown COINr setting {unknown[0]!r} (expected one of {', '.join(SETTINGS_KEYS)})")
    return raw
