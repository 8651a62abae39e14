"""scripts/demo, the README's first command, end to end into a temporary folder (the
set-up is skipped: JUNHENG_DEMO_PYTHON runs this interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from junheng.services.history import open_history, versions
from junheng.services.trends import county_trend

ROOT = Path(__file__).resolve().parents[2]


def run_demo(out: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUNHENG_")}
    env |= {"JUNHENG_DEMO_PYTHON": sys.executable, "PYTHONPATH": str(ROOT / "src"),
            "JUNHENG_DATA_DIR": str(out.parent / "own-data")}  # the user's own database
    return subprocess.run([str(ROOT / "scripts" / "demo"), str(out)], env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_the_demo_writes_imports_evaluates_and_says_where_everything_is(tmp_path):
    out = tmp_path / "out"
    for _ in range(2):  # re-running the demo works and gives the same database
        done = run_demo(out)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        engine = open_history(url=f"sqlite:///{out / 'junheng.db'}")
        trend = county_trend(engine, "350404")
        assert [y.school_year for y in trend.years] == [2023, 2024, 2025]
        # closing 2025's 社会认可度 survey re-evaluates that year: its second version
        assert [v.version for y in (2023, 2024, 2025) for v in versions(engine, "350404", y)] == [1, 1, 1, 2]
        assert {e.kind for e in trend.events} == {"merged", "opened"}
        engine.dispose()
    for name in ("示例县-2023.xlsx", "示例县-2024.xlsx", "示例县-2025.xlsx", "result.xlsx", "report.html",
                 "trend.xlsx", "flows.xlsx", "自评报告.docx", "年度答卷.docx"):
        assert (out / name).stat().st_size > 0, name
    assert {"趋势", "目标进展"} <= set(openpyxl.load_workbook(out / "trend.xlsx").sheetnames)
    assert "目标进展" in openpyxl.load_workbook(out / "进展.xlsx").sheetnames
    assert "2025" in (out / "report.html").read_text(encoding="utf-8")
    report = [p.text for p in Document(str(out / "自评报告.docx")).paragraphs]
    assert any("自评报告" in p for p in report)
    # S1 from the sample's survey: the 调查方法与样本 section is written from it
    assert any("社会认可度调查面向学生、家长、教师、校长、人大代表、政协委员、其他群众开展" in p for p in report)
    assert any("本报告采用调查结果" in p for p in report)
    assert "S1 社会认可度取调查结果" in done.stdout
    annual = Document(str(out / "年度答卷.docx"))  # from the demo database: three years
    assert annual.paragraphs[5].text == "示例县2025学年义务教育发展年度答卷"
    assert any(t.rows[0].cells[0].text == "指标" and [c.text for c in t.rows[0].cells[1:]]
               == ["2023学年", "2024学年", "2025学年"] for t in annual.tables)  # 历年主要指标
    assert any(p.text.endswith("行动方案目标完成情况") for p in annual.paragraphs)  # the sample's targets
    said = done.stdout
    assert "演示完成" in said and str(out / "result.xlsx").rsplit("/", 1)[0] in said
    assert f"JUNHENG_DATABASE_URL=sqlite:///{out / 'junheng.db'}" in said and "serve" in said
    assert not (tmp_path / "own-data" / "junheng.db").exists()  # the user's database untouched
