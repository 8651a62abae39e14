"""What is saved is what is loaded: every field, type, order and provenance."""

from __future__ import annotations

import pytest

from junheng.core.errors import NotFoundError
from junheng.services.history import import_county_data, load, versions
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection

from .counties import detailed_county, small_county


def test_round_trip_is_exact(engine):
    data = detailed_county()
    out = import_county_data(engine, data, by="张老师" * 60, file_name="很长的文件名" * 60 + ".xlsx",
                             file_hash="ab" * 32)
    assert out.stored.version == 1 and out.stored.is_current and out.previous is None
    back = load(engine, "350404", 2024)
    assert back == data
    # types survive, not only values (1 == 1.0 == True in Python)
    for key in ("an_int", "a_float", "a_true"):
        assert type(back.facts[key]) is type(data.facts[key])
    assert list(back.facts) == list(data.facts)
    assert back.schools[0].teaching_area == 0.1 + 0.2
    assert [t.teacher_id for t in back.teachers] == [t.teacher_id for t in data.teachers]


def test_round_trip_of_a_sample_sized_county(engine):
    data = small_county(schools=30, students=900)
    import_county_data(engine, data, by="x")
    assert load(engine, "350404", 2024) == data
    with read_connection(engine) as conn:
        info = repo.find_version(conn, "350404", 2024)
        snap = repo.load_snapshot(conn, info.id)
    assert snap.schools_total == 30 and snap.result["county_code"] == "350404"
    assert snap.summary["teachers"] == len(data.teachers)


def test_missing_county_year_is_a_chinese_not_found(engine):
    with pytest.raises(NotFoundError, match="没有县区 350404 2030 学年"):
        load(engine, "350404", 2030)
    with pytest.raises(NotFoundError):
        versions(engine, "350404", 2030)


def test_every_field_of_the_facts_has_a_column():
    """A field added to a core record must be stored too (this fails until it is)."""
    from dataclasses import fields

    from junheng.core.facts import County, CountyData, Room, School, SchoolClass, Teacher
    from junheng.storage.models import ClassRow, CountyYear, RoomRow, SchoolRow, TeacherRow

    def cols(model, renamed=None):
        names = {c.name for c in model.__table__.columns} - {"county_year_id", "seq"}
        return {(renamed or {}).get(n, n) for n in names}

    def names(cls):
        return {f.name for f in fields(cls)}

    assert names(School) == cols(SchoolRow, {"group_name": "group"})
    assert names(Teacher) == cols(TeacherRow)
    assert names(SchoolClass) == cols(ClassRow)
    assert names(Room) == cols(RoomRow)
    year = cols(CountyYear, {"county_code": "code", "county_name": "name", "city_name": "city",
                             "province_name": "province", "column_map": "columns"})
    assert names(County) <= year
    assert names(CountyData) - {"county", "schools", "teachers", "classes", "rooms", "facts"} <= year
