"""The web's 学前教育 page as a workbook: the xqpp-2020 items (评估项目), kindergartens
by 办园性质 (按办园性质) and every kindergarten (幼儿园), with the 说明 sheet.
Look and feel: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

NOTES = [
    ("评估项目", "按《县域学前教育普及普惠督导评估办法》（xqpp-2020）逐项评估的结论和说明，与"
                "junheng evaluate --standard xqpp-2020 相同。"),
    ("按办园性质", "公办园、普惠性民办园、非普惠性民办园和合计的幼儿园数、在园幼儿、班级、专任教师、平均班额和师幼比，"
                 "与自评报告“学前教育基本情况”表相同。"),
    ("幼儿园", "每所幼儿园一行：办园性质、城乡分类、所在乡镇（街道）、是否乡镇中心园、在园幼儿、班级数和专任教师数。"),
]
DEFINITIONS = [
    ("平均班额", "在园幼儿 ÷ 班级数（班级按「幼儿园班级」表计；没有该表时缺少数据）。"),
    ("师幼比", "1 : 在园幼儿 ÷ 专任教师。"),
]


def write_preschool_xlsx(title: str, parts: dict[str, Any], path: str | Path) -> None:
    wb, st = ss.open_workbook(path, title=title, subject="学前教育普及普惠：评估项目、按办园性质、幼儿园")
    try:
        verdict = {"达标": ss.mark("达标", True), "未达标": Styled(ss.mark("未达标", False), "fail")}
        rows = [[i["id"], i["name"], verdict.get(i["verdict"], i["verdict"]), i["message"]] for i in parts["items"]]
        ss.write_table(wb.add_worksheet("评估项目"), st, 0, [
            Column("编号", "id", 6), Column("项目", "wrap", 40), Column("结论", "text", 10), Column("说明", "wrap", 60)],
            rows, freeze_cols=2)
        rows = []
        for r in parts["category_rows"]:
            # unrounded: the cell's format shows one decimal, as the report prints it
            rows.append([Styled(r.label, bold=r.category is None), r.kindergartens, r.children, r.classes, r.teachers,
                         r.class_size, r.children_per_teacher])
        ss.write_table(wb.add_worksheet("按办园性质"), st, 0, [
            Column("办园性质", "text", 14), Column("幼儿园（所）", "int"), Column("在园幼儿（人）", "int"),
            Column("班级（个）", "int"), Column("专任教师（人）", "int"), Column("平均班额（人）", "0.0"),
            Column("师幼比（1:x）", "0.0")], rows, freeze_cols=1)
        rows = [[g["code"], g["name"], g["category"], g["urban_rural"], g["township"], g["central"], g["children"],
                 g["classes"], g["teachers"]] for g in parts["gardens"]]
        ss.write_table(wb.add_worksheet("幼儿园"), st, 0, [
            Column("幼儿园标识码", "id"), Column("幼儿园名称"), Column("办园性质", "text", 12), Column("城乡分类", "text", 8),
            Column("所在乡镇（街道）"), Column("乡镇中心园", "text", 8), Column("在园幼儿", "int"), Column("班级数", "int"),
            Column("专任教师", "int")], rows, freeze_cols=2)
        ss.add_notes_sheet(wb, st, title, NOTES, DEFINITIONS)
    finally:
        ss.close(wb)
