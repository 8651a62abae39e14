"""The data a standard file may read: tables and their fields.

A quantity (``{count: teachers, where: {degree: ...}}``) names a table and fields; they
are checked here when the standard is loaded, so a misspelt field fails with its key
path instead of silently counting nothing. Fields are the record's dataclass fields
and properties, plus the optional template columns kept in ``extra``. A test
keeps this in step with the workbook template.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from junheng.core.facts import Room, School, SchoolClass, Teacher
from junheng.core.health import SchoolHealth
from junheng.core.preschool import Kindergarten, KindergartenClass
from junheng.core.projects import Project

TABLE_RECORDS: dict[str, type] = {
    "schools": School,
    "teachers": Teacher,
    "classes": SchoolClass,
    "rooms": Room,
    "kindergartens": Kindergarten,
    "kindergarten_classes": KindergartenClass,
    "projects": Project,  # 项目台账
    "health": SchoolHealth,  # 学生健康 (optional sheet)
}

# Optional template columns that have no attribute of their own (School.extra, Teacher.extra).
EXTRA_FIELDS: dict[str, frozenset[str]] = {
    "schools": frozenset({
        "computers",  # 计算机台数 (2012 indicator 4)
        "books",  # 图书册数 (2012 indicator 5)
        "afterschool",  # 开展课后服务 (双减)
        "afterschool_students",  # 参加课后服务学生数
        "group_lead",  # 集团牵头学校
        "primary_standard_classes",  # 小学标准班数 (学位)
        "junior_standard_classes",  # 初中标准班数
        "max_extra_teaching_area",  # 可新增教学及辅助用房面积上限 (planner)
        "max_extra_sports_area",  # 可新增体育运动场馆面积上限 (planner)
        "township",  # 所在乡镇（街道）
        "staff_quota",  # 核定编制数
        "boarders",  # 寄宿生数 (G6: +200 元 per boarder)
    }),
    "teachers": frozenset({
        "movable",  # 可调配 (planner: 县管校聘 may move this teacher)
        "staffing",  # 编制类型: established (在编) / contract (编外)
        "birth_year",  # 出生年份 (teacher supply: retirements)
        "gender",  # 性别: male / female (retirement age)
    }),
}

_HIDDEN = frozenset({"row", "extra"})


@cache
def table_fields(table: str) -> frozenset[str] | None:
    """Fields a quantity may read from ``table``; None for a table junheng does not know."""
    record = TABLE_RECORDS.get(table)
    if record is None:
        return None
    names = {f.name for f in dataclasses.fields(record)}
    names |= {n for n in dir(record) if isinstance(getattr(record, n, None), property)}
    return frozenset(names - _HIDDEN) | EXTRA_FIELDS.get(table, frozenset())
