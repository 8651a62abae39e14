"""The years of a county as a section of the result files (历年趋势).

``TrendSection`` is what every result file shows of the county's history up to the
evaluated year: the rows of ``junheng trend`` (``trend_rows``, one
column per year), the schools opened, closed and merged, and — when the database has
no earlier year — a sentence saying so instead of an empty table. The trend maths is
:mod:`junheng.core.trend`; this module only presents it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from junheng.analysis.figure_catalogue import BY_ID
from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.trend import SchoolEvent, TrendYear
from junheng.core.yearly import jsonable
from junheng.reports import numbers as fmt

EVENT_ZH = {"opened": "新增", "closed": "撤销/停办", "merged": "合并", "renamed": "更名"}


def _named(code: str, names: dict[str, str] | None) -> str:
    name = (names or {}).get(code)
    return f"{code} {name}" if name else code


def trend_rows(years: list[TrendYear], names: dict[str, str] | None = None,
               ) -> list[tuple[str, list[object], str]]:
    """(label, value per year, kind of figure) — shared by the terminal, the HTML report
    and the workbooks. ``names``: item and indicator names by id (G14 → its name), so a
    workbook reads 「G14 全县优质高中招生名额……」 rather than a bare code."""
    rows: list[tuple[str, list[object], str]] = [
        ("认定结论", ["认定" if y.recognised else "不予认定" for y in years], "text"),
        ("数据版本", [y.version if y.version is not None else "未入库" for y in years], "int"),
        ("纳入评估的学校（学段）", [y.schools_total for y in years], "int"),
        ("其中达标的学校（学段）", [y.schools_passed for y in years], "int"),
        ("未达标项目", [("\n" if names else "、").join(_named(i, names) for i in y.failing_items) or "无"
                    for y in years], "text"),
    ]
    stages = sorted({s for y in years for s in y.cv}, key=lambda s: list(Stage).index(Stage(s)))
    for stage in stages:
        ids = sorted({i for y in years for i in y.cv.get(stage, {})})
        for i in ids:
            rows.append((f"{STAGE_ZH[Stage(stage)]}差异系数 {_named(i, names)}",
                         [y.cv.get(stage, {}).get(i) for y in years], "cv"))
        rows.append((f"{STAGE_ZH[Stage(stage)]}差异系数全部达标",
                     [{True: "是", False: "否", None: "—"}[y.cv_passed.get(stage)] for y in years], "text"))
    rows += [
        ("班级数", [y.classes for y in years], "int"),
        ("大班额占比（56—65人）", [y.large_share for y in years], "pct"),
        ("超大班额占比（≥66人）", [y.super_large_share for y in years], "pct"),
        ("专任教师数（义务教育）", [y.teachers for y in years], "int"),
        ("骨干教师占比", [y.backbone_share for y in years], "pct"),
        ("高于规定学历教师占比", [y.above_degree_share for y in years], "pct"),
        ("学位数（标准班数×标准班额）", [y.capacity for y in years], "int"),
        ("新增学位", [y.new_places for y in years], "int"),
        ("一般公共预算教育支出（万元）", [y.funding.spending for y in years], "num"),
        ("生均一般公共预算教育支出（元）",
         [None if y.funding.per_student is None else y.funding.per_student * 10000 for y in years], "num"),
        ("两个只增不减", [y.funding.verdict for y in years], "text"),
    ]
    rows += stage_funding_rows(years)
    # 学生健康 (the fact sheet's figures), only when some year has them
    ids = list(dict.fromkeys(k for y in years for k in y.health))
    rows += [(BY_ID[k].name, [y.health.get(k) for y in years], "pct") for k in ids
             if k in BY_ID and any(y.health.get(k) is not None for y in years)]
    return rows


def stage_funding_rows(years: list[TrendYear]) -> list[tuple[str, list[object], str]]:
    """分学段生均经费 (the fact sheet's figures, 元) of the stages some year has, and the
    分学段只增不减 verdict (F3、F4) per year; nothing when no year has any."""
    checks = [y.stage_funding for y in years]
    if all(c is None or c.verdict == "未填报" for c in checks):
        return []
    ids = list(dict.fromkeys(k for c in checks if c is not None for k in c.values))
    rows: list[tuple[str, list[object], str]] = [
        (f"{BY_ID[k].name}（元）", [None if c is None else c.values.get(k) for c in checks], "num")
        for k in ids if k in BY_ID and any(c is not None and c.values.get(k) is not None for c in checks)]
    rows.append(("分学段生均经费只增不减", ["缺少数据" if c is None else c.verdict for c in checks], "text"))
    return rows


TITLE = "历年趋势"
TREND_NOTES = ("每个学年一列（截至本学年）：认定结论、数据版本、纳入评估和达标的学校（学段）数、未达标项目、"
               "各学段各项差异系数、班级数、大班额和超大班额占比、专任教师、骨干和高学历教师占比、学位数、"
               "一般公共预算教育支出及生均支出、两个只增不减、分学段生均一般公共预算教育经费和公用经费及其只增不减；"
               "下面是学校变动（新增、撤销、合并、更名）。")


@dataclass
class TrendSection:
    county_code: str
    county_name: str
    years: list[TrendYear]  # oldest first; the last is the evaluated year
    events: list[SchoolEvent] = field(default_factory=list)
    note: str | None = None  # Chinese: why there is no trend (no earlier year stored)
    names: dict[str, str] = field(default_factory=dict)  # item and indicator names by id (workbooks)

    @property
    def county(self) -> str:
        return f"{self.county_name}（{self.county_code}）"

    @property
    def has_history(self) -> bool:
        return len(self.years) > 1

    def year_label(self, y: TrendYear) -> str:
        return f"{y.school_year} 学年" + ("（本工作簿，未入库）" if y.version is None else "")

    def as_dict(self) -> dict[str, Any]:
        """The "trend" of the JSON result: the same fields as ``junheng trend --format json``."""
        return jsonable({"county_code": self.county_code, "county_name": self.county_name,
                         "note": self.note, "years": [asdict(y) for y in self.years],
                         "events": [asdict(e) for e in self.events]})


def cell_text(value: object, kind: str) -> str:
    """A trend cell as the HTML report prints it (half-up, like every report)."""
    if value is None:
        return fmt.MISSING
    if kind == "pct":
        return fmt.percent(value)  # type: ignore[arg-type]
    if kind == "cv":
        return fmt.cv(value)  # type: ignore[arg-type]
    if kind == "num":
        return f"{fmt.fixed(value, 2)}"  # type: ignore[arg-type]
    return str(value)


def trend_view(section: TrendSection) -> dict[str, Any]:
    """What the HTML report's 历年趋势 section shows, and its charts' series."""
    years = section.years
    rows = [{"label": label, "kind": kind, "cells": [cell_text(v, kind) for v in values]}
            for label, values, kind in trend_rows(years)]
    return {
        "county": section.county, "note": section.note, "has_history": section.has_history,
        "headers": [section.year_label(y) for y in years], "rows": rows,
        "events": [{"year": e.school_year, "kind": EVENT_ZH[e.kind], "text": e.text} for e in section.events],
        "chart": trend_chart_data(years) if section.has_history else None,
    }


def trend_chart_data(years: list[TrendYear]) -> dict[str, Any]:
    """Plain numbers for the trend charts: per stage the CVs with their limit, and the
    shares (schools passing, 大班额, 超大班额, backbone, above degree) in percent."""
    labels = [str(y.school_year) for y in years]
    stages = sorted({s for y in years for s in y.cv}, key=lambda s: list(Stage).index(Stage(s)))
    cv = []
    for stage in stages:
        ids = sorted({i for y in years for i in y.cv.get(stage, {})})
        limit = next((y.cv_limit.get(stage) for y in reversed(years) if y.cv_limit.get(stage) is not None), None)
        cv.append({"stage": STAGE_ZH[Stage(stage)], "limit": limit, "series": [
            {"name": i, "values": [_round(y.cv.get(stage, {}).get(i), 3) for y in years]} for i in ids]})

    def pct(values: list[float | None]) -> list[float | None]:
        return [None if v is None else _round(v * 100, 1) for v in values]

    shares = [
        ("达标学校占比", pct([y.schools_passed / y.schools_total if y.schools_total else None for y in years])),
        ("大班额占比", pct([y.large_share for y in years])),
        ("超大班额占比", pct([y.super_large_share for y in years])),
        ("骨干教师占比", pct([y.backbone_share for y in years])),
        ("高于规定学历教师占比", pct([y.above_degree_share for y in years])),
    ]
    return {"years": labels, "cv": cv,
            "shares": [{"name": name, "values": values} for name, values in shares]}


def _round(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    text = fmt.fixed(value, digits)
    return None if text == fmt.MISSING else float(text)
