"""Progress against the bureau's own targets (issue 15 §3): the path from baseline to
target, the value expected by a year on it, and the status of a target in a year.

Pure. Values are in the fact sheet's scale (a share is a fraction: 0.25 is 25 %).

The path runs through (基线学年, 基线值), each 分年度目标 (year, value) and (目标年份,
目标值), straight between neighbouring points (linear when no milestone is given).

Status of a target in year Y with actual value a (direction: higher or lower is better;
for a neutral measure, the side of the baseline the target lies on):

- 无数据: no value for Y (the reason is said);
- 已达成: a reaches the target (≥ for higher, ≤ for lower);
- 未达成: not reached and Y is the target year or later;
- 按期推进: a reaches the value expected on the path in Y;
- 滞后: a falls short of the value expected in Y (or, with no path point at or
  before Y to start from, no more can be said: 按期推进 is not claimed, the status is
  滞后 only when a is worse than the baseline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACHIEVED, ON_TRACK, BEHIND, MISSED, NO_DATA = "已达成", "按期推进", "滞后", "未达成", "无数据"
STATUSES = (ACHIEVED, ON_TRACK, BEHIND, MISSED, NO_DATA)


@dataclass(frozen=True, slots=True)
class Target:
    measure: str
    scope: str
    target: float
    target_year: int
    baseline_year: int | None = None
    baseline: float | None = None
    milestones: dict[int, float] = field(default_factory=dict)
    basis: str | None = None  # 依据
    department: str | None = None  # 责任科室
    note: str | None = None
    baseline_from_data: bool = False
    row: int = 0

    def path(self) -> list[tuple[int, float]]:
        points: dict[int, float] = {}
        if self.baseline_year is not None and self.baseline is not None:
            points[self.baseline_year] = self.baseline
        points.update({y: v for y, v in self.milestones.items()})
        points[self.target_year] = self.target
        return sorted(points.items())

    def expected(self, year: int) -> float | None:
        """The value on the path in ``year`` (None before its first point)."""
        pts = self.path()
        if year >= pts[-1][0]:
            return pts[-1][1]
        if year < pts[0][0]:
            return None
        for (y0, v0), (y1, v1) in zip(pts, pts[1:], strict=False):
            if y0 <= year <= y1:
                return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
        return None  # pragma: no cover - the points cover [first, last]

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "scope": self.scope, "baseline_year": self.baseline_year,
                "baseline": self.baseline, "baseline_from_data": self.baseline_from_data, "target": self.target,
                "target_year": self.target_year, "milestones": {str(y): v for y, v in sorted(self.milestones.items())},
                "basis": self.basis, "department": self.department, "note": self.note}


def better_is_higher(direction: str, target: Target) -> bool:
    if direction == "higher":
        return True
    if direction == "lower":
        return False
    return target.baseline is None or target.target >= target.baseline


@dataclass(frozen=True, slots=True)
class Standing:
    status: str
    expected: float | None
    gap: float | None  # still to go to the target, in the measure's unit (≤ 0: reached)
    behind: float | None  # short of the expected value (> 0 only when 滞后)


def standing(target: Target, direction: str, year: int, actual: float | None,
             shown: Callable[[float], float] | None = None) -> Standing:
    """``shown``: the rounding every output prints with; the expected value is compared as
    printed, like the actual value and the target the caller passes in rounded."""
    higher = better_is_higher(direction, target)
    expected = target.expected(year)
    if expected is not None and shown is not None:
        expected = shown(expected)
    if actual is None:
        return Standing(NO_DATA, expected, None, None)
    sign = 1.0 if higher else -1.0
    gap = (target.target - actual) * sign
    behind = None if expected is None else (expected - actual) * sign
    if gap <= _EPS * max(1.0, abs(target.target)):
        return Standing(ACHIEVED, expected, gap, None)
    if year >= target.target_year:
        return Standing(MISSED, expected, gap, behind)
    if behind is None:
        worse = target.baseline is not None and (target.baseline - actual) * sign > 0
        return Standing(BEHIND if worse else ON_TRACK, expected, gap, None)
    if behind <= _EPS * max(1.0, abs(expected or 0.0)):
        return Standing(ON_TRACK, expected, gap, behind)
    return Standing(BEHIND, expected, gap, behind)


# Figures are stored unrounded; a value equal to the target up to float noise has reached it.
_EPS = 1e-9
