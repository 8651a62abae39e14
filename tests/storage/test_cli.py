"""The history commands end to end on real workbooks (SQLite; the services are tested
on both databases)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from junheng.cli import app
from junheng.samples import generate_county
from junheng.templates.writer import write_county_workbook

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("JUNHENG_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def _book(path, year, schools=8, seed=1):
    write_county_workbook(generate_county(schools=schools, seed=seed, school_year=year), path)
    return path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_import_versions_diff_trend_flows_region(env):
    a, b = _book(env / "a.xlsx", 2024), _book(env / "b.xlsx", 2025)
    b2 = _book(env / "b2.xlsx", 2025, schools=9, seed=2)
    r = run("import", a, "--by", "张三")
    assert r.exit_code == 0 and "2024 学年，第 1 版" in r.output
    assert run("import", b).exit_code == 0
    assert "未新建版本" in run("import", b).output
    r = run("import", b2, "--by", "李四")
    assert r.exit_code == 0 and "第 2 版，替换第 1 版" in r.output
    r = run("versions", "350404", 2025, "--format", "json")
    got = json.loads(r.output)
    assert [(v["version"], v["is_current"], v["file_name"]) for v in got] == [
        (1, False, "b.xlsx"), (2, True, "b2.xlsx")]
    assert got[1]["imported_by"] == "李四"
    r = run("diff", "350404", 2025)
    assert r.exit_code == 0 and "学校的变化" in r.output
    d = json.loads(run("diff", "350404", 2025, "--format", "json").output)
    assert any(s["kind"] == "added" for s in d["changes"]["schools"])
    r = run("trend", "350404", "--out", env / "t.xlsx")
    assert r.exit_code == 0 and "两个只增不减" in r.output
    assert load_workbook(env / "t.xlsx").sheetnames == ["趋势", "两个只增不减", "学校变动", "说明"]
    t = json.loads(run("trend", "350404", "--format", "json").output)
    assert [y["school_year"] for y in t["years"]] == [2024, 2025]
    r = run("flows", "350404", 2025, "--out", env / "f.xlsx")
    assert r.exit_code == 0 and "交流轮岗比例" in r.output and "各校交流轮岗" in r.output
    assert {"调动矩阵", "各校交流轮岗"} <= set(load_workbook(env / "f.xlsx").sheetnames)
    f = json.loads(run("flows", "350404", 2025, "--format", "json").output)
    assert sum(s["declared"] for s in f["by_school"]) == f["declared"]["rotated"]
    assert all(isinstance(name, str) for name in f["schools"].values())  # the names by code, as before
    r = run("region", "3504")
    assert r.exit_code == 0 and "已导入 1 个县区" in r.output


def test_a_workbook_with_errors_stores_nothing(env):
    path = _book(env / "bad.xlsx", 2025)
    wb = load_workbook(path)
    ws = wb["学校"]
    ws["H2"] = -12  # 小学在校生数 below zero
    wb.save(path)
    r = run("import", path)
    assert r.exit_code == 1 and "未导入任何数据" in r.output
    r = run("versions", "350404", 2025)
    assert r.exit_code == 1 and "没有县区 350404 2025 学年" in r.output


def test_missing_data_is_a_message_not_a_traceback(env):
    for args in (("trend", "350404"), ("flows", "350404", 2025), ("region", "99"), ("diff", "350404", 2025)):
        r = run(*args)
        assert r.exit_code == 1 and "错误：" in r.output and "Traceback" not in r.output, args


def test_a_locked_database_is_a_message(env, monkeypatch):
    import sqlite3

    path = _book(env / "a.xlsx", 2024, schools=3)
    assert run("import", path).exit_code == 0
    monkeypatch.setenv("JUNHENG_SQLITE_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect(env / "cli.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        r = run("import", _book(env / "b.xlsx", 2024, schools=4))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.exit_code == 1 and "数据库操作失败，未保存任何改动" in r.output
    assert "Traceback" not in r.output
    assert json.loads(run("versions", "350404", 2024, "--format", "json").output)[0]["version"] == 1
