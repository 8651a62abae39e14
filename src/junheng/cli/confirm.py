"""``--confirm SHEET!CELL`` and ``--confirmations FILE``: the options of every command
that reads a county workbook (validate, evaluate, import, report, plan), so a value the
plausibility guards stop (docs/validation.md「合理性核查」) can be confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.core.confirmations import Confirmations
from junheng.core.errors import JunhengError

ConfirmOption = Annotated[list[str] | None, typer.Option(
    "--confirm", metavar="SHEET!CELL", show_default=False,
    help="确认超出合理范围的数值（核实无误后）：工作表!单元格，如 学校!N12；可重复")]
ConfirmationsOption = Annotated[list[Path] | None, typer.Option(
    "--confirmations", show_default=False,
    help="确认清单文件（UTF-8 文本）：每行一个 工作表!单元格，可写「= 数值」和说明；可重复")]


def read_confirmations(refs: list[str] | None, files: list[Path] | None) -> Confirmations | None:
    """The confirmations given, or None; a bad reference or file exits 2 with the reason."""
    if not refs and not files:
        return None
    from junheng.services.confirmations import confirmations_from
    from junheng.services.history import default_user

    try:
        return confirmations_from(refs or (), files or (), by=default_user())
    except JunhengError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None


def confirm_hint(report) -> str | None:
    """A line for a workbook stopped by the plausibility guards: how to go on."""
    refs = [f"{i.sheet}!{i.column}{i.row}" for i in report
            if i.code == "value-implausible" and i.is_error and i.row and i.column]
    if not refs:
        return None
    shown = " ".join(f"--confirm {r}" for r in dict.fromkeys(refs[:3]))
    more = "" if len(refs) <= 3 else f" …（共 {len(refs)} 处）"
    return (f"有 {len(refs)} 处数值超出合理范围。请核实：填错的请改正；确实无误的，确认后重新运行，"
            f"如 {shown}{more}，或用 --confirmations 清单文件")
