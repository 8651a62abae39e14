"""The indexed where clauses of quantities (TableIndex.matching) select exactly the rows,
in exactly the order, that testing the clause on every row selects — also with the
awkward values a hand-typed workbook can carry (1, 1.0, True and "1" in one column,
blanks, fields only in ``extra``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.core.facts import BackboneLevel, County, CountyData, Degree, Stage, Teacher
from junheng.core.quantity import (
    QContext,
    TableIndex,
    _indexed_where,
    compile_quantity,
    compile_where,
)
from tests.core.builders import school

SCHOOLS = [school("3504040001"), school("3504040002"), school("3504040003"), school("3504040009")]

WHERES = [
    None,
    {"subject": {"contains_any": ["体育", "1"]}},
    {"subject": ["1", "体育"]},
    {"subject": {"not_in": ["语文"]}, "training_hours_5y": {"<": 360}},
    {"training_hours_5y": {">=": 360}},
    {"training_hours_5y": {">=": 360, "<": 1000}},
    {"rotated": True},
    {"rotated": [1]},
    {"degree": ["postgraduate", "bachelor"]},
    {"rotated": True, "backbone_level": ["county", "city"]},
    {"movable": True},
    {"movable": True, "rotated": True},
    {"subject": {"contains_any": ["True"]}, "rotated": True},
]

subjects = st.sampled_from(["体育", "音乐", "语文", "体育与健康", "1", 1, 1.0, True, None, ""])
hours = st.sampled_from([None, 0, 100, 359.5, 360, 360.0, True, 400, 1000])
flags = st.sampled_from([True, False, 1, 0, 1.0, None])
extras = st.one_of(st.just({}), st.fixed_dictionaries({"movable": flags}))


@st.composite
def teacher_rows(draw) -> list[Teacher]:
    n = draw(st.integers(0, 40))
    out = []
    for i in range(n):
        out.append(Teacher(
            teacher_id=f"T{i:05d}",
            school_code=draw(st.sampled_from([s.code for s in SCHOOLS[:3]])),
            stage=draw(st.sampled_from([Stage.PRIMARY, Stage.JUNIOR, None])),
            degree=draw(st.sampled_from([*Degree, "bachelor", None])),
            backbone_level=draw(st.sampled_from([*BackboneLevel, "city", None])),
            subject=draw(subjects),
            certified=draw(flags),
            training_hours_5y=draw(hours),
            rotation_eligible=draw(flags),
            rotated=draw(flags),
            row=i + 4,
            extra=draw(extras),
        ))
    return out


def _county(rows: list[Teacher]) -> CountyData:
    return CountyData(county=County("350404", "测试县", 2025), schools=SCHOOLS, teachers=rows)


@given(teacher_rows(), st.lists(st.sampled_from(range(len(WHERES))), min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_matching_equals_testing_every_row(rows, picks):
    index = TableIndex(_county(rows))
    for k in picks:  # several clauses in a row: their cached verdicts must not leak
        spec = WHERES[k]
        where = _indexed_where(spec, "where")
        plain = compile_where(spec, "where")
        for s in [None, *SCHOOLS]:
            for stage in (None, Stage.PRIMARY, Stage.JUNIOR):
                expected = [r for r in index.rows("teachers", s, stage) if plain(r)]
                got = index.matching("teachers", where, s, stage)
                assert [id(r) for r in got] == [id(r) for r in expected], (spec, s and s.code, stage)


def test_contains_any_tells_one_from_true():
    """str(1) contains "1", str(True) does not: a cache keyed by value would mix them."""
    rows = [
        Teacher("T1", "3504040001", Stage.PRIMARY, Degree.BACHELOR, BackboneLevel.NONE, True, True, 0, False, False, row=4),
        Teacher("T2", "3504040001", Stage.PRIMARY, Degree.BACHELOR, BackboneLevel.NONE, 1, True, 0, False, False, row=5),
        Teacher("T3", "3504040001", Stage.PRIMARY, Degree.BACHELOR, BackboneLevel.NONE, "体育1", True, 0, False, False, row=6),
    ]
    data = _county(rows)
    q = compile_quantity({"count": "teachers", "where": {"subject": {"contains_any": ["1"]}}}, "q")
    v = q(QContext(data, TableIndex(data), {}, SCHOOLS[0], Stage.PRIMARY))
    assert v.value == 2
    assert v.rows == {"教师": [5, 6]}
