"""The sample county's 学生健康 sheet: one row per school with students, values near the
national figures (体质健康达标率约 90 %、优良率约 50 %；近视率 小学约 35 %、初中约 70 %),
a few schools short of the 体育 and 劳动 lessons and of a 专职 心理健康教育教师, and the
years improving slowly as a county's programme would.

Each school's level comes from its code and each year's noise from (code, year), both
from their own random streams: the rest of a sample stays exactly as it was, and one
school's figures move gently from year to year.
"""

from __future__ import annotations

import random

from junheng.core.facts import CountyData, SchoolType, UrbanRural
from junheng.core.health import SchoolHealth

BASE_YEAR = 2022  # the trends count from here


def _pct(x: float) -> float:
    return min(0.995, max(0.0, x))


def generate_health(data: CountyData) -> list[SchoolHealth]:
    year = data.county.school_year
    step = max(0, year - BASE_YEAR)
    rows = []
    for s in data.schools:
        if s.school_type is SchoolType.SPECIAL or s.compulsory_students <= 0:
            continue
        level = random.Random(f"junheng-sample-health:{s.code}")
        noise = random.Random(f"junheng-sample-health:{s.code}:{year}")
        rural = s.urban_rural is UrbanRural.RURAL
        pass_base = level.uniform(0.86, 0.95) - (0.02 if rural else 0)
        good_base = level.uniform(0.40, 0.58) - (0.05 if rural else 0)
        myopia_p, myopia_j = level.uniform(0.28, 0.42), level.uniform(0.62, 0.78)
        pe_slack, labour_slack, psych_slack = level.random(), level.random(), level.random()
        rate_only = level.random() < 0.06  # a school whose report gives only rates
        n = s.compulsory_students
        tested = n - round(n * noise.uniform(0.0, 0.02))  # 免测 and absent pupils
        passed = round(tested * _pct(pass_base + 0.006 * step + noise.uniform(-0.01, 0.01)))
        good = min(passed, round(tested * _pct(good_base + 0.012 * step + noise.uniform(-0.015, 0.015))))
        row = SchoolHealth(s.code, fitness_tested=tested)
        if rate_only and tested:
            row.fitness_pass_pct = round(100 * passed / tested, 1)
            row.fitness_good_pct = round(100 * good / tested, 1)
        else:
            row.fitness_passed, row.fitness_good = passed, good
        if s.primary_students:
            row.screened_primary = s.primary_students - round(s.primary_students * noise.uniform(0, 0.01))
            myopic = round(row.screened_primary * _pct(myopia_p - 0.005 * step + noise.uniform(-0.01, 0.01)))
            if rate_only and row.screened_primary:
                row.myopia_primary_pct = round(100 * myopic / row.screened_primary, 1)
            else:
                row.myopia_primary = myopic
            row.pe_hours_lower = 4.0 if pe_slack > 0.16 - 0.025 * step else 3.0
            row.pe_hours_upper = 3.0
            row.labour_hours_primary = 1.0 if labour_slack > 0.12 - 0.02 * step else 0.5
        if s.junior_students:
            row.screened_junior = s.junior_students - round(s.junior_students * noise.uniform(0, 0.01))
            myopic = round(row.screened_junior * _pct(myopia_j - 0.005 * step + noise.uniform(-0.01, 0.01)))
            if rate_only and row.screened_junior:
                row.myopia_junior_pct = round(100 * myopic / row.screened_junior, 1)
            else:
                row.myopia_junior = myopic
            row.pe_hours_junior = 3.0 if pe_slack > 0.12 - 0.025 * step else 2.0
            row.labour_hours_junior = 1.0 if labour_slack > 0.12 - 0.02 * step else 0.5
        # 专职 teachers: schools of 1,000+ pupils first; each year a few smaller schools hire one.
        threshold = max(300, 1000 - 150 * step - round(500 * psych_slack))
        full = (1 if n >= threshold else 0) + (1 if n >= 2500 else 0)
        if s.school_type is SchoolType.TEACHING_POINT:
            full = 0
        row.psych_full_time = full
        row.psych_part_time = 0 if full >= 2 else (1 if n < 800 else 2)
        rows.append(row)
    return rows
