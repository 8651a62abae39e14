"""The evaluation on a terminal: verdict and why, dimensions, CVs against their limits,
failing schools and items — one or two screens even for a 300-school county (long
lists end with "另有 N 所"; the workbook and HTML report have everything).

Cell text is built as ``Text``, never markup, so a school named "[实验]" prints as typed.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from junheng.analysis.factsheet import FactSheet
from junheng.core.facts import STAGE_ZH
from junheng.core.result import Evaluation
from junheng.reports import numbers as fmt
from junheng.reports.documents import findings as f

GOOD, BAD, WARN = "green", "bold red", "yellow"
PASS_STYLE = {True: GOOD, False: BAD, None: WARN}
MARK_STYLE = {f.Mark.FLOOR: WARN, f.Mark.FAIL: BAD, f.Mark.MISSING: WARN}


def print_evaluation(ev: Evaluation, console: Console, limit: int = 12, facts: FactSheet | None = None) -> None:
    """Print the summary; lists longer than ``limit`` rows are cut with a count; with
    ``facts``, a line of the county's main figures (as the reports print them)."""
    console.print(_verdict(ev))
    if facts is not None:
        console.print(_figures(facts))
    console.print(_dimensions(ev))
    if ev.dispersion:
        console.print(_dispersion(ev))
    failing = ev.failing_schools()
    if failing:
        console.print(_failing_schools(ev, limit))
    items = [i for i in ev.items.values() if i.passed is not True]
    if items:
        console.print(_items(items, limit))
    console.print(_footer(ev))


def _verdict(ev: Evaluation) -> Panel:
    head = Text()
    head.append(f"{ev.county_name}（{ev.county_code}）{ev.school_year} 学年　", style="bold")
    head.append("评估结论：")
    head.append(f.verdict_word(ev), style="bold green" if ev.recognised else "bold red")
    lines = [head, Text(f"依据《{ev.standard_title}》" + (f"（{ev.standard_document}）" if ev.standard_document else "")
                        + f"，标准 {ev.standard_id} 版本 {ev.standard_version}", style="dim")]
    reasons = f.verdict_reasons(ev)
    if ev.recognised:
        lines.append(Text(f"认定依据：{reasons[0]}"))
    else:
        lines.append(Text("不予认定的原因："))
        lines += [Text(f"  {n}. {reason}") for n, reason in enumerate(reasons, 1)]
    return Panel(Group(*lines), box=box.ROUNDED, border_style="green" if ev.recognised else "red")


FIGURE_LINE = ("schools", "students", "teachers", "classes", "large_class_share", "rotation_share",
               "backbone_share")


def _figures(facts: FactSheet) -> Text:
    parts = []
    for fid in FIGURE_LINE:
        if facts.has(fid):
            d = facts[fid].definition
            unit = "" if d.unit in ("", "%") else f" {d.unit}"
            parts.append(f"{d.name} {fmt.shown(facts[fid])}{unit}")
    return Text("主要数据：" + "，".join(parts) + "。")


def _dimensions(ev: Evaluation) -> Table:
    t = Table(title=Text("评估内容"), title_justify="left", box=box.SIMPLE_HEAVY)
    t.add_column("评估内容", no_wrap=True)
    t.add_column("结果", no_wrap=True)
    t.add_column("说明", overflow="fold")
    for d in ev.dimensions.values():
        t.add_row(Text(d.name + f.dimension_note(d)),
                  Text(f.dimension_word(d.passed), style=PASS_STYLE[d.passed]),
                  Text(d.message or "—"))
    return t


def _dispersion(ev: Evaluation) -> Table:
    stages = f.stages(ev)
    t = Table(title=Text("校际差异系数（≤ 限值为达标）"), title_justify="left", box=box.SIMPLE_HEAVY)
    t.add_column("指标")
    for stage in stages:
        t.add_column(f"{STAGE_ZH[stage]}", justify="right")
        t.add_column("限值", justify="right", style="dim")
    for ind in f.dispersion_ids(ev):
        row = [Text(f"{ind} {f.dispersion_label(ev, ind)}" if ind in ev.indicator_meta else f.dispersion_label(ev, ind))]
        for stage in stages:
            d = ev.dispersion.get(stage, {}).get(ind)
            if d is None:
                row += [Text("—"), Text("—")]
                continue
            row.append(Text(fmt.cv(d.cv), style=BAD if d.passed is False else ""))
            row.append(Text(fmt.limit(d.limit)))
        t.add_row(*row)
    return t


def _failing_schools(ev: Evaluation, limit: int) -> Table:
    failing = ev.failing_schools()
    t = Table(title=Text(f"未达标的学校（学段）：{len(failing)} 个，共 {len(ev.schools)} 个"),
              title_justify="left", box=box.SIMPLE_HEAVY)
    t.add_column("学校", overflow="fold")
    t.add_column("学段", no_wrap=True)
    t.add_column("达标项", justify="right", no_wrap=True)
    t.add_column("未达标指标（实际值 / 达标值）", overflow="fold")
    for s in sorted(failing, key=lambda s: s.met)[:limit]:  # worst first, then workbook order
        detail = Text()
        for n, r in enumerate(f.unmet_indicators(s)):
            if n:
                detail.append("；")
            detail.append(
                f"{r.indicator_id} {f.indicator_text(ev, r.indicator_id, r.value)}"
                f" / {fmt.threshold(r.threshold)}",
                style=MARK_STYLE.get(f.mark(ev, r), ""))
        t.add_row(Text(s.name), Text(STAGE_ZH[s.stage]), Text(f"{s.met}/{len(s.indicators)}"), detail)
    if len(failing) > limit:
        t.add_row(Text(f"另有 {len(failing) - limit} 所", style="dim"), Text(""), Text(""), Text(""))
    return t


def _items(items, limit: int) -> Table:
    t = Table(title=Text("未达标和缺少数据的项目"), title_justify="left", box=box.SIMPLE_HEAVY)
    t.add_column("编号", no_wrap=True)
    t.add_column("项目", overflow="fold", ratio=2)
    t.add_column("结果", no_wrap=True)
    t.add_column("说明", overflow="fold", ratio=3)
    for i in items[:limit]:
        t.add_row(Text(i.item_id), Text(i.name), Text(f.pass_word(i.passed), style=PASS_STYLE[i.passed]),
                  Text(i.message or ("缺少：" + "、".join(i.missing) if i.missing else "—")))
    if len(items) > limit:
        t.add_row(Text(""), Text(f"另有 {len(items) - limit} 项", style="dim"), Text(""), Text(""))
    return t


def _footer(ev: Evaluation) -> Text:
    blocking = sum(1 for s in ev.shortfalls if s.blocking)
    text = Text()
    text.append(f"整改缺口 {len(ev.shortfalls)} 处")
    if ev.shortfalls:
        text.append(f"（其中影响达标 {blocking} 处，其余建议补足）"
                    if blocking < len(ev.shortfalls) else "（均影响达标）")
    text.append(f"；纳入资源配置评估的学校（学段）{len(ev.schools)} 个")
    if ev.excluded:
        text.append(f"，未纳入评估的学校 {len(ev.excluded)} 所")
    text.append("。")
    return text
