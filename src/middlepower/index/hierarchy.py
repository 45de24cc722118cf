"""Cross-entry rules of an index spec: the hierarchy's shape, weights, uncertain inputs.

Kept apart from parsing (:mod:`middlepower.index.spec`) so each stays short; both raise one-line
SpecErrors naming the offending entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from middlepower.errors import SpecError

if TYPE_CHECKING:
    from middlepower.index.spec import Aggregate, Indicator, Spec


def node_levels(indicators: tuple[Indicator, ...], aggregates: tuple[Aggregate, ...]) -> dict[str, int]:
    """Level of every node: indicators are 1, an aggregate is one above its highest child.

    Raises SpecError naming a duplicated code, an unknown parent (orphan), an aggregate without
    children, a second root, or a node on a cycle.
    """
    parents: dict[str, str | None] = {}
    for node in (*indicators, *aggregates):
        if node.code in parents:
            raise SpecError(f"node {node.code!r}: code defined twice")
        parents[node.code] = node.parent
    aggregate_codes = {a.code for a in aggregates}
    for code, parent in parents.items():
        if parent is not None and parent not in aggregate_codes:
            raise SpecError(f"node {code!r}: parent {parent!r} is not a defined aggregate (orphan)")
    for start in parents:  # walk up to the root; meeting a node twice means a cycle
        node, seen = start, set()
        while node is not None:
            if node in seen:
                raise SpecError(f"node {node!r}: lies on a cycle in the hierarchy")
            seen.add(node)
            node = parents[node]
    roots = [a.code for a in aggregates if a.parent is None]
    if len(roots) != 1:
        raise SpecError(f"hierarchy: expected exactly one root aggregate (no parent), found {roots or 'none'}")
    children: dict[str, list[str]] = {a: [] for a in aggregate_codes}
    for code, parent in parents.items():
        if parent is not None:
            children[parent].append(code)
    for code, kids in children.items():
        if not kids:
            raise SpecError(f"aggregate {code!r}: has no children")
    depth: dict[str, int] = {i.code: 1 for i in indicators}

    def level(code: str) -> int:
        if code not in depth:
            depth[code] = 1 + max(level(k) for k in children[code])
        return depth[code]

    for code in aggregate_codes:
        level(code)
    return depth


def validate(spec: Spec) -> Spec:
    """Check cross-entry rules (hierarchy, weights, uncertain inputs); return the spec unchanged."""
    if not spec.indicators:
        raise SpecError("spec: no indicators")
    depth = node_levels(spec.indicators, spec.aggregates)
    siblings: dict[str, list[tuple[str, float]]] = {}
    for node in (*spec.indicators, *spec.aggregates):
        if node.parent is not None:
            siblings.setdefault(node.parent, []).append((node.code, node.weight))
    for parent, kids in siblings.items():
        if sum(w for _, w in kids) <= 0:
            raise SpecError(f"aggregate {parent!r}: weights of its children are all zero")
    codes = set(spec.indicator_codes)
    levels = {lvl for lvl, _ in spec.levels}
    below_root = {lvl for code, lvl in depth.items() if code != spec.root}
    for entry in spec.uncertainty:
        if entry.kind == "weights" and entry.node_level is not None and entry.node_level not in below_root:
            raise SpecError(f"uncertainty input 'weights': no nodes below the root at node_level {entry.node_level}")
        if entry.kind == "weights" and entry.node_level is None and entry.level not in levels:
            raise SpecError(f"uncertainty input 'weights': no aggregation level {entry.level}")
        for code in entry.indicators:
            if code not in codes:
                raise SpecError(f"uncertainty input 'exclusion': unknown indicator {code!r}")
    for ind in spec.indicators:
        if spec.normalisation.name == "goalposts" and ind.goalposts is None:
            raise SpecError(f"indicator {ind.code!r}: goalposts normalisation needs 'goalposts = [worst, best]'")
        if spec.normalisation.name == "dist2target" and ind.target is None:
            raise SpecError(f"indicator {ind.code!r}: dist2target normalisation needs 'target'")
    return spec
