"""Small helpers for the analysis commands' Chinese tables (rich, no markup: a school
name such as "[实验]" prints as typed)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from junheng.core.errors import JunhengError
from junheng.core.result import display_round


def console() -> Console:
    return Console(highlight=False)


def table(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
          right: Sequence[int] = ()) -> Table:
    t = Table(title=Text(title), title_justify="left")
    for i, h in enumerate(headers):
        t.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for row in rows:
        t.add_row(*(Text("" if v is None else str(v)) for v in row))
    return t


def pct(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{display_round(value * 100, digits):.{digits}f}%"


def num(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    r = display_round(value, digits)
    return f"{r:g}" if r is not None else "—"


def fail(exc: JunhengError) -> None:
    typer.echo(f"错误：{exc.message}", err=True)
    raise typer.Exit(exc.exit_code)


# Options shared by the analysis commands.
Workbook = Annotated[Path, typer.Argument(help="本学年的县域数据工作簿（.xlsx）", show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="以 JSON 输出")]


def previous_option(purpose: str) -> Any:
    return typer.Option("--previous", "-p", help=f"往年的工作簿（{purpose}），可重复")


T = TypeVar("T")


def run_report(build: Callable[[], T], as_json: bool, show: Callable[[T], None],
               document: Callable[[T], Any] = dataclasses.asdict) -> None:
    """Build a report through its service; print it, or its JSON; errors in Chinese."""
    try:
        report = build()
    except JunhengError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(document(report), ensure_ascii=False, default=str, indent=2))
    else:
        show(report)


def with_workbook(build: Callable[[], T], out: Path | None, write: Callable[..., Any], *, force: bool,
                  as_json: bool) -> Callable[[], T]:
    """``build`` with its --out workbook: the path checked before the work (not after it),
    the workbook written after; the note on stderr when stdout carries JSON."""
    if out is None:
        return build

    def build_and_write() -> T:
        from junheng.services.outputs import check_workbook_output

        check_workbook_output(out, overwrite=force)
        report = build()
        write(report, out, overwrite=force)
        typer.echo(f"已写入 {out}", err=as_json)
        return report

    return build_and_write


History = Annotated[bool, typer.Option("--history", help="同时使用数据库中已导入的往年数据（junheng import 导入过的学年）")]
DatabaseUrlOption = Annotated[str | None, typer.Option(
    "--database-url", help="数据库地址（默认读取 JUNHENG_DATABASE_URL，否则用本机 SQLite 文件）", show_default=False)]
