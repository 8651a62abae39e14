"""`junheng evaluate WORKBOOK [--standard S] [--format text|json] [--out FILE]... [--history]`

Reads, checks and evaluates a county workbook; prints the verdict (or, with --format
json, only the JSON document) and writes the result files asked for with --out
(.xlsx result workbook, .html report, .json). With --history the outputs carry the
county's 历年趋势: its stored earlier years, then this workbook's year (not stored).

Several workbooks or a folder: evaluated in parallel, one summary table (cli.many);
exit 0 when every one is recognised.

Exit codes: 0 recognised (认定); 1 not recognised, or the workbook has errors (they are
listed and nothing is written), or the standard cannot be used; 2 usage (an --out that
cannot be written).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from junheng.analysis.factsheet import FactSheet, build_factsheet
from junheng.cli import many
from junheng.cli.confirm import ConfirmationsOption, ConfirmOption, confirm_hint, read_confirmations
from junheng.cli.database import history_engine
from junheng.cli.many import JobsOption
from junheng.cli.render import DatabaseUrlOption
from junheng.cli.validate import print_issue_table
from junheng.core.errors import JunhengError
from junheng.core.issues import IssueReport
from junheng.core.result import Evaluation
from junheng.reports.renderers.json import evaluation_to_json
from junheng.reports.renderers.terminal import print_evaluation
from junheng.services.evaluation import chosen_standard, read_and_evaluate, resolve_standard
from junheng.services.result_files import FORMAT_ZH, check_result_paths, result_format, write_result
from junheng.services.validation import issue_counts, issues_document

if TYPE_CHECKING:
    from junheng.reports.documents.trend_section import TrendSection


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command("evaluate", help="评估县域年度数据工作簿：给出认定结论，并可输出评估结果工作簿、网页报告或 JSON")
    def evaluate(
        workbooks: Annotated[list[Path], typer.Argument(
            metavar="工作簿.xlsx|文件夹...", help="县域年度数据工作簿（.xlsx），可以多个，或整个文件夹",
            show_default=False)],
        standard: Annotated[str | None, typer.Option(
            "--standard", "-s", help="评估标准：内置标准编号或标准 YAML 文件（默认读取 JUNHENG_STANDARD，未设置时为 yzjh-2017）")] = None,
        format: Annotated[Format, typer.Option(
            "--format", "-f", help="屏幕输出：text（摘要）或 json（只输出 JSON）")] = Format.text,
        out: Annotated[list[Path] | None, typer.Option(
            "--out", "-o", show_default=False,
            help="输出文件，可重复：.xlsx 评估结果工作簿、.html 网页报告、.json JSON")] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
        limit: Annotated[int, typer.Option(
            "--limit", min=1, help="摘要中未达标学校、项目最多各列多少条")] = 12,
        plan: Annotated[bool, typer.Option(
            "--plan", help="同时制定资源配置整改方案，写入各输出文件的「整改方案」部分（单独查看用 junheng plan）")] = False,
        budget: Annotated[str | None, typer.Option(
            "--budget", help="与 --plan 同用：整改预算上限（元），可写 500万", show_default=False)] = None,
        plan_settings: Annotated[Path | None, typer.Option(
            "--plan-settings", help="与 --plan 同用：方案设置文件", show_default=False)] = None,
        history: Annotated[bool, typer.Option(
            "--history", help="在输出中加入历年趋势：数据库中本县此前各学年，加上本工作簿的学年（不入库）")] = False,
        database_url: DatabaseUrlOption = None,
        confirm: ConfirmOption = None,
        confirmations: ConfirmationsOption = None,
        jobs: JobsOption = None,
    ) -> None:
        as_json = format is Format.json
        confirmed = read_confirmations(confirm, confirmations)
        standard = chosen_standard(standard)
        if many.is_many(workbooks):
            if out or plan or budget is not None or history or database_url is not None:
                typer.echo("错误：评估多个工作簿时不能用 --out、--plan、--budget、--history 或 --database-url；"
                           "请逐个评估，或用 junheng import 导入后查看", err=True)
                raise typer.Exit(2)
            try:
                std = resolve_standard(standard)  # a broken standard file stops here, once
            except JunhengError as exc:
                _fail(exc)
            many.run("evaluate", workbooks, jobs, as_json=as_json, standard=std)
        workbook = workbooks[0]
        if plan or budget is not None:  # the planner (HiGHS) loads only when asked for
            from junheng.reports.documents.plan_section import plan_section
            from junheng.services.planning import parse_budget, plan_county
        try:
            outputs = check_result_paths(out or (), overwrite=force)
            amount = parse_budget(budget) if budget is not None else None
            data, evaluation, report = read_and_evaluate(workbook, standard, confirmed)
        except JunhengError as exc:
            _fail(exc)
        if evaluation is None:
            _invalid(report, workbook, as_json)
        section = trend = None
        try:
            if history or database_url is not None:  # the database stack loads only when asked for
                from junheng.services.trends import trend_section

                trend = trend_section(history_engine(True, database_url), data, evaluation, stored=False)
                if trend.note:
                    typer.echo(trend.note, err=True)
            if plan:
                made = plan_county(data, standard, plan_settings, budget=amount)  # the data already read
                section = plan_section(made)
            facts = build_factsheet(data, evaluation)
            written = [write_result(evaluation, path, overwrite=force, plan=section, trend=trend, facts=facts)
                       for path in outputs]
        except JunhengError as exc:
            _fail(exc)
        _show(evaluation, report, written, as_json, limit, trend, facts)
        if section is not None and not as_json:
            summary = dict(section.summary)
            typer.echo(f"整改方案：{section.status}；方案总费用 {summary['方案总费用']}；"
                       f"调整后资源配置 {summary['调整后资源配置（评估引擎复核）']}。")
        raise typer.Exit(0 if evaluation.recognised else 1)


def _fail(exc: JunhengError) -> None:
    typer.echo(f"错误：{exc.message}", err=True)
    raise typer.Exit(exc.exit_code)


def _invalid(report: IssueReport, workbook: Path, as_json: bool) -> None:
    """The workbook cannot be evaluated: list its problems, write nothing, exit 1."""
    if as_json:
        typer.echo(json.dumps(issues_document(report, workbook), ensure_ascii=False, indent=2))
    else:
        print_issue_table(report, workbook.name, 50, None)
        hint = confirm_hint(report)
        if hint:
            typer.echo(hint, err=True)
        typer.echo(f"工作簿有错误，未进行评估。请改正后重新运行；完整清单：junheng validate {workbook} --format xlsx",
                   err=True)
    raise typer.Exit(1)


def _show(ev: Evaluation, report: IssueReport, written: list[Path], as_json: bool, limit: int,
          trend: TrendSection | None, facts: FactSheet | None = None) -> None:
    if as_json:
        typer.echo(evaluation_to_json(ev, trend=trend.as_dict() if trend else None, facts=facts))
    else:
        print_evaluation(ev, Console(highlight=False), limit=limit, facts=facts)
        if trend is not None and trend.has_history:
            first = trend.years[0].school_year
            typer.echo(f"历年趋势：{first}—{ev.school_year} 学年共 {len(trend.years)} 年"
                       f"（{ev.school_year} 学年为本工作簿，未入库），已写入各输出文件的「历年趋势」部分。")
        warnings = issue_counts(report)["warnings"]
        if warnings:
            typer.echo(f"工作簿有 {warnings} 条警告（不影响评估），可用 junheng validate 查看。")
        if not written:
            typer.echo("逐校指标、整改清单和数据来源：加 --out 结果.xlsx 或 --out 报告.html 输出完整结果。")
    # With --format json, stdout is only JSON: the file notes go to stderr.
    for path in written:
        typer.echo(f"已写入{FORMAT_ZH[result_format(path)]}：{path}", err=as_json)
