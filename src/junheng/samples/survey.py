"""A completed 社会认可度 survey of the sample county: one row per respondent of the
2017 method's seven groups (学生、家长、教师、校长、人大代表、政协委员、其他群众), as
the import of responses reads them (``junheng survey import``; intake.survey_responses).

Each school and group answers its share of the design (``analysis.survey_design``:
the same sample sizes ``junheng survey design`` gives for the county-year), every
item of its questionnaire answered. A group answers 认可 (满意 or 非常满意) with its own
probability, a little lower for 其他群众 than for 学生, as county surveys report; the
rest 一般, 不满意 or 非常不满意. The same seed gives the same answers."""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

from junheng.analysis.survey_design import (
    GROUPS,
    SCHOOL_GROUPS,
    Questionnaire,
    design_survey,
    load_questionnaire,
    load_survey_settings,
)
from junheng.core.facts import CountyData

# The chance that one answer is 满意 or 非常满意, by group.
APPROVAL = {"students": 0.94, "parents": 0.9, "teachers": 0.87, "principals": 0.93, "deputies": 0.91,
            "cppcc": 0.89, "public": 0.85}
SHEET = "答卷"

Response = tuple[str, str, dict[str, int]]  # (group, school code or "", item id → answer 1–5)


def sample_responses(data: CountyData, seed: int = 2025) -> list[Response]:
    """The answers of the design's sample, school by school and group by group."""
    settings, questionnaire = load_survey_settings(), load_questionnaire()
    design = design_survey(data, settings)
    rng = random.Random(f"junheng-sample-survey:{seed}:{data.county.code}:{data.county.school_year}")
    out: list[Response] = []
    for row in design.rows:
        items = questionnaire.items_for(row.group)
        for _ in range(row.sample):
            answers = {}
            for item in items:
                if rng.random() < APPROVAL[row.group]:
                    answers[item.id] = 5 if rng.random() < 0.55 else 4
                else:
                    answers[item.id] = rng.choice((3, 3, 3, 2, 1))
            out.append((row.group, row.school_code if row.group in SCHOOL_GROUPS else "", answers))
    return out


def write_sample_responses(data: CountyData, path: str | Path, seed: int = 2025) -> Path:
    """The responses as a workbook exported from a survey tool: 群体, 学校代码, 第1题 …"""
    questionnaire: Questionnaire = load_questionnaire()
    ids = [i.id for i in questionnaire.items]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["群体", "学校代码", *(f"第{n}题" for n in range(1, len(ids) + 1))])
    for group, school, answers in sample_responses(data, seed):
        ws.append([GROUPS[group], school or None, *(answers.get(i) for i in ids)])
    wb.save(path)
    return Path(path)


def sample_responses_path(out_dir: Path, year: int) -> Path:
    return out_dir / f"示例县-{year}-社会认可度答卷.xlsx"
