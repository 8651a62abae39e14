"""The county-year fact sheet: hand-checked counts and shares, and docs/figures.md current."""

from __future__ import annotations

from pathlib import Path

from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.figure_catalogue import BY_ID, DEFINITIONS, markdown
from junheng.core.facts import Stage
from junheng.reports import numbers as fmt
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard

from ..core.builders import county, good_primary, teachers

DOCS = Path(__file__).resolve().parents[2] / "docs" / "figures.md"


def test_docs_figures_page_is_generated_from_the_definitions():
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/figures.md is out of date: python -m junheng.analysis.figure_catalogue > docs/figures.md")


def test_ids_are_unique_and_every_kind_has_places():
    assert len(BY_ID) == len(DEFINITIONS)
    assert {d.kind for d in DEFINITIONS} <= set(fmt.DEFAULT_PLACES)


def hand():
    """Two primary schools (100 + 200 students; 6 + 12 teachers, all eligible for rotation,
    1 + 3 rotated), 10 more primary teachers (all eligible, 1 rotated), and 5 高中 teachers
    who all rotated: not counted."""
    data = county([good_primary("3504040001", 100), good_primary("3504040002", 200)])
    data.teachers += teachers("3504040001", Stage.PRIMARY, 10, eligible=10, rotated=1)
    data.teachers += teachers("3504040002", Stage.SENIOR, 5, eligible=5, rotated=5)
    return data


def test_hand_county_counts_and_shares():
    data = hand()
    fs = build_factsheet(data, evaluate_data(data, load_standard("yzjh-2017")))
    assert fs.value("schools") == 2 and fs.value("students") == 300
    assert fs.value("teachers") == 6 + 12 + 10  # no 高中 teacher
    assert fmt.shown(fs["student_teacher_ratio"]) == "10.71"  # 300 / 28 = 10.714…
    assert (fs.value("rotated"), fs.value("rotation_eligible")) == (5, 28)
    assert fmt.shown(fs["rotation_share"]) == "17.9%"  # 5 / 28 = 17.857…
    assert fs["rotation_share"].numerator == 5 and fs["rotation_share"].denominator == 28


def test_afterschool_coverage_leaves_out_schools_that_did_not_say():
    """Three schools: one offers 课后服务, one does not, one left the cell blank:
    coverage 1 of the 2 that said (50.0%), participation over all three's students."""
    data = county([good_primary("3504040001", 100), good_primary("3504040002", 200),
                   good_primary("3504040003", 300)])
    data.schools[0].extra.update(afterschool=True, afterschool_students=80)
    data.schools[1].extra.update(afterschool=False)
    fs = build_factsheet(data, evaluate_data(data, load_standard("yzjh-2017")))
    cover = fs["afterschool_coverage"]
    assert (cover.numerator, cover.denominator, fmt.shown(cover)) == (1, 2, "50.0%")
    assert fmt.shown(fs["afterschool_share"]) == "13.3%"  # 80 / 600
