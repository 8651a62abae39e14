"""Trends over school years, from the stored yearly summaries (core.yearly.summarise):
CVs per stage, schools passing, failing items, 大班额 shares, teachers, new school
places, 两个只增不减 and 分学段只增不减 (F3, F4) with a verdict per year; and schools
opened, closed and merged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def _share(n: float | None, d: float | None) -> float | None:
    return None if n is None or not d else n / d


@dataclass(slots=True)
class FundingCheck:
    """两个只增不减 for one year against the previous one."""

    spending: float | None  # 万元
    spending_prev: float | None
    students: float | None
    students_prev: float | None
    prev_source: str | None  # "stored": the previous stored year; "declared": this year's 上年 facts
    spending_ok: bool | None
    per_student: float | None  # 万元 per student
    per_student_prev: float | None
    per_student_ok: bool | None
    verdict: str  # Chinese
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool | None:
        if self.spending_ok is None or self.per_student_ok is None:
            return None
        return self.spending_ok and self.per_student_ok


# 分学段只增不减: the fact-sheet ids of the per-stage figures (analysis.factsheet_funding
# STAGE_FUNDING_IDS) and their names, for the verdict's wording.
_STAGE_ZH = {"primary": "小学", "junior": "初中", "senior": "高中", "preschool": "学前"}
_BASE_ZH = {"per_student_spending": "生均一般公共预算教育经费", "public_funds_per_student": "生均一般公共预算公用经费"}


def stage_funding_name(figure_id: str) -> str:
    base, _, stage = figure_id.partition(".")
    return _STAGE_ZH.get(stage, stage) + _BASE_ZH.get(base, base)


@dataclass(slots=True)
class StageFundingCheck:
    """分学段只增不减 for one year against the previous one: 生均一般公共预算教育经费 (F3)
    and 公用经费 (F4) of each stage, 元. The 上年 number is the previous stored year's
    figure when that year is stored and has it, else this year's declared 上年 (县级指标).
    As F3 and F4 judge: a stage with neither number is not checked; one with only one of
    them is 缺少数据; any stage below its 上年 fails the year."""

    values: dict[str, float | None]  # figure id (per_student_spending.primary …) → this year
    prev: dict[str, float | None]  # figure id → 上年
    prev_source: dict[str, str]  # figure id → "stored" | "declared"
    ok: bool | None  # None: nothing filled, or 缺少数据
    verdict: str  # Chinese
    notes: list[str] = field(default_factory=list)


def stage_funding_check(now: dict[str, float | None], declared: dict[str, float | None],
                        stored: dict[str, float | None] | None) -> StageFundingCheck:
    """``now``: this year's figures; ``declared``: its 上年 numbers as typed; ``stored``:
    the previous stored year's figures (None when that year is not stored)."""
    ids = list(dict.fromkeys([*now, *declared, *(stored or {})]))
    prev: dict[str, float | None] = {}
    source: dict[str, str] = {}
    notes: list[str] = []
    for fid in ids:
        before, typed = (stored or {}).get(fid), declared.get(fid)
        if before is not None:
            prev[fid], source[fid] = before, "stored"
            if typed is not None and abs(typed - before) > 1e-6:
                notes.append(f"本年填报的上年{stage_funding_name(fid)} {typed:,.2f} 元与数据库中上一学年的 {before:,.2f} 元不一致")
        elif typed is not None:
            prev[fid], source[fid] = typed, "declared"
        else:
            prev[fid] = None
    checked = [fid for fid in ids if now.get(fid) is not None or prev.get(fid) is not None]
    fell = [fid for fid in checked if now.get(fid) is not None and prev.get(fid) is not None
            and now[fid] < prev[fid]]  # type: ignore[operator]
    missing = [fid for fid in checked if now.get(fid) is None or prev.get(fid) is None]
    values = {fid: now.get(fid) for fid in ids}
    if not checked:
        return StageFundingCheck(values, prev, source, None, "未填报", notes)
    if fell:
        text = "；".join(f"{stage_funding_name(f)} {now[f]:,.2f} 元，低于上年 {prev[f]:,.2f} 元" for f in fell)
        return StageFundingCheck(values, prev, source, False, "未达到：" + text, notes)
    if missing:
        return StageFundingCheck(values, prev, source, None,
                                 "缺少数据：" + "、".join(stage_funding_name(f) for f in missing), notes)
    return StageFundingCheck(values, prev, source, True, "达到", notes)


@dataclass(slots=True)
class TrendYear:
    school_year: int
    version: int | None  # None: a workbook's year that is not stored (evaluate --history)
    recognised: bool
    cv: dict[str, dict[str, float | None]]
    cv_limit: dict[str, float | None]
    cv_passed: dict[str, bool | None]
    schools_total: int
    schools_passed: int
    failing_items: list[str]
    classes: int
    large_share: float | None
    super_large_share: float | None
    teachers: int
    backbone_share: float | None
    above_degree_share: float | None
    capacity: int
    new_places: int | None  # None when the previous year is not stored
    students: int
    funding: FundingCheck
    # 学生健康 rates by fact-sheet id (summaries stored before they existed have none)
    health: dict[str, float | None] = field(default_factory=dict)
    # 分学段只增不减 (F3, F4); None for a summary without the per-stage figures
    stage_funding: StageFundingCheck | None = None


