"""What the planner knows of subjects and places when it picks real teachers to move
(issue 14 §1): each school's subject shortages under the national curriculum (the
teacher-supply analysis, the same figures as ``junheng teachers``), each teacher's
curriculum subject, and each school's area (乡镇 or 教育集团) for preferring moves
nearby. The optimisation counts teachers by what the standard reads; these decide
*which* teacher of a kind goes *where*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.analysis.curriculum import load_curriculum
from junheng.analysis.teacher_supply import load_supply_settings, teacher_supply
from junheng.core.facts import CountyData, Stage, Teacher


@dataclass
class SubjectBalance:
    # (school, stage) -> curriculum subject -> needed − have (> 0: short, < 0: surplus)
    gap: dict[tuple[str, Stage], dict[str, int]] = field(default_factory=dict)
    subject_of: dict[str, str] = field(default_factory=dict)  # teacher id -> curriculum subject
    area_of: dict[str, str] = field(default_factory=dict)  # school -> township or group

    def score(self, t: Teacher, src: str, dst: str) -> tuple[bool, bool]:
        """(fills a subject the receiver lacks, comes from a subject the sender has too many of)."""
        subject = self.subject_of.get(t.teacher_id)
        if subject is None:
            return (False, False)
        return (self.gap.get((dst, t.stage), {}).get(subject, 0) > 0,
                self.gap.get((src, t.stage), {}).get(subject, 0) < 0)

    def moved(self, t: Teacher, src: str, dst: str) -> None:
        subject = self.subject_of.get(t.teacher_id)
        if subject is None:
            return
        for code, change in ((src, 1), (dst, -1)):
            per = self.gap.setdefault((code, t.stage), {})
            per[subject] = per.get(subject, 0) + change

    def near(self, a: str, b: str) -> bool:
        area = self.area_of.get(a)
        return area is not None and area == self.area_of.get(b)


def subject_balance(data: CountyData, match_subjects: bool, prefer_nearby: str) -> SubjectBalance:
    out = SubjectBalance()
    if prefer_nearby != "none":
        key = "township" if prefer_nearby == "township" else None
        for s in data.schools:
            value = s.extra.get(key) if key else s.group
            if isinstance(value, str) and value.strip():
                out.area_of[s.code] = value.strip()
    if not match_subjects or not data.classes:
        return out
    settings = load_supply_settings()
    report = teacher_supply(data, settings)
    for sch in report.schools:
        out.gap[(sch.school_code, sch.stage)] = {x.subject: x.needed - x.have for x in sch.subjects}
    curriculum = load_curriculum(settings.curriculum.file)
    for t in data.teachers:
        subject = curriculum.subject_for(t.subject)
        if subject is not None:
            out.subject_of[t.teacher_id] = subject
    return out


def post_fills(data: CountyData, actions) -> list:
    """有编不补 shown as hires (issue 14 §1): every school V6's check flags (vacant posts
    while employing 编外 teachers), its vacancies after the plan's own hires and moves,
    and the 在编 teachers to recruit in place of 编外 ones."""
    from junheng.core.formulas_staffing import flagged_schools
    from junheng.planner.plan import PostFill

    found = flagged_schools(data, "unfilled_posts", 1)
    if not found:
        return []
    change: dict[str, int] = {}
    for h in actions.hires:
        change[h.school_code] = change.get(h.school_code, 0) + h.count
    for t in actions.transfers:
        change[t.to_code] = change.get(t.to_code, 0) + 1
        change[t.from_code] = change.get(t.from_code, 0) - 1
    out = []
    for f in found[0]:
        vacant = max(0, f["vacant"] - change.get(f["school_code"], 0))
        hires = min(vacant, f["contract"])
        if hires:
            out.append(PostFill(f["school_code"], f["staff_quota"], f["established"], f["contract"], vacant, hires))
    return out
