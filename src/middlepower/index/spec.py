"""The index spec: plain data (TOML or YAML) turned into validated, frozen dataclasses.

A spec names the unit and time columns of the data, the indicators (data column, direction,
weight, parent), the aggregates above them (pillars, sub-indices, the index), the methods of each
stage and, optionally, the uncertain inputs of a Monte Carlo or Sobol analysis. Validation happens
once, here; every error is a one-line :class:`~middlepower.errors.SpecError` naming the entry.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from middlepower.errors import SpecError
from middlepower.index.hierarchy import node_levels, validate
from middlepower.index.methods_registry import (
    FALLBACKS,
    METHODS,
    MISSING_RULES,
    SCOPES,
    UNCERTAIN_INPUTS,
)
from middlepower.specfile import about, read_mapping


@dataclass(frozen=True)
class Method:
    """A method of one stage with its parameters (defaults filled in)."""

    stage: str
    name: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def kw(self) -> dict[str, Any]:
        return dict(self.params)

    def label(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.params if METHODS[self.stage][self.name].get(k) != v)
        return f"{self.name}({extra})" if extra else self.name


@dataclass(frozen=True)
class Indicator:
    code: str
    parent: str
    column: str
    direction: int = 1
    weight: float = 1.0
    name: str = ""
    target: float | None = None
    goalposts: tuple[float, float] | None = None  # (worst, best) in the indicator's own units
    denominator: str | None = None  # data column the raw value is divided by (COINr's Denominate)


@dataclass(frozen=True)
class Aggregate:
    code: str
    parent: str | None
    weight: float = 1.0
    name: str = ""


@dataclass(frozen=True)
class LevelMethods:
    weighting: Method
    aggregation: Method
    min_availability: float = 0.0  # fraction of a node's (weighted) children that must be present


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: its kind and the alternatives a replication draws from."""

    kind: str
    alternatives: tuple[Method, ...] = ()
    level: int | None = None  # weights: the aggregation level whose children's weights get noise
    node_level: int | None = None  # weights, COINr's numbering: the level of the nodes that get noise
    noise: float = 0.0  # weights: each weight becomes w * (1 + e), e ~ U(-noise, noise)
    indicators: tuple[str, ...] = ()  # exclusion: candidates, one (or none) dropped per draw

    @property
    def label(self) -> str:
        if self.kind != "weights":
            return self.kind
        return f"weights_L{self.level}" if self.node_level is None else f"weights_of_L{self.node_level}"


@dataclass(frozen=True)
class Spec:
    name: str
    unit_column: str
    time_column: str | None
    group_column: str | None
    indicators: tuple[Indicator, ...]
    aggregates: tuple[Aggregate, ...]
    imputation: Method
    treatment: Method
    normalisation: Method
    levels: tuple[tuple[int, LevelMethods], ...]
    min_data_availability: float = 0.0
    uncertainty: tuple[UncertainInput, ...] = field(default=())

    @property
    def level_methods(self) -> dict[int, LevelMethods]:
        return dict(self.levels)

    @functools.cached_property
    def plan(self):  # -> middlepower.index.aggregate.Plan
        """The compiled hierarchy (:func:`middlepower.index.aggregate.compile_plan`), built once per spec."""
        from middlepower.index.aggregate import compile_plan

        return compile_plan(self)

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def root(self) -> str:
        return next(a.code for a in self.aggregates if a.parent is None)

    def replace(self, **changes: Any) -> Spec:
        """A copy with some fields changed (e.g. another normalisation), validated again."""
        return validate(dataclasses.replace(self, **changes))


def make_method(stage: str, raw: Any, where: str) -> Method:
    """Turn ``"minmax"`` or ``{method = "minmax", low = 1}`` into a Method, checking names."""
    if isinstance(raw, Method):
        return raw
    if isinstance(raw, str):
        raw = {"method": raw}
    if not isinstance(raw, dict) or "method" not in raw:
        raise SpecError(f"{where}: expected a method name or a table with 'method', got {raw!r}")
    options = dict(raw)
    name = str(options.pop("method"))
    known = METHODS[stage]
    if name not in known:
        raise SpecError(f"{where}: unknown {stage} method {name!r} (expected one of {', '.join(known)})")
    params = dict(known[name])
    for key, value in options.items():
        if key not in params:
            raise SpecError(f"{where}: {stage} method {name!r} has no parameter {key!r}")
        params[key] = value
    _check_params(stage, name, params, where)
    return Method(stage, name, tuple(sorted(params.items())))


