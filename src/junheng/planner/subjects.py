"""What the planner knows of subjects and places when it picks real teachers to move
(issue 14 §1): each school's subject shortages under the national curriculum (the
teacher-supply analysis, the same figures as ``junheng teachers``), each teacher's
curriculum subject, and each school's area (乡镇 or 教育集团) for preferring moves
nearby. The optimisation counts teachers by what the standard reads; these decide
*which* teacher of a kind goes *where*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.analysis.curriculum import load_curriculum, weekly_hours
from junheng.analysis.teacher_supply import STAGE_GRADES, load_supply_settings, teacher_supply
from junheng.core.facts import CountyData, Stage, Teacher


@dataclass
class SubjectBalance:
    # (school, stage) -> curriculum subject -> needed − have (> 0: short, < 0: surplus), for
    # the school parts the teacher-supply analysis staffs (class data given)
    gap: dict[tuple[str, Stage], dict[str, int]] = field(default_factory=dict)
    subject_of: dict[str, str] = field(default_factory=dict)  # teacher id -> curriculum subject
    area_of: dict[str, str] = field(default_factory=dict)  # school -> township or group
    # Where the analysis cannot staff a part (no classes): the curriculum subjects each stage
    # teaches and the subjects each part has a teacher of — it lacks those it has none of.
    taught: dict[Stage, tuple[str, ...]] = field(default_factory=dict)
    have: dict[tuple[str, Stage], set[str]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)  # curriculum subject -> its place (ties)
    aliases: dict[str, str] = field(default_factory=dict)  # 任教学科 as written -> curriculum subject

    def subject(self, t: Teacher) -> str:
        """The teacher's curriculum subject, or its 任教学科 as written when none maps."""
        return self.subject_of.get(t.teacher_id) or t.subject.strip()

    def lack(self, code: str, stage: Stage, subject: str) -> int:
        """How many teachers of ``subject`` the part lacks: its shortage by the teacher-supply
        analysis when the analysis staffs it, else 1 when it teaches the subject and has no
        teacher of it (a subject outside the curriculum is never lacking)."""
        per = self.gap.get((code, stage))
        if per is not None:
            return max(0, per.get(subject, 0))
        if subject in self.taught.get(stage, ()) and subject not in self.have.get((code, stage), ()):
            return 1
        return 0

    def shortages(self, code: str, stage: Stage) -> list[str]:
        """The subjects the part lacks, most short first (ties in the curriculum's order)."""
        per = self.gap.get((code, stage))
        names = list(per) if per is not None else list(self.taught.get(stage, ()))
        short = [(self.lack(code, stage, x), x) for x in names]
        return [x for n, x in sorted(short, key=lambda nx: (-nx[0], self.order.get(nx[1], 999), nx[1])) if n > 0]

    def score(self, t: Teacher, src: str, dst: str) -> tuple[bool, bool]:
        """(fills a subject the receiver lacks, comes from a subject the sender has too many of)."""
        subject = self.subject(t)
        return (self.lack(dst, t.stage, subject) > 0,
                self.gap.get((src, t.stage), {}).get(subject, 0) < 0)

    def moved(self, t: Teacher, src: str, dst: str) -> None:
        subject = self.subject(t)
        for code, change in ((src, 1), (dst, -1)):
            self.filled(code, t.stage, subject, -change)

    def filled(self, code: str, stage: Stage, subject: str, count: int = 1) -> None:
        """``count`` teachers of ``subject`` arrive at the part (leave it when negative)."""
        per = self.gap.get((code, stage))
        if per is not None:
            per[subject] = per.get(subject, 0) - count
        elif count > 0:
            self.have.setdefault((code, stage), set()).add(subject)

    def copy(self) -> SubjectBalance:
        """A copy to pick teachers with (the planner's own stays as the data are)."""
        return SubjectBalance({k: dict(v) for k, v in self.gap.items()}, self.subject_of, self.area_of,
                              self.taught, {k: set(v) for k, v in self.have.items()}, self.order, self.aliases)

    def near(self, a: str, b: str) -> bool:
        area = self.area_of.get(a)
        return area is not None and area == self.area_of.get(b)


def subject_balance(data: CountyData, prefer_nearby: str) -> SubjectBalance:
    out = SubjectBalance()
    if prefer_nearby != "none":
        key = "township" if prefer_nearby == "township" else None
        for s in data.schools:
            value = s.extra.get(key) if key else s.group
            if isinstance(value, str) and value.strip():
                out.area_of[s.code] = value.strip()
    settings = load_supply_settings()
    curriculum = load_curriculum(settings.curriculum.file)
    hours = weekly_hours(curriculum, settings.curriculum.method)
    staffed = [x.name for x in curriculum.subjects if x.staffed]
    out.order = {name: i for i, name in enumerate(staffed)}
    out.aliases = curriculum.aliases()
    out.taught = {st: tuple(x for x in staffed if any(hours[x][g - 1] > 0 for g in grades))
                  for st, grades in STAGE_GRADES.items()}
    named: dict[str, str | None] = {}  # 任教学科 as written -> subject (a few dozen spellings)
    for t in data.teachers:
        subject = named.get(t.subject, "")
        if subject == "":
            subject = named[t.subject] = curriculum.subject_for(t.subject)
        if subject is not None:
            out.subject_of[t.teacher_id] = subject
        out.have.setdefault((t.school_code, t.stage), set()).add(subject or t.subject.strip())
    if data.classes:
        report = teacher_supply(data, settings, curriculum)
        for sch in report.schools:
            if sch.classes:  # a part without classes: the fallback (no teacher of a subject)
                out.gap[(sch.school_code, sch.stage)] = {x.subject: x.needed - x.have for x in sch.subjects}
    return out


def hire_subjects(p, hires: list, balance: SubjectBalance) -> list:
    """Every hire named by subject: the subjects its school lacks after the plan's
    transfers (and the hires named before it), most short first, among those whose new
    teacher counts for the standard exactly as the kind the plan priced; the kind's own
    subject when none is left. A hire of several teachers is split by subject."""
    from junheng.planner.plan import Hire

    fits: dict[tuple, bool] = {}
    out = []
    for h in hires:
        kind = p.hire_kinds[h.kind]
        own = balance.aliases.get(kind.subject.strip(), kind.subject.strip())
        ids = list(h.teacher_ids) or [""] * h.count
        named: dict[str, list[str]] = {}
        for tid in ids:
            subject = own
            for x in balance.shortages(h.school_code, h.stage):
                key = (h.stage, h.kind, x)
                if key not in fits:
                    fits[key] = p.hire_effect(kind, h.stage, x) == p.hires[(h.stage, h.kind)]
                if fits[key]:
                    subject = x
                    break
            balance.filled(h.school_code, h.stage, subject)
            named.setdefault(subject, []).append(tid)
        for subject, got in named.items():
            n = len(got)
            out.append(Hire(h.school_code, h.stage, h.kind, n, n * (kind.cost or 0.0), tuple(t for t in got if t),
                            subject))
    return out


def post_fills(data: CountyData, actions, yearly: float | None = None) -> list:
    """有编不补 shown as hires (issue 14 §1): every school V6's check flags (vacant posts
    while employing 编外 teachers), its vacancies after the plan's own hires and moves,
    and the 在编 teachers to recruit in place of 编外 ones, each costing ``yearly`` a year
    (``costs.post_fill``; None: not priced)."""
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
            out.append(PostFill(f["school_code"], f["staff_quota"], f["established"], f["contract"], vacant, hires,
                                hires * yearly if yearly is not None else None))
    return out
