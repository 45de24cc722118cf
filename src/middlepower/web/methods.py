"""The methods page (``/methods``): what each pillar of the default spec measures, from what, and what it cannot see.

Generated, never typed: each pillar's name, weight and place come from the spec
(:func:`middlepower.power.pillars_doc`), each indicator's name, ``why``, ``coverage``, unit and
sources from the spec and the column catalogue (:func:`middlepower.power.indicators_doc`), each
input's years of data from the store's column catalogue (``_columns``) or, for an input the model
derives (military spending in dollars, ten-year counts, ...), the years in which the model has it real
(:func:`middlepower.power.input_years`), and each source's title,
coverage and licence from the store's ``_sources``. "What it cannot see" lists each indicator's
coverage limits and the inputs whose data end before the newest input's.
"""

from __future__ import annotations

from pathlib import Path

from middlepower import power
from middlepower.web.data import WebData

STATIC = Path(__file__).with_name("static")


def _input(data: WebData, column: str, modelled: dict[str, tuple[int, int]]) -> dict:
    """column, first, last and where the years come from: ``store`` (the column catalogue), ``model`` (the
    years the model has the input real, for an input it derives) or ``None`` (no years known)."""
    row = data.columns.get(column)
    if row:
        return {"column": column, "first": row["first_year"], "last": row["last_year"], "where": "store"}
    if column in modelled:
        first, last = modelled[column]
        return {"column": column, "first": first, "last": last, "where": "model"}
    return {"column": column, "first": None, "last": None, "where": None}


def _modelled_years(data: WebData) -> dict[str, tuple[int, int]]:
    """input -> (first, last year some state has it real) in the default model of the served store."""
    years = power.input_years(db=data.db).dropna(subset=["first_year", "last_year"])
    return {row.input: (int(row.first_year), int(row.last_year)) for row in years.itertuples()}


def pillars(data: WebData) -> list[dict]:
    """One dict per node of the default spec except the overall index, in the spec's order: code, name,
    depth (0 for a pillar of the index, 1 for a component), role, indicators (name, code, why,
    direction, unit, coverage, sources, inputs with their years), components and blind spots."""
    spec = power.load_spec()
    root = spec.index.root
    nodes = power.pillars_doc(spec).set_index("pillar")
    docs = power.indicators_doc(spec)
    modelled = _modelled_years(data)
    resolved = {row.code: [_input(data, c, modelled) for c in row.inputs] for row in docs.itertuples()}
    ends = [item["last"] for items in resolved.values() for item in items]
    newest = {"store": max((y for y in ends if y is not None), default=None),  # the newest input's last year
              "model": max((last for _, last in modelled.values()), default=None)}  # the model's last year
    settings = spec.settings
    total = sum(float(nodes.loc[p, "weight"] or 0) for p in nodes.index if nodes.loc[p, "parent"] == root)
    criteria = {}
    for criterion, node in settings.criteria:
        criteria.setdefault(node, []).append(criterion.replace("_", " "))
    out = []
    for code in spec.nodes:
        if code == root:
            continue
        row = nodes.loc[code]
        parent, weight = row["parent"], float(row["weight"] or 0)
        if parent != root:
            role = f"A component of {spec.pillar_name(parent)} ({parent}), with weight {weight:g} within it."
        elif weight > 0:
            role = f"In the overall index ({spec.pillar_name(root)}) with weight {weight:g} of {total:g}."
        else:
            role = "Weight 0: computed with the same Monte Carlo and reported with its interval, not part of the index."
        notes = []
        if code == settings.tier_pillar:
            notes.append(f"Tiers are drawn on this pillar's percentile within the year: great from the "
                         f"{settings.great_percentile:g}th, middle from the {settings.middle_percentile:g}th; a "
                         f"state-year with less than {settings.min_real_inputs:.0%} of its inputs observed gets none.")
        if code in criteria:
            notes.append(f"Measures the criterion {', '.join(criteria[code])}: met when the 90 % interval of the "
                         f"percentile lies at or above the {settings.criterion_percentile:g}th.")
        indicators, blind = [], []
        for ind in docs[docs["pillar"] == code].itertuples():
            inputs = resolved[ind.code]
            sources = [{"name": s, "title": data.sources.get(s, {}).get("title", s),
                        "coverage": data.sources.get(s, {}).get("coverage")} for s in ind.sources]
            indicators.append({"code": ind.code, "name": ind.name, "why": ind.why, "unit": ind.unit,
                               "direction": int(ind.direction), "coverage": ind.coverage, "transform": ind.transform,
                               "inputs": inputs, "sources": sources})
            blind.append(f"{ind.name}: {ind.coverage}.")
            for item in inputs:
                latest = newest.get(item["where"])
                if item["last"] is not None and latest is not None and item["last"] < latest:
                    where = "the store's" if item["where"] == "store" else "the model's real"
                    blind.append(f"{ind.name}: {where} {item['column']} ends in {item['last']}; later years "
                                 f"carry it forward or impute it, flagged in every profile.")
        out.append({"code": code, "name": spec.pillar_name(code), "depth": 0 if parent == root else 1,
                    "role": role, "notes": notes, "indicators": indicators, "blind": blind,
                    "components": [{"code": c, "name": spec.pillar_name(c)} for c in spec.children(code)
                                   if c in nodes.index and not (docs["code"] == c).any()]})
    return out


def render(data: WebData, layout, nav) -> bytes:
    """The methods page's HTML: ``layout`` (the dashboard's page template) around the generated body."""
    import jinja2

    spec = power.load_spec()
    body = jinja2.Template((STATIC / "methods.body.html").read_text(encoding="utf-8"), autoescape=True).render(
        spec_name=getattr(spec.index, "name", None) or "the default spec", pillars=pillars(data))
    return layout.render(title="methods", nav=nav, active="/methods", body=jinja2.utils.markupsafe.Markup(body),
                         script=None).encode()
