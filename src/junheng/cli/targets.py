"""`junheng targets template | import | export | versions` and `junheng progress`: the
bureau's own 行动方案 targets and the progress against them (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from junheng.analysis.measures import scoped_name
from junheng.cli.history import County, DatabaseUrl, Format, FormatOption, call
from junheng.cli.render import console, fail, table
from junheng.core.errors import JunhengError
from junheng.core.yearly import jsonable
from junheng.reports import numbers as fmt

targets_app = typer.Typer(help="行动方案目标：生成目标填报工作簿、导入、导出、查看历次导入",
                          no_args_is_help=True)

Force = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")]


def _check_out(path: Path, force: bool) -> None:
    from junheng.services.outputs import check_workbook_output

    try:
        check_workbook_output(path, overwrite=force)
    except JunhengError as exc:
        fail(exc)


@targets_app.command("template", help="生成行动方案目标填报工作簿（指标下拉列表、范围、填表说明）")
def template_cmd(
    out: Annotated[Path, typer.Argument(help="要写入的工作簿（.xlsx），如 目标.xlsx", show_default=False)],
    county: Annotated[str | None, typer.Option(
        "--county", help="县区代码：范围下拉列表中加入该县已导入数据中的教育集团和乡镇", show_default=False)] = None,
    example: Annotated[bool, typer.Option("--example", help="填入示例县（350404）的示例目标，用于试用和培训")] = False,
    database_url: DatabaseUrl = None,
    force: Force = False,
) -> None:
    from junheng.services.targets import write_template

    _check_out(out, force)
    if county:
        call(database_url, lambda engine: write_template(out, engine, county, example=example))
    else:
        write_template(out, example=example)
    typer.echo(f"已写入 {out}：在「目标」表每行填写一个目标，指标从下拉列表中选择；"
               f"填好后运行 junheng targets import {out} --county 县区代码")


@targets_app.command("import", help="校验并导入行动方案目标工作簿（全部通过才导入；基线值空着时按数据自动填写；重复导入保留旧版本）")
def import_cmd(
    workbook: Annotated[Path, typer.Argument(help="目标工作簿（.xlsx）", show_default=False)],
    county: Annotated[str, typer.Option("--county", help="县区代码（6 位）", show_default=False)],
    by: Annotated[str | None, typer.Option("--by", help="导入人（默认为当前系统用户）", show_default=False)] = None,
    database_url: DatabaseUrl = None,
) -> None:
    from junheng.services.history import default_user, file_sha256
    from junheng.services.targets import import_targets

    if not workbook.is_file():
        typer.echo(f"错误：找不到文件 {workbook}", err=True)
        raise typer.Exit(2)
    result = call(database_url, import_targets, workbook, county, by=by or default_user(),
                  file_hash=file_sha256(workbook))
    for issue in result.report.sorted():
        typer.echo(("错误：" if issue.is_error else "警告：") + issue.message, err=True)
    if result.stored is None:
        n = len(result.report.errors)
        typer.echo(f"{workbook.name} 有 {n} 处错误，没有导入任何目标；请修改后重新导入", err=True)
        raise typer.Exit(1)
    s = result.stored
    filled = f"，其中 {len(result.filled)} 个目标的基线值按数据自动填写" if result.filled else ""
    typer.echo(f"已导入县区 {county} 的行动方案目标 {len(result.targets)} 个（第 {s.version} 版，导入人 {s.imported_by}）{filled}")
    typer.echo(f"查看进展：junheng progress {county}")


@targets_app.command("export", help="把数据库中一个县区当前的行动方案目标写成目标工作簿（可修改后重新导入）")
def export_cmd(
    county: County,
    out: Annotated[Path, typer.Argument(help="要写入的工作簿（.xlsx）", show_default=False)],
    database_url: DatabaseUrl = None,
    force: Force = False,
) -> None:
    from junheng.services.targets import export_targets

    _check_out(out, force)
    info, path = call(database_url, export_targets, county, out)
    typer.echo(f"已写入 {path}：县区 {county} 的行动方案目标（第 {info.version} 版）")


@targets_app.command("versions", help="列出一个县区历次导入的行动方案目标（谁、何时、哪个文件）")
def versions_cmd(county: County, database_url: DatabaseUrl = None) -> None:
    from junheng.services.targets import target_history

    sets = call(database_url, target_history, county)
    if not sets:
        typer.echo(f"数据库中没有县区 {county} 的行动方案目标")
        raise typer.Exit(1)
    console().print(table(f"县区 {county} 的行动方案目标", ["版本", "当前", "导入时间", "导入人", "文件"],
                          ([s.version, "是" if s.is_current else "", s.imported_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                            s.imported_by, s.file_name or ""] for s in sets)))


def shown(value: float | None, kind: str) -> str:
    return fmt.by_kind(value, kind)


def register(app: typer.Typer) -> None:
    app.add_typer(targets_app, name="targets")

    @app.command("progress", help="行动方案目标进展：每个目标的基线、目标、历年实际值、本年应达到的数值、状态和差距")
    def progress_cmd(
        county: County,
        year: Annotated[int | None, typer.Option("--year", help="按哪个学年判断进展（默认为已导入的最新学年）")] = None,
        format: FormatOption = Format.text,
        out: Annotated[Path | None, typer.Option("--out", "-o", help="另存为 Excel 工作簿（.xlsx）")] = None,
        database_url: DatabaseUrl = None,
        force: Force = False,
    ) -> None:
        from junheng.reports.renderers.progress_sheet import write_progress_workbook
        from junheng.services.outputs import write_workbook_output
        from junheng.services.progress import county_progress

        if out is not None:
            _check_out(out, force)
        p = call(database_url, county_progress, county, year)
        if out is not None:
            try:
                write_workbook_output(out, lambda path: write_progress_workbook(p, path), overwrite=force)
            except JunhengError as exc:
                fail(exc)
            typer.echo(f"已写入 {out}", err=format is Format.json)
        if format is Format.json:
            typer.echo(json.dumps(jsonable(p.to_dict()), ensure_ascii=False, indent=2))
            return
        print_progress(p)


def print_progress(p) -> None:
    c = console()
    v = p.targets_version
    counts = "，".join(f"{k} {n} 项" for k, n in p.counts().items() if n)
    c.print(Text(f"{p.county_name}（{p.county_code}）{p.school_year} 学年行动方案目标进展：共 {len(p.rows)} 项，{counts}"
                 f"（目标第 {v.version} 版，{v.imported_by} 导入）"))
    headers = ["指标", "范围", "基线", "目标", "年份", *[f"{y}" for y in p.years], "应达到", "状态", "差距"]
    rows = []
    for r in p.rows:
        t, k = r.target, r.measure.kind
        unit = "" if r.measure.unit in ("", "%") else r.measure.unit
        years = f"{t.baseline_year}—{t.target_year}" if t.baseline_year else str(t.target_year)
        rows.append([scoped_name(r.measure, t.scope) + (f"（{unit}）" if unit else ""), t.scope,
                     shown(t.baseline, k), shown(t.target, k), years, *[shown(r.actual.get(y), k) for y in p.years],
                     shown(r.expected, k), r.status, fmt.target_gap(r.gap, k)])
    c.print(table("目标进展", headers, rows))
    missing = [(r, y, why) for r in p.rows for y, why in sorted(r.missing.items()) if y == p.school_year]
    for r, y, why in missing:
        c.print(Text(f"无数据：{r.measure.name}（{r.target.scope}）{y} 学年——{why}"))


def print_region_measure(database_url: str | None, code: str, measure_id: str, year: int | None,
                         as_json: bool) -> None:
    from junheng.services.progress import region_progress

    prefix = "" if code in ("全国", "00") else code
    measure, rows = call(database_url, region_progress, prefix, measure_id, year)
    if as_json:
        typer.echo(json.dumps(jsonable({"code": code, "measure": measure.to_dict(),
                                        "counties": [r.to_dict() for r in rows]}), ensure_ascii=False, indent=2))
        return
    k = measure.kind
    unit = "" if measure.unit in ("", "%") else f"（{measure.unit}）"
    out = []
    for r in rows:
        p = r.progress
        if p is None:
            out.append([f"{r.county_name}（{r.county_code}）", r.school_year or "—", shown(r.value, k), "未设目标",
                        "", "", "", ""])
            continue
        t = p.target
        out.append([f"{r.county_name}（{r.county_code}）", r.school_year, shown(r.value, k),
                    f"{shown(t.target, k)}（{t.target_year}）", shown(t.baseline, k), shown(p.expected, k), p.status,
                    fmt.target_gap(p.gap, k)])
    console().print(table(f"{measure.name}{unit}：各县区并列", ["县区", "学年", "数值", "目标（年份）", "基线", "应达到",
                                                             "状态", "差距"], out))
    for r in rows:
        if r.value is None and r.missing:
            console().print(Text(f"无数据：{r.county_name}（{r.county_code}）——{r.missing}"))
