"""`junheng import`, `junheng versions`, `junheng diff`: county-years in the database.

The database is SQLite under the user's data directory unless ``--database-url`` or
JUNHENG_DATABASE_URL names another (``postgresql+psycopg://…``); it is created and
migrated on first use.
"""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text
from sqlalchemy.exc import DBAPIError

from junheng.cli import many
from junheng.cli.confirm import ConfirmationsOption, ConfirmOption, read_confirmations
from junheng.cli.database import engine_for
from junheng.cli.many import JobsOption
from junheng.cli.render import console, fail, table
from junheng.core.errors import JunhengError
from junheng.core.issues import SEVERITY_ZH
from junheng.core.standard import Standard
from junheng.core.yearly import jsonable
from junheng.services.evaluation import chosen_standard, resolve_standard
from junheng.services.history import (
    DiffOutcome,
    default_user,
    diff_versions,
    field_label,
    import_workbook,
    value_text,
    versions,
)
from junheng.services.validation import cell_reference

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="数据库地址（默认读取 JUNHENG_DATABASE_URL，否则用本机 SQLite 文件）",
                 show_default=False),
]
County = Annotated[str, typer.Argument(help="县区代码（6 位）", show_default=False)]
Year = Annotated[int, typer.Argument(help="学年，如 2025 表示 2025—2026 学年", show_default=False)]


class Format(StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="输出格式：text 或 json")]


StandardOption = Annotated[str | None, typer.Option(
    "--standard", "-s", help="评估标准：内置标准编号或标准 YAML 文件（默认读取 JUNHENG_STANDARD，未设置时为 yzjh-2017）",
    show_default=False)]


def load_chosen_standard(standard: str | None) -> Standard:
    """``--standard``, else JUNHENG_STANDARD, else yzjh-2017, loaded now: a broken file is
    refused with its line and key before anything else happens."""
    try:
        return resolve_standard(chosen_standard(standard))
    except JunhengError as exc:
        fail(exc)


def call(database_url: str | None, service, *args, **kwargs):
    """Open the database and run a service; a JunhengError becomes its Chinese message."""
    engine = engine_for(database_url)
    try:
        return service(engine, *args, **kwargs)
    except JunhengError as exc:
        fail(exc)
    except DBAPIError as exc:  # the server went away, a lock timed out, a disk filled up
        typer.echo(f"错误：数据库操作失败，未保存任何改动（{type(exc.orig).__name__}: {exc.orig}）。"
                   "请检查数据库是否可用后重试", err=True)
        raise typer.Exit(1) from None


def echo_json(value: Any) -> None:
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    typer.echo(json.dumps(jsonable(value), ensure_ascii=False, indent=2))


def _when(v) -> str:
    return v.imported_at.astimezone().strftime("%Y-%m-%d %H:%M")