def _funding(s: dict[str, Any], prev: dict[str, Any] | None) -> FundingCheck:
    notes: list[str] = []
    e, n = s.get("spending"), s.get("students_total")
    if prev is not None and prev.get("spending") is not None:
        source = "stored"
        e0, n0 = prev.get("spending"), prev.get("students_total")
        declared = s.get("spending_prev_declared")
        if declared is not None and declared != e0:
            notes.append(f"本年填报的上年教育支出 {declared:g} 万元与数据库中上一学年的 {e0:g} 万元不一致")
    else:
        source = "declared" if s.get("spending_prev_declared") is not None else None
        e0, n0 = s.get("spending_prev_declared"), s.get("students_total_prev_declared")
    spending_ok = None if e is None or e0 is None else e >= e0
    per, per0 = _share(e, n), _share(e0, n0)
    per_ok = None if per is None or per0 is None else per >= per0
    if spending_ok is None or per_ok is None:
        verdict = "缺少数据"
    elif spending_ok and per_ok:
        verdict = "达到"
    else:
        failed = []
        if not spending_ok:
            failed.append(f"一般公共预算教育支出减少 {e0 - e:g} 万元")
        if not per_ok:
            failed.append(f"生均一般公共预算教育支出减少 {(per0 - per) * 10000:.2f} 元")
        verdict = "未达到：" + "；".join(failed)
    return FundingCheck(e, e0, n, n0, source, spending_ok, per, per0, per_ok, verdict, notes)


def build_trend(years: list[tuple[int, int | None, dict[str, Any]]]) -> list[TrendYear]:
    """``years``: (school_year, version, summary), any order; one TrendYear per year
    (version None: a year evaluated from a workbook and not stored)."""
    by_year = {y: (v, s) for y, v, s in years}
    out = []
    for year in sorted(by_year):
        version, s = by_year[year]
        prev = by_year.get(year - 1, (None, None))[1]
        out.append(TrendYear(
            school_year=year, version=version, recognised=s["recognised"], cv=s["cv"],
            cv_limit=s["cv_limit"], cv_passed=s["cv_passed"],
            schools_total=s["schools_total"], schools_passed=s["schools_passed"],
            failing_items=s["failing_items"], classes=s["classes"],
            large_share=_share(s["large_classes"], s["classes"]),
            super_large_share=_share(s["super_large_classes"], s["classes"]),
            teachers=s["teachers"],
            backbone_share=_share(s["backbone_teachers"], s["teachers"]),
            above_degree_share=_share(s["above_degree_teachers"], s["teachers"]),
            capacity=s["capacity"],
            new_places=None if prev is None else s["capacity"] - prev["capacity"],
            students=s["students"],
            funding=_funding(s, prev),
            health=dict(s.get("health") or {}),
            stage_funding=None if "stage_funding" not in s else stage_funding_check(
                s["stage_funding"], s.get("stage_funding_prev_declared") or {},
                None if prev is None else prev.get("stage_funding")),
        ))
    return out


@dataclass(slots=True)
class SchoolEvent:
    school_year: int
    kind: str  # opened | closed | merged | renamed
    code: str
    name: str
    into: str | None = None  # merged: the code of the school most of its teachers went to
    into_name: str | None = None
    text: str = ""


def school_events(
    years: list[tuple[int, dict[str, str], dict[str, str]]], *, merge_share: float = 0.5
) -> list[SchoolEvent]:
    """``years``: (school_year, {school code: name}, {teacher id: school code}), any order.

    A school present one year and absent the next is closed — or merged, when at least
    ``merge_share`` of its teachers are found in one surviving school the next year.
    """
    ordered = sorted(years, key=lambda t: t[0])
    events: list[SchoolEvent] = []
    for (_y0, schools0, roster0), (y1, schools1, roster1) in zip(ordered, ordered[1:], strict=False):
        for code, name in schools1.items():
            if code not in schools0:
                events.append(SchoolEvent(y1, "opened", code, name, text=f"{y1} 学年新增学校 {name}（{code}）"))
            elif schools0[code] != name:
                events.append(SchoolEvent(y1, "renamed", code, name,
                                          text=f"{y1} 学年 {schools0[code]} 更名为 {name}（{code}）"))
        for code, name in schools0.items():
            if code in schools1:
                continue
            staff = [tid for tid, sc in roster0.items() if sc == code]
            went = Counter(roster1[t] for t in staff if t in roster1 and roster1[t] in schools1)
            target, moved = went.most_common(1)[0] if went else (None, 0)
            if target is not None and staff and moved / len(staff) >= merge_share:
                events.append(SchoolEvent(
                    y1, "merged", code, name, target, schools1[target],
                    f"{y1} 学年 {name}（{code}）并入 {schools1[target]}（{target}），"
                    f"原 {len(staff)} 名教师中 {moved} 名随迁"))
            else:
                events.append(SchoolEvent(y1, "closed", code, name,
                                          text=f"{y1} 学年起 {name}（{code}）不再出现（撤销或停办）"))
    return events
