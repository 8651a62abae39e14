"""Plan settings: the shipped defaults, a user's partial file merged over them, and
Chinese errors that name the file and the key."""

from __future__ import annotations

import pytest
import yaml

from junheng.core.errors import PlanSettingsError
from junheng.core.facts import BackboneLevel, Degree, RoomType
from junheng.planner.settings import default_settings, default_settings_text, load_plan_settings


def test_the_defaults_are_realistic_and_documented():
    s = default_settings()
    assert s.costs.transfer == 8000 and s.costs.teaching_area == 3500 and s.costs.sports_area == 650
    assert s.costs.equipment == 1 and s.costs.multimedia_room == 60000
    assert s.costs.room_build[RoomType.MUSIC] == 400000 and s.costs.room_refit[RoomType.ART] == 100000
    kinds = {h.key: h for h in s.hires}
    assert kinds["backbone"].backbone_level is BackboneLevel.COUNTY and kinds["backbone"].cost == 180000
    assert all(h.degree is Degree.BACHELOR for h in s.hires)
    assert s.limits.budget is None and s.solver.time_limit == 60
    text = default_settings_text()
    # every top-level section and every cost carries a Chinese comment
    for key in ("costs:", "hires:", "limits:", "steps:", "goals:", "solver:", "transfer:", "teaching_area:"):
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(key))
        index = text.splitlines().index(line)
        above = text.splitlines()[index - 1]
        assert "#" in line or above.strip().startswith("#"), key


def test_a_user_file_changes_only_what_it_lists(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("costs:\n  transfer: 12000\n  room_build: {music: 500000}\nlimits:\n  budget: 3000000\n",
                    encoding="utf-8")
    s = load_plan_settings(path)
    assert s.costs.transfer == 12000 and s.costs.teaching_area == 3500  # the rest stays
    assert s.costs.room_build == {RoomType.MUSIC: 500000, RoomType.ART: 400000}
    assert s.limits.budget == 3000000 and len(s.hires) == 3


def test_null_switches_an_action_off(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("costs:\n  transfer: null\n", encoding="utf-8")
    assert load_plan_settings(path).costs.transfer is None


def test_the_written_defaults_load_back_unchanged(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(default_settings_text(), encoding="utf-8")
    assert load_plan_settings(path) == default_settings()


@pytest.mark.parametrize(("text", "message"), [
    ("costs:\n  transfer: -5\n", "方案设置文件 s.yaml 的 costs.transfer 有误：不能小于 0（值：-5）"),
    ("costs:\n  transfr: 5\n", "方案设置文件 s.yaml 的 costs.transfr 有误：不认识的项目（值：5）"),
    ("solver:\n  time_limit: 很快\n", "方案设置文件 s.yaml 的 solver.time_limit 有误：应为数值（值：'很快'）"),
    ("hires:\n  - {key: a, name: 甲, cost: 1, degree: bachelor, subject: 语文}\n"
     "  - {key: a, name: 乙, cost: 2, degree: doctor, subject: 语文}\n",
     "方案设置文件 s.yaml 的 hires.1.degree 有误：应为以下之一：'postgraduate', 'bachelor', 'college' or "
     "'high_school_or_below'（值：'doctor'）"),
    ("hires:\n  - {key: a, name: 甲, cost: 1, degree: bachelor, subject: 语文}\n"
     "  - {key: a, name: 乙, cost: 2, degree: bachelor, subject: 语文}\n",
     "方案设置文件 s.yaml 的 hires 有误：新聘教师类别的 key 重复：a"),
    ("costs: [1, 2]\n", "方案设置文件 s.yaml 的 costs 有误"),
    ("- 1\n", "方案设置文件 s.yaml 应为“项目: 值”的映射"),
    ("costs:\n  transfer: [\n", "方案设置文件 s.yaml 第 "),
])
def test_errors_name_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanSettingsError) as err:
        load_plan_settings(path)
    assert err.value.message.startswith(message), err.value.message
    assert err.value.exit_code == 2


def test_a_missing_file(tmp_path):
    with pytest.raises(PlanSettingsError, match="找不到方案设置文件"):
        load_plan_settings(tmp_path / "nope.yaml")


def test_budget_and_time_limit_overrides():
    s = default_settings().with_budget(1e6).with_time_limit(5)
    assert s.limits.budget == 1e6 and s.solver.time_limit == 5
    assert default_settings().limits.budget is None  # the defaults are not changed


def test_the_shipped_file_is_plain_yaml():
    assert set(yaml.safe_load(default_settings_text())) == {"costs", "hires", "limits", "steps", "goals", "solver"}


def test_subject_matching_is_a_rule_by_default_and_reads_older_files(tmp_path):
    s = default_settings()
    assert s.limits.match_subjects == "required" and s.costs.post_fill == 120000
    path = tmp_path / "s.yaml"
    for written, read in (("true", "required"), ("false", "off"), ("preferred", "preferred"), ("off", "off")):
        path.write_text(f"limits:\n  match_subjects: {written}\n", encoding="utf-8")
        assert load_plan_settings(path).limits.match_subjects == read
    path.write_text("limits:\n  match_subjects: 必须\n", encoding="utf-8")
    with pytest.raises(PlanSettingsError) as err:
        load_plan_settings(path)
    assert "limits.match_subjects" in str(err.value) and "应为以下之一" in str(err.value) and "必须" in str(err.value)
    path.write_text("costs:\n  post_fill: null\n", encoding="utf-8")
    assert load_plan_settings(path).costs.post_fill is None
