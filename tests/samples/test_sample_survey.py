"""The sample county's 社会认可度 survey (issue 16): `junheng sample --years` writes the
last year's answers of the seven groups; imported into a stored county-year and closed,
S1 takes the survey's value — checked by hand from the answers' counts."""

from __future__ import annotations

from collections import Counter

import openpyxl
import pytest

from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.survey_design import GROUP_BY_ZH, GROUPS, load_questionnaire
from junheng.core.engine import evaluate
from junheng.intake import read_county_workbook
from junheng.services.history import import_county_data, load
from junheng.services.survey import create_design, import_responses, satisfaction_source
from junheng.services.survey_status import set_survey_closed
from junheng.services.workbook import write_sample_years
from junheng.standards import load_standard
from junheng.storage.schema import open_database


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    write_sample_years(out, "2024-2025", schools=12)
    return out


def test_the_answers_cover_the_seven_groups_and_every_school_group_names_a_school(sample):
    ws = openpyxl.load_workbook(sample / "示例县-2025-社会认可度答卷.xlsx").worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("群体", "学校代码", "第1题")
    groups = Counter(r[0] for r in rows[1:])
    assert set(groups) == set(GROUPS.values())
    assert all(r[1] for r in rows[1:] if r[0] in ("学生", "家长", "教师", "校长"))
    assert not any(r[1] for r in rows[1:] if r[0] in ("人大代表", "政协委员", "其他群众"))


def test_s1_is_the_survey_result_computed_from_the_answers(sample, tmp_path):
    engine = open_database(url=f"sqlite:///{tmp_path / 'junheng.db'}")
    data = read_county_workbook(sample / "示例县-2025.xlsx").data
    import_county_data(engine, data, by="测试")
    create_design(engine, data, by="测试")
    answers = sample / "示例县-2025-社会认可度答卷.xlsx"
    outcome = import_responses(engine, "350404", 2025, answers, by="测试")
    assert outcome.problems == []
    set_survey_closed(engine, "350404", 2025, True, by="测试")

    # by hand: every respondent answers all the items of their group, so a group's 认可度
    # is its 满意/非常满意 answers ÷ its answers; overall, the seven groups weigh equally
    q = load_questionnaire()
    yes, all_ = Counter(), Counter()
    for row in list(openpyxl.load_workbook(answers).worksheets[0].iter_rows(values_only=True))[1:]:
        group = GROUP_BY_ZH[row[0]]
        given = [a for a in row[2:2 + len(q.items)] if a is not None]
        assert len(given) == len(q.items_for(group))
        yes[group] += sum(1 for a in given if a in (4, 5))
        all_[group] += len(given)
    assert outcome.imported == sum(all_[g] // len(q.items_for(g)) for g in all_)
    expected = sum(yes[g] / all_[g] for g in GROUPS) / len(GROUPS)
    assert 0.85 < expected < 0.95

    judged = load(engine, "350404", 2025)  # S1 from the closed survey
    assert judged.facts["satisfaction_pct"] == pytest.approx(expected * 100)
    assert satisfaction_source(judged).startswith("社会认可度调查结果（2025学年，有效问卷 ")
    ev = evaluate(judged, load_standard("yzjh-2017"))
    assert ev.items["S1"].value == pytest.approx(expected * 100)
    fs = build_factsheet(judged, ev)
    assert fs.value("satisfaction") == pytest.approx(expected)
    assert fs["satisfaction"].source.startswith("社会认可度调查（2025学年，有效问卷 ")
    assert fs.value("survey.valid") == outcome.imported
    engine.dispose()
