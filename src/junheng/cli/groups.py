"""`junheng groups WORKBOOK`: 集团化办学——集团内各校与牵头学校比较、集团内差异系数及逐年变化。"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.analysis.groups import GroupsReport
from junheng.cli.database import history_engine
from junheng.cli.render import (
    AsJson,
    DatabaseUrlOption,
    History,
    Workbook,
    console,
    num,
    pct,
    previous_option,
    run_report,
    table,
    with_workbook,
)
from junheng.core.facts import STAGE_ZH
from junheng.services.groups import groups_for_workbook, write_groups_workbook


def register(app: typer.Typer) -> None:
    @app.command("groups", help="集团化办学：各教育集团内学校与牵头学校的指标比较、集团内差异系数，以及逐年是否缩小")
    def groups(
        workbook: Workbook,
        previous: Annotated[list[Path] | None, previous_option("看集团内差距是否逐年缩小")] = None,
        standard: Annotated[str, typer.Option("--standard", "-s", help="用哪个标准的逐校指标")] = "yzjh-2017",
        as_json: AsJson = False,
        history: History = False,
        database_url: DatabaseUrlOption = None,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="另存为 Excel 工作簿（.xlsx）：成员学校、集团内差异系数、逐年变化", show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    ) -> None:
        engine = history_engine(history, database_url)

        def build() -> GroupsReport:
            return groups_for_workbook(workbook, previous or (), standard, history=engine)

        run_report(with_workbook(build, out, write_groups_workbook, force=force, as_json=as_json), as_json, _print)


def _print(r: GroupsReport) -> None:
    out = console()
    if not r.groups:
        out.print("工作簿「学校」表的「教育集团」列为空：没有可分析的教育集团。")
        return
    out.print(f"{r.school_year} 学年共 {len(r.groups)} 个教育集团，另有 {r.ungrouped} 所学校未加入集团。")
    for g in r.groups:
        lead = g.lead_name or "（无）"
        out.print(f"\n■ {g.name}：牵头学校 {lead}，成员 {len(g.schools)} 所")
        if g.lead_note:
            out.print(f"  注：{g.lead_note}")
        for st in g.stages:
            headers = ["学校", "在校生"] + [r.names[i] for i in r.indicators]
            rows = []
            for m in st.members:
                cells = []
                for i in r.indicators:
                    v, ratio = m.values[i], m.to_lead[i]
                    cells.append(num(v, 2) if m.is_lead or ratio is None else f"{num(v, 2)}（{pct(ratio, 0)}）")
                rows.append([m.name + ("（牵头）" if m.is_lead else ""), m.students, *cells])
            out.print(table(f"{STAGE_ZH[st.stage]}：各校指标（括号内为相当于牵头学校的百分比）", headers, rows))
            cv = "，".join(f"{r.names[i]} {num(st.cvs[i])}" for i in r.indicators)
            out.print(f"  集团内差异系数：{cv}")
            out.print(f"  集团内平均差异系数 {num(st.mean_cv)}，全县 {num(st.county_mean_cv)}"
                      + ("（集团内比全县更均衡）" if st.mean_cv is not None and st.county_mean_cv is not None
                         and st.mean_cv < st.county_mean_cv else ""))
        for t in r.trends:
            if t.name != g.name or len(t.years) < 2 or all(m is None for m in t.mean_cv):
                continue
            series = " → ".join(f"{y} {num(m)}" for y, m in zip(t.years, t.mean_cv, strict=True))
            verdict = {True: "集团内差距在缩小", False: "集团内差距没有缩小", None: "可比年份不足"}[t.narrowing]
            out.print(f"  {STAGE_ZH[t.stage]}集团内平均差异系数逐年：{series}（{verdict}）")
