"""Tiny county workbooks for the intake tests, written with XlsxWriter.

``valid_sheets()`` is a small, fully valid county spelled out by hand (headers as a
user sees them in the template); tests copy it, break one thing and write it with
``write_book``. Cell values keep their Python type: str → text cell, int/float →
number cell, bool → Excel boolean, None → empty cell.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import xlsxwriter

SCHOOL_HEADERS = [
    "学校标识码", "学校名称", "办学类型", "城乡分类", "举办者", "寄宿制", "教育集团",
    "小学在校生数（人）", "初中在校生数（人）", "高中在校生数（人）",
    "教学及辅助用房面积（㎡）", "其中：室内体育用房面积（㎡）", "体育运动场（馆）面积（㎡）",
    "教学仪器设备资产值（万元）", "网络多媒体教室数（间）", "公用经费预算（万元）",
    "其中：教师培训经费预算（万元）", "公用经费实际拨付（万元）",
]
# Column letters of the 学校 sheet as laid out above.
SCHOOL_COL = {h.split("（")[0]: chr(65 + i) for i, h in enumerate(SCHOOL_HEADERS)}

TEACHER_HEADERS = [
    "教师编号", "学校标识码", "任教学段", "最高学历", "骨干教师级别", "任教学科", "教师资格证",
    "近五年培训学时（学时）", "符合交流条件", "本学年交流轮岗",
]
CLASS_HEADERS = ["学校标识码", "学段", "年级", "班级名称", "学生数（人）"]
ROOM_HEADERS = ["学校标识码", "类型", "面积（㎡）"]


def valid_sheets() -> dict[str, list[list[Any]]]:
    """Two schools: a 小学 with 80 pupils in 2 classes and a 九年一贯制学校 with 40
    primary and 50 junior students, 5 teachers, 3 rooms, a few county facts."""
    return copy.deepcopy(_VALID)


_VALID: dict[str, list[list[Any]]] = {
    "基本信息": [
        ["项目", "值"],
        ["县区代码", "350404"],
        ["县区名称", "三元区"],
        ["所属地市", "三明市"],
        ["所属省份", "福建省"],
        ["学年", 2025],
        ["基本均衡认定年份", 2015],
    ],
    "学校": [
        SCHOOL_HEADERS,
        ["3504040001", "城关小学", "小学", "城区", "公办", "否", "城关教育集团",
         80, 0, None, 3000.5, 400, 5000, 120.25, 12, 50, 3, 49.5],
        ["3504040002", "岩前学校", "九年一贯制学校", "乡村", "公办", "是", None,
         40, 50, None, 2500, None, 4000, 80, 8, 30, 1.5, 30],
    ],
    "教师": [
        TEACHER_HEADERS,
        ["T001", "3504040001", "小学", "本科", "县级", "语文", "是", 360, "是", "否"],
        ["T002", "3504040001", "小学", "专科", "无", "体育", "是", 120.5, "否", "否"],
        ["T003", "3504040002", "小学", "研究生", "市级", "音乐", "否", 0, "是", "是"],
        ["T004", "3504040002", "初中", "本科", "无", "数学", "是", 400, "否", "否"],
        ["T005", "3504040002", "初中", "高中阶段及以下", "国家级", "美术", "是", 72, "否", "否"],
    ],
    "班级": [
        CLASS_HEADERS,
        ["3504040001", "小学", 1, "一年级1班", 40],
        ["3504040001", "小学", 2, "二年级1班", 40],
        ["3504040002", "小学", 3, "三年级1班", 40],
        ["3504040002", "初中", 7, "七年级1班", 50],
    ],
    "专用教室": [
        ROOM_HEADERS,
        ["3504040001", "音乐", 96],
        ["3504040001", "美术", 90.5],
        ["3504040002", "音乐", 100],
    ],
    "县级指标": [
        ["项目", "值"],
        ["规划布局合理", "是"],
        ["小学生均公用经费基准定额（元）", 650],
        ["城区镇区公办小学就近划片入学比例（%）", 98.5],
        ["符合条件随迁子女数", 1200],
        ["在公办及政府购买服务民办学校就读随迁子女数", 1100],
        ["质量监测校际差异率", 0.12],
        ["以考试方式招生", "否"],
    ],
}


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
    workbook.close()
    return path


def book(tmp_path: Path, sheets: dict[str, list[list[Any]]] | None = None,
         name: str = "county.xlsx") -> Path:
    return write_book(tmp_path / name, valid_sheets() if sheets is None else sheets)
