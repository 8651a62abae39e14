"""`junheng places WORKBOOK`: 学位容量、大班额和未来几年的在校生预测。"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.analysis.places import PlacesReport
from junheng.cli.database import history_engine
from junheng.cli.render import (
    AsJson,
    DatabaseUrlOption,
    History,
    Workbook,
    console,
    pct,
    previous_option,
    run_report,
    table,
    with_workbook,
)
from junheng.core.facts import STAGE_ZH
from junheng.services.places import places_for_workbook, write_places_workbook


def register(app: typer.Typer) -> None:
    @app.command("places", help="学位与大班额：各校学位容量、大班额和超大班额占比，并按年级逐年升级预测今后几年哪些学校学位不足或班额超标")
    def places(
        workbook: Workbook,
        previous: Annotated[list[Path] | None, previous_option("用于计算升级率和新增学位")] = None,
        years: Annotated[int, typer.Option("--years", help="预测年数", min=1, max=10)] = 3,
        as_json: AsJson = False,
        history: History = False,
        database_url: DatabaseUrlOption = None,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="另存为 Excel 工作簿（.xlsx）：学位容量、大班额、升级率、预测", show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    ) -> None:
        engine = history_engine(history, database_url)

        def build() -> PlacesReport:
            return places_for_workbook(workbook, previous or (), years, history=engine)

        run_report(with_workbook(build, out, write_places_workbook, force=force, as_json=as_json), as_json, _print)


def _print(r: PlacesReport) -> None:
    out = console()
    stand_in = any(not c.standard_from_workbook for c in r.capacities)
    rows = []
    for c in r.capacities:
        added = r.added.get((c.school_code, c.stage))
        rows.append((c.school_name, STAGE_ZH[c.stage], c.students, c.classes,
                     f"{c.standard_classes}{'' if c.standard_from_workbook else '*'}", c.capacity, c.spare,
                     "" if added is None else f"{added:+d}"))
    headers = ["学校", "学段", "在校生", "现有班数", "标准班数", "学位数", "剩余学位"]
    if r.added:
        headers.append("较上年新增学位")
    out.print(table(f"一、{r.school_year} 学年学位容量（学位数 = 标准班数 × 标准班额：小学 45 人、初中 50 人）",
                    headers, [row[:len(headers)] for row in rows], right=range(2, 8)))
    if stand_in:
        out.print("  * 工作簿未填标准班数，暂按现有班数计算。")
    lines = []
    for s in r.large:
        name = "合计" if s.stage is None else STAGE_ZH[s.stage]
        lines.append(f"{name} {s.classes} 个班，大班额（56—65 人）{s.large} 个（{pct(s.large_share)}），"
                     f"超大班额（66 人及以上）{s.super_large} 个（{pct(s.super_large_share)}）")
    out.print("二、大班额\n  " + "\n  ".join(lines))
    if r.large_by_school:
        names = {c.school_code: c.school_name for c in r.capacities}
        out.print("  有大班额的学校：" + "；".join(
            f"{names.get(code, code)} 大班额 {a} 个、超大班额 {b} 个" for code, (a, b) in r.large_by_school.items()))
    if r.added:
        out.print("三、升级率（按上年工作簿）：" + "，".join(f"{g}→{g + 1} 年级 {pct(v)}" for g, v in r.survival.items()))
    else:
        out.print(f"三、升级率：无上年工作簿，年级之间按 100%，小升初按本年初一与六年级人数之比 {pct(r.survival[6])}"
                  "（加 --previous 上年工作簿 可按实际升级率预测）")
    if r.new_schools:
        out.print("  新建学校（项目台账，尚无学校标识码，不参与逐校预测）：" + "；".join(
            f"{p.school_name or p.name} {p.finish_year} 年竣工，新增学位 {p.places} 个" for p in r.new_schools))
    flagged = r.flagged()
    if not flagged:
        out.print(f"四、未来 {len({x.year for x in r.forecast})} 年预测：各校学位和教室均够用。")
        return
    rows = []
    for x in flagged:
        problems = []
        if x.over_capacity:
            problems.append(f"学位缺 {x.students - x.capacity} 个")
        if x.too_few_classrooms:
            problems.append(f"需 {x.classes_needed} 个班，仅 {x.standard_classes} 个标准班（将超班额）")
        if x.project_places:
            problems.append(f"已计入项目新增学位 {x.project_places} 个")
        rows.append((x.school_name, STAGE_ZH[x.stage], f"{x.year} 学年", x.students, x.capacity, "；".join(problems)))
    out.print(table("四、预测（按年级逐年升级）：学位不足或班额将超标的学校",
                    ["学校", "学段", "学年", "预测在校生", "学位数", "问题"], rows, right=(3, 4)))
