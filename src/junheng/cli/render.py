"""Small helpers for the analysis commands' Chinese tables (rich, no markup: a school
name such as "[实验]" prints as typed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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
