"""Small hand-made counties for storage tests (stable teacher ids across years)."""

from __future__ import annotations

from dataclasses import replace

from junheng.core.facts import (
    BackboneLevel,
    County,
    CountyData,
    Degree,
    Ref,
    SchoolClass,
    Stage,
    Teacher,
    TeacherTitle,
    UrbanRural,
)
from junheng.core.preschool import (
    Kindergarten,
    KindergartenCategory,
    KindergartenClass,
    KindergartenClassType,
)
from junheng.core.projects import Project, ProjectKind, ProjectStatus
from tests.core.builders import PASSING_FACTS, good_primary


def teacher(tid: str, school: str, *, backbone: bool = False, rotated: bool = False,
            eligible: bool = True, degree: Degree = Degree.BACHELOR, stage: Stage = Stage.PRIMARY) -> Teacher:
    return Teacher(tid, school, stage, degree,
                   BackboneLevel.COUNTY if backbone else BackboneLevel.NONE, "语文", True, 400.0,
                   eligible, rotated)


def small_county(code: str = "350404", year: int = 2024, *, schools: int = 3, students: int = 200,
                 facts: dict | None = None, name: str = "测试县") -> CountyData:
    """``schools`` good primary schools with teachers renamed to stable ids S<school>-T<n>."""
    parts = [good_primary(f"{code}{i:04d}", students) for i in range(1, schools + 1)]
    data = CountyData(
        county=County(code, name, year, city="测试市", province="测试省", basic_balance_year=2018),
        schools=[p[0] for p in parts],
        teachers=[replace(t, teacher_id=f"{t.school_code[-4:]}-T{n:03d}")
                  for p in parts for n, t in enumerate(p[1])],
        classes=[c for p in parts for c in p[2]],
        rooms=[r for p in parts for r in p[3]],
        facts=dict(PASSING_FACTS if facts is None else facts),
    )
    return data


def detailed_county() -> CountyData:
    """Every kind of value the tables must give back exactly."""
    data = small_county(schools=2)
    s = data.schools[0]
    s.indoor_sports_area = 123.456789012345
    s.teaching_area = 0.1 + 0.2  # not representable in decimal: must come back bit for bit
    s.group = "第一教育集团"
    s.name = "名称很长的学校" * 40  # free text has no length limit on either database
    data.teachers[2].subject = "综合实践活动（含信息技术、劳动与技术、研究性学习）" * 3
    s.row = 7
    s.extra = {"max_extra_area": 250.5, "note": "新校区", "flags": [1, 2.5, None, True]}
    data.schools[1].boarding = True
    data.teachers[0].row = 3
    data.teachers[0].training_hours_5y = 359.99999999999994
    data.classes.append(SchoolClass(s.code, Stage.PRIMARY, 2, "2年级（1）班", 41, row=12))
    data.facts.update({"an_int": 7, "a_float": 7.0, "a_true": True, "a_false": False,
                       "a_text": "有", "a_none": None, "a_list": [1, "二"]})
    data.fact_refs = {"layout_ok": Ref("县级指标", 2, "B", "规划布局合理"),
                      "county_code": Ref("基本信息", 2, "B", None)}
    data.columns = {"schools": {"code": ("学校", "A", "学校标识码"), "name": ("学校", "B", "学校名称")}}
    data.teachers[1].title = TeacherTitle.FIRST
    data.teachers[2].extra = {"movable": False}  # optional column 可调配
    data.absent_columns = {"schools": frozenset({"books", "primary_standard_classes"})}
    data.extra_tables = {
        "kindergartens": [Kindergarten(
            "K1", "中心幼儿园", KindergartenCategory.INCLUSIVE_PRIVATE, UrbanRural.TOWN, 30, 31, 32, 8, 7,
            1, 1, 1200.5, 800.25, 2000.0, 2010, township="城关镇", central=True, row=2)],
        "kindergarten_classes": [KindergartenClass("K1", KindergartenClassType.MIXED, "混龄1班", 25, 3)],
        "later_sheet": [{"code": "X1", "children": 120, "ratio": 0.5}],
        "projects": [  # 项目台账: enums, a blank 标识码 (新建), money with decimals
            Project("城关小学改扩建", ProjectKind.EXPANSION, 2023, 2025, ProjectStatus.BUILDING, s.code,
                    primary_places=270, teaching_area=1800.5, invest_county=650.25, progress="主体封顶", row=2),
            Project("城东学校新建", ProjectKind.NEW_SCHOOL, 2024, 2026, ProjectStatus.APPROVED, None, "城东学校",
                    primary_places=1620, junior_places=900, invest_central=0.1 + 0.2, row=3)],
    }
    data.source = "测试县2024.xlsx"
    return data
