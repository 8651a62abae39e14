"""School groups (集团化办学): inside each 教育集团, every member's indicators against
the lead school, the group's own 差异系数, and over the years whether the gap inside
the group narrows — the claim every district makes and none measures.

Pure: a county's data and its evaluation (per-school indicator values, computed by the
engine under any standard with a resource block) in, plain results out. A group's CV
is computed exactly like the county's (same weighting setting), over its member
schools in one stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.core.dispersion import coefficient_of_variation
from junheng.core.facts import CountyData, School, Stage
from junheng.core.result import Evaluation


@dataclass(slots=True)
class Member:
    school_code: str
    name: str
    stage: Stage
    students: int
    is_lead: bool
    values: dict[str, float | None]
    to_lead: dict[str, float | None]  # value / lead's value (1.0 = as well provided as the lead)


@dataclass(slots=True)
class GroupStage:
    stage: Stage
    members: list[Member]
    cvs: dict[str, float | None]  # the group's own CV per indicator
    county_cvs: dict[str, float | None]
    mean_cv: float | None  # mean over indicators: one number for "the gap inside the group"
    county_mean_cv: float | None


@dataclass(slots=True)
class Group:
    name: str
    lead_code: str | None
    lead_name: str | None
    lead_note: str | None  # how the lead was chosen when the workbook does not say
    schools: list[str]  # codes
    stages: list[GroupStage] = field(default_factory=list)


@dataclass(slots=True)
class GroupTrend:
    name: str
    stage: Stage
    years: list[int]
    mean_cv: list[float | None]
    by_indicator: dict[str, list[float | None]]
    narrowing: bool | None  # None: fewer than two comparable years


@dataclass(slots=True)
class GroupsReport:
    school_year: int
    indicators: list[str]
    names: dict[str, str]  # indicator id -> short Chinese name
    groups: list[Group]
    trends: list[GroupTrend] = field(default_factory=list)
    ungrouped: int = 0  # schools in no group


def _lead(members: list[School]) -> tuple[School | None, str | None]:
    flagged = [s for s in members if s.extra.get("group_lead") is True]
    if len(flagged) == 1:
        return flagged[0], None
    biggest = max(members, key=lambda s: s.compulsory_students, default=None)
    if biggest is None:
        return None, None
    why = "工作簿标明了多所牵头学校" if flagged else "工作簿未标明牵头学校"
    return biggest, f"{why}，按在校生最多的学校 {biggest.name} 作为牵头学校比较"


def _mean(values: list[float | None]) -> float | None:
    if not values or any(v is None for v in values):
        return None
    return sum(values) / len(values)  # type: ignore[arg-type]


def group_schools(data: CountyData, ev: Evaluation) -> GroupsReport:
    indicators = list(ev.indicator_meta)
    names = {k: m.get("short_name") or m.get("name", k) for k, m in ev.indicator_meta.items()}
    by_group: dict[str, list[School]] = {}
    for s in data.schools:
        if s.group and s.group.strip():
            by_group.setdefault(s.group.strip(), []).append(s)
    parts = {(p.school_code, p.stage): p for p in ev.schools}
    method = ev.settings.get("cv_weighting", "student_weighted")
    groups = []
    for name, members in by_group.items():
        lead, note = _lead(members)
        group = Group(name, lead.code if lead else None, lead.name if lead else None, note,
                      [s.code for s in members])
        for stage in ev.dispersion:
            in_stage = [parts[(s.code, stage)] for s in members if (s.code, stage) in parts]
            if not in_stage:
                continue
            lead_part = parts.get((lead.code, stage)) if lead else None
            rows = []
            for p in in_stage:
                values = {i: p.indicators[i].value for i in indicators}
                to_lead: dict[str, float | None] = {}
                for i in indicators:
                    base = lead_part.indicators[i].value if lead_part else None
                    to_lead[i] = values[i] / base if values[i] is not None and base else None
                rows.append(Member(p.school_code, p.name, stage, p.students, lead is not None
                                   and p.school_code == lead.code, values, to_lead))
            cvs: dict[str, float | None] = {}
            for i in indicators:
                pairs = [(r.values[i], r.students) for r in rows]
                if len(pairs) < 2 or any(v is None for v, _ in pairs):
                    cvs[i] = None
                    continue
                cvs[i] = coefficient_of_variation([v for v, _ in pairs], [n for _, n in pairs], method).cv  # type: ignore[misc]
            county = {i: (ev.dispersion[stage][i].cv if i in ev.dispersion[stage] else None) for i in indicators}
            group.stages.append(GroupStage(stage, rows, cvs, county, _mean(list(cvs.values())),
                                           _mean(list(county.values()))))
        groups.append(group)
    ungrouped = sum(1 for s in data.schools if not (s.group and s.group.strip()))
    return GroupsReport(data.county.school_year, indicators, names, groups, [], ungrouped)


def group_trends(reports: list[GroupsReport]) -> list[GroupTrend]:
    """Per group and stage, its CVs year by year (oldest first); narrowing when the
    mean CV of the last year is below that of the first year it can be computed in."""
    reports = sorted(reports, key=lambda r: r.school_year)
    keys: dict[tuple[str, Stage], None] = {}
    for r in reports:
        for g in r.groups:
            for st in g.stages:
                keys[(g.name, st.stage)] = None
    trends = []
    for name, stage in keys:
        years, means, by_ind = [], [], {}
        for r in reports:
            found = next((st for g in r.groups if g.name == name for st in g.stages if st.stage is stage), None)
            years.append(r.school_year)
            means.append(found.mean_cv if found else None)
            for i in r.indicators:
                by_ind.setdefault(i, []).append(found.cvs.get(i) if found else None)
        known = [m for m in means if m is not None]
        narrowing = None if len(known) < 2 else known[-1] < known[0]
        trends.append(GroupTrend(name, stage, years, means, by_ind, narrowing))
    return trends
