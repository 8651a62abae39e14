"""The 目标进展 sheet (`junheng progress --out 进展.xlsx`, and a sheet of the trend
workbook): one row per target with every stored year's value, the value expected on the
path, the status and the gap, in the look of :mod:`junheng.reports.renderers.sheet_style`.
Numbers are written unrounded with the format of their kind (so a cell shows what the
terminal and the 年度答卷 print); the status comes from the service, never recomputed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from junheng.analysis.measures import scoped_name
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

TITLE = "目标进展"
KIND_FORMAT = {"count": "int", "percent": "pct", "ratio": "ratio", "money": "num", "cv": "cv"}
STATUS_TONE = {"已达成": "ok", "按期推进": "ok", "滞后": "floor", "未达成": "fail", "无数据": None}
POINTS = '0.0" 个百分点"'

NOTES = [
    (TITLE, "每个目标一行：指标、范围、基线、目标、各学年的实际值、按路径本学年应达到的数值、状态和距目标的差距。"
            "百分比指标的差距以“个百分点”计。"),
]
DEFINITIONS = [
    ("应达到", "从（基线学年，基线值）经各分年度目标到（目标年份，目标值）连成的路径在本学年的数值；没有分年度目标时为直线。"),
    ("状态", "已达成：达到目标值；按期推进：达到本学年应达到的数值；滞后：低于应达到的数值；未达成：目标年份已到仍未达到；"
            "无数据：本学年缺少计算所需的数据（“说明”列写明缺什么）。按显示的数值比较。"),
    ("差距", "距目标值还差多少（越高越好的指标为 目标值 − 实际值，越低越好的为 实际值 − 目标值）；0 或负数表示已达到。"),
    ("数据来源", "各学年的数值取自导入数据库的该学年县域年度数据表，与评估结果、年度答卷中的同名数字一致。"),
]


def _gap(kind: str, value: float | None) -> Any:
    if value is None:
        return None
    if kind == "percent":
        return Styled(value * 100, num_format=POINTS)
    return value


def add_progress_sheet(wb: Any, st: ss.Styles, progress: Any, name: str = TITLE) -> None:
    """``progress``: a services.progress.CountyProgress."""
    ws = wb.add_worksheet(name)
    years = progress.years
    columns = [Column("指标", "text", 26), Column("范围", "text", 10), Column("单位", "text", 6),
               Column("基线学年", "year"), Column("基线值", "num"), Column("目标值", "num"), Column("目标年份", "year"),
               *[Column(f"{y} 学年", "num") for y in years], Column(f"{progress.school_year} 学年应达到", "num"),
               Column("状态", "text", 10), Column("差距（距目标）", "num"), Column("依据", "wrap", 36),
               Column("责任科室", "text", 12), Column("说明", "wrap", 40)]
    rows = []
    for r in progress.rows:
        t, m = r.target, r.measure
        fmt_kind = KIND_FORMAT.get(m.kind, "num")

        def cell(v: float | None, fmt_kind: str = fmt_kind) -> Any:
            return None if v is None else Styled(v, num_format=ss.FORMATS.get(fmt_kind))

        note = [f"{y} 学年：{why}" for y, why in sorted(r.missing.items())]
        if t.baseline_from_data:
            note.insert(0, "基线值取自数据")
        rows.append([scoped_name(m, t.scope), t.scope, m.unit or "—", t.baseline_year, cell(t.baseline), cell(t.target), t.target_year,
                     *[cell(r.actual.get(y)) for y in years], cell(r.expected),
                     Styled(r.status, STATUS_TONE.get(r.status)), _gap(m.kind, r.gap), t.basis or "",
                     t.department or "", "；".join(note)])
    top = 0
    ws.write_string(0, 0, f"{progress.county_name}（{progress.county_code}）{progress.school_year} 学年行动方案目标进展",
                    st.title)
    counts = progress.counts()
    ws.write_string(1, 0, "，".join(f"{k} {v} 项" for k, v in counts.items() if v), st.note)
    top = 3
    ss.write_table(ws, st, top, columns, rows, freeze_cols=2)


def write_progress_workbook(progress: Any, path: str | Path) -> None:
    wb, st = ss.open_workbook(path, title=f"{progress.county_name}目标进展", subject="行动方案目标进展")
    try:
        add_progress_sheet(wb, st, progress)
        ss.add_notes_sheet(wb, st, TITLE, NOTES, DEFINITIONS)
    finally:
        ss.close(wb)
