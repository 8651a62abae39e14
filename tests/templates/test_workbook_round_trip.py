"""generate → write → read: zero issues and the same data (the writer and the importer
agree on every sheet, header, label, unit and type). Random sizes and seeds, and the
blank template, are covered in tests/intake/test_roundtrip.py."""

from __future__ import annotations

import dataclasses

import pytest

from junheng.intake import read_county_workbook
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data, evaluate_workbook
from junheng.templates.writer import write_county_workbook

TABLES = ("schools", "teachers", "classes", "rooms")


def _without_rows(records):
    return [dataclasses.replace(r, row=0) for r in records]


def assert_same_data(read, written):
    assert read.county == written.county
    for table in TABLES:
        assert _without_rows(getattr(read, table)) == _without_rows(getattr(written, table)), table
    assert read.facts == written.facts
    assert {k: type(v) for k, v in read.facts.items()} == {k: type(v) for k, v in written.facts.items()}


def test_default_sample_round_trips_without_any_issue(tmp_path):
    data = generate_county()
    path = write_county_workbook(data, tmp_path / "sample.xlsx")
    result = read_county_workbook(path)
    assert result.report.issues == []
    assert_same_data(result.data, data)
    # rows point at the written sheet rows
    assert [s.row for s in result.data.schools] == list(range(2, len(data.schools) + 2))


def test_the_workbook_evaluates_like_the_data(tmp_path):
    data = generate_county(schools=30, seed=4)
    path = write_county_workbook(data, tmp_path / "eval.xlsx")
    from_file, report = evaluate_workbook(path)
    direct = evaluate_data(data)
    assert not report.has_errors
    assert from_file.recognised is direct.recognised is False
    assert {k: i.passed for k, i in from_file.items.items()} == {k: i.passed for k, i in direct.items.items()}
    assert [(s.school_code, s.stage, s.met, s.passed) for s in from_file.schools] == [
        (s.school_code, s.stage, s.met, s.passed) for s in direct.schools
    ]
    for stage, results in direct.dispersion.items():
        for key, result in results.items():
            assert from_file.dispersion[stage][key].cv == pytest.approx(result.cv, rel=1e-12)


def test_leading_zeros_and_odd_text_survive_the_importer(tmp_path):
    from tests.templates.test_template_writer import _tiny_county

    data = _tiny_county()
    path = write_county_workbook(data, tmp_path / "tiny.xlsx")
    result = read_county_workbook(path)
    assert result.report.issues == []
    read = result.data
    assert read.county.code == "010101"
    assert read.schools[0].code == "0012345678"
    assert read.teachers[0].teacher_id == "007"
    assert read.schools[0].name == data.schools[0].name.strip()  # the importer trims text
    assert read.schools[0].group == "=SUM(A1)"  # never turned into a formula
    read.schools[0].name = data.schools[0].name
    assert_same_data(read, data)
