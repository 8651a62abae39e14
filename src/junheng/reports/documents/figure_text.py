"""Fact-sheet figures in sentences and table labels, printed through numbers.py only."""

from __future__ import annotations

from junheng.analysis.factsheet import FactSheet
from junheng.reports import numbers as fmt


def label(fs: FactSheet, figure_id: str) -> str:
    d = fs[figure_id].definition
    return d.name + (f"（{d.unit}）" if d.unit and d.unit != "%" else "")


def said(fs: FactSheet, figure_id: str) -> str:
    """A figure in a sentence: the shown value with its unit (42 人, 7.3%, 52033.10 万元)."""
    f = fs[figure_id]
    unit = f.definition.unit
    return fmt.shown(f) + ("" if unit in ("", "%") else f" {unit}")


def compared(cur: FactSheet, prev: FactSheet, figure_id: str) -> str:
    """比上学年增加 3 人 / 减少 0.4 个百分点 / 持平, from the shown values."""
    d = fmt.delta(cur[figure_id], prev[figure_id])
    if d in (fmt.MISSING, "持平"):
        return "与上学年持平" if d == "持平" else ""
    unit = cur[figure_id].definition.unit
    unit = "" if unit in ("", "%") or d.endswith("个百分点") else f" {unit}"
    return f"比上学年{'增加' if d[0] == '+' else '减少'} {d[1:]}{unit}"
