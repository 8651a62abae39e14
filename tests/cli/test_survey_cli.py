"""`junheng survey`: design with the sampling-list workbook, codes with their QR sheet,
an import with located errors, the result and closing it (S1 then from the survey)."""

from __future__ import annotations

import json
import re

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from junheng.cli import app
from junheng.services.history import import_county_data
from junheng.storage.schema import open_database
from tests.web.conftest import HOME, SCHOOL_A, county_data

runner = CliRunner()


def _env(tmp_path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'j.db'}"
    engine = open_database(url=url)
    data = county_data(HOME, SCHOOL_A)
    data.facts["satisfaction_pct"] = 80.0
    import_county_data(engine, data, by="test")
    engine.dispose()
    return {"JUNHENG_DATABASE_URL": url, "COLUMNS": "200"}


def test_the_survey_from_design_to_s1(tmp_path):
    env = _env(tmp_path)
    out = runner.invoke(app, ["survey", "design", HOME, "--out", str(tmp_path / "名单.xlsx")], env=env)
    assert out.exit_code == 0, out.output
    assert "置信水平 95%" in out.output and "已写入" in out.output
    wb = load_workbook(tmp_path / "名单.xlsx")
    assert wb.sheetnames == ["样本量", "抽样名单", "答卷录入", "题目", "说明"]
    sizes = {r[0]: r[1:4] for r in wb["样本量"].iter_rows(min_row=2, max_row=8, values_only=True)}
    assert sizes["校长"] == (3, 3, 3)  # three schools: every principal
    assert sizes["其他群众"] == ("—", 385, 482)  # no population: no correction; 385 / 0.8 → 482
    plan = list(wb["抽样名单"].iter_rows(min_row=2, values_only=True))
    assert sum(r[4] for r in plan if r[2] == "家长") == sizes["家长"][1]
    assert runner.invoke(app, ["survey", "design", HOME], env=env).exit_code == 1  # exists: needs --replace

    sheet = tmp_path / "码.html"
    out = runner.invoke(app, ["survey", "codes", HOME, "--url", "http://10.1.2.3:8000", "--out", str(sheet),
                              "--group", "校长"], env=env)
    assert out.exit_code == 0, out.output
    html = sheet.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and html.count('<section class="school">') == 3
    assert len(set(re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", html))) == 3
    assert "cdn" not in html.lower() and "<script" not in html
    again = runner.invoke(app, ["survey", "codes", HOME, "--url", "http://x", "--out", str(tmp_path / "b.html"),
                                "--group", "principals"], env=env)
    assert "都已发放" in again.output

    answers = tmp_path / "答卷.xlsx"
    book = Workbook()
    ws = book.active
    ws.append(["群体", "学校代码", *[f"第{n}题" for n in range(1, 11)]])
    for _ in range(9):
        ws.append(["教师", SCHOOL_A, *["非常满意"] * 10])
    ws.append(["教师", SCHOOL_A, *["不满意"] * 10])
    ws.append(["政协委员", None, *[4] * 9, 7])
    book.save(answers)
    out = runner.invoke(app, ["survey", "import", HOME, str(answers)], env=env)
    assert out.exit_code == 1
    assert '第12行 L列「第10题」 的值 "7"' in out.output and "未导入任何答卷" in out.output
    ws.delete_rows(12)
    book.save(answers)
    assert "已导入 10 份答卷" in runner.invoke(app, ["survey", "import", HOME, str(answers)], env=env).output

    doc = json.loads(runner.invoke(app, ["survey", "progress", HOME, "--json"], env=env).output)
    a_teachers = next(r for r in doc if r["school_code"] == SCHOOL_A and r["group"] == "teachers")
    assert (a_teachers["imported"], a_teachers["answered"], a_teachers["issued"]) == (10, 0, 0)
    principals = [r for r in doc if r["group"] == "principals"]
    assert [(r["sample"], r["issued"], r["received"]) for r in principals] == [(1, 1, 0)] * 3
    assert "社会认可度调查收集进度" in runner.invoke(app, ["survey", "progress", HOME], env=env).output

    out = runner.invoke(app, ["survey", "result", HOME], env=env)
    assert out.exit_code == 0, out.output  # 90 % ≥ 85 %
    assert "总体认可度 90.0%" in out.output and "调查尚未结束" in out.output
    doc = json.loads(runner.invoke(app, ["survey", "result", HOME, "--json"], env=env).output)
    teachers = next(g for g in doc["result"]["groups"] if g["group"] == "teachers")
    assert (teachers["valid"], teachers["share"]) == (10, 0.9)

    out = runner.invoke(app, ["survey", "close", HOME, "--by", "督导"], env=env)
    assert out.exit_code == 0, out.output
    assert "S1 社会认可度取调查结果 90.0%" in out.output and "存为第 2 版" in out.output
    assert "调查已结束" in runner.invoke(app, ["survey", "import", HOME, str(answers)], env=env).output


def test_default_files_are_written_for_editing(tmp_path):
    out = runner.invoke(app, ["survey", "settings", str(tmp_path / "s.yaml")])
    assert out.exit_code == 0 and "margin: 0.05" in (tmp_path / "s.yaml").read_text(encoding="utf-8")
    out = runner.invoke(app, ["survey", "questionnaire", str(tmp_path / "q.yaml")])
    assert "非常满意" in (tmp_path / "q.yaml").read_text(encoding="utf-8")
    assert runner.invoke(app, ["survey", "settings", str(tmp_path / "s.yaml")]).exit_code == 1  # exists
