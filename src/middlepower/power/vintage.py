"""How old a node's data is, in words: the carried, imputed and missing inputs of a profile row.

The model's frames name them as it computed them (``carried``: ``"igo_full from 2014; ..."``,
``imputed``: ``"gdp_usd; milex_usd"``, ``missing``: ``"balance_relative (does not apply)"``);
:func:`vintage_text` reads those columns the same way
for every face (the CLI's tables, the country reports), and :func:`input_labels` gives the words a
reader knows an input by. Only text is made here, no figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

ALL_REAL = "all real"
NO_DATA = "no data"


def input_labels(docs: pd.DataFrame) -> dict[str, str]:
    """Return {raw input: label} from the spec's indicator docs: an input is named by the indicator it
    alone makes (``gdp_usd``: "GDP at market exchange rates", ``milex_share_gdp_pct``: "Military burden"),
    else by the one whose measure it is, its first input (``resource_rents_pct_gdp``, scaled by
    ``gdp_usd``: "Natural-resource rents"): the names the reports' indicator tables show."""
    labels: dict[str, str] = {}
    for alone in (True, False):
        for inputs, name in zip(docs["inputs"], docs["name"], strict=True):
            if inputs and (len(inputs) == 1 or not alone):
                labels.setdefault(str(inputs[0]), str(name))
    return labels


def _named(entries: str, labels: Mapping[str, str]) -> str:
    """``entries`` ("name", "name from 2014" or "name (does not apply)", joined by "; ") with each name
    as its label, else in words."""
    out = []
    for entry in str(entries).split("; "):
        name, sep, year = entry.partition(" from ")
        name, na, _ = name.partition(" (does not apply)")
        out.append(labels.get(name, name.replace("_", " ")) + (f" from {year}" if sep else "")
                   + (" (does not apply)" if na else ""))
    return "; ".join(out)


def vintage_text(row: Mapping, labels: Mapping[str, str] | None = None) -> str:
    """The carried, imputed and missing inputs of a profile row (a node's or a criterion's) in words,
    e.g. "carried: igo full from 2014; imputed: milex share gdp pct"; "all real" only when the row has
    a value (``percentile``) and every input behind it is real, "no data" when it has none and nothing
    names why. With ``labels`` (see :func:`input_labels`) each input is named by its label where it
    has one."""
    labels = labels or {}
    parts = [f"{what}: {_named(row[what], labels)}" for what in ("carried", "imputed", "missing")
             if isinstance(row.get(what), str) and row[what]]
    if parts:
        return "; ".join(parts)
    value = row.get("percentile")
    return NO_DATA if value is None or value != value else ALL_REAL


def data_line(row: Mapping, labels: Mapping[str, str] | None = None, no_year: str = "–") -> str:
    """How old a row's data is in one line: "real to <data_year>" (``no_year`` without one), then its
    :func:`vintage_text` where some input is not real: "real to 2022; imputed: milex share gdp pct"."""
    year = row.get("data_year")
    text = f"real to {int(year)}" if isinstance(year, Real) and year == year else no_year  # NaN, None, NA: none
    vintage = vintage_text(row, labels)
    return text if vintage in (ALL_REAL, NO_DATA) else f"{text}; {vintage}"
