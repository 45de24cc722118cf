"""Every size bound of middlepower's inputs, in one place, and the checks that apply them.

A bound is checked where the input enters (a file before it is read, a count before anything is
allocated for it), so a hostile or mistaken input is refused in milliseconds with one line naming
it, instead of exhausting memory. docs/cli.md lists these bounds (generated from :data:`BOUNDS`).
Beside them, the kind checks of the library's numeric arguments (:func:`check_count`, :func:`check_year`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path

from middlepower.errors import ParameterError, SpecError

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Bound:
    """One documented bound: its value, unit and what it bounds."""

    value: int
    unit: str
    applies_to: str


DOCUMENT_BYTES = Bound(1 * MiB, "bytes", "a spec, claim, scenario or COINr settings file (TOML/YAML)")
DOCUMENT_DEPTH = Bound(32, "levels", "nesting of tables and lists in such a file")
DOCUMENT_NODES = Bound(100_000, "values", "values in such a file, counting each YAML alias as what it repeats")
TABLE_BYTES = Bound(256 * MiB, "bytes", "a data table read by `index` (--data, a COINr iData or iMeta): "
                                        "CSV, Parquet or Excel")
RESULT_BYTES = Bound(2 * GiB, "bytes", "the arrays one Monte Carlo or Sobol call allocates for its results "
                                       "(replications x unit-years x 4 bytes for `index uncertainty`)")
CORRIDOR_DRAWS = Bound(1_000_000, "draws", "Monte Carlo draws of `corridor compare` and `corridor scenario` "
                                           "(--draws, a scenario's `draws`)")
REPLICATIONS = Bound(100_000, "replications", "Monte Carlo replications: `index uncertainty -n`, a power "
                                              "spec's `replications`")
BASE_SAMPLES = Bound(65_536, "samples", "Saltelli base samples of `index sensitivity -n` (a power of two)")
BOOTSTRAP = Bound(10_000, "resamples", "bootstrap resamples of `index sensitivity --boot`")
ROWS_SHOWN = Bound(10_000, "rows", "rows a table command shows (--top)")
WORKERS = Bound(256, "processes", "LocalCluster workers (`events build --workers`)")
SEED = Bound(2**32 - 1, "", "a random seed (--seed, a scenario's `seed`)")

BOUNDS = {
    "DOCUMENT_BYTES": DOCUMENT_BYTES, "DOCUMENT_DEPTH": DOCUMENT_DEPTH, "DOCUMENT_NODES": DOCUMENT_NODES,
    "TABLE_BYTES": TABLE_BYTES, "RESULT_BYTES": RESULT_BYTES, "CORRIDOR_DRAWS": CORRIDOR_DRAWS,
    "REPLICATIONS": REPLICATIONS, "BASE_SAMPLES": BASE_SAMPLES, "BOOTSTRAP": BOOTSTRAP, "ROWS_SHOWN": ROWS_SHOWN,
    "WORKERS": WORKERS, "SEED": SEED,
}
"""Name -> bound, in the order docs/cli.md lists them."""


def size_text(n: float) -> str:
    """``n`` bytes for a message: 1 MiB, 2.5 GiB, 300 bytes."""
    for unit, scale in (("GiB", GiB), ("MiB", MiB), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{int(n):,} bytes"


def shown(bound: Bound) -> str:
    """The bound as a message or the docs state it: ``1 MiB``, ``1,000,000 draws``."""
    if bound.unit == "bytes":
        return size_text(bound.value)
    return f"{bound.value:,} {bound.unit}".rstrip()


def check_count(parameter: str, value: object, bound: Bound, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is an integer in ``minimum``..``bound``; ParameterError naming
    ``parameter`` otherwise (before anything is allocated for it)."""
    if isinstance(value, bool):
        raise ParameterError("expected a whole number, got a boolean", parameter=parameter, value=value)
    if not isinstance(value, int):
        try:
            as_int = int(value)  # numpy integers, integral floats
        except (TypeError, ValueError, OverflowError):
            as_int = None
        if as_int is None or as_int != value:
            raise ParameterError(f"expected a whole number, got {type(value).__name__}", parameter=parameter,
                                 value=value)
        value = as_int
    if not minimum <= value <= bound.value:
        raise ParameterError(f"outside {minimum:,}..{bound.value:,} (the bound of {bound.applies_to.split(' (')[0]})",
                             parameter=parameter, value=value)
    return value


def is_year(value: object) -> bool:
    """True if ``value`` can be a year argument: an integer (Python's or numpy's), not a boolean."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_year(parameter: str, value: object) -> int:
    """Return ``value`` as an int if :func:`is_year`; ParameterError naming ``parameter`` otherwise."""
    if not is_year(value):
        raise ParameterError("expected a year (a whole number)", parameter=parameter, value=value)
    return int(value)


def check_allocation(parameter: str, value: object, needed_bytes: float, what: str) -> None:
    """ParameterError naming ``parameter`` when ``needed_bytes`` (for ``what``) exceeds :data:`RESULT_BYTES`."""
    if needed_bytes > RESULT_BYTES.value:
        raise ParameterError(f"needs {size_text(needed_bytes)} for {what}, above the bound of "
                             f"{shown(RESULT_BYTES)}", parameter=parameter, value=value)


def check_file_size(path: Path, bound: Bound, what: str, error: type = SpecError) -> int:
    """Return the size of ``path``; ``error`` naming the file when it exceeds ``bound`` (checked
    before the file is read)."""
    size = path.stat().st_size
    if size > bound.value:
        raise error(f"{path}: {what} of {size_text(size)} is larger than the bound of {shown(bound)}")
    return size
