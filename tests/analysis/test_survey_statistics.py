"""The survey's statistics, checked by hand (numbers worked out in the comments)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from junheng.analysis.survey import Response, compute_result, group_estimate, score
from junheng.analysis.survey_design import (
    allocate,
    codes_to_issue,
    load_questionnaire,
    load_survey_settings,
    sample_size,
)
from junheng.core.errors import StandardError

S = load_survey_settings()
Q = load_questionnaire()


def test_sample_size_with_finite_population_correction():
    # n0 = 1.959964² × 0.5 × 0.5 / 0.05² = 384.146; N = 1000: 384.146 / (1 + 383.146/1000) = 277.7 → 278
    assert sample_size(1000, S) == 278
    assert sample_size(None, S) == 385  # no correction: ceil(384.146)
    # N = 40: 384.146 / (1 + 383.146/40) = 36.3 → 37
    assert sample_size(40, S) == 37
    assert sample_size(3, S) == 3  # a small group is surveyed whole
    assert sample_size(0, S) == 0
    # ±3 points at 99 %: z = 2.575829; n0 = 2.575829² × 0.25 / 0.0009 = 1843.0; N = 5000 → 1346.6 → 1347
    tight = S.model_copy(update={"margin": 0.03, "confidence": 0.99})
    assert sample_size(5000, tight) == 1347


def test_codes_cover_the_expected_response_rate():
    assert codes_to_issue(278, 1000, S) == 348  # 278 / 0.8 = 347.5 → 348
    assert codes_to_issue(37, 40, S) == 40  # 46.25 → 47, but only 40 principals


def test_allocation_by_largest_remainder():
    assert allocate(10, {"a": 50, "b": 30, "c": 20}) == {"a": 5, "b": 3, "c": 2}
    # quotas 3.5, 2.1, 1.4 → 3, 2, 1 and the one left to the largest remainder (a)
    assert allocate(7, {"a": 50, "b": 30, "c": 20}) == {"a": 4, "b": 2, "c": 1}
    assert allocate(5, {"a": 2, "b": 1}) == {"a": 2, "b": 1}  # never more than a unit has


@given(st.integers(0, 2000), st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.integers(0, 500),
                                             min_size=1, max_size=8))
def test_allocation_adds_up_and_fits(total, sizes):
    out = allocate(total, sizes)
    assert sum(out.values()) == min(total, sum(sizes.values()))
    assert all(0 <= out[k] <= sizes[k] for k in sizes)


def test_a_respondent_scores_the_share_of_recognised_answers():
    items = [i.id for i in Q.items_for("students")]
    assert len(items) == 8  # the two fairness items are not asked of students
    answers = dict.fromkeys(items, 5) | {items[0]: 3, items[1]: 4}
    assert score(Response("students", answers), Q, S) == 7 / 8
    # 7 of 8 answered (≥ 80 %): valid, 6 of the 7 recognised
    assert score(Response("students", answers | {items[2]: None}), Q, S) == 6 / 7
    # 6 of 8 answered (75 % < 80 %): invalid
    assert score(Response("students", answers | {items[2]: None, items[3]: None}), Q, S) is None


def test_group_estimate_by_hand():
    # scores 1,1,1,0: mean 0.75; s² = (3 × 0.25² + 0.75²) / 3 = 0.25; Var = 0.25 / 4 = 0.0625
    assert group_estimate([1, 1, 1, 0], None) == (0.75, 0.0625)
    # N = 8: finite population correction 1 − 4/8 = 0.5 → 0.03125
    assert group_estimate([1, 1, 1, 0], 8) == (0.75, 0.03125)
    assert group_estimate([], 8) == (None, None)


def _all(group: str, value: int) -> dict[str, int | None]:
    return {i.id: value for i in Q.items_for(group)}


def test_overall_equal_weights_and_interval_by_hand():
    settings = S.model_copy(update={"groups": ("teachers", "principals")})
    # teachers answered on the web with codes; the principals' answers were imported
    responses = [Response("teachers", _all("teachers", 5), coded=True) for _ in range(3)]
    responses.append(Response("teachers", _all("teachers", 2), coded=True))
    responses += [Response("principals", _all("principals", 4)) for _ in range(2)]
    r = compute_result(responses, Q, settings, required={"teachers": 4, "principals": 3},
                       issued={"teachers": 5, "principals": 3})
    t, p = r.group("teachers"), r.group("principals")
    assert (t.share, t.variance) == (0.75, 0.0625)
    assert (p.share, p.variance) == (1.0, 0.0)
    # overall = ½ × 0.75 + ½ × 1 = 0.875; Var = ¼ × 0.0625 = 0.015625; half-width 1.959964 × 0.125 = 0.245
    assert r.share == pytest.approx(0.875)
    assert r.low == pytest.approx(0.875 - 0.2449955, abs=1e-6)
    assert r.high == 1.0  # clipped
    assert t.response_rate == 4 / 5 and not t.below_minimum
    assert p.response_rate == 0  # 3 codes issued, none used: the 2 imported answers do not count
    assert r.response_rate == 4 / 8
    assert p.below_minimum  # 2 valid of the 3 required
    assert [g.group for g in r.below_minimum] == ["principals"]


def test_population_weights_by_hand():
    settings = S.model_copy(update={"groups": ("teachers", "principals"), "weights": "population"})
    responses = [Response("teachers", _all("teachers", 5)) for _ in range(3)]
    responses += [Response("teachers", _all("teachers", 1)), Response("principals", _all("principals", 5))]
    r = compute_result(responses, Q, settings, required={}, populations={"teachers": 300, "principals": 100})
    # weights 300/400 and 100/400: 0.75 × 0.75 + 0.25 × 1 = 0.8125
    assert r.share == pytest.approx(0.8125)
    assert [g.weight for g in r.groups] == [0.75, 0.25]


def test_population_weights_need_every_population():
    settings = S.model_copy(update={"groups": ("teachers", "public"), "weights": "population"})
    responses = [Response("teachers", _all("teachers", 5)), Response("public", _all("public", 5))]
    with pytest.raises(ValueError, match="其他群众的总体人数"):
        compute_result(responses, Q, settings, required={}, populations={"teachers": 30, "public": None})


def test_a_group_without_answers_is_named_and_left_out():
    settings = S.model_copy(update={"groups": ("teachers", "public")})
    r = compute_result([Response("teachers", _all("teachers", 4))], Q, settings, required={"public": 385})
    assert r.share == 1.0 and r.group("public").share is None
    assert r.notes == ["其他群众没有有效问卷，未计入总体认可度"]


@given(st.lists(st.tuples(st.sampled_from(["teachers", "parents", "public"]), st.integers(1, 5)), max_size=60))
def test_overall_lies_between_the_groups(rows):
    responses = [Response(g, _all(g, v)) for g, v in rows]
    r = compute_result(responses, Q, S, required={})
    shares = [g.share for g in r.groups if g.share is not None]
    if shares:
        assert min(shares) - 1e-12 <= r.share <= max(shares) + 1e-12
        assert 0 <= r.low <= r.share <= r.high <= 1
    else:
        assert r.share is None


def test_a_broken_settings_file_names_its_key(tmp_path):
    bad = tmp_path / "设置.yaml"
    bad.write_text("margin: 0.7\n", encoding="utf-8")
    with pytest.raises(StandardError, match="margin"):
        load_survey_settings(bad)
    assert math.isclose(S.z, 1.959964, abs_tol=1e-6)


def test_every_school_with_a_share_gets_codes_for_it():
    from junheng.analysis.survey_design import design_survey
    from tests.web.conftest import HOME, SCHOOL_A, county_data

    design = design_survey(county_data(HOME, SCHOOL_A), S)
    for row in design.rows:
        assert row.codes >= row.sample
        assert row.codes == min(row.population, math.ceil(row.sample / 0.8 - 1e-9)) if row.population else True
    for g in design.groups:
        mine = [r for r in design.rows if r.group == g.group]
        assert g.sample == sum(r.sample for r in mine) and g.codes == sum(r.codes for r in mine)
