"""The 2022 curriculum file: the weekly table junheng derives must keep the programme's
own figures (weekly totals, 9522 periods, each group's range)."""

from __future__ import annotations

from importlib.resources import files

import pytest

from junheng.analysis.curriculum import load_curriculum, nine_year_hours, weekly_hours
from junheng.analysis.teacher_supply import grade_check
from junheng.core.errors import SupplySettingsError


def test_the_table_adds_up_to_the_programme_weekly_totals_and_9522_periods():
    c = load_curriculum()
    hours = weekly_hours(c, "table")
    assert grade_check(hours) == [26, 26, 30, 30, 30, 30, 34, 34, 34]
    assert sum(nine_year_hours(c, hours).values()) == c.programme.total_hours == 9522


@pytest.mark.parametrize("method", ["table", "midpoint"])
def test_every_group_falls_in_the_programme_range(method):
    c = load_curriculum()
    total = nine_year_hours(c, weekly_hours(c, method))
    for g in c.programme.groups:
        share = 100 * sum(total[s] for s in g.subjects) / c.programme.total_hours
        assert g.min - 1e-9 <= share <= g.max + 1e-9, (g.name, share)


def test_midpoint_gives_each_group_its_midpoint():
    c = load_curriculum()
    total = nine_year_hours(c, weekly_hours(c, "midpoint"))
    chinese = next(g for g in c.programme.groups if g.name == "语文")
    assert total["语文"] == pytest.approx(0.21 * 9522)
    assert chinese.min == 20 and chinese.max == 22
    # the midpoints of the ten ranges add up to 100 %
    assert sum(total.values()) == pytest.approx(9522)


def test_teacher_subjects_as_written_map_to_curriculum_subjects():
    c = load_curriculum()
    assert c.subject_for("英语") == "外语"
    assert c.subject_for(" 生物 ") == "生物学"
    assert c.subject_for("思想品德") == "道德与法治"
    assert c.subject_for("信息技术") == "信息科技"
    assert c.subject_for("心理健康") is None


def test_a_broken_curriculum_file_names_file_and_key(tmp_path):
    bad = tmp_path / "本省课时.yaml"
    text = files("junheng.analysis").joinpath("curriculum-2022.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("weekly: [7, 7, 7, 7, 6, 6, 5, 5, 6]", "weekly: [7, 7]"), encoding="utf-8")
    with pytest.raises(SupplySettingsError, match=r"本省课时.yaml 的 subjects\.1\.weekly"):
        load_curriculum(bad)
