"""`junheng standard list | new | check`: the standards a county is evaluated against."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.core.errors import JunhengError
from junheng.services.standards import (
    check_standard,
    data_fields,
    list_standards,
    new_standard,
    summarize,
)

standard_app = typer.Typer(help="评估标准：列出内置标准、复制一份自己的标准、检查标准文件",
                           no_args_is_help=True)


def _fail(exc: JunhengError) -> None:
    typer.echo(f"错误：{exc.message}", err=True)
    raise typer.Exit(exc.exit_code)


@standard_app.command("list", help="列出内置的评估标准")
def list_cmd() -> None:
    for s in list_standards():
        doc = f"（{s.document}）" if s.document else ""
        typer.echo(f"{s.id}\t{s.title}{doc}")
        parts = [f"维度：{'、'.join(s.dimensions)}"]
        if s.indicators:
            parts.append(f"逐校指标 {s.indicators} 项")
        parts.append(f"县级项目 {s.items} 项")
        typer.echo("\t" + "；".join(parts))


@standard_app.command("new", help="复制一个标准为可编辑的文件，例如：junheng standard new --from yzjh-2017 henan.yaml")
def new_cmd(
    out: Annotated[Path, typer.Argument(help="要写入的新标准文件（.yaml）")],
    source: Annotated[str, typer.Option("--from", help="复制哪个标准：内置标准编号或标准文件路径")] = "yzjh-2017",
    std_id: Annotated[str | None, typer.Option("--id", help="新标准的编号（默认取文件名）")] = None,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
) -> None:
    try:
        std = new_standard(source, out, std_id, overwrite=force)
    except JunhengError as exc:
        _fail(exc)
    typer.echo(f"已写入 {out}：标准编号 {std.id}，基于 {std.based_on}。")
    typer.echo(f"修改后运行 junheng standard check {out} 检查，再以 --standard {out} 使用。")


@standard_app.command("check", help="检查一个标准文件；有错误时指出行号和键")
def check_cmd(path: Annotated[Path, typer.Argument(help="标准文件路径")]) -> None:
    try:
        std = check_standard(path)
    except JunhengError as exc:
        _fail(exc)
    s = summarize(std)
    based = f"，基于 {s.based_on}" if s.based_on else ""
    typer.echo(f"标准文件 {path} 有效：{s.id}《{s.title}》{based}")
    typer.echo(f"维度 {len(s.dimensions)} 个（{'、'.join(s.dimensions)}），"
               f"逐校指标 {s.indicators} 项，县级项目 {s.items} 项。")


@standard_app.command("fields", help="列出标准文件中可以引用的数据表和字段（及其在工作簿中的列）")
def fields_cmd() -> None:
    table = None
    for f in data_fields():
        if f.table != table:
            table = f.table
            typer.echo(f"{f.table}（工作表「{f.sheet}」）")
        typer.echo(f"  {f.table}.{f.field}\t{f.header or ''}")


def register(app: typer.Typer) -> None:
    app.add_typer(standard_app, name="standard")
