"""The default sample county through the real engine: not recognised, for visible reasons."""

from __future__ import annotations

import pytest

from junheng.core.facts import Stage
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_data(generate_county())


def test_default_sample_is_not_recognised_for_clear_reasons(evaluation):
    assert evaluation.recognised is False
    dims = {k: d.passed for k, d in evaluation.dimensions.items()}
    assert dims["resource"] is False and dims["guarantee"] is False
    assert all(passed for k, passed in dims.items() if k not in ("resource", "guarantee"))
    failing = {i.item_id for i in evaluation.items.values() if i.passed is False}
    assert failing == {"G3", "G5", "G11", "G14"}
    assert all(i.evaluable for i in evaluation.items.values())


def test_some_schools_fail_some_pass_by_the_85_percent_clause(evaluation):
    parts = evaluation.schools
    failing = [p for p in parts if not p.passed]
    rescued = [p for p in parts if p.passed and p.met == 6]
    assert 1 <= len(failing) < len(parts) // 4
    assert len(rescued) >= 1
    for p in rescued:
        (short,) = [r for r in p.indicators.values() if not r.met]
        assert 0.85 <= short.ratio < 1


def test_music_and_art_rooms_fail_in_two_schools(evaluation):
    g3 = evaluation.items["G3"]
    assert len(g3.failures) == 2


def test_difference_coefficients_pass(evaluation):
    for stage, limit in ((Stage.PRIMARY, 0.5), (Stage.JUNIOR, 0.45)):
        for result in evaluation.dispersion[stage].values():
            assert result.cv is not None and 0 < result.cv <= limit


def test_excluded_schools_are_the_special_school_and_small_teaching_points(evaluation):
    assert len(evaluation.excluded) >= 2
    assert any("特殊教育" in x.reason for x in evaluation.excluded)
    assert any("不足 50 人" in x.reason for x in evaluation.excluded)
