"""Issue 15 §3: the path from baseline to target and each status rule, hand-checked."""

from __future__ import annotations

import pytest

from junheng.analysis.progress import ACHIEVED, BEHIND, MISSED, NO_DATA, ON_TRACK, Target, standing

# 骨干教师占比 from 20 % (2023) to 26 % (2026): expected 22 % in 2024, 24 % in 2025.
UP = Target("backbone_share", "全县", 0.26, 2026, 2023, 0.20)
# 大班额比例 from 9 % (2023) to 0 (2026): expected 6 % in 2024, 3 % in 2025.
DOWN = Target("large_class_share", "全县", 0.0, 2026, 2023, 0.09)


def test_linear_path():
    assert UP.expected(2023) == pytest.approx(0.20)
    assert UP.expected(2022) is None
    assert UP.expected(2024) == pytest.approx(0.22)
    assert UP.expected(2025) == pytest.approx(0.24)
    assert UP.expected(2027) == pytest.approx(0.26)
    assert DOWN.expected(2025) == pytest.approx(0.03)


def test_milestones_bend_the_path():
    t = Target("backbone_share", "全县", 0.26, 2026, 2023, 0.20, {2024: 0.25})
    assert t.expected(2024) == pytest.approx(0.25)
    assert t.expected(2025) == pytest.approx(0.255)  # halfway from 25 % (2024) to 26 % (2026)


@pytest.mark.parametrize(("target", "direction", "year", "actual", "status", "gap", "behind"), [
    (UP, "higher", 2025, 0.26, ACHIEVED, 0.0, None),           # reached before the year
    (UP, "higher", 2025, 0.245, ON_TRACK, 0.015, -0.005),       # above the 24 % expected
    (UP, "higher", 2025, 0.24, ON_TRACK, 0.02, 0.0),            # exactly on the path
    (UP, "higher", 2025, 0.23, BEHIND, 0.03, 0.01),             # 1 point under the path
    (UP, "higher", 2026, 0.25, MISSED, 0.01, 0.01),             # target year, not reached
    (UP, "higher", 2027, 0.25, MISSED, 0.01, 0.01),             # after the target year
    (UP, "higher", 2025, None, NO_DATA, None, None),
    (DOWN, "lower", 2025, 0.02, ON_TRACK, 0.02, -0.01),         # lower is better: 2 % < 3 % expected
    (DOWN, "lower", 2025, 0.05, BEHIND, 0.05, 0.02),
    (DOWN, "lower", 2024, 0.0, ACHIEVED, 0.0, None),
    (DOWN, "lower", 2026, 0.01, MISSED, 0.01, 0.01),
])
def test_status_rules(target, direction, year, actual, status, gap, behind):
    s = standing(target, direction, year, actual)
    assert s.status == status
    assert s.gap == (None if gap is None else pytest.approx(gap))
    assert s.behind == (None if behind is None else pytest.approx(behind))


def test_a_neutral_measure_takes_the_targets_side_of_the_baseline():
    fewer = Target("schools", "全县", 40, 2026, 2023, 50)  # 撤并 to 40 schools
    assert standing(fewer, "neutral", 2025, 42).status == ON_TRACK  # expected 43.3
    assert standing(fewer, "neutral", 2025, 48).status == BEHIND
    assert standing(fewer, "neutral", 2025, 39).status == ACHIEVED


def test_without_a_baseline_only_milestones_and_the_target_make_the_path():
    t = Target("rotation_share", "全县", 0.15, 2026, None, None, {2025: 0.12})
    assert t.expected(2024) is None
    assert standing(t, "higher", 2024, 0.05).status == ON_TRACK  # nothing to be behind yet
    assert standing(t, "higher", 2025, 0.11).status == BEHIND