def register(app: typer.Typer) -> None:
    @app.command("import", help="校验并导入县区学年工作簿，可以多个或整个文件夹（每个文件全部成功或全部不导入；"
                 "重复导入保留旧版本）")
    def import_(
        workbooks: Annotated[list[Path], typer.Argument(
            metavar="工作簿.xlsx|文件夹...", help="县域年度数据工作簿（.xlsx），可以多个，或整个文件夹",
            show_default=False)],
        by: Annotated[str | None, typer.Option("--by", help="导入人（默认为当前系统用户）")] = None,
        standard: StandardOption = None,
        database_url: DatabaseUrl = None,
        confirm: ConfirmOption = None,
        confirmations: ConfirmationsOption = None,
        jobs: JobsOption = None,
        format: FormatOption = Format.text,
    ) -> None:
        confirmed = read_confirmations(confirm, confirmations)
        std = load_chosen_standard(standard)  # a broken standard file stops here, before the database
        if many.is_many(workbooks):
            files = many.workbooks(workbooks)
            engine = engine_for(database_url)
            many.run("import", files, jobs, as_json=format is Format.json, standard=std, engine=engine,
                     by=by or default_user())
        workbook = workbooks[0]
        out = call(database_url, import_workbook, workbook, by=by, standard=std,
                   confirmations=confirmed)
        out_console = console()
        if out.stored is None and not out.unchanged:
            errors = out.report.errors
            out_console.print(table(
                f"{workbook.name} 有 {len(errors)} 处错误，未导入任何数据",
                ["级别", "单元格", "说明"],
                ([SEVERITY_ZH[i.severity], cell_reference(i), i.message] for i in errors[:100]),
            ))
            if len(errors) > 100:
                typer.echo(f"……另有 {len(errors) - 100} 处错误；运行 junheng validate {workbook} 查看全部")
            raise typer.Exit(1)
        if out.unchanged:
            p = out.previous
            typer.echo(f"{workbook.name} 与 {p.county_name}（{p.county_code}）{p.school_year} 学年当前第 "
                       f"{p.version} 版的文件完全相同、评估标准也相同，未新建版本")
            raise typer.Exit(0)
        s = out.stored
        replaced = f"，替换第 {out.previous.version} 版（旧版本仍保留，可用 junheng diff 查看变化）" if out.previous else ""
        ev = out.evaluation
        passed = sum(1 for x in ev.schools if x.passed)
        typer.echo(f"已导入 {s.county_name}（{s.county_code}）{s.school_year} 学年，第 {s.version} 版{replaced}")
        typer.echo(f"评估结论：{'认定' if ev.recognised else '不予认定'}；学校 {passed}/{len(ev.schools)} 所达标"
                   f"（评估标准 {ev.standard_id}，版本 {ev.standard_version}）")
        if out.report.warnings:
            typer.echo(f"工作簿有 {len(out.report.warnings)} 条警告（运行 junheng validate 查看）")

    @app.command("versions", help="列出一个县区一个学年的所有导入版本（谁、何时、哪个文件）")
    def versions_(county: County, year: Year, database_url: DatabaseUrl = None,
                  format: FormatOption = Format.text) -> None:
        found = call(database_url, versions, county, year)
        if format is Format.json:
            echo_json([dataclasses.asdict(v) | {"imported_at": v.imported_at.isoformat()} for v in found])
            return
        console().print(table(
            f"{found[-1].county_name}（{county}）{year} 学年的导入版本",
            ["版本", "当前", "导入时间", "导入人", "文件", "SHA-256", "认定"],
            ([v.version, "是" if v.is_current else "", _when(v), v.imported_by, v.file_name or "",
              (v.file_hash or "")[:12], {True: "认定", False: "不予认定", None: ""}[v.recognised]]
             for v in found),
        ))

    @app.command("diff", help="比较同一学年的两个导入版本（或两个学年），逐校逐项列出变化")
    def diff(
        county: County,
        year: Year,
        from_version: Annotated[int | None, typer.Option("--from-version", help="旧版本号（默认为当前版本的前一版）")] = None,
        to_version: Annotated[int | None, typer.Option("--to-version", help="新版本号（默认为当前版本）")] = None,
        from_year: Annotated[int | None, typer.Option("--from-year", help="与另一学年的当前版本比较")] = None,
        database_url: DatabaseUrl = None,
        format: FormatOption = Format.text,
    ) -> None:
        out = call(database_url, diff_versions, county, year, from_version=from_version,
                   to_version=to_version, from_year=from_year)
        if format is Format.json:
            echo_json({"old": _version_doc(out.old), "new": _version_doc(out.new),
                       "changes": dataclasses.asdict(out.diff)})
            return
        _print_diff(out)


def _version_doc(v) -> dict[str, Any]:
    return {"school_year": v.school_year, "version": v.version, "imported_at": v.imported_at.isoformat(),
            "imported_by": v.imported_by, "file_name": v.file_name, "file_hash": v.file_hash}


def _label(v) -> str:
    return f"{v.school_year} 学年第 {v.version} 版（{_when(v)}，{v.imported_by}，{v.file_name or '未记录文件'}）"


def _print_diff(out: DiffOutcome) -> None:
    c = console()
    d = out.diff
    c.print(Text(f"{out.new.county_name}（{out.new.county_code}）：{_label(out.old)} → {_label(out.new)}"))
    if d.empty:
        c.print(Text("两个版本的数据完全相同"))
        return
    if d.county or d.facts:
        rows = [["基本信息", field_label("county", f.key), value_text(f.key, f.old), value_text(f.key, f.new)]
                for f in d.county]
        rows += [["县级指标", field_label("facts", f.key), value_text(f.key, f.old), value_text(f.key, f.new)]
                 for f in d.facts]
        c.print(table("县级数据的变化", ["工作表", "项目", "旧值", "新值"], rows))
    if d.schools:
        kinds = {"added": "新增", "removed": "删除", "changed": "修改"}
        counts = {"teachers": "教师", "classes": "班级", "rooms": "专用教室"}
        rows = []
        for s in d.schools:
            changes = [f"{field_label('schools', f.key)}：{value_text(f.key, f.old)} → {value_text(f.key, f.new)}"
                       for f in s.fields]
            changes += [f"{counts[t]}：{a} → {b} 条" for t, (a, b) in s.counts.items()]
            rows.append([s.code, s.name, kinds[s.kind], "\n".join(changes)])
        c.print(table(f"学校的变化（{len(d.schools)} 所）", ["学校标识码", "学校名称", "变化", "内容"], rows))
    t = d.teachers
    if t.added or t.removed or t.changed:
        c.print(Text(f"教师：新增 {len(t.added)} 名，减少 {len(t.removed)} 名，信息有变化 {len(t.changed)} 名"))
        rows = [[tid, "；".join(f"{field_label('teachers', f.key)}：{value_text(f.key, f.old)} → "
                               f"{value_text(f.key, f.new)}" for f in fs)]
                for tid, fs in list(t.changed.items())[:50]]
        if rows:
            c.print(table("教师信息的变化（至多 50 名）", ["教师编号", "内容"], rows))
