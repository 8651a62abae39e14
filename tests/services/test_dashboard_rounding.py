"""The dashboard's charts round as every other output does (reports.numbers: half-up)."""

from __future__ import annotations

from junheng.services.dashboard import chart_data


def test_chart_figures_round_half_up_like_the_reports():
    view = {
        "indicators": [],
        "dispersion": [{"stage_zh": "小学", "limit": 0.5, "indicators": [
            {"id": "I1", "cv": 0.0445, "passed": True},  # Python's round() gives 0.044
            {"id": "I2", "cv": None, "passed": None},
        ]}],
        "trend": [
            {"school_year": 2024, "schools_passed": 1, "schools_total": 16, "failing_items": 2, "recognised": False},
            {"school_year": 2025, "schools_passed": 0, "schools_total": 0, "failing_items": 0, "recognised": False},
        ],
    }
    data = chart_data(view)
    assert [v["cv"] for v in data["cv"]["stages"][0]["values"]] == [0.045, None]
    assert data["cv"]["labels"] == ["I1", "I2"]
    assert data["trend"]["pass_rate"] == [6.3, None]  # 6.25 %: round() would say 6.2
