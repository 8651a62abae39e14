"""Loading standard files: the shipped ones, a user's copy, and malformed files."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from junheng.core.errors import StandardError
from junheng.standards import load_standard, parse_standard, shipped_standards


def shipped_raw():
    return yaml.safe_load(resources.files("junheng.standards").joinpath("yzjh-2017.yaml").read_text("utf-8"))


def test_shipped_standard_has_the_whole_method():
    std = load_standard("yzjh-2017")
    assert "yzjh-2017" in shipped_standards()
    ids = {i.id for i in std.items}
    assert {f"G{n}" for n in range(1, 16)} <= ids
    assert {f"Q{n}" for n in range(1, 10)} <= ids
    assert {"S1", "P1"} <= ids
    assert [i.id for i in std.resource.indicators] == [f"R{n}" for n in range(1, 8)]
    assert std.resource.dispersion.limits == {"primary": 0.5, "junior": 0.45}
    assert std.resource.school_pass.min_met == 6 and std.resource.school_pass.floor_ratio == 0.85
    assert std.settings.cv_weighting == "student_weighted"


def test_user_file_loads_by_path(tmp_path):
    raw = shipped_raw()
    raw["id"] = "henan-2017"
    raw["resource"]["indicators"][0]["thresholds"]["primary"] = 5.0
    f = tmp_path / "mine.yaml"
    f.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    std = load_standard(f)
    assert std.id == "henan-2017" and std.indicator("R1").thresholds["primary"] == 5.0


def _error(raw, name="bad.yaml") -> StandardError:
    with pytest.raises(StandardError) as exc:
        parse_standard(yaml.safe_dump(raw, allow_unicode=True) if not isinstance(raw, str) else raw, name)
    return exc.value


def test_wrong_threshold_type_names_file_and_key_path():
    raw = shipped_raw()
    raw["resource"]["indicators"][2]["thresholds"]["junior"] = "零点九"
    err = _error(raw)
    assert err.file == "bad.yaml"
    assert err.key_path == "resource.indicators[2].thresholds.junior"
    assert "标准文件 bad.yaml 的 resource.indicators[2].thresholds.junior 有误" in str(err)


def test_misspelt_key_is_rejected():
    raw = shipped_raw()
    raw["settings"]["cv_weigting"] = "student_weighted"
    assert _error(raw).key_path == "settings.cv_weigting"


def test_unknown_formula_kind_names_the_item():
    raw = shipped_raw()
    raw["items"][3]["kind"] = "magic"
    err = _error(raw)
    assert err.key_path == "items[3].kind" and "magic" in err.detail


def test_bad_quantity_inside_params():
    raw = shipped_raw()
    g9 = next(i for i, it in enumerate(raw["items"]) if it["id"] == "G9")
    raw["items"][g9]["params"]["numerator"] = {"count": "teachers", "where": {"x": {"~": 1}}}
    err = _error(raw)
    assert err.key_path == f"items[{g9}].params.numerator.where.x"


def test_missing_stage_threshold():
    raw = shipped_raw()
    del raw["resource"]["indicators"][0]["thresholds"]["junior"]
    assert "junior" in _error(raw).detail


def test_unknown_dimension_and_duplicate_ids():
    raw = shipped_raw()
    raw["items"][0]["dimension"] = "nowhere"
    assert "nowhere" in _error(raw).detail
    raw = shipped_raw()
    raw["items"][1]["id"] = raw["items"][2]["id"]
    assert "重复" in _error(raw).detail


def test_broken_yaml_names_the_line():
    err = _error("id: x\nversion: [1\n", "broken.yaml")
    assert err.file == "broken.yaml" and "第" in err.key_path


def test_missing_file(tmp_path):
    with pytest.raises(StandardError) as exc:
        load_standard(tmp_path / "nope.yaml")
    assert "找不到" in str(exc.value)


# --- the line of the error ------------------------------------------------------------


def shipped_text(name="yzjh-2017"):
    return resources.files("junheng.standards").joinpath(f"{name}.yaml").read_text("utf-8")


def _line_with(text, needle, after=0):
    lines = text.splitlines()
    return next(i for i, ln in enumerate(lines, 1) if i > after and needle in ln)


def test_error_names_the_line_of_the_key():
    text = shipped_text().replace("thresholds: {primary: 0.9, junior: 0.9}",
                                  "thresholds: {primary: 0.9, junior: 零点九}")
    err = _error(text)
    assert err.line == _line_with(text, "零点九")
    assert f"（第 {err.line} 行）" in str(err)


def test_unknown_field_in_a_where_clause_names_its_line():
    text = shipped_text().replace("where: {degree: [postgraduate, bachelor]}", "where: {degre: [postgraduate, bachelor]}")
    err = _error(text)
    assert err.key_path == "resource.indicators[0].numerator.junior.where.degre"
    assert "没有字段 'degre'" in err.detail and err.line == _line_with(text, "{degre:")


def test_unknown_table_is_rejected():
    text = shipped_text().replace("{count: teachers, where: {rotated: true}}", "{count: teacher, where: {rotated: true}}")
    err = _error(text)
    assert "未知的数据表 'teacher'" in err.detail
    assert err.line == _line_with(text, "count: teacher,")


def test_semantic_errors_are_chinese_with_line():
    raw = shipped_raw()
    raw["items"][5]["dimension"] = "nowhere"
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    err = _error(text)
    assert err.key_path == "items[5].dimension" and "未在 dimensions 中定义" in err.detail
    assert err.line == _line_with(text, "dimension: nowhere")
    raw = shipped_raw()
    raw["resource"]["indicators"][3]["id"] = "R1"
    err = _error(raw)
    assert err.key_path == "resource.indicators[3].id" and "R1 重复" in err.detail


def test_missing_key_points_at_its_parent():
    raw = shipped_raw()
    del raw["resource"]["indicators"][1]["name"]
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    err = _error(text)
    assert err.key_path == "resource.indicators[1].name" and err.detail == "缺少必需的键"
    # the line of indicators[1] (its first key, id: R2)
    assert err.line == _line_with(text, "id: R2")


def test_every_shipped_standard_loads():
    assert {"yzjh-2017", "jbjh-2012"} <= set(shipped_standards())
    for name in shipped_standards():
        assert load_standard(name).id == name


def test_a_key_written_twice_is_rejected_with_its_line():
    text = shipped_text().replace("      threshold: 0.95\n", "      threshold: 0.95\n      threshold: 0.90\n", 1)
    err = _error(text)
    assert err.key_path.endswith(".params.threshold") and "写了两次" in err.detail
    assert err.line == _line_with(text, "threshold: 0.90")
