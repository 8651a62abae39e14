"""Kindergartens by 办园性质 (the 自评报告's table and the web's 学前教育 page), hand-checked."""

from __future__ import annotations

from junheng.analysis.kindergartens import by_category
from junheng.core.facts import County, CountyData
from junheng.core.preschool import KindergartenCategory as C
from junheng.core.preschool import KindergartenClassType as T

from ..core.test_xqpp_2020 import kclasses, kcounty, kg


def test_rows_by_category_and_the_total():
    gardens = [kg("350404001", C.PUBLIC, 20, 25, 30, teachers=6, principals=1),
               kg("350404002", C.PUBLIC, 10, 0, 0, mixed=12, teachers=2, principals=1),
               kg("350404003", C.INCLUSIVE_PRIVATE, 15, 15, 15, teachers=4, principals=2)]
    classes = (kclasses("350404001", T.SMALL, 20) + kclasses("350404001", T.MIDDLE, 25)
               + kclasses("350404001", T.LARGE, 15, 15) + kclasses("350404002", T.MIXED, 22)
               + kclasses("350404003", T.SMALL, 15, 15, 15))
    rows = by_category(kcounty(gardens, classes))
    got = [(r.label, r.kindergartens, r.children, r.classes, r.teachers, r.principals) for r in rows]
    assert got == [("公办园", 2, 97, 5, 8, 2),  # 75 + 22 children; 4 + 1 classes
                   ("普惠性民办园", 1, 45, 3, 4, 2),
                   ("非普惠性民办园", 0, 0, 0, 0, 0),
                   ("合计", 3, 142, 8, 12, 4)]
    assert rows[0].class_size == 97 / 5 and rows[-1].children_per_teacher == 142 / 12
    assert rows[2].class_size is None and rows[2].children_per_teacher is None


def test_without_the_class_table_classes_are_unknown_and_without_kindergartens_nothing():
    rows = by_category(kcounty([kg("350404001", C.PRIVATE, 5, 5, 5, teachers=1)]))
    assert [r.classes for r in rows] == [None, None, None, None] and rows[-1].class_size is None
    assert rows[2].children == 15
    assert by_category(CountyData(County("350404", "测试县", 2025), schools=[])) is None
    assert by_category(kcounty([])) is None
