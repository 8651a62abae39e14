"""Teacher flows (县管校聘): who moved from which school to which between two
consecutive rosters, and the rotation shares from the real moves against those from
the declared 本学年交流轮岗 column.

Teacher ids are stable across years (TEMPLATE.md), so a teacher whose school code
differs between last year's and this year's roster has moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.core.facts import BackboneLevel, Teacher
from junheng.core.scope import scope_from, teachers_in_scope
from junheng.core.standard import ScopeSettings
from junheng.core.yearly import RotationRules


@dataclass(slots=True)
class Move:
    teacher_id: str
    from_school: str
    to_school: str
    backbone: bool
    declared: bool  # marked 本学年交流轮岗 = 是 this year


@dataclass(slots=True)
class Disagreement:
    teacher_id: str
    kind: str  # moved_not_declared | declared_not_moved | declared_not_in_last_roster
    school_code: str
    previous_school: str | None
    text: str  # Chinese


@dataclass(slots=True)
class RotationShare:
    rotated: int
    backbone_rotated: int
    eligible: int
    share: float | None  # rotated / eligible
    backbone_share: float | None  # backbone_rotated / rotated
    share_ok: bool | None
    backbone_ok: bool | None

    @property
    def ok(self) -> bool | None:
        if self.share_ok is None or self.backbone_ok is None:
            return None
        return self.share_ok and self.backbone_ok


@dataclass(slots=True)
class SchoolRotation:
    """One school's 交流轮岗 this year: its teachers in scope, those eligible, those
    declared 本学年交流轮岗 (the county's G11 share counts these), and the real moves
    in and out between the two rosters."""

    school_code: str
    teachers: int
    eligible: int
    declared: int
    declared_backbone: int
    moved_in: int
    moved_out: int

    @property
    def share(self) -> float | None:
        """declared / eligible (the county's 交流轮岗比例, for one school)."""
        return self.declared / self.eligible if self.eligible else None


@dataclass(slots=True)
class FlowReport:
    moves: list[Move]
    matrix: dict[str, dict[str, int]]  # from school -> to school -> teachers
    joined: list[str]  # teacher ids new this year
    left: list[str]  # teacher ids gone since last year
    real: RotationShare  # from the moves between the rosters
    declared: RotationShare  # from the 本学年交流轮岗 column
    disagreements: list[Disagreement] = field(default_factory=list)
    by_school: list[SchoolRotation] = field(default_factory=list)  # by school code; this year's schools


def _share(rotated: int, backbone: int, eligible: int, rules: RotationRules) -> RotationShare:
    share = rotated / eligible if eligible else None
    bshare = backbone / rotated if rotated else None
    return RotationShare(
        rotated, backbone, eligible, share, bshare,
        None if share is None else share >= rules.min_share,
        None if bshare is None else bshare >= rules.min_backbone_share,
    )


def _backbone(t: Teacher) -> bool:
    return t.backbone_level is not BackboneLevel.NONE


def teacher_flows(previous: list[Teacher], current: list[Teacher], rules: RotationRules,
                  scope: ScopeSettings | None = None) -> FlowReport:
    """Moves of this year's teachers in the standard's scope (义务教育 by default, as G11
    counts them); last year's roster is searched whole, so a teacher who moved from a
    高中 post to a 初中 one is still found."""
    before = {t.teacher_id: t for t in previous}
    everyone_now = {t.teacher_id for t in current}
    current = teachers_in_scope(current, scope_from(scope))
    now = {t.teacher_id: t for t in current}
    moves: list[Move] = []
    matrix: dict[str, dict[str, int]] = {}
    disagreements: list[Disagreement] = []
    for tid, t in now.items():
        prev = before.get(tid)
        if prev is None:
            if t.rotated:
                disagreements.append(Disagreement(
                    tid, "declared_not_in_last_roster", t.school_code, None,
                    f"教师 {tid} 填报为本学年交流轮岗，但上一学年名册中没有该教师，无法核实"))
            continue
        if prev.school_code != t.school_code:
            moves.append(Move(tid, prev.school_code, t.school_code, _backbone(t), t.rotated))
            row = matrix.setdefault(prev.school_code, {})
            row[t.school_code] = row.get(t.school_code, 0) + 1
            if not t.rotated:
                disagreements.append(Disagreement(
                    tid, "moved_not_declared", t.school_code, prev.school_code,
                    f"教师 {tid} 从 {prev.school_code} 调到 {t.school_code}，但未填报为本学年交流轮岗"))
        elif t.rotated:
            disagreements.append(Disagreement(
                tid, "declared_not_moved", t.school_code, prev.school_code,
                f"教师 {tid} 填报为本学年交流轮岗，但两年都在 {t.school_code}"))
    eligible = sum(1 for t in current if t.rotation_eligible)
    declared = [t for t in current if t.rotated]
    return FlowReport(
        moves=moves,
        matrix=matrix,
        joined=[tid for tid in now if tid not in before],
        left=[tid for tid in before if tid not in everyone_now],
        real=_share(len(moves), sum(1 for m in moves if m.backbone), eligible, rules),
        declared=_share(len(declared), sum(1 for t in declared if _backbone(t)), eligible, rules),
        disagreements=disagreements,
        by_school=_by_school(current, moves),
    )


def _by_school(current: list[Teacher], moves: list[Move]) -> list[SchoolRotation]:
    rows: dict[str, SchoolRotation] = {}
    for t in current:
        r = rows.setdefault(t.school_code, SchoolRotation(t.school_code, 0, 0, 0, 0, 0, 0))
        r.teachers += 1
        r.eligible += t.rotation_eligible
        r.declared += t.rotated
        r.declared_backbone += t.rotated and _backbone(t)
    for m in moves:
        rows[m.to_school].moved_in += 1  # the teacher is in this year's roster there
        if m.from_school in rows:  # a school closed since has no row this year
            rows[m.from_school].moved_out += 1
    return [rows[code] for code in sorted(rows)]
