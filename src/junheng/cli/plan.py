"""`junheng plan WORKBOOK [--budget …] [--out plan.xlsx|plan.html|plan.json]` and
`junheng plan-settings FILE`.

Exit codes: 0 a plan after which the county passes what the plan addresses (or
nothing to do); 1 the workbook has errors, or the plan cannot fix everything (budget
too small, or something no action can fix); 2 usage (a bad budget, settings file or
output file).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from junheng.cli.confirm import ConfirmationsOption, ConfirmOption, read_confirmations
from junheng.cli.render import console, fail, table
from junheng.core.errors import JunhengError
from junheng.planner.plan import Plan
from junheng.reports.documents.plan_section import PlanSection, plan_section, row_texts
from junheng.services.evaluation import chosen_standard
from junheng.services.plan_check import check_plan_file
from junheng.services.planning import (
    PlanRequestError,
    check_plan_output,
    parse_budget,
    plan_json,
    plan_workbook,
    write_plan,
    write_settings_file,
    year_settings,
)

_OK = ("optimal", "feasible", "nothing_to_do")


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command("plan", help="制定资源配置整改方案：用最低费用使全县资源配置（及专用教室、交流轮岗）达标。"
                              "复核修改后的方案：junheng plan check 方案.xlsx 工作簿.xlsx")
    def plan(
        workbook: Annotated[Path, typer.Argument(help="县域年度数据工作簿（.xlsx）", show_default=False)],
        more: Annotated[list[Path] | None, typer.Argument(
            help="plan check 时：方案工作簿和县域数据工作簿", show_default=False)] = None,
        budget: Annotated[str | None, typer.Option(
            "--budget", "-b", help="整改预算上限（元），可写 5000000、500万、1.2亿；默认不限", show_default=False)] = None,
        yearly_budget: Annotated[str | None, typer.Option(
            "--yearly-budget", help="分年度行动计划：各年预算，如 500万,500万,800万（也可写在方案设置文件 limits.yearly_budget）",
            show_default=False)] = None,
        years: Annotated[str | None, typer.Option(
            "--years", help="分年度行动计划的起止年份，如 2026-2028（默认从工作簿学年的下一年起）", show_default=False)] = None,
        target_year: Annotated[int | None, typer.Option(
            "--target-year", help="要求认定的年份（默认计划的最后一年）", show_default=False)] = None,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="把方案写入文件：.xlsx 工作簿、.html 网页或 .json（屏幕上不再输出方案）",
            show_default=False)] = None,
        settings: Annotated[Path | None, typer.Option(
            "--settings", help="方案设置文件（费用、上限等；用 junheng plan-settings 写出默认文件）",
            show_default=False)] = None,
        standard: Annotated[str | None, typer.Option(
            "--standard", "-s", help="评估标准：内置标准编号或标准 YAML 文件（默认读取 JUNHENG_STANDARD，未设置时为 yzjh-2017）", show_default=False)] = None,
        time_limit: Annotated[float | None, typer.Option(
            "--time-limit", help="求解时间上限（秒），默认取方案设置（60 秒）", min=1, show_default=False)] = None,
        format: Annotated[Format, typer.Option(
            "--format", "-f", help="屏幕输出：text（表格）或 json（只输出 JSON）")] = Format.text,
        as_json: Annotated[bool, typer.Option("--json", help="同 --format json")] = False,
        rows: Annotated[int, typer.Option("--rows", help="教师调配名单最多显示多少行（0 表示全部）", min=0)] = 30,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
        confirm: ConfirmOption = None,
        confirmations: ConfirmationsOption = None,
    ) -> None:
        confirmed = read_confirmations(confirm, confirmations)
        json_out = as_json or format is Format.json
        if str(workbook) == "check" and not workbook.exists():
            _check(more or [], standard, settings, json_out)
            return
        if more:
            fail(PlanRequestError(f"多余的参数：{' '.join(map(str, more))}（复核方案请用 junheng plan check 方案.xlsx 工作簿.xlsx）"))
        try:
            amount = parse_budget(budget) if budget is not None else None
            by_year = year_settings(yearly_budget, years, target_year)
            if out is not None:
                check_plan_output(out, overwrite=force)
            result = plan_workbook(workbook, chosen_standard(standard), settings, budget=amount,
                                   time_limit=time_limit, confirmations=confirmed, years=by_year)
            written = write_plan(result, out, overwrite=force) if out is not None else None
        except JunhengError as exc:
            fail(exc)
        section = plan_section(result)
        if written is not None:
            # --out writes the file and nothing else goes to stdout.
            typer.echo(f"方案已写入 {written}（{section.status}）", err=True)
            for label, text in section.summary:
                if label == "预算缺口":
                    typer.echo(text, err=True)
        elif json_out:
            typer.echo(plan_json(section), nl=False)
        else:
            show(result, section, rows)
        late = result.schedule is not None and not result.schedule.fits
        raise typer.Exit(0 if result.status in _OK and not late else 1)

    @app.command("plan-settings", help="写出整改方案设置的默认文件（费用、上限、求解时间），修改后用 --settings 指定")
    def plan_settings(
        out: Annotated[Path, typer.Argument(help="要写出的设置文件（.yaml）")] = Path("方案设置.yaml"),
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    ) -> None:
        try:
            path = write_settings_file(out, overwrite=force)
        except JunhengError as exc:
            fail(exc)
        typer.echo(f"默认方案设置已写入 {path}，修改后运行：junheng plan 工作簿.xlsx --settings {path}")


def show(plan: Plan, section: PlanSection, rows: int) -> None:
    c = console()
    c.print(Text(section.title, style="bold"))
    c.print(Text(section.status, style="bold green" if plan.status in _OK else "bold red"))
    c.print(table("方案概要", ["项目", "内容"], section.summary))
    costs = section.costs
    c.print(table(costs.title, costs.headers, [row_texts(costs, r) for r in costs.rows], right=(1, 3)))
    for t in section.tables:
        shown = t.rows if (rows == 0 or t.key != "transfers") else t.rows[:rows]
        c.print(table(t.title, t.headers, [row_texts(t, r) for r in shown], right=tuple(t.money)))
        if len(shown) < len(t.rows):
            c.print(Text(f"（共 {len(t.rows)} 行，仅显示前 {len(shown)} 行；完整名单请用 --out 写入文件）"))
    for title, lines in (("仍未达标（评估引擎复核）", section.still_failing),
                         ("无法通过现有措施解决", section.unreachable),
                         ("有编不补：应补充的在编教师", section.post_fills),
                         ("说明", section.notes), ("费用下界所依据的规则", section.rules),
                         ("注意", section.warnings)):
        if lines:
            c.print(Text(title, style="bold"))
            for line in lines:
                c.print(Text(f"  · {line}"))


def _check(paths: list[Path], standard: str | None, settings: Path | None, json_out: bool) -> None:
    """`junheng plan check 方案.xlsx 工作簿.xlsx`: apply an (edited) plan's 措施 sheets
    to the county and re-evaluate; exit 0 when everything the plan addresses passes."""
    if len(paths) != 2:
        fail(PlanRequestError("用法：junheng plan check 方案.xlsx 工作簿.xlsx"))
    try:
        report = check_plan_file(paths[0], paths[1], chosen_standard(standard), settings)
    except JunhengError as exc:
        fail(exc)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        c = console()
        c.print(Text(f"方案 {paths[0].name}：{len(report.actions)} 项措施，"
                     f"一次性费用 {report.one_off:,.0f} 元，每年经常性费用 {report.annual:,.0f} 元", style="bold"))
        c.print(Text(report.verdict, style="bold green" if report.passes else "bold red"))
        for line in report.still_failing:
            c.print(Text(f"  · {line}"))
        for line in report.new_failures:
            c.print(Text(f"  · 调整前达标、调整后未达标：{line}", style="red"))
    raise typer.Exit(0 if report.passes else 1)
