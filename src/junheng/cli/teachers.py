"""`junheng teachers CODE|WORKBOOK [--out 师资.xlsx] [--format text|json]`: teacher supply
by subject and 编制 — needs under the 2022 curriculum against the teachers each school
has, 紧缺学科 and surplus, 核定编制 vs 在编 vs 编外 (有编不补), retirements in the next
five years by subject.

SOURCE is a county workbook, or the 6-digit code of a county imported into the
database (then the current version of ``--year``, default the latest stored year).
Exit codes: 0 ok; 1 a workbook with errors or no such stored county-year; 2 usage
(a settings or curriculum file that cannot be used, an output that exists).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from junheng.analysis.teacher_supply import ENV, TeacherSupplyReport
from junheng.cli.database import stored_county
from junheng.cli.render import console, fail, table
from junheng.core.errors import JunhengError
from junheng.core.facts import STAGE_ZH, Stage


class UsageError(JunhengError):
    exit_code = 2


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command("teachers", help="教师配备：按课程方案测算各校各学科需配教师，与现有教师比较（紧缺学科、富余），"
                                  "核定编制与在编、编外（有编不补），今后五年退休教师")
    def teachers(
        source: Annotated[str, typer.Argument(
            help="县域年度数据工作簿（.xlsx），或已导入数据库的县区代码（6 位）", metavar="CODE|WORKBOOK",
            show_default=False)],
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="另存为 Excel 工作簿（.xlsx）：汇总、各校学科、全县学科、编制、退休、课时表",
            show_default=False)] = None,
        format: Annotated[Format, typer.Option(
            "--format", "-f", help="屏幕输出：text（表格）或 json（只输出 JSON）")] = Format.text,
        year: Annotated[int | None, typer.Option(
            "--year", "-y", min=1900, max=2100, show_default=False,
            help="按县区代码时的学年（默认为数据库中该县区最新的学年）")] = None,
        database_url: Annotated[str | None, typer.Option(
            "--database-url", show_default=False,
            help="按县区代码时的数据库地址（默认读取 JUNHENG_DATABASE_URL，否则用本机 SQLite 文件）")] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    ) -> None:
        as_json = format is Format.json
        try:
            if out is not None:
                from junheng.services.outputs import check_workbook_output

                check_workbook_output(out, overwrite=force)
            code = stored_county(source, UsageError)
            if code is None:
                if year is not None:
                    raise UsageError("--year 只用于按县区代码从数据库读取；工作簿的学年以工作簿中填写的为准")
                from junheng.services.teacher_supply import supply_for_workbook

                report = supply_for_workbook(Path(source))
            else:
                from junheng.cli.history import call
                from junheng.services.teacher_supply import supply_for_county

                report = call(database_url, supply_for_county, code, year)
            if out is not None:
                from junheng.services.teacher_supply import write_teachers_workbook

                write_teachers_workbook(report, out, overwrite=force)
        except JunhengError as exc:
            fail(exc)
        if as_json:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str, indent=2))
        else:
            _print(report)
        if out is not None:
            typer.echo(f"已写入 {out}", err=as_json)



def _print(r: TeacherSupplyReport) -> None:
    out = console()
    w = r.settings["workload"]
    out.print(f"{r.county_name} {r.school_year} 学年教师配备（按学科和编制）")
    out.print(f"  课时：{r.curriculum}；标准课时量 小学 {w['primary']:g} 节/周、初中 {w['junior']:g} 节/周"
              f"（设置文件：环境变量 {ENV}，未设置时为默认值）")
    if r.classes_known:
        out.print(f"一、全县按课程方案需配 {r.needed} 人，对应学科现有 {r.have} 人；"
                  f"紧缺学科教师 {r.shortage} 人（{r.shortage_schools} 所学校），富余 {r.surplus} 人"
                  "（各校之和，一所学校的富余不抵另一所的缺口）")
        rows = []
        for stage, items in r.county.items():
            for x in items:
                short = sum(y.shortage for s in r.schools if s.stage.value == stage for y in s.subjects
                            if y.subject == x.subject)
                surplus = sum(y.surplus for s in r.schools if s.stage.value == stage for y in s.subjects
                              if y.subject == x.subject)
                rows.append((STAGE_ZH[Stage(stage)], x.subject, f"{x.periods:g}", x.needed, x.have,
                             short or "", surplus or "", x.retiring or ""))
        out.print(table("二、全县各学科（缺、余为各校之和）",
                        ["学段", "学科", "周课时", "需配", "现有", "缺", "余", "五年内退休"], rows, right=range(2, 8)))
        worst = sorted((s for s in r.schools if s.shortage), key=lambda s: -s.shortage)[:15]
        if worst:
            rows = [(s.name, STAGE_ZH[s.stage], s.shortage,
                     "、".join(f"{x.subject} {x.shortage}" for x in s.short_subjects())) for s in worst]
            more = sum(1 for s in r.schools if s.shortage) - len(worst)
            out.print(table("三、紧缺学科最多的学校" + (f"（另有 {more} 个学校学段，见 --out 工作簿）" if more > 0 else ""),
                            ["学校", "学段", "缺（人）", "紧缺学科（缺几人）"], rows, right=(2,)))
    else:
        out.print("一、「班级」表为空：无法按课程方案测算各校需配教师。")
    if r.staffing_known and r.quota_known:
        est = sum(s.established for s in r.staffing)
        con = sum(s.contract for s in r.staffing)
        out.print(f"四、编制：核定编制 {r.quota} 人，在编 {est} 人，编外 {con} 人，空编 {r.vacant} 人；"
                  f"有编不补 {r.unfilled_schools} 所学校、{r.unfilled} 个编制")
        flagged = [s for s in r.staffing if s.unfilled]
        if flagged:
            out.print("  有编不补的学校：" + "；".join(
                f"{s.name} 核定 {s.quota}、在编 {s.established}、编外 {s.contract}、空编 {s.vacant}" for s in flagged))
    else:
        out.print("四、编制：工作簿未填「学校」表核定编制数或「教师」表编制类型，无法核对。")
    if r.retirements_known:
        last = r.school_year + r.settings["retirement"]["horizon_years"] - 1
        subjects = "、".join(f"{k} {v} 人" for k, v in r.retiring_by_subject().items())
        out.print(f"五、{r.school_year}—{last} 年退休教师 {len(r.retirees)} 人：{subjects or '无'}"
                  + (f"（其中 {r.overdue} 人已超过法定退休年龄）" if r.overdue else ""))
    else:
        out.print("五、退休：工作簿「教师」表未填出生年份，无法测算。")
    for note in r.notes:
        out.print(f"  注：{note}")