def _check_params(stage: str, name: str, params: dict[str, Any], where: str) -> None:
    if "scope" in params and params["scope"] not in SCOPES:
        raise SpecError(f"{where}: scope must be one of {SCOPES}, got {params['scope']!r}")
    if "missing" in params and params["missing"] not in MISSING_RULES:
        raise SpecError(f"{where}: missing must be one of {MISSING_RULES}, got {params['missing']!r}")
    if params.get("fallback", "log") not in FALLBACKS:
        raise SpecError(f"{where}: fallback must be one of {FALLBACKS}, got {params['fallback']!r}")
    if name == "minmax" and not float(params["high"]) > float(params["low"]):
        raise SpecError(f"{where}: minmax needs high > low, got [{params['low']}, {params['high']}]")
    if name == "zscore" and not float(params["sd"]) > 0:
        raise SpecError(f"{where}: zscore needs sd > 0, got {params['sd']}")
    if name == "winsorise" and int(params["winmax"]) < 0:
        raise SpecError(f"{where}: winmax must be >= 0, got {params['winmax']}")


def _weight(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise SpecError(f"{where}: weight must be a number, got {raw!r}")
    value = float(raw)
    if not 0 <= value < math.inf:
        raise SpecError(f"{where}: weight must be a finite number >= 0, got {raw!r}")
    return value


def _fraction(raw: Any, where: str) -> float:
    """A share in 0..1 (``min_data_availability``, ``min_availability``); SpecError naming ``where``."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 <= raw <= 1:
        raise SpecError(f"{where}: expected a number from 0 to 1, got {raw!r}")
    return float(raw)


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str):
        raise SpecError(f"{where}: expected text, got {raw!r}")
    return raw


def _tables(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The list of tables under ``key`` (``[[indicators]]``); SpecError when it is anything else."""
    entries = raw.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SpecError(f"{key}: expected a list of tables ([[{key}]] in TOML), got {type(entries).__name__}")
    return entries


def _indicator(raw: dict[str, Any]) -> Indicator:
    code = raw.get("code", "")
    where = f"indicator {code!r}"
    if not code:
        raise SpecError(f"indicator without 'code': {raw!r}")
    _text(code, f"{where}: code")
    unknown = set(raw) - {"code", "parent", "column", "direction", "weight", "name", "target", "goalposts",
                          "denominator"}
    if unknown:
        raise SpecError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    if not raw.get("parent"):
        raise SpecError(f"{where}: no parent")
    direction = raw.get("direction", 1)
    if isinstance(direction, bool) or direction not in (1, -1):
        raise SpecError(f"{where}: direction must be 1 or -1, got {direction!r}")
    goalposts = raw.get("goalposts")
    if goalposts is not None:
        if len(goalposts) != 2 or float(goalposts[0]) == float(goalposts[1]):
            raise SpecError(f"{where}: goalposts must be [worst, best] with worst != best")
        goalposts = (float(goalposts[0]), float(goalposts[1]))
        if (goalposts[1] - goalposts[0]) * direction < 0:
            raise SpecError(f"{where}: goalposts [worst, best] disagree with direction {direction}")
    target = raw.get("target")
    return Indicator(
        code=code,
        parent=str(raw["parent"]),
        column=str(raw.get("column", code)),
        direction=int(direction),
        weight=_weight(raw.get("weight", 1.0), where),
        name=str(raw.get("name", "")),
        target=None if target is None else float(target),
        goalposts=goalposts,
        denominator=None if raw.get("denominator") in (None, "") else str(raw["denominator"]),
    )


def _aggregate(raw: dict[str, Any]) -> Aggregate:
    code = str(raw.get("code", ""))
    if not code:
        raise SpecError(f"aggregate without 'code': {raw!r}")
    unknown = set(raw) - {"code", "parent", "weight", "name"}
    if unknown:
        raise SpecError(f"aggregate {code!r}: unknown field {sorted(unknown)[0]!r}")
    parent = raw.get("parent")
    return Aggregate(code, None if parent in (None, "") else str(parent),
                     _weight(raw.get("weight", 1.0), f"aggregate {code!r}"), str(raw.get("name", "")))


def _uncertain(raw: dict[str, Any]) -> UncertainInput:
    kind = str(raw.get("input", ""))
    if kind not in UNCERTAIN_INPUTS:
        raise SpecError(f"uncertainty input {kind!r}: unknown (expected one of {', '.join(UNCERTAIN_INPUTS)})")
    where = f"uncertainty input {kind!r}"
    if kind == "weights":
        noise = float(raw.get("noise", 0.25))
        if not 0 <= noise < 1:
            raise SpecError(f"{where}: noise must be in [0, 1), got {noise}")
        unknown = set(raw) - {"input", "level", "node_level", "noise"}
        if unknown:
            raise SpecError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        if "level" in raw and "node_level" in raw:
            raise SpecError(f"{where}: give 'level' (a parent level) or 'node_level' (COINr's Level), not both")
        if "node_level" in raw:
            return UncertainInput(kind, node_level=int(raw["node_level"]), noise=noise)
        return UncertainInput(kind, level=int(raw.get("level", 2)), noise=noise)
    unknown = set(raw) - ({"input", "indicators"} if kind == "exclusion" else {"input", "alternatives"})
    if unknown:
        raise SpecError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    if kind == "exclusion":
        return UncertainInput(kind, indicators=tuple(str(c) for c in raw.get("indicators", ())))
    stage = "treatment" if kind == "treatment" else kind
    alternatives = tuple(make_method(stage, alt, where) for alt in raw.get("alternatives", ()))
    if len(alternatives) < 1:
        raise SpecError(f"{where}: needs at least one entry in 'alternatives'")
    return UncertainInput(kind, alternatives=alternatives)


TOP_LEVEL_KEYS = frozenset({"name", "unit", "time", "group", "methods", "levels", "indicators", "aggregates",
                            "uncertainty", "min_data_availability", "min_availability"})
"""Every key a spec may have at its top level; any other (a typo, ``[[level]]``) is refused, never ignored."""
LEVEL_KEYS = frozenset({"level", "weighting", "aggregation", "min_availability"})


def spec_from_dict(raw: dict[str, Any]) -> Spec:
    """Build and validate a Spec from the parsed TOML/YAML mapping; SpecError names the first unknown key
    (top level, ``[[levels]]`` or ``[[uncertainty]]`` entry) or bad value."""
    unknown = set(raw) - TOP_LEVEL_KEYS
    if unknown:
        raise SpecError(f"unknown top-level key {sorted(unknown)[0]!r} (expected one of "
                        f"{', '.join(sorted(TOP_LEVEL_KEYS))})")
    if not isinstance(raw.get("methods", {}), dict):
        raise SpecError(f"methods: expected a table, got {raw['methods']!r}")
    methods = dict(raw.get("methods", {}))
    unknown = set(methods) - {"imputation", "treatment", "normalisation", "weighting", "aggregation"}
    if unknown:
        raise SpecError(f"methods: unknown stage {sorted(unknown)[0]!r}")
    default_weighting = make_method("weighting", methods.get("weighting", "given"), "methods.weighting")
    default_aggregation = make_method("aggregation", methods.get("aggregation", "arithmetic"), "methods.aggregation")
    default_availability = _fraction(raw.get("min_availability", 0.0), "min_availability")
    overrides: dict[int, dict[str, Any]] = {}
    for entry in _tables(raw, "levels"):
        if "level" not in entry:
            raise SpecError(f"levels entry without 'level': {entry!r}")
        unknown = set(entry) - LEVEL_KEYS
        if unknown:
            raise SpecError(f"levels[{entry['level']}]: unknown field {sorted(unknown)[0]!r}")
        overrides[int(entry["level"])] = entry
    indicators = tuple(_indicator(dict(r)) for r in _tables(raw, "indicators"))
    if not indicators:
        raise SpecError("indicators: the spec defines none (add [[indicators]] entries)")
    aggregates = tuple(_aggregate(dict(r)) for r in _tables(raw, "aggregates"))
    depth = node_levels(indicators, aggregates)
    levels = []
    for level in sorted({depth[a.code] for a in aggregates}):
        entry = overrides.pop(level, {})
        where = f"levels[{level}]"
        levels.append((level, LevelMethods(
            weighting=make_method("weighting", entry.get("weighting", default_weighting), where),
            aggregation=make_method("aggregation", entry.get("aggregation", default_aggregation), where),
            min_availability=_fraction(entry.get("min_availability", default_availability),
                                       f"{where}.min_availability"),
        )))
    if overrides:
        raise SpecError(f"levels[{min(overrides)}]: no aggregate sits at level {min(overrides)}")
    spec = Spec(
        name=_text(raw.get("name", "index"), "name"),
        unit_column=_text(raw.get("unit", "unit"), "unit"),
        time_column=raw.get("time"),
        group_column=raw.get("group"),
        indicators=indicators,
        aggregates=aggregates,
        imputation=make_method("imputation", methods.get("imputation", "none"), "methods.imputation"),
        treatment=make_method("treatment", methods.get("treatment", "none"), "methods.treatment"),
        normalisation=make_method("normalisation", methods.get("normalisation", "minmax"), "methods.normalisation"),
        levels=tuple(levels),
        min_data_availability=_fraction(raw.get("min_data_availability", 0.0), "min_data_availability"),
        uncertainty=tuple(_uncertain(dict(r)) for r in _tables(raw, "uncertainty")),
    )
    return validate(spec)


def read_spec_mapping(path: str | Path) -> dict[str, Any]:
    """The mapping in a .toml, .yaml or .yml file (a spec, or COINr settings); SpecError otherwise."""
    path = Path(path)
    raw = read_mapping(path, "spec")
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: expected a mapping at top level")
    return raw


def load_spec(path: str | Path) -> Spec:
    """Read a spec from a .toml, .yaml or .yml file and validate it; SpecError naming the file and entry."""
    raw = read_spec_mapping(path)
    with about(path):
        return spec_from_dict(raw)
