"""Spec validation: every bad spec fails with a one-line SpecError naming the offending entry."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from middlepower.errors import SpecError
from middlepower.index import load_spec, read_coinr, run, spec_from_dict


def base() -> dict:
    return {
        "unit": "u",
        "indicators": [
            {"code": "a", "parent": "P"},
            {"code": "b", "parent": "P", "weight": 2},
            {"code": "c", "parent": "Q"},
        ],
        "aggregates": [{"code": "P", "parent": "I"}, {"code": "Q", "parent": "I"}, {"code": "I"}],
    }


def error_of(raw: dict) -> str:
    with pytest.raises(SpecError) as info:
        spec_from_dict(raw)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_valid_spec_gets_levels_and_default_methods():
    spec = spec_from_dict(base())
    assert spec.root == "I"
    assert [lvl for lvl, _ in spec.levels] == [2, 3]
    assert spec.normalisation.name == "minmax" and spec.normalisation.kw["high"] == 100.0
    assert spec.level_methods[2].aggregation.kw["missing"] == "reweight"


def test_unknown_column_names_the_indicator():
    spec = spec_from_dict(base())
    frame = pd.DataFrame({"u": ["x", "y"], "a": [1.0, 2.0], "b": [1.0, 2.0]})
    with pytest.raises(SpecError, match=r"indicator 'c': column 'c' not in data"):
        run(spec, frame)


def test_cycle_is_named():
    raw = base()
    raw["aggregates"] = [{"code": "P", "parent": "Q"}, {"code": "Q", "parent": "P"}, {"code": "I"}]
    raw["indicators"].append({"code": "d", "parent": "I"})
    assert "cycle" in error_of(raw) and ("'P'" in error_of(raw) or "'Q'" in error_of(raw))


def test_orphan_is_named():
    raw = base()
    raw["indicators"][2]["parent"] = "Nowhere"
    assert "'c'" in error_of(raw) and "orphan" in error_of(raw)


def test_aggregate_without_children_is_named():
    raw = base()
    raw["aggregates"].append({"code": "Empty", "parent": "I"})
    assert "'Empty'" in error_of(raw)


def test_negative_weight_is_named():
    raw = base()
    raw["indicators"][1]["weight"] = -1
    assert "indicator 'b'" in error_of(raw)


def test_all_zero_weights_name_the_parent():
    raw = base()
    raw["indicators"][0]["weight"] = 0
    raw["indicators"][1]["weight"] = 0
    assert "aggregate 'P'" in error_of(raw)


@pytest.mark.parametrize("stage", ["imputation", "treatment", "normalisation", "weighting", "aggregation"])
def test_unknown_method_is_named(stage):
    raw = base()
    raw["methods"] = {stage: "magic"}
    assert "'magic'" in error_of(raw) and stage in error_of(raw)


def test_unknown_method_parameter_is_named():
    raw = base()
    raw["methods"] = {"normalisation": {"method": "minmax", "lo": 1}}
    assert "'lo'" in error_of(raw)


@pytest.mark.parametrize(("change", "named"), [
    (lambda raw: raw.update(min_data_availabilty=1.0), "unknown top-level key 'min_data_availabilty'"),
    (lambda raw: raw.update(level=[{"level": 2, "aggregation": "geometric"}]), "unknown top-level key 'level'"),
    (lambda raw: raw.update(levels=[{"level": 2, "agregation": "geometric"}]), "levels[2]: unknown field 'agregation'"),
    (lambda raw: raw.update(uncertainty=[{"input": "normalisation", "alternatives": ["minmax"], "noise": 0.5}]),
     "uncertainty input 'normalisation': unknown field 'noise'"),
    (lambda raw: raw.update(uncertainty=[{"input": "exclusion", "indicators": ["a"], "alternativs": 3}]),
     "uncertainty input 'exclusion': unknown field 'alternativs'"),
])
def test_a_misspelt_key_is_refused_not_ignored(change, named):
    raw = base()
    spec_from_dict(raw)  # valid before the change
    change(raw)
    assert named in error_of(raw)


def test_two_roots_are_rejected():
    raw = base()
    raw["aggregates"][0]["parent"] = None
    assert "root" in error_of(raw)


def test_toml_and_yaml_files_load_the_same_spec(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text(textwrap.dedent("""
        unit = "u"
        [methods]
        normalisation = { method = "zscore", mean = 10, sd = 2 }
        [[indicators]]
        code = "a"
        parent = "I"
        [[indicators]]
        code = "b"
        parent = "I"
        direction = -1
        [[aggregates]]
        code = "I"
    """))
    yml = tmp_path / "s.yaml"
    yml.write_text(textwrap.dedent("""
        unit: u
        methods: {normalisation: {method: zscore, mean: 10, sd: 2}}
        indicators: [{code: a, parent: I}, {code: b, parent: I, direction: -1}]
        aggregates: [{code: I}]
    """))
    assert load_spec(toml) == load_spec(yml)


def test_bad_toml_gives_one_line_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("unit = \n")
    with pytest.raises(SpecError, match="bad.toml"):
        load_spec(path)


def test_read_coinr_builds_hierarchy_and_groups():
    idata = pd.DataFrame({"uCode": ["A", "B", "C"], "uName": ["a", "b", "c"], "GDPgroup": ["L", "L", "H"],
                          "x1": [1.0, 2.0, 3.0], "x2": [3.0, 1.0, 2.0]})
    imeta = pd.DataFrame({
        "Level": [1, 1, 2, None], "iCode": ["x1", "x2", "Index", "GDPgroup"], "iName": ["X1", "X2", "Index", "g"],
        "Direction": [1, -1, None, None], "Weight": [1, 1, 1, None], "Parent": ["Index", "Index", None, None],
        "Type": ["Indicator", "Indicator", "Aggregate", "Group"],
    })
    spec, data = read_coinr(idata, imeta)
    assert spec.group_column == "GDPgroup" and spec.time_column is None
    assert [i.direction for i in spec.indicators] == [1, -1]
    index = run(spec, data).node_scores("Index").iloc[:, 0]
    # hand: x1 minmax -> 0, 50, 100; x2 (negated) -> 0, 100, 50; mean -> 0, 75, 75
    assert index.tolist() == pytest.approx([0.0, 75.0, 75.0])
