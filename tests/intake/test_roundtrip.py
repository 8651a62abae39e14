"""Sample county → canonical workbook writer → importer gives the same data, no issues."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.intake import read_county_workbook
from junheng.samples import generate_county
from junheng.templates.writer import write_county_workbook


def without_rows(records):
    return [dataclasses.replace(r, row=0) for r in records]


def assert_round_trip(schools: int, seed: int, directory: Path) -> None:
    data = generate_county(schools=schools, seed=seed)
    path = write_county_workbook(data, directory / "sample.xlsx")
    result = read_county_workbook(path)
    assert result.report.flattened() == []
    back = result.data
    assert back.county == data.county
    assert back.facts == data.facts
    for table in ("schools", "teachers", "classes", "rooms"):
        assert without_rows(getattr(back, table)) == without_rows(getattr(data, table)), table
        rows = [r.row for r in getattr(back, table)]
        assert rows == list(range(2, 2 + len(rows))), table
    assert back.source == "sample.xlsx"
    assert set(back.fact_refs) == set(data.facts) | {
        "county_code", "county_name", "city", "province", "school_year", "basic_balance_year"
    }


def test_sample_county_round_trips(tmp_path):
    assert_round_trip(40, 2025, tmp_path)


@given(schools=st.integers(1, 12), seed=st.integers(0, 10_000))
@settings(max_examples=8, deadline=None)
def test_any_small_sample_round_trips(schools, seed):
    with tempfile.TemporaryDirectory() as tmp:
        assert_round_trip(schools, seed, Path(tmp))


def test_blank_template_reads_as_an_empty_county(tmp_path):
    path = write_county_workbook(None, tmp_path / "blank.xlsx")
    result = read_county_workbook(path)
    assert result.data is None
    # The template lists the 基本信息 items with empty values: the required ones are
    # reported at their cells; empty tables are reported once each.
    assert result.report.flattened() == [
        ("基本信息", 2, "B", "value-required"),
        ("基本信息", 3, "B", "value-required"),
        ("基本信息", 6, "B", "value-required"),
        ("学校", None, None, "sheet-no-rows"),
        ("教师", None, None, "sheet-no-rows"),
        ("班级", None, None, "sheet-no-rows"),
        ("专用教室", None, None, "sheet-no-rows"),
    ]
    assert result.report.issues[0].message == "基本信息 第2行 B列「县区代码」不能为空"
