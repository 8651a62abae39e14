"""`junheng standard list | new | check` and the service under them."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.core.engine import evaluate
from junheng.core.errors import ConflictError, StandardError
from junheng.services.standards import new_standard
from junheng.standards import load_standard

from ..core.builders import county, good_primary

runner = CliRunner()


def test_list_shows_shipped_standards():
    out = runner.invoke(app, ["standard", "list"])
    assert out.exit_code == 0
    assert "yzjh-2017" in out.output and "jbjh-2012" in out.output
    assert "教督〔2012〕3号" in out.output


def test_new_writes_an_editable_copy(tmp_path):
    path = tmp_path / "henan-2017.yaml"
    std = new_standard("yzjh-2017", path, today=dt.date(2026, 1, 2))
    text = path.read_text("utf-8")
    assert text.startswith("# 本文件由 junheng standard new 于 2026-01-02 从标准 yzjh-2017")
    assert "\nid: henan-2017\nbased_on: yzjh-2017\n" in text
    assert "# 《县域义务教育优质均衡发展督导评估办法》" in text  # the original comments are kept
    assert std.id == "henan-2017" and std.based_on == "yzjh-2017"
    assert load_standard(path).id == "henan-2017"
    with pytest.raises(ConflictError):
        new_standard("yzjh-2017", path)


def test_a_raised_threshold_changes_the_verdict(tmp_path):
    """G14 名额分配 ≥ 50 %: a province raising it to 60 % fails a county at 55 %."""
    path = tmp_path / "mine.yaml"
    new_standard("yzjh-2017", path)
    text = path.read_text("utf-8")
    old = 'params: {value: {fact: quota_allocation_pct}, op: ">=", threshold: 50, unit: "%"}'
    assert old in text
    path.write_text(text.replace(old, old.replace("threshold: 50", "threshold: 60")), "utf-8")
    data = county([good_primary("3504040001")])
    assert evaluate(data, load_standard("yzjh-2017")).items["G14"].passed is True
    assert evaluate(data, load_standard(path)).items["G14"].passed is False


def test_cli_new_then_check(tmp_path):
    path = tmp_path / "own.yaml"
    out = runner.invoke(app, ["standard", "new", "--from", "jbjh-2012", str(path), "--id", "own-2012"])
    assert out.exit_code == 0, out.output
    assert "own-2012" in out.output and "jbjh-2012" in out.output
    out = runner.invoke(app, ["standard", "check", str(path)])
    assert out.exit_code == 0 and "有效" in out.output and "基于 jbjh-2012" in out.output
    out = runner.invoke(app, ["standard", "new", "--from", "jbjh-2012", str(path)])
    assert out.exit_code == 1 and "已存在" in out.output


def test_cli_check_reports_line_and_key(tmp_path):
    path = tmp_path / "bad.yaml"
    new_standard("yzjh-2017", path)
    lines = path.read_text("utf-8").splitlines()
    n = next(i for i, ln in enumerate(lines) if "thresholds: {primary: 4.5, junior: 5.8}" in ln)
    lines[n] = lines[n].replace("4.5", "四点五")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    out = runner.invoke(app, ["standard", "check", str(path)])
    assert out.exit_code == 1
    assert f"第 {n + 1} 行" in out.output and "resource.indicators[3].thresholds.primary" in out.output
    assert "应为数值" in out.output and "Traceback" not in out.output


def test_bad_id_is_refused(tmp_path):
    with pytest.raises(StandardError):
        new_standard("yzjh-2017", tmp_path / "x.yaml", "河南 2017")


def test_henan_raises_gross_enrolment_to_90(tmp_path):
    """河南：毛入园率 90 %. A county at 85.7 % passes the national standard, not Henan's."""
    from ..core.test_xqpp_2020 import hand_county

    path = tmp_path / "henan-xqpp.yaml"
    new_standard("xqpp-2020", path)
    text = path.read_text("utf-8")
    old = "      op: \">=\"\n      threshold: 0.85\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("0.85", "0.90")), "utf-8")
    out = runner.invoke(app, ["standard", "check", str(path)])
    assert out.exit_code == 0 and "基于 xqpp-2020" in out.output
    data = hand_county()
    assert evaluate(data, load_standard("xqpp-2020")).items["X1"].passed is True
    henan = evaluate(data, load_standard(path))
    assert henan.standard_id == "henan-xqpp" and henan.items["X1"].passed is False
    assert not henan.recognised
