"""`junheng report SOURCE --kind self-evaluation|annual --out FILE.docx|FILE.pdf`.

Exit codes: 0 written; 1 a workbook has errors (``junheng validate`` lists them); 2 usage
(wrong file type, an annual report without a previous year, an output that cannot be
written).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from junheng.core.errors import JunhengError
from junheng.services.evaluation import chosen_standard
from junheng.services.reporting import (
    KIND_ZH,
    ReportKind,
    ReportRequestError,
    check_output_path,
    document_from_workbooks,
    write_report,
)


def register(app: typer.Typer) -> None:
    @app.command("report", help="生成可上报的自评报告或年度答卷（Word .docx 或 PDF）")
    def report(
        source: Annotated[str, typer.Argument(
            help="县域年度数据工作簿（.xlsx）", show_default=False, metavar="WORKBOOK_OR_COUNTY")],
        out: Annotated[Path, typer.Option(
            "--out", "-o", help="输出文件：以 .docx 结尾生成 Word，以 .pdf 结尾生成 PDF", show_default=False)],
        kind: Annotated[ReportKind, typer.Option(
            "--kind", "-k", help="self-evaluation：自评报告；annual：年度答卷（需 --previous）")
        ] = ReportKind.SELF_EVALUATION,
        previous: Annotated[list[Path] | None, typer.Option(
            "--previous", "-p", help="年度答卷：往年的工作簿（可多次指定）", show_default=False)] = None,
        standard: Annotated[str | None, typer.Option(
            "--standard", "-s", help="评估标准：内置标准编号或标准 YAML 文件（默认读取 JUNHENG_STANDARD，未设置时为 yzjh-2017）")] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    ) -> None:
        try:
            check_output_path(out, overwrite=force)
            workbook = _workbook(source)
            document = document_from_workbooks(kind, workbook, previous or (), chosen_standard(standard))
            path = write_report(document, out, overwrite=force)
        except JunhengError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None
        typer.echo(f"{KIND_ZH[kind]}已写入 {path}（{document.title}）")


def _workbook(source: str) -> Path:
    """SOURCE is a workbook path; a bare 6-digit county code needs the database."""
    path = Path(source)
    if path.exists() or path.suffix:
        return path
    if re.fullmatch(r"\d{6}", source):
        raise ReportRequestError(
            f"按县区代码（{source}）生成报告需要先把数据导入数据库；"
            "数据库尚未启用时，请直接指定县域年度数据工作簿（.xlsx）")
    raise ReportRequestError(f"找不到工作簿：{source}")
