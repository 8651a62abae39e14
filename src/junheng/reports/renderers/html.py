"""The evaluation as one self-contained HTML page (评估结果报告): the result workbook's
content plus charts — per stage the seven 差异系数 against their limit, and a school ×
indicator heat map of value / 达标值.

Bureaus run on intranets and mail files around, so the page loads nothing: the CSS,
the data and Apache ECharts (``vendor/echarts.min.js``, inlined) are all inside it.
Numbers are formatted here through ``reports.numbers`` (half-up, display only) and
judged through ``reports.findings``, like every other output.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from junheng.analysis.factsheet import FactSheet
from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.result import Evaluation
from junheng.reports import numbers as fmt
from junheng.reports.documents import findings as f
from junheng.reports.documents.plan_section import PlanSection, plan_view
from junheng.reports.documents.trend_section import TrendSection, trend_view

ECHARTS_VERSION = "6.1.0"
TEMPLATE = "evaluation_report.html"
MARK_CLASS = {f.Mark.MET: "", f.Mark.FLOOR: "floor", f.Mark.FAIL: "fail", f.Mark.MISSING: "floor"}
PASS_CLASS = {True: "ok", False: "fail", None: "floor"}


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("junheng.reports.renderers", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pass_class"] = lambda passed: PASS_CLASS[passed]
    return env


@functools.cache
def echarts_source() -> str:
    text = resources.files("junheng.reports.renderers").joinpath("vendor/echarts.min.js").read_text("utf-8")
    if "</script" in text.lower():  # would end the inline <script> early
        raise ValueError("vendored echarts.min.js contains '</script'")
    return text


def render_html_report(ev: Evaluation, generated: dt.date | None = None, *, plan: PlanSection | None = None,
                       plan_first: bool = False, trend: TrendSection | None = None,
                       facts: FactSheet | None = None) -> str:
    """The report; with ``trend``, a 历年趋势 section after the evaluation's; with
    ``plan``, a 整改方案 section at the end (``plan_first``: on top, for the plan's own
    page, where ``ev`` is the county re-evaluated after the plan)."""
    context = report_context(ev)
    context["trend"] = trend_view(trend) if trend is not None else None
    context["figures"] = _figures(facts) if facts is not None else []
    context["generated"] = f"{(generated or dt.date.today()):%Y年%m月%d日}"
    context["echarts_js"] = Markup(echarts_source())
    context["echarts_version"] = ECHARTS_VERSION
    context["plan"] = plan_view(plan) if plan is not None else None
    context["plan_first"] = plan_first
    context["plan_heading"] = ("九" if trend is not None else "八") + "、整改方案"
    if plan is not None and plan_first:
        context["title"] = f"{f.report_title(ev)}资源配置整改方案"
    return _environment().get_template(TEMPLATE).render(**context)


def write_html_report(ev: Evaluation, path: str | Path, *, plan: PlanSection | None = None,
                      plan_first: bool = False, trend: TrendSection | None = None,
                      facts: FactSheet | None = None) -> Path:
    path = Path(path)
    path.write_text(render_html_report(ev, plan=plan, plan_first=plan_first, trend=trend, facts=facts),
                    encoding="utf-8")
    return path


# The 主要数据 line of the page: fact-sheet figures as every other output prints them.
FIGURE_IDS = ("schools", "students", "teachers", "classes", "large_class_share", "backbone_share",
              "rotation_share", "per_student_spending")


def _figures(facts: FactSheet) -> list[tuple[str, str]]:
    out = []
    for fid in FIGURE_IDS:
        if facts.has(fid):
            d = facts[fid].definition
            out.append((d.name, fmt.shown(facts[fid]) + ("" if d.unit in ("", "%") else f" {d.unit}")))
    return out


# --- what the template shows --------------------------------------------------------------


def report_context(ev: Evaluation) -> dict[str, Any]:
    ids = list(ev.indicator_meta)
    stages = f.stages(ev)
    place = "".join(p for p in (ev.province, ev.city) if p)
    return {
        "ev": ev,
        "title": f"{f.report_title(ev)}督导评估结果",
        "place": place,
        "verdict": f.verdict_word(ev),
        "reasons": f.verdict_reasons(ev),
        "dimensions": [
            {"name": d.name, "word": f.dimension_word(d.passed), "passed": d.passed,
             "counts": d.counts_for_verdict, "message": d.message or "—"}
            for d in ev.dimensions.values()
        ],
        "counts": f.summary_counts(ev),
        "indicators": [{"id": i, "label": f.indicator_label(ev, i),
                        "name": ev.indicator_meta[i].get("name", i)} for i in ids],
        "thresholds": _threshold_rows(ev, stages, ids) if f.has_thresholds(ev) else [],
        "floor": f.floor_ratio(ev),
        "min_met": (ev.school_pass or {}).get("min_met"),
        "schools": [_school_row(ev, s, ids) for s in ev.schools],
        "dispersion": [_dispersion_row(ev, stage, d) for stage, d in f.dispersion_rows(ev)],
        "item_groups": [
            {"name": dim.name, "rows": [
                {"id": i.item_id, "name": i.name, "value": f.item_value_text(i),
                 "threshold": f.item_threshold_text(i), "word": f.pass_word(i.passed),
                 "passed": i.passed, "message": i.message or "—", "missing": "、".join(i.missing),
                 "source": f.source_text(i.provenance)}
                for i in items]}
            for dim, items in f.items_by_dimension(ev)
        ],
        "shortfalls": [
            {"school": s.school_name or ("全县" if s.school_code is None else ""), "code": s.school_code or "",
             "stage": STAGE_ZH[Stage(s.stage)] if s.stage else "", "item": s.item_id, "text": s.text,
             "quantity": fmt.amount(s.quantity), "unit": s.unit, "blocking": s.blocking}
            for s in ev.shortfalls
        ],
        "excluded": ev.excluded,
        "settings": f.settings_rows(ev),
        "cv_method": dict(f.settings_rows(ev)).get(f.SETTING_ZH["cv_weighting"][0], "—"),
        "chart_data": _chart_data(ev, stages, ids),
    }


def _threshold_rows(ev: Evaluation, stages: list[Stage], ids: list[str]) -> list[dict[str, Any]]:
    floor = f.floor_ratio(ev)
    rows = []
    for stage in stages:
        values = [f.threshold_of(ev, i, stage) for i in ids]
        rows.append({"label": f"{STAGE_ZH[stage]}达标值",
                     "cells": [fmt.threshold(v) for v in values]})
        if floor:
            rows.append({"label": f"{STAGE_ZH[stage]}基本值（{fmt.fixed(floor * 100, 0)}%）",
                         "cells": [f.indicator_text(ev, i, None if v is None else v * floor)
                                    for i, v in zip(ids, values, strict=True)]})
    return rows


def _school_row(ev: Evaluation, s, ids: list[str]) -> dict[str, Any]:
    cells = []
    for i in ids:
        r = s.indicators.get(i)
        if r is None:
            cells.append({"text": fmt.MISSING, "cls": "floor", "title": ""})
            continue
        m = f.mark(ev, r)
        cells.append({"text": f.indicator_text(ev, i, r.value), "cls": MARK_CLASS[m],
                      "title": f"{f.MARK_ZH[m]}：达标值 {fmt.threshold(r.threshold)}"})
    return {"code": s.school_code, "name": s.name, "type": f.school_type_zh(s.school_type),
            "stage": STAGE_ZH[s.stage], "students": s.students, "cells": cells,
            "met": f"{s.met}/{len(s.indicators)}", "passed": s.passed, "reason": s.reason}


def _dispersion_row(ev: Evaluation, stage: Stage, d) -> dict[str, Any]:
    meta = ev.indicator_meta.get(d.indicator_id, {})
    word, passed, judged = f.cv_verdict(d)
    return {"stage": STAGE_ZH[stage], "id": d.indicator_id if meta else f.dispersion_label(ev, d.indicator_id),
            "name": f.dispersion_name(ev, d.indicator_id),
            "unit": meta.get("unit", ""), "mean": f.indicator_text(ev, d.indicator_id, d.county_mean),
            "cv": fmt.cv(d.cv), "limit": fmt.limit(d.limit), "word": word,
            "cls": PASS_CLASS[passed] if judged else "", "schools": d.schools, "students": d.students}


def _chart_data(ev: Evaluation, stages: list[Stage], ids: list[str]) -> dict[str, Any]:
    """Plain numbers for the charts; labels are preformatted here so the page prints
    the same rounding as the tables (JavaScript's toFixed is not half-up)."""
    labels = [ev.indicator_meta[i].get("short_name") or i for i in ids]
    cv_ids = f.dispersion_ids(ev)
    cv_names = [f"{i}\n{ev.indicator_meta[i].get('short_name') or i}" if i in ev.indicator_meta
                else f.dispersion_label(ev, i) for i in cv_ids]
    cv_charts = []
    heat_maps = []
    floor = f.floor_ratio(ev)
    for stage in stages:
        per = ev.dispersion.get(stage, {})
        if per:
            cv_charts.append({
                "stage": STAGE_ZH[stage],
                "indicators": cv_names,
                "values": [per[i].cv if i in per else None for i in cv_ids],
                "labels": [fmt.cv(per[i].cv) if i in per else fmt.MISSING for i in cv_ids],
                "failing": [bool(i in per and per[i].passed is False) for i in cv_ids],
                "limit": f.stage_limit(ev, stage),
            })
        parts = [s for s in ev.schools if s.stage is stage]
        # Weakest schools at the top: the heat map is for spotting them.
        parts.sort(key=lambda s: min((r.ratio for r in s.indicators.values() if r.ratio is not None),
                                     default=0.0))
        cells = []
        for y, s in enumerate(parts):
            for x, i in enumerate(ids):
                r = s.indicators.get(i)
                if r is None or r.ratio is None:
                    continue
                cells.append([x, y, _band(ev, r), fmt.percent(r.ratio, 0),
                              f.indicator_text(ev, i, r.value), fmt.threshold(r.threshold)])
        if cells:  # none when the standard sets no per-school values
            heat_maps.append({"stage": STAGE_ZH[stage], "schools": [s.name for s in parts],
                              "indicators": labels, "cells": cells})
    return {"cv": cv_charts, "heat": heat_maps, "floor": floor,
            "bands": [{"value": b, "label": label, "color": color} for b, (label, color) in enumerate(_bands(floor))]}


def _bands(floor: float | None) -> list[tuple[str, str]]:
    """Colour classes of the heat map, judged like the tables (``findings.mark``)."""
    pct = fmt.fixed((floor or 0) * 100, 0)
    return [
        (f"低于基本值（{pct}%）" if floor else "未达标", "#d9363e"),
        (f"未达标，不低于基本值（{pct}%–100%）", "#f2a93b"),
        ("达标（100%–120%）", "#c7e9c0"),
        ("达标（120%–150%）", "#74c476"),
        ("达标（150% 以上）", "#2e8b57"),
    ]


def _band(ev: Evaluation, r) -> int:
    m = f.mark(ev, r)
    if m is f.Mark.FAIL:
        return 0
    if m is not f.Mark.MET:
        return 1
    return 2 if r.ratio < 1.2 else (3 if r.ratio < 1.5 else 4)
