"""Warnings that need a 说明: an implausible jump from last year, a value far from the
county's other schools (rules in plausibility.yaml).

The figures of last year are taken once, when a round opens (``baseline``), so a
check while a clerk types costs nothing but arithmetic.
"""

from __future__ import annotations

import statistics
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

from junheng.core.facts import CountyData
from junheng.core.yamltext import load_yaml
from junheng.intake.recorder import show as plain_number


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JumpRule(_Strict):
    metric: str
    label: str
    unit: str
    max_change: float
    min_abs: float


class OutlierMetric(_Strict):
    metric: str
    label: str
    unit: str


class OutlierRules(_Strict):
    factor: float
    min_schools: int
    metrics: tuple[OutlierMetric, ...]


class PlausibilityRules(_Strict):
    jumps: tuple[JumpRule, ...]
    outliers: OutlierRules


@lru_cache(maxsize=1)
def load_rules() -> PlausibilityRules:
    text = resources.files("junheng.services").joinpath("plausibility.yaml").read_text("utf-8")
    return PlausibilityRules.model_validate(load_yaml(text))


def school_metrics(data: CountyData) -> dict[str, dict[str, float]]:
    """Per school: the figures the rules compare (counts and per-student values)."""
    teachers = Counter(t.school_code for t in data.teachers)
    classes = Counter(k.school_code for k in data.classes)
    out = {}
    for s in data.schools:
        students = s.primary_students + s.junior_students
        m = {"students": students, "teachers": teachers[s.code], "classes": classes[s.code],
             "teaching_area": s.teaching_area, "sports_area": s.sports_area,
             "equipment_value": s.equipment_value, "multimedia_rooms": s.multimedia_rooms}
        if students > 0:
            m.update(teaching_area_per_student=s.teaching_area / students,
                     sports_area_per_student=s.sports_area / students,
                     equipment_per_student=s.equipment_value * 10000 / students,
                     teachers_per_100=teachers[s.code] * 100 / students)
        out[s.code] = m
    return out


def baseline(data: CountyData | None) -> dict[str, Any]:
    """What a round keeps of last year: each school's figures and the county medians."""
    if data is None:
        return {"school_year": None, "schools": {}, "medians": {}}
    per_school = school_metrics(data)
    rules = load_rules().outliers
    medians = {}
    for m in rules.metrics:
        values = [v[m.metric] for v in per_school.values() if m.metric in v]
        if len(values) >= rules.min_schools:
            medians[m.metric] = statistics.median(values)
    return {"school_year": data.county.school_year, "schools": per_school, "medians": medians}


def warnings(data: CountyData, school_code: str, base: dict[str, Any]) -> list[dict[str, Any]]:
    """The plausibility warnings of one school's checked data (Chinese messages)."""
    rules = load_rules()
    now = school_metrics(data).get(school_code)
    if now is None:
        return []
    out = []
    before = base.get("schools", {}).get(school_code)
    year = base.get("school_year")
    if before:
        for r in rules.jumps:
            old, new = before.get(r.metric), now.get(r.metric)
            if old is None or new is None:
                continue
            change = abs(new - old)
            if change >= r.min_abs and change > r.max_change * max(abs(old), 1e-9):
                direction = "增加" if new > old else "减少"
                share = f"{change / old:.0%}" if old else "从无到有"
                out.append(_warning(
                    f"jump:{r.metric}",
                    f"{r.label}由 {year} 学年的 {plain_number(old)} {r.unit}变为 {plain_number(new)} {r.unit}"
                    f"（{direction} {share}），与上年相比变化异常，请核实；如确实如此，请填写说明"))
    for m in rules.outliers.metrics:
        median, value = base.get("medians", {}).get(m.metric), now.get(m.metric)
        if not median or value is None:
            continue
        factor = rules.outliers.factor
        if value > median * factor or value < median / factor:
            times = value / median
            out.append(_warning(
                f"outlier:{m.metric}",
                f"{m.label} {plain_number(round(value, 2))} {m.unit}，是全县学校上年中位数 "
                f"{plain_number(round(median, 2))} {m.unit}的 {times:.1f} 倍，明显偏离，请核实；如确实如此，请填写说明"))
    return out


def _warning(key: str, message: str) -> dict[str, Any]:
    return {"code": key.split(":")[0], "severity": "warning", "message": message, "table": "schools",
            "index": 0, "field": None, "key": key}
