"""`junheng targets template | import | export | versions`, `junheng progress` and
`junheng region --measure` on a SQLite database of two stored years."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from junheng.cli import app
from junheng.services.history import import_county_data, open_history

from ..reports.workbook_checks import workbook_problems
from ..storage.counties import small_county

runner = CliRunner()


def _db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'j.db'}"
    engine = open_history(url=url)
    for year in (2024, 2025):
        data = small_county(year=year, schools=2)
        for n, t in enumerate(data.teachers):  # backbone: 3 of 24 in 2024, 6 of 24 in 2025
            t.backbone_level = t.backbone_level.COUNTY if n < (3 if year == 2024 else 6) else t.backbone_level.NONE
        import_county_data(engine, data, by="t")
    engine.dispose()
    return url


def test_template_import_progress_export(tmp_path):
    url = _db(tmp_path)
    env = {"JUNHENG_DATABASE_URL": url, "COLUMNS": "200"}
    path = tmp_path / "目标.xlsx"
    out = runner.invoke(app, ["targets", "template", str(path), "--county", "350404"], env=env)
    assert out.exit_code == 0, out.output
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["目标", "指标一览", "填表说明"]
    names = [r[0] for r in wb["指标一览"].iter_rows(min_row=2, values_only=True)]
    assert "骨干教师占比" in names and "新增学位数" in names and "R1 高学历教师达标学校比例" in names
    ws = wb["目标"]
    ws.append(["骨干教师占比", "全县", 2024, None, 30, 2026, None, "测试县三年行动计划（2024—2026 年）第三条",
               "教师工作科", None])
    wb.save(path)

    out = runner.invoke(app, ["targets", "import", str(path), "--county", "350404", "--by", "张三"], env=env)
    assert out.exit_code == 0, out.output
    assert "已导入县区 350404 的行动方案目标 1 个（第 1 版，导入人 张三），其中 1 个目标的基线值按数据自动填写" in out.output

    out = runner.invoke(app, ["progress", "350404"], env=env)
    assert out.exit_code == 0, out.output
    # 12.5 % (2024) → 30 % (2026): 21.3 % expected in 2025 (21.25 shown 21.3), 25.0 % reached
    assert "按期推进 1 项" in out.output
    assert "│ 骨干教师占比 │ 全县 │ 12.5% │ 30.0% │ 2024—2026 │ 12.5% │ 25.0% │ 21.3%  │ 按期推进 │ 5.0 个百分点 │" in out.output
    doc = json.loads(runner.invoke(app, ["progress", "350404", "--format", "json"], env=env).output)
    assert doc["targets"][0]["actual"] == {"2024": 0.125, "2025": 0.25} and doc["targets"][0]["status"] == "按期推进"

    out = runner.invoke(app, ["region", "3504", "--measure", "backbone_share"], env=env)
    assert out.exit_code == 0 and "测试县（350404）" in out.output and "按期推进" in out.output

    export = tmp_path / "导出.xlsx"
    out = runner.invoke(app, ["targets", "export", "350404", str(export)], env=env)
    assert out.exit_code == 0, out.output
    row = next(openpyxl.load_workbook(export)["目标"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[:6] == ("骨干教师占比", "全县", 2024, 0.125, 0.3, 2026)
    # the template's guide sheet is 填表说明 (like the county template), not an output's 说明
    assert workbook_problems(export) == ["没有「说明」工作表"]
    progress = tmp_path / "进展.xlsx"
    out = runner.invoke(app, ["progress", "350404", "--out", str(progress)], env=env)
    assert out.exit_code == 0 and workbook_problems(progress) == []
    out = runner.invoke(app, ["targets", "versions", "350404"], env=env)
    assert "张三" in out.output and "目标.xlsx" in out.output


def test_an_invalid_workbook_is_refused_with_exit_1_and_located_messages(tmp_path):
    env = {"JUNHENG_DATABASE_URL": _db(tmp_path)}
    path = tmp_path / "目标.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "目标"
    wb.active.append(["指标", "范围", "基线学年", "基线值", "目标值", "目标年份"])
    wb.active.append(["骨干教师比例", "全县", 2024, 10, 20, 2026])
    wb.save(path)
    out = runner.invoke(app, ["targets", "import", str(path), "--county", "350404"], env=env)
    assert out.exit_code == 1
    assert "目标.xlsx 目标 第2行 A列「指标」的值“骨干教师比例”：不是可跟踪的指标" in out.output
    assert "没有导入任何目标" in out.output
    out = runner.invoke(app, ["progress", "350404"], env=env)
    assert out.exit_code == 1 and "没有县区 350404 的行动方案目标" in out.output
