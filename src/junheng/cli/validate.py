"""`junheng validate WORKBOOK`: check a county workbook and list every problem.
Several workbooks or a folder: checked in parallel, one summary table (cli.many).

Exit codes: 0 no errors (warnings allowed), 1 the workbook has errors — including a
file that is missing, empty, not an .xlsx, password-protected or corrupt, because
that too is a problem with the input, reported as one issue — and 2 usage errors
(an unknown --format, an output file that cannot be written).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from junheng.cli import many
from junheng.cli.confirm import ConfirmationsOption, ConfirmOption, confirm_hint, read_confirmations
from junheng.cli.many import JobsOption
from junheng.core.issues import SEVERITY_ZH, IssueReport
from junheng.services.validation import (
    cell_reference,
    issue_counts,
    issues_document,
    ordered_issues,
    validate_workbook,
    write_issues_xlsx,
)


class Format(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    @app.command("validate", help="检查县域年度数据工作簿，列出所有错误和警告")
    def validate(
        workbooks: Annotated[
            list[Path], typer.Argument(metavar="工作簿.xlsx|文件夹...",
                                       help="要检查的工作簿（.xlsx），可以多个，或整个文件夹", show_default=False)
        ],
        format: Annotated[
            Format,
            typer.Option("--format", "-f", help="输出格式：text（表格）、json 或 xlsx（问题清单工作簿）"),
        ] = Format.text,
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="输出文件；xlsx 格式默认写到工作簿旁的「…-问题清单.xlsx」"),
        ] = None,
        limit: Annotated[
            int, typer.Option("--limit", help="text 格式最多显示多少条（0 表示全部）", min=0)
        ] = 200,
        confirm: ConfirmOption = None,
        confirmations: ConfirmationsOption = None,
        jobs: JobsOption = None,
    ) -> None:
        confirmed = read_confirmations(confirm, confirmations)
        if many.is_many(workbooks):
            if format is Format.xlsx or out is not None:
                typer.echo("错误：检查多个工作簿时只能用 --format text 或 json，不能用 --out / xlsx", err=True)
                raise typer.Exit(2)
            many.run("validate", workbooks, jobs, as_json=format is Format.json)
        workbook = workbooks[0]
        result = validate_workbook(workbook, confirmations=confirmed)
        counts = issue_counts(result.report)
        try:
            if format is Format.json:
                text = json.dumps(issues_document(result, workbook), ensure_ascii=False, indent=2)
                if out:
                    out.write_text(text + "\n", encoding="utf-8")
                else:
                    typer.echo(text)
            elif format is Format.xlsx:
                target = out or workbook.with_name(f"{workbook.stem}-问题清单.xlsx")
                write_issues_xlsx(result, workbook, target)
                typer.echo(f"问题清单已写入 {target}（错误 {counts['errors']} 条，警告 {counts['warnings']} 条）")
            else:
                print_issue_table(result.report, workbook.name, limit, out)
                hint = confirm_hint(result.report)
                if hint and out is None:
                    typer.echo(hint, err=True)
        except OSError as exc:
            typer.echo(f"无法写入输出文件：{exc.filename or out}（{exc.strerror or exc}）", err=True)
            raise typer.Exit(2) from None
        raise typer.Exit(1 if counts["errors"] else 0)


def print_issue_table(report: IssueReport, name: str, limit: int, out: Path | None) -> None:
    """The issues as a table, errors first (also used by ``junheng evaluate``)."""
    file = out.open("w", encoding="utf-8") if out else None
    try:
        console = Console(file=file, width=120 if file else None, highlight=False)
        issues = ordered_issues(report)
        counts = issue_counts(report)
        if issues:
            shown = issues if not limit else issues[:limit]
            table = Table(title=Text(f"{name} 校验结果"), show_lines=False)
            table.add_column("严重程度", no_wrap=True)
            table.add_column("位置", no_wrap=True)
            table.add_column("说明", overflow="fold")
            for issue in shown:
                style = "bold red" if issue.is_error else "yellow"
                # Text, not markup: a cell value such as "[b]" must print as typed.
                table.add_row(
                    Text(SEVERITY_ZH[issue.severity], style=style),
                    Text(cell_reference(issue)),
                    Text(issue.message),
                )
            console.print(table)
            if len(shown) < len(issues):
                console.print(
                    f"仅显示前 {len(shown)} 条，共 {len(issues)} 条；"
                    "完整清单请使用 --format xlsx 或 --limit 0"
                )
        summary = f"{escape(name)}：错误 {counts['errors']} 条，警告 {counts['warnings']} 条"
        if not counts["errors"]:
            summary += "，可以用于评估" if not counts["warnings"] else "，可以用于评估（请核对警告）"
        console.print(summary)
    finally:
        if file:
            file.close()
