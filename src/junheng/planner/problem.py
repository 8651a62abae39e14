"""The planning problem: a county's parts, indicators, movable teachers and room needs,
read from the data, the standard and the engine's own evaluation of the data.

Nothing here is specific to one standard: thresholds, limits, the pass rule, the
split shares, scope and what counts as which kind of teacher all come from the
loaded :class:`Standard` and from the engine's :class:`Evaluation` (whose per-part
numerators already carry the split share).
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from junheng.core.errors import PlanningError
from junheng.core.facts import (
    STAGE_ZH,
    CountyData,
    Ownership,
    Room,
    RoomType,
    School,
    SchoolType,
    Stage,
    Teacher,
)
from junheng.core.result import Evaluation
from junheng.core.scope import teachers_in_scope
from junheng.core.standard import SchoolPassSpec, Standard
from junheng.planner.forms import (
    LinearForm,
    NotPlannable,
    RatioRule,
    linear_form,
    mentions,
    ratio_rules,
)
from junheng.planner.settings import HireKind, PlanSettings
from junheng.planner.subjects import SubjectBalance, subject_balance

# What one teacher does when moved or hired: its contribution to each indicator (in
# the order of Problem.indicators) and, per rotation rule, (Δnumerator, Δdenominator);
# for a movable teacher under ``limits.match_subjects: required``, its curriculum
# subject too (the subject rule caps what each school receives of each subject).
Effect = tuple[float, ...]
RotationEffect = tuple[tuple[float, float], ...]
Signature = tuple  # (Effect, RotationEffect) or (Effect, RotationEffect, subject)


def sig_subject(sig: Signature) -> str | None:
    """The subject a signature of movable teachers is for (None: any subject)."""
    return sig[2] if len(sig) > 2 else None


@dataclass
class Indicator:
    id: str
    name: str
    unit: str
    per: float
    scale: float
    forms: dict[Stage, LinearForm]
    reason: str | None = None  # why the plan cannot change it, if it cannot

    @property
    def plannable(self) -> bool:
        return self.reason is None


@dataclass
class Part:
    """One school in one stage, as the engine evaluated it."""

    index: int
    school: School
    stage: Stage
    students: int
    share: float
    u0: list[float]  # current numerator per indicator
    required: list[float]  # numerator that meets the threshold
    threshold: list[float]
    met: list[bool]
    passed: bool

    @property
    def public(self) -> bool:
        return self.school.ownership is Ownership.PUBLIC

    def label(self) -> str:
        return f"{self.school.name}（{STAGE_ZH[self.stage]}）"


@dataclass
class RoomNeed:
    """A school short of good music or art rooms (G3)."""

    item_id: str
    school: School
    room_type: RoomType
    need: int
    min_area: float
    small: list[Room]  # rooms of the type below the minimum area, largest first


@dataclass
class Rotation:
    item_id: str
    name: str
    rules: list[RatioRule]
    counts: list[tuple[float, float]]  # (numerator, denominator) now, per rule

    def passes_now(self) -> bool:
        return all(r.passes(n, d) for r, (n, d) in zip(self.rules, self.counts, strict=True))


@dataclass
class Problem:
    data: CountyData
    standard: Standard
    before: Evaluation
    settings: PlanSettings
    indicators: list[Indicator]
    parts: list[Part]
    pass_rule: SchoolPassSpec | None
    cv_limits: dict[Stage, float]  # empty when the standard's dispersion rule is not plannable
    movable: dict[tuple[int, Signature], list[Teacher]]  # (part, signature) -> teachers, preferred first
    hires: dict[tuple[Stage, str], Signature]
    hire_kinds: dict[str, HireKind]
    rotation: Rotation | None
    rooms: list[RoomNeed]
    notes: list[str] = field(default_factory=list)  # what the plan leaves alone, and why
    transfer_caps: dict[str, int] = field(default_factory=dict)  # school -> most teachers it sends (or receives)
    quota_room: dict[str, int] = field(default_factory=dict)  # school -> vacant posts (核定编制数 − 在编)
    balance: SubjectBalance = field(default_factory=SubjectBalance)  # which teacher goes where

    def stage_parts(self, stage: Stage) -> list[Part]:
        return [p for p in self.parts if p.stage is stage]

    def failing(self) -> list[Part]:
        return [p for p in self.parts if not p.passed]

    def hire_effect(self, kind: HireKind, stage: Stage, subject: str) -> Signature:
        """What a new teacher of ``kind`` teaching ``subject`` does (to compare with the kind's own)."""
        return _hire_signature(kind, stage, self.indicators, self.rotation, self.settings, subject)


def build_problem(data: CountyData, standard: Standard, before: Evaluation, settings: PlanSettings) -> Problem:
    res = standard.resource
    if res is None:
        raise PlanningError(f"标准「{standard.title}」没有资源配置指标，无需制定整改方案")
    std_settings = standard.settings.model_dump(mode="json")
    indicators = [_indicator(ind, res.stages, std_settings) for ind in res.indicators]
    parts = _parts(before, indicators, data)
    notes = [f"{ind.id}{ind.name}：{ind.reason}，方案不调整该项" for ind in indicators if not ind.plannable]
    cv_limits: dict[Stage, float] = {}
    if res.dispersion is not None:
        if res.dispersion.kind == "each":
            cv_limits = dict(res.dispersion.limits)
        else:
            notes.append("本标准按综合差异系数判定，方案不对差异系数设约束，仅在调整后重新计算")
    rotation = _rotation(data, standard, std_settings, settings, notes)
    balance = subject_balance(data, settings.limits.prefer_nearby)
    by_subject = balance if settings.limits.match_subjects == "required" else None
    movable = _movable(data, parts, indicators, rotation, settings, where_fields(standard), by_subject)
    hires = {
        (stage, h.key): _hire_signature(h, stage, indicators, rotation, settings)
        for stage in res.stages for h in settings.hires if h.cost is not None
    }
    rooms = _rooms(data, standard, settings, notes)
    return Problem(data, standard, before, settings, indicators, parts, res.school_pass, cv_limits,
                   movable, hires, {h.key: h for h in settings.hires}, rotation, rooms, notes,
                   transfer_caps(data, settings), quota_room(data), balance)


def quota_room(data: CountyData) -> dict[str, int]:
    """Per school with a 核定编制数 (optional column), the posts still vacant: the quota
    less its teachers in post (在编; every teacher when the 编制类型 column is absent).
    A school already above its quota gets 0: the plan adds nobody there."""
    posts: dict[str, int] = defaultdict(int)
    for t in data.teachers:
        if str(t.extra.get("staffing") or "established") not in ("contract", "编外"):
            posts[t.school_code] += 1
    out = {}
    for s in data.schools:
        quota = s.extra.get("staff_quota")
        if quota is not None:
            out[s.code] = max(0, int(quota) - posts[s.code])
    return out


def transfer_caps(data: CountyData, settings: PlanSettings) -> dict[str, int]:
    """Per school, how many teachers it may send, and how many receive, in one year:
    max(floor, share × its compulsory-stage teachers)."""
    share, floor = settings.limits.transfer_share, settings.limits.transfer_floor
    if share is None:
        return {}
    staff: dict[str, int] = defaultdict(int)
    for t in data.teachers:
        if t.stage in (Stage.PRIMARY, Stage.JUNIOR):
            staff[t.school_code] += 1
    return {s.code: max(floor, math.floor(share * staff[s.code] + 1e-9)) for s in data.schools}


def _indicator(ind: Any, stages: tuple[Stage, ...], settings: dict[str, Any]) -> Indicator:
    forms: dict[Stage, LinearForm] = {}
    reason = None
    for stage in stages:
        try:
            forms[stage] = linear_form(ind.numerator_for(stage), settings)
        except NotPlannable as exc:
            reason = str(exc)
            forms[stage] = LinearForm()
    if reason is None and all(f.empty for f in forms.values()):
        reason = "没有可采取的措施能改变它"
    return Indicator(ind.id, ind.short_name or ind.name, ind.unit, ind.per, ind.scale, forms, reason)


def _parts(before: Evaluation, indicators: list[Indicator], data: CountyData) -> list[Part]:
    schools = data.school_map()
    parts: list[Part] = []
    missing: list[str] = []
    for r in before.schools:
        results = [r.indicators[ind.id] for ind in indicators]
        if any(x.value is None for x in results):
            gone = "、".join(ind.id for ind, x in zip(indicators, results, strict=True) if x.value is None)
            missing.append(f"{r.name}（{STAGE_ZH[r.stage]}）缺少 {gone} 的数据")
            continue
        parts.append(Part(
            index=len(parts), school=schools[r.school_code], stage=r.stage, students=r.students, share=r.share,
            u0=[float(x.numerator) for x in results],
            required=[x.threshold * r.students / (ind.per * ind.scale) for ind, x in zip(indicators, results, strict=True)],
            threshold=[x.threshold for x in results], met=[x.met for x in results], passed=r.passed,
        ))
    if missing:
        more = f" 等 {len(missing)} 处" if len(missing) > 5 else ""
        raise PlanningError("资源配置数据不完整，无法制定整改方案：" + "；".join(missing[:5]) + more)
    if not parts:
        raise PlanningError("没有纳入资源配置评估的学校，无需制定整改方案")
    return parts


def _rotation(data: CountyData, standard: Standard, std_settings: dict[str, Any], settings: PlanSettings,
              notes: list[str]) -> Rotation | None:
    if not settings.goals.rotation:
        return None
    for item in standard.items:
        if not mentions(item.params, "rotated"):
            continue
        try:
            rules = ratio_rules(item.kind, item.params, std_settings)
        except NotPlannable as exc:
            notes.append(f"{item.id}：{exc}，方案不处理交流轮岗")
            return None
        by_profile: dict[tuple, list] = {}
        fields = where_fields(standard)
        for t in teachers_in_scope(data.teachers, standard.settings.scope):  # as G11 counts them
            key = profile(t, fields)
            entry = by_profile.get(key)
            if entry is None:
                by_profile[key] = [t, 1]
            else:
                entry[1] += 1
        counts = [(sum(r.numerator.teacher_value(t) * n for t, n in by_profile.values()),
                   sum(r.denominator.teacher_value(t) * n for t, n in by_profile.values())) for r in rules]
        return Rotation(item.id, item.name, rules, counts)
    return None


def _rooms(data: CountyData, standard: Standard, settings: PlanSettings, notes: list[str]) -> list[RoomNeed]:
    if not settings.goals.rooms:
        return []
    needs: list[RoomNeed] = []
    for item in standard.items:
        if item.kind != "rooms_per_classes":
            continue
        if not data.classes:
            notes.append(f"{item.id}：班级表为空，无法核定所需专用教室")
            continue
        p = item.params
        types = {SchoolType(t) for t in p["school_types"]} if p.get("school_types") else None
        stages = {Stage(s) for s in p.get("stages", ["primary", "junior"])}
        classes: dict[str, int] = defaultdict(int)
        for c in data.classes:
            if c.stage in stages:
                classes[c.school_code] += 1
        rooms: dict[str, list[Room]] = defaultdict(list)
        for room in data.rooms:
            rooms[room.school_code].append(room)
        for s in data.schools:
            if types is not None and s.school_type not in types:
                continue
            required = max(int(p.get("min_rooms", 1)), math.ceil(classes[s.code] / float(p["per_classes"])))
            for rtype, min_area in p["rooms"].items():
                of_type = [r for r in rooms[s.code] if r.room_type == rtype]
                good = sum(1 for r in of_type if r.area >= float(min_area) - 1e-9)
                if good < required:
                    small = sorted((r for r in of_type if r.area < float(min_area) - 1e-9), key=lambda r: -r.area)
                    needs.append(RoomNeed(item.id, s, RoomType(rtype), required - good, float(min_area), small))
    return needs


def teacher_effect(teacher: Teacher, stage: Stage, indicators: list[Indicator]) -> Effect:
    return tuple(ind.forms[stage].teacher_value(teacher) if ind.plannable else 0.0 for ind in indicators)


def _movable(data: CountyData, parts: list[Part], indicators: list[Indicator], rotation: Rotation | None,
             settings: PlanSettings, fields: tuple[str, ...],
             by_subject: SubjectBalance | None = None) -> dict[tuple[int, Signature], list[Teacher]]:
    """Teachers a plan may move, by part and signature (and subject, with ``by_subject``).
    A teacher already rotated this year stays put, and so does one marked 可调配 = 否."""
    if settings.costs.transfer is None:
        return {}
    by_school_stage = {(p.school.code, p.stage): p for p in parts
                       if p.public or not settings.limits.transfer_public_only}
    groups: dict[tuple[int, Signature], list[Teacher]] = defaultdict(list)
    seen: dict[tuple, Signature] = {}
    anchors = _anchors(data.teachers)
    for t in data.teachers:
        part = by_school_stage.get((t.school_code, t.stage))
        if part is None or t.rotated or t.extra.get("movable") is False or t.teacher_id in anchors:
            continue
        key = profile(t, fields)
        subject = by_subject.subject(t) if by_subject is not None else None
        sig = seen.get((key, subject))
        if sig is None:
            sig = (teacher_effect(t, t.stage, indicators), _rotation_delta(t, rotation))
            sig = seen[(key, subject)] = sig if subject is None else (*sig, subject)
        groups[(part.index, sig)].append(t)
    for teachers in groups.values():
        # Teachers eligible for rotation move first (交流轮岗 is meant for them).
        teachers.sort(key=lambda t: (not t.rotation_eligible, t.teacher_id))
    return dict(groups)


def _anchors(teachers: list[Teacher]) -> set[str]:
    """One teacher per school, stage and subject who stays whatever the plan does, so
    that no school (a 教学点 with one maths teacher included) is left without a teacher
    of a subject it teaches: the one least suited to moving (not eligible, then by id)."""
    best: dict[tuple[str, Stage, str], Teacher] = {}
    for t in teachers:
        key = (t.school_code, t.stage, t.subject)
        rank = (t.rotation_eligible, t.extra.get("movable") is not False, t.teacher_id)
        cur = best.get(key)
        if cur is None or rank < (cur.rotation_eligible, cur.extra.get("movable") is not False, cur.teacher_id):
            best[key] = t
    return {t.teacher_id for t in best.values()}


def where_fields(standard: Standard) -> tuple[str, ...]:
    """Every field a where-clause the planner evaluates on teachers reads (schools' too)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            where = node.get("where")
            if isinstance(where, dict):
                found.update(str(k) for k in where)
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    # What the planner evaluates on teachers: the resource indicators and the rotation item.
    walk(standard.resource.model_dump(mode="python") if standard.resource is not None else {})
    walk([item.params for item in standard.items if mentions(item.params, "rotated")])
    return tuple(sorted(found - {"rotated", "rotation_eligible", "stage"}))


def profile(t: Teacher, fields: tuple[str, ...]) -> tuple:
    """What the standard's teacher filters read of a teacher (``fields``) plus its stage
    and rotation status: teachers with one profile count alike (thousands of teachers, a
    few dozen profiles), so their effects are worked out once."""
    return (t.stage, t.rotation_eligible, t.rotated, *(_read(t, f) for f in fields))


def _read(t: Teacher, name: str) -> Any:
    value = getattr(t, name, None) if name != "extra" else None
    if value is None:
        value = t.extra.get(name)
    if value is None or type(value) in _PLAIN:
        return value
    return value if isinstance(value, str | int | float | bool) else repr(value)


_PLAIN = frozenset({str, int, float, bool})


def _rotation_delta(t: Teacher, rotation: Rotation | None) -> RotationEffect:
    if rotation is None:
        return ()
    moved = dataclasses.replace(t, rotated=True) if t.rotation_eligible else t  # only eligible teachers rotate
    return tuple(
        (r.numerator.teacher_value(moved) - r.numerator.teacher_value(t),
         r.denominator.teacher_value(moved) - r.denominator.teacher_value(t))
        for r in rotation.rules
    )


def new_teacher(kind: HireKind, school_code: str, stage: Stage, teacher_id: str, settings: PlanSettings,
                subject: str = "") -> Teacher:
    return Teacher(
        teacher_id=teacher_id, school_code=school_code, stage=stage, degree=kind.degree,
        backbone_level=kind.backbone_level, subject=subject or kind.subject, certified=True,
        training_hours_5y=settings.limits.new_teacher_training_hours, rotation_eligible=False, rotated=False,
        title=kind.title,
    )


def _hire_signature(kind: HireKind, stage: Stage, indicators: list[Indicator], rotation: Rotation | None,
                    settings: PlanSettings, subject: str = "") -> Signature:
    t = new_teacher(kind, "", stage, "", settings, subject)
    rot: RotationEffect = ()
    if rotation is not None:
        rot = tuple((r.numerator.teacher_value(t), r.denominator.teacher_value(t)) for r in rotation.rules)
    return teacher_effect(t, stage, indicators), rot
