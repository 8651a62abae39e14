"""The JSON result: TEMPLATE.md's keys with their meanings, the evaluation's own
unrounded numbers, plain JSON types."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.reports.renderers.json import evaluation_to_dict, evaluation_to_json
from junheng.services.evaluation import evaluate_data

from ..core.builders import PASSING_FACTS, county, good_primary
from .counties import generated, hand_county, standard
from .results import generated_evaluation

TOP = {"standard", "county_code", "school_year", "recognised", "dimensions",
       "difference_coefficients", "schools", "items"}
SCHOOL = {"school_code", "stage", "students", "indicators", "met", "passed"}
REQUIRED_DIMENSIONS = {"resource", "guarantee", "quality", "social", "veto", "precondition"}
R = [f"R{i}" for i in range(1, 8)]


def check_shape(doc: dict) -> None:
    """TEMPLATE.md 'The evaluation result': names, types and value domains."""
    assert TOP <= doc.keys()
    assert isinstance(doc["standard"], str) and isinstance(doc["county_code"], str)
    assert type(doc["school_year"]) is int and type(doc["recognised"]) is bool
    assert REQUIRED_DIMENSIONS <= doc["dimensions"].keys()
    for dim in doc["dimensions"].values():
        assert dim["passed"] in (True, False, None)
    assert set(doc["difference_coefficients"]) <= {"primary", "junior"}
    for per in doc["difference_coefficients"].values():
        assert set(per) == set(R)
        assert all(v is None or type(v) is float for v in per.values())
    for s in doc["schools"]:
        assert SCHOOL <= s.keys()
        assert s["stage"] in ("primary", "junior") and type(s["students"]) is int
        assert set(s["indicators"]) == set(R)
        assert all(v is None or isinstance(v, (int, float)) for v in s["indicators"].values())
        assert type(s["met"]) is int and type(s["passed"]) is bool
    ids = set(doc["items"])
    assert {f"G{i}" for i in range(1, 16)} | {f"Q{i}" for i in range(1, 10)} | {"S1"} <= ids
    for item in doc["items"].values():
        assert item["passed"] in (True, False, None) and type(item["evaluable"]) is bool
        assert "value" in item


def test_hand_county_numbers_are_the_evaluations(hand_ev):
    doc = json.loads(evaluation_to_json(hand_ev))
    check_shape(doc)
    assert doc["standard"] == "yzjh-2017" and doc["county_code"] == "350404"
    assert doc["school_year"] == 2025 and doc["recognised"] is False
    assert doc["dimensions"]["resource"]["passed"] is False
    assert doc["dimensions"]["guarantee"]["passed"] is True
    by_code = {s["school_code"]: s for s in doc["schools"]}
    assert by_code["3504040002"]["indicators"]["R4"] == 4.0  # 800 ㎡ / 200
    assert by_code["3504040003"]["indicators"]["R6"] == 1500.0  # 15 万元 × 10000 / 100
    assert (by_code["3504040002"]["met"], by_code["3504040002"]["passed"]) == (6, True)
    assert (by_code["3504040003"]["met"], by_code["3504040003"]["passed"]) == (5, False)
    cv = doc["difference_coefficients"]["primary"]
    # Student-weighted by hand: R4 values 5, 4, 5 for 100, 200, 100 students:
    # mean 4.5, variance 0.25, CV 0.5 / 4.5; R2 2, 1.5, 2: CV 0.25 / 1.75.
    assert math.isclose(cv["R4"], 1 / 9, rel_tol=1e-12)
    assert math.isclose(cv["R2"], 1 / 7, rel_tol=1e-12)
    assert cv["R1"] == 0.0
    # Unrounded: the JSON carries the very float, not 0.111.
    assert cv["R4"] == hand_ev.dispersion[next(iter(hand_ev.dispersion))]["R4"].cv
    assert "junior" not in doc["difference_coefficients"]


def test_added_fields_explain_the_numbers(hand_ev):
    doc = evaluation_to_dict(hand_ev)
    school = next(s for s in doc["schools"] if s["school_code"] == "3504040002")
    r4 = school["indicator_details"]["R4"]
    assert (r4["numerator"], r4["denominator"], r4["threshold"], r4["met"]) == (800.0, 200, 4.5, False)
    assert r4["provenance"]["refs"][0]["sheet"] == "学校"
    assert doc["dispersion"]["primary"]["R4"]["limit"] == 0.5
    assert [(s["item_id"], s["school_code"], s["blocking"]) for s in doc["shortfalls"]] == [
        ("R4", "3504040002", False), ("R5", "3504040003", True), ("R6", "3504040003", True)]
    assert doc["items"]["S1"]["provenance"]["refs"][0]["header"] == "社会认可度（%）"
    assert doc["school_pass"]["floor_ratio"] == 0.85
    assert doc["settings"]["cv_weighting"] == "student_weighted"


def test_generated_county_matches_evaluation_everywhere():
    ev = generated_evaluation()
    doc = json.loads(evaluation_to_json(ev))
    check_shape(doc)
    assert len(doc["schools"]) == len(ev.schools)
    for s, part in zip(doc["schools"], ev.schools, strict=True):
        assert s["school_code"] == part.school_code and s["stage"] == part.stage.value
        assert s["indicators"] == {i: r.value for i, r in part.indicators.items()}
    for stage, per in ev.dispersion.items():
        assert doc["difference_coefficients"][stage.value] == {i: d.cv for i, d in per.items()}
    for item_id, item in ev.items.items():
        assert doc["items"][item_id]["passed"] == item.passed
    assert len(doc["excluded"]) == len(ev.excluded) > 0


def test_missing_data_is_null_not_a_guess():
    facts = dict(PASSING_FACTS)
    del facts["satisfaction_pct"]
    ev = evaluate_data(county([good_primary("3504040001", 100)], facts), standard())
    doc = json.loads(evaluation_to_json(ev))
    assert doc["items"]["S1"] == {**doc["items"]["S1"], "passed": None, "evaluable": False, "value": None}
    assert doc["dimensions"]["social"]["passed"] is None
    assert doc["recognised"] is False


def test_chinese_is_written_as_typed():
    text = evaluation_to_json(evaluate_data(hand_county(), standard()))
    assert "测试县" in text and "\\u" not in text


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), schools=st.integers(1, 12))
def test_any_county_gives_valid_json(seed, schools):
    _, ev = generated(schools=schools, seed=seed)
    doc = json.loads(evaluation_to_json(ev))  # allow_nan=False: no NaN or Infinity
    check_shape(doc)
    assert doc["recognised"] == ev.recognised
    assert sum(1 for s in doc["schools"] if not s["passed"]) == len(ev.failing_schools())
