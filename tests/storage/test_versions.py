"""Re-importing replaces the current version, keeps the old one and shows what changed."""

from __future__ import annotations

import pytest

from junheng.core.changes import FieldChange
from junheng.core.errors import NotFoundError
from junheng.services.history import diff_versions, import_county_data, load, versions

from .counties import small_county, teacher


def test_reimport_makes_a_new_version_and_keeps_the_old(engine):
    v1 = small_county(schools=3)
    import_county_data(engine, v1, by="王", file_name="v1.xlsx", file_hash="1" * 64)
    v2 = small_county(schools=3)
    v2.schools[1].teaching_area = 999.5
    import_county_data(engine, v2, by="李", file_name="v2.xlsx", file_hash="2" * 64)
    got = versions(engine, "350404", 2024)
    assert [(v.version, v.is_current, v.imported_by, v.file_name) for v in got] == [
        (1, False, "王", "v1.xlsx"), (2, True, "李", "v2.xlsx")]
    assert got[0].file_hash == "1" * 64 and got[0].imported_at <= got[1].imported_at
    assert got[0].imported_at.tzinfo is not None
    assert load(engine, "350404", 2024) == v2
    assert load(engine, "350404", 2024, version=1) == v1


def test_the_same_file_again_stores_nothing(engine):
    import_county_data(engine, small_county(), by="a", file_hash="f" * 64)
    out = import_county_data(engine, small_county(), by="a", file_hash="f" * 64)
    assert out.unchanged and out.stored is None and out.previous.version == 1
    assert len(versions(engine, "350404", 2024)) == 1


def test_diff_school_by_school_field_by_field(engine):
    old = small_county(schools=3)
    import_county_data(engine, old, by="a")
    new = small_county(schools=3)
    s1, s2, s3 = new.schools
    s1.teaching_area = 1234.0
    s1.name = "实验小学"
    s1.extra = {"max_extra_area": 50}
    del new.schools[2]  # school 3 removed with its rows
    new.teachers = [t for t in new.teachers if t.school_code != s3.code]
    new.classes = [c for c in new.classes if c.school_code != s3.code]
    new.rooms = [r for r in new.rooms if r.school_code != s3.code]
    added = small_county(schools=4).schools[3]
    new.schools.append(added)
    new.teachers.append(teacher("NEW-1", added.code))
    new.teachers[0].degree = new.teachers[0].degree.__class__("postgraduate")
    new.facts["edu_spending"] = 60000
    del new.facts["layout_ok"]
    new.county.basic_balance_year = 2019
    import_county_data(engine, new, by="b")

    out = diff_versions(engine, "350404", 2024)
    assert (out.old.version, out.new.version) == (1, 2)
    d = out.diff
    assert d.county == [FieldChange("basic_balance_year", 2018, 2019)]
    assert FieldChange("edu_spending", 52000, 60000) in d.facts
    assert FieldChange("layout_ok", True, None) in d.facts
    by_code = {c.code: c for c in d.schools}
    assert set(by_code) == {s1.code, s3.code, added.code}
    assert by_code[s1.code].kind == "changed"
    assert by_code[s1.code].fields == [
        FieldChange("name", old.schools[0].name, "实验小学"),
        FieldChange("teaching_area", old.schools[0].teaching_area, 1234.0),
        FieldChange("extra.max_extra_area", None, 50),
    ]
    assert by_code[s3.code].kind == "removed"
    assert by_code[s3.code].counts["teachers"][1] == 0
    assert by_code[added.code].kind == "added" and by_code[added.code].counts["teachers"] == (0, 1)
    assert "NEW-1" in d.teachers.added
    assert len(d.teachers.removed) == sum(1 for t in old.teachers if t.school_code == s3.code)
    assert [c.key for c in d.teachers.changed[new.teachers[0].teacher_id]] == ["degree"]


def test_diff_between_years_and_errors(engine):
    import_county_data(engine, small_county(year=2023), by="a")
    nxt = small_county(year=2024)
    nxt.facts["satisfaction_pct"] = 95
    import_county_data(engine, nxt, by="a")
    out = diff_versions(engine, "350404", 2024, from_year=2023)
    assert out.old.school_year == 2023 and out.diff.facts == [FieldChange("satisfaction_pct", 90, 95)]
    assert out.diff.schools == []
    with pytest.raises(NotFoundError, match="只有第 1 版"):
        diff_versions(engine, "350404", 2024)
