"""`junheng report WORKBOOK_OR_COUNTY --kind self-evaluation|annual --out FILE.docx|FILE.pdf`.

SOURCE is a county workbook, or the 6-digit code of a county imported into the
database (``junheng import``): then the report is built from the current version of
the stored year (``--year``, default the latest) and, for the 年度答卷, every earlier
stored year of that county.

Exit codes: 0 written; 1 a workbook has errors (``junheng validate`` lists them), or the
database has no such county-year (or no earlier year for the 年度答卷); 2 usage (wrong
file type, an annual report without a previous year, an output that cannot be written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.cli.confirm import ConfirmationsOption, ConfirmOption, read_confirmations
from junheng.cli.database import stored_county
from junheng.core.errors import JunhengError
from junheng.services.evaluation import chosen_standard, resolve_standard
from junheng.services.reporting import (
    KIND_ZH,
    ReportKind,
    ReportRequestError,
    check_output_path,
    document_from_workbooks,
    finalise,
    stored_document,
    stored_versions,
    write_report,
)


def register(app: typer.Typer) -> None:
    @app.command("report", help="生成可上报的自评报告或年度答卷（Word .docx 或 PDF）")
    def report(
        source: Annotated[str, typer.Argument(
            help="县域年度数据工作簿（.xlsx），或已导入数据库的县区代码（6 位）",
            show_default=False, metavar="WORKBOOK_OR_COUNTY")],
        out: Annotated[Path, typer.Option(
            "--out", "-o", help="输出文件：以 .docx 结尾生成 Word，以 .pdf 结尾生成 PDF", show_default=False)],
        kind: Annotated[ReportKind, typer.Option(
            "--kind", "-k", help="self-evaluation：自评报告；annual：年度答卷（需要往年数据）")
        ] = ReportKind.SELF_EVALUATION,
        year: Annotated[int | None, typer.Option(
            "--year", "-y", min=1900, max=2100, show_default=False,
            help="按县区代码生成时的学年（默认为数据库中该县区最新的学年）")] = None,
        previous: Annotated[list[Path] | None, typer.Option(
            "--previous", "-p", help="按工作簿生成年度答卷时：往年的工作簿（可多次指定）", show_default=False)] = None,
        standard: Annotated[str | None, typer.Option(
            "--standard", "-s", help="评估标准：内置标准编号或标准 YAML 文件（默认读取 JUNHENG_STANDARD，未设置时为 yzjh-2017）")] = None,
        database_url: Annotated[str | None, typer.Option(
            "--database-url", show_default=False,
            help="按县区代码生成时的数据库地址（默认读取 JUNHENG_DATABASE_URL，否则用本机 SQLite 文件）")] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
        confirm: ConfirmOption = None,
        confirmations: ConfirmationsOption = None,
        final: Annotated[bool, typer.Option(
            "--final", help="生成正式文稿（无“草稿”水印）；还有未填写的内容时不生成，列出缺少的内容")] = False,
    ) -> None:
        stored = ""
        confirmed = read_confirmations(confirm, confirmations)
        standard = chosen_standard(standard)  # --standard, else JUNHENG_STANDARD
        try:
            check_output_path(out, overwrite=force)
            county = stored_county(source, ReportRequestError, "生成")
            if county is None:
                if year is not None:
                    raise ReportRequestError("--year 只用于按县区代码从数据库生成报告；工作簿的学年以工作簿中填写的为准")
                document = document_from_workbooks(kind, Path(source), previous or (), standard,
                                                   confirmations=confirmed)
            else:
                if previous:
                    raise ReportRequestError("按县区代码生成时往年数据从数据库读取，不需要 --previous")
                from junheng.cli.history import call  # the database stack, only when it is used

                versions, document = call(database_url, _from_database, kind, county, year, standard)
                stored = _stored_note(kind, versions)
            if final:
                finalise(document)
            path = write_report(document, out, overwrite=force)
        except JunhengError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None
        draft = "" if final else "；草稿" + (f"，尚有 {len(document.missing)} 项待填写，见文稿开头" if document.missing else "")
        typer.echo(f"{KIND_ZH[kind]}已写入 {path}（{document.title}{stored}{draft}）")


def _from_database(engine, kind: ReportKind, county: str, year: int | None, standard: str | None):
    std = resolve_standard(standard)  # a broken standard fails before any reading
    versions = stored_versions(engine, kind, county, year)
    return versions, stored_document(engine, kind, county, versions[-1].school_year, std)


def _stored_note(kind: ReportKind, versions) -> str:
    cur = versions[-1]
    text = f"；数据库中 {cur.school_year} 学年第 {cur.version} 版"
    if kind is ReportKind.ANNUAL:
        text += "，对比 " + "、".join(str(v.school_year) for v in versions[:-1]) + " 学年"
    return text

