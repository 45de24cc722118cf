"""Read COINr-style input tables, so an analyst can bring an existing framework.

- iData: one row per unit (and time): ``uCode``, optionally ``uName`` and ``Time``, group
  columns, and one column per indicator (named by its iCode).
- iMeta: one row per indicator or aggregate: ``Level``, ``iCode``, ``iName``, ``Direction``,
  ``Weight``, ``Parent``, ``Type`` ("Indicator", "Aggregate", "Group", "Denominator", "Other").

The spec gets COINr's default methods unless ``methods`` says otherwise: no imputation, no
treatment, min-max onto [0, 100] and the weighted arithmetic mean re-weighting around gaps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from middlepower.errors import SpecError
from middlepower.index.spec import Spec, spec_from_dict

IMETA_COLUMNS = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")


def _frame(table: pd.DataFrame | str | Path, what: str) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    path = Path(table)
    if not path.is_file():
        raise SpecError(f"{what}: file {path} not found")
    return pd.read_excel(path) if path.suffix in (".xlsx", ".xls") else pd.read_csv(path)


def _parent(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def spec_dict_from_imeta(imeta: pd.DataFrame, has_time: bool) -> dict[str, Any]:
    missing = [c for c in IMETA_COLUMNS if c not in imeta.columns]
    if missing:
        raise SpecError(f"iMeta: column {missing[0]!r} missing")
    indicators, aggregates, groups = [], [], []
    for row in imeta.to_dict("records"):
        code, kind = str(row["iCode"]), str(row["Type"])
        name = "" if pd.isna(row.get("iName")) else str(row.get("iName", ""))
        if kind == "Indicator":
            weight = 1.0 if pd.isna(row["Weight"]) else float(row["Weight"])
            direction = 1 if pd.isna(row["Direction"]) else int(row["Direction"])
            indicators.append({"code": code, "parent": _parent(row["Parent"]), "column": code,
                               "direction": direction, "weight": weight, "name": name})
        elif kind == "Aggregate":
            weight = 1.0 if pd.isna(row["Weight"]) else float(row["Weight"])
            aggregates.append({"code": code, "parent": _parent(row["Parent"]), "weight": weight, "name": name})
        elif kind == "Group":
            groups.append(code)
        elif kind not in ("Denominator", "Other"):
            raise SpecError(f"iMeta row {code!r}: unknown Type {kind!r}")
    return {"unit": "uCode", "time": "Time" if has_time else None, "group": groups[0] if groups else None,
            "indicators": indicators, "aggregates": aggregates}


def read_coinr(idata: pd.DataFrame | str | Path, imeta: pd.DataFrame | str | Path,
               methods: dict[str, Any] | None = None) -> tuple[Spec, pd.DataFrame]:
    """Return (spec, data) built from COINr iData and iMeta tables (frames or CSV/Excel paths).

    ``methods`` is the ``[methods]`` table of a spec (e.g. ``{"normalisation": "zscore"}``).
    """
    data, meta = _frame(idata, "iData"), _frame(imeta, "iMeta")
    if "uCode" not in data.columns:
        raise SpecError("iData: column 'uCode' missing")
    raw = spec_dict_from_imeta(meta, has_time="Time" in data.columns)
    raw["name"] = "COINr framework"
    raw["methods"] = dict(methods or {})
    return spec_from_dict(raw), data
