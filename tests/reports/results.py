"""Evaluations for the result renderers' tests: the hand-checked three-school county
(counties.hand_county) evaluated from a real workbook, so that provenance carries the
cells of the 学校 and 县级指标 sheets, and a generated county."""

from __future__ import annotations

import functools
from pathlib import Path

from junheng.services.evaluation import evaluate_workbook
from junheng.templates.writer import write_county_workbook

from .counties import generated, hand_county


def hand_evaluation(folder: Path):
    book = write_county_workbook(hand_county(), folder / "测试县.xlsx")
    ev, report = evaluate_workbook(book)
    assert ev is not None, [i.message for i in report]
    return ev


@functools.cache
def generated_evaluation(schools: int = 40, seed: int = 1):
    return generated(schools=schools, seed=seed)[1]
