"""Per-criterion verdicts: the article's six criteria of a middle power, each with its measure and vintage.

For one state-year, each criterion names the model node that measures it (``[power] criteria`` in
the spec), the indicators behind it, the oldest real data in it (and what is carried or imputed),
its percentile within the year with the 90% interval, and a verdict against the spec's
``criterion_percentile`` (the top third by default):

* ``meets``: the whole interval lies at or above the threshold;
* ``does not``: the whole interval lies below it;
* ``inconclusive``: the interval straddles it;
* ``not measured``: the spec has no node for the criterion (mediation until the diplomacy data land);
* ``no data``: the state has no score on the node that year.
"""

from __future__ import annotations

import math

import pandas as pd

from middlepower.power.model import ModelResult
from middlepower.power.spec import CRITERIA

LABELS = {
    "location": "Strategic location",
    "resources": "Abundant natural resources",
    "multilateralism": "Commitment to cooperation and multilateralism",
    "mediation": "Mediation and hosting of talks",
    "diplomacy_not_force": "Influence by diplomacy rather than force",
    "balance": "Multi-vector balance between the major powers",
}
VERDICTS = ("meets", "does not", "inconclusive", "not measured", "no data")


def verdict(percentile_lo: float, percentile_hi: float, threshold: float) -> str:
    """``meets`` / ``does not`` / ``inconclusive`` for a 90% interval against ``threshold`` (or ``no data``)."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (percentile_lo, percentile_hi)):
        return "no data"
    if percentile_lo >= threshold:
        return "meets"
    if percentile_hi < threshold:
        return "does not"
    return "inconclusive"


def _measure(result: ModelResult, node: str) -> str:
    docs = result.spec.docs.set_index("code")
    names = [docs.loc[code, "name"] for code in result.spec.indicators_under(node)]
    return f"{result.spec.pillar_name(node)}: " + "; ".join(names)


COLUMNS = ["criterion", "label", "node", "measure", "percentile", "percentile_lo", "percentile_hi", "threshold",
           "verdict", "data_year", "carried", "imputed", "missing", "sources"]


def criteria(result: ModelResult, iso3: str, year: int) -> pd.DataFrame:
    """One row per criterion: criterion, label, node, measure, percentile, percentile_lo, percentile_hi
    (0-100 within the year), threshold (percentile), verdict, data_year (oldest real data behind the
    measure), carried, imputed, missing (its inputs that are not real, as in :func:`power.scores`),
    sources (:func:`criteria_by_state` of one state)."""
    return criteria_by_state(result, year, [iso3])[iso3]


def criteria_by_state(result: ModelResult, year: int, iso3s: list[str]) -> dict[str, pd.DataFrame]:
    """:func:`criteria` of every state in ``iso3s`` in ``year``: ISO3 -> its frame. The measure and
    sources of each criterion are resolved once for all states."""
    threshold = result.spec.settings.criterion_percentile
    scores = result.scores[(result.scores["year"] == year) & result.scores["iso3"].isin(iso3s)]
    fields = ["percentile", "percentile_lo", "percentile_hi", "data_year", "carried", "imputed", "missing"]
    at = dict(zip(zip(scores["iso3"], scores["pillar"], strict=True), scores[fields].to_dict("records"), strict=True))
    docs = result.spec.docs.set_index("code")
    plan = []  # per criterion: (its fixed fields, node, the fields of an unmeasured or measured row)
    for criterion in CRITERIA:
        node = result.spec.criterion_node(criterion)
        row = {"criterion": criterion, "label": LABELS[criterion], "node": node, "threshold": threshold}
        if node is None:
            plan.append((row, None, {"measure": "not in this spec (see docs/power.md)", "verdict": "not measured",
                                     "carried": "", "imputed": "", "missing": "", "sources": ""}))
            continue
        sources = sorted({s for code in result.spec.indicators_under(node) for s in docs.loc[code, "sources"]})
        plan.append((row, node, {"measure": _measure(result, node), "sources": ", ".join(sources)}))
    out = {}
    for iso3 in iso3s:
        rows = []
        for row, node, fixed in plan:
            if node is None:
                rows.append({**row, **fixed})
                continue
            found = at.get((iso3, node))
            values = {k: (found[k] if found is not None else math.nan)
                      for k in ("percentile", "percentile_lo", "percentile_hi", "data_year")}
            rows.append({**row, "measure": fixed["measure"], **values,
                         "verdict": verdict(values["percentile_lo"], values["percentile_hi"], threshold),
                         **{k: found[k] if found is not None else "" for k in ("carried", "imputed", "missing")},
                         "sources": fixed["sources"]})
        out[iso3] = pd.DataFrame(rows, columns=COLUMNS)
    return out
