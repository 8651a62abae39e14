"""Counties for report tests: a hand-checked three-school county and a generated one."""

from __future__ import annotations

import datetime as dt

from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard

from ..core.builders import county, good_primary

DATE = dt.date(2026, 3, 1)


def hand_county():
    """学校001 meets all seven (R1 6.00, R2 2.00, R3 1.00, R4 5.00, R5 8.00, R6 2500, R7 3.00);
    学校002 has R4 = 800 ㎡ / 200 = 4.00 < 4.5 but ≥ 3.825 (85 %): passes on 6/7;
    学校003 has R5 = 500 / 100 = 5.00 and R6 = 15 万元 / 100 = 1500 元: fails (5/7)."""
    data = county([
        good_primary("3504040001", 100),
        good_primary("3504040002", 200, teaching_area=800),
        good_primary("3504040003", 100, sports_area=500, equipment=15),
    ])
    return data


HAND_ROWS = [
    ["1", "学校001", "100", "6.00", "是", "2.00", "是", "1.00", "是", "5.00", "是", "8.00", "是",
     "2500", "是", "3.00", "是", "7/7", "是"],
    ["2", "学校002", "200", "6.00", "是", "1.50", "是", "1.00", "是", "4.00", "否", "8.00", "是",
     "2500", "是", "3.00", "是", "6/7", "是"],
    ["3", "学校003", "100", "6.00", "是", "2.00", "是", "1.00", "是", "5.00", "是", "5.00", "否",
     "1500", "否", "3.00", "是", "5/7", "否"],
]


def standard():
    return load_standard("yzjh-2017")


def generated(schools: int = 40, seed: int = 7, school_year: int = 2025):
    data = generate_county(schools=schools, seed=seed, school_year=school_year)
    return data, evaluate_data(data, standard())
