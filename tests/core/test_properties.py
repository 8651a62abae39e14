"""Hypothesis properties of the weighted 差异系数."""

from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from junheng.core.dispersion import coefficient_of_variation

students = st.integers(min_value=1, max_value=3000)
# Real resources are 0 or at least a thousandth of a unit (no subnormal floats).
amounts = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e6))
county_st = st.lists(st.tuples(students, amounts), min_size=1, max_size=30)


def cv_of(pairs):
    p = [a for a, _ in pairs]
    x = [r / a for a, r in pairs]
    return coefficient_of_variation(x, p).cv


@given(county_st, st.floats(min_value=1e-3, max_value=1e4))
@settings(max_examples=200, deadline=None)
def test_scaling_every_resource_leaves_cv_unchanged(pairs, k):
    assume(sum(r for _, r in pairs) > 0)
    scaled = [(p, r * k) for p, r in pairs]
    assert math.isclose(cv_of(pairs), cv_of(scaled), rel_tol=1e-9, abs_tol=1e-12)


@given(st.lists(students, min_size=1, max_size=30), st.floats(min_value=0.01, max_value=1e4))
@settings(max_examples=200, deadline=None)
def test_cv_is_zero_when_every_school_has_the_same_ratio(ps, ratio):
    cv = coefficient_of_variation([ratio] * len(ps), ps).cv
    assert cv is not None and abs(cv) < 1e-12


@given(county_st, st.data())
@settings(max_examples=300, deadline=None)
def test_moving_resource_from_richer_to_poorer_never_raises_cv(pairs, data):
    """A transfer from a school with a higher ratio to one with a lower ratio that
    does not reverse their order (Pigou–Dalton) never raises the weighted CV."""
    assume(len(pairs) >= 2 and sum(r for _, r in pairs) > 0)
    i, j = data.draw(st.tuples(st.integers(0, len(pairs) - 1), st.integers(0, len(pairs) - 1)))
    assume(i != j)
    (pi, ri), (pj, rj) = pairs[i], pairs[j]
    xi, xj = ri / pi, rj / pj
    if xi < xj:
        i, j, pi, ri, pj, rj, xi, xj = j, i, pj, rj, pi, ri, xj, xi
    assume(xi > xj)
    # largest transfer keeping the order: equalise at the pooled ratio
    max_delta = (xi - xj) * pi * pj / (pi + pj)
    delta = data.draw(st.floats(min_value=0.0, max_value=1.0)) * max_delta
    after = list(pairs)
    after[i] = (pi, ri - delta)
    after[j] = (pj, rj + delta)
    assert cv_of(after) <= cv_of(pairs) + 1e-9


def test_unweighted_differs_from_weighted_on_unequal_sizes():
    x, p = [1.0, 3.0], [10, 1000]
    w = coefficient_of_variation(x, p).cv
    u = coefficient_of_variation(x, p, "unweighted_population").cv
    assert u == 0.5 and w < 0.1
