"""`junheng compare WORKBOOK`: the same county under several standards side by side.

Exit codes: 0 evaluated (whatever the verdicts), 1 the workbook has errors or a
standard file is invalid, 2 usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng.cli.confirm import ConfirmationsOption, ConfirmOption, read_confirmations
from junheng.core.errors import JunhengError
from junheng.core.facts import STAGE_ZH
from junheng.core.result import Evaluation, display_round
from junheng.services.comparison import StandardOutcome, compare_workbook


def verdict_zh(ev: Evaluation, counting: set[str]) -> str:
    if ev.recognised:
        return "达到认定要求"
    if any(d.passed is False for k, d in ev.dimensions.items() if k in counting):
        return "未达到认定要求"
    return "缺少数据，暂无法判定"


def _dimension_line(o: StandardOutcome) -> str:
    parts = []
    for dim in o.standard.dimensions:
        d = o.evaluation.dimensions[dim.id]
        state = "达标" if d.passed else ("未达标" if d.passed is False else "缺少数据")
        parts.append(f"{d.name} {state}" + ("" if dim.counts_for_verdict else "（不计入认定）"))
    return "；".join(parts)


def _composite_line(ev: Evaluation) -> str | None:
    parts = []
    for stage, table in ev.dispersion.items():
        comp = table.get("composite")
        if comp is None:
            continue
        if comp.cv is None:
            parts.append(f"{STAGE_ZH[stage]}综合差异系数无法计算")
        else:
            sign = "≤" if comp.passed else ">"
            parts.append(f"{STAGE_ZH[stage]}综合差异系数 {display_round(comp.cv, 3):.3f} {sign} {comp.limit:g}")
    return "；".join(parts) or None


def register(app: typer.Typer) -> None:
    @app.command("compare", help="同一份数据按多个标准分别评估并并列显示（默认全部内置标准），并指出各标准缺少的数据")
    def compare(
        workbook: Annotated[Path, typer.Argument(help="县域年度数据工作簿（.xlsx）", show_default=False)],
        standards: Annotated[
            list[str] | None,
            typer.Option("--standard", "-s", help="标准编号或标准文件路径，可重复；默认全部内置标准"),
        ] = None,
        confirm: ConfirmOption = None,
        confirmations: ConfirmationsOption = None,
    ) -> None:
        confirmed = read_confirmations(confirm, confirmations)
        try:
            outcomes, report = compare_workbook(workbook, standards or None, confirmed)
        except JunhengError as exc:
            typer.echo(f"错误：{exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        if outcomes is None:
            errors = sum(1 for i in report if i.is_error)
            typer.echo(f"工作簿 {workbook.name} 有 {errors} 处错误，无法评估；请先运行 junheng validate {workbook} 查看并修改。",
                       err=True)
            raise typer.Exit(1)
        ev0 = outcomes[0].evaluation
        typer.echo(f"{ev0.county_name}（{ev0.county_code}）{ev0.school_year} 学年：按 {len(outcomes)} 个标准评估")
        for o in outcomes:
            counting = {d.id for d in o.standard.dimensions if d.counts_for_verdict}
            doc = f"（{o.standard.document}）" if o.standard.document else ""
            typer.echo("")
            typer.echo(f"■ {o.standard.id}《{o.standard.title}》{doc}")
            typer.echo(f"  结论：{verdict_zh(o.evaluation, counting)}")
            typer.echo(f"  各维度：{_dimension_line(o)}")
            for dim in o.standard.dimensions:
                d = o.evaluation.dimensions[dim.id]
                if d.passed is False and dim.counts_for_verdict:
                    typer.echo(f"  {d.name}未达标：{d.message}")
            comp = _composite_line(o.evaluation)
            if comp:
                typer.echo(f"  {comp}")
            if o.missing:
                typer.echo("  缺少的数据（补齐后才能完整评估）：")
                for m in o.missing:
                    typer.echo(f"    - {m.label}：{'、'.join(m.used_by)}")
            else:
                typer.echo("  所需数据齐全。")
