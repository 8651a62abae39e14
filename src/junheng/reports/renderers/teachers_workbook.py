"""`junheng teachers --out 师资.xlsx`: teacher supply by subject and 编制 (汇总, 各校学科,
全县学科, 编制, 退休, 课时表, 说明). Look and feel: :mod:`junheng.reports.renderers.sheet_style`.
Every figure comes from :class:`TeacherSupplyReport`; none is computed here."""

from __future__ import annotations

from pathlib import Path

from junheng.analysis.teacher_supply import TeacherSupplyReport
from junheng.core.facts import STAGE_ZH, Stage
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

FTE = "0.00"
NOTES = [
    ("汇总", "全县的需配、现有、紧缺、富余教师数，编制和退休情况（与自评报告等“主要数据”为同一组数字）。"),
    ("各校学科", "每所学校每个学段每个学科一行：周课时总数、折合教师、需配、现有（在编、编外）、缺、余、"
                "五年内退休。可按“缺”筛选出各校的紧缺学科。"),
    ("全县学科", "每个学段每个学科的全县合计；“缺”“余”为各校之和，一所学校的富余不抵另一所学校的缺口。"),
    ("编制", "每所学校的核定编制数、在编、编外、空编，以及是否“有编不补”（与否决项 V6 同一口径）。"),
    ("退休", "今后五年内达到法定退休年龄的教师（按出生年份、性别；含已超过退休年龄尚在岗的）。"),
    ("课时表", "测算使用的各科各年级每周课时（课程方案换算表），可与本省课程实施办法核对。"),
]


def _definitions(r: TeacherSupplyReport) -> list[tuple[str, str]]:
    w = r.settings["workload"]
    ret = r.settings["retirement"]
    by_subject = "；".join(f"{k} {v:g} 节" for k, v in (w.get("by_subject") or {}).items())
    return [
        ("课程方案", r.curriculum + f"；换算方式：{'周课时表' if r.method == 'table' else '比例范围中点'}。"),
        ("周课时总数", "该校该学段各年级班数 × 该科目该年级每周课时，求和。"),
        ("标准课时量", f"每名专任教师每周授课节数：小学 {w['primary']:g} 节，初中 {w['junior']:g} 节"
                      + (f"；{by_subject}" if by_subject else "") + "。"),
        ("需配", f"向上取整（周课时总数 ÷ 标准课时量 − {r.settings['tolerance']:g}）；"
                "后一项是一名教师可多承担的工作量，超出不到这个比例时不另配 1 人。"),
        ("缺、余", "缺 = 需配 − 现有（不足 0 计 0），该学科即为该校的紧缺学科；余 = 现有 − 需配（不足 0 计 0）。"),
        ("不单独配备的科目", "劳动、综合实践活动、地方课程与校本课程由其他学科教师兼任，不单独测算。"
                         "任教学科不属于课程方案科目的教师（如心理健康）单独列出，不计入需求。"),
        ("退休年龄", f"男 {ret['male']} 周岁、女 {ret['female']} 周岁（性别未填按 {ret['unknown_gender']} 周岁）"
                    + ("，按渐进式延迟退休规定延迟（只有出生年份时按 7 月出生计）" if ret["delayed_2025"] else "")
                    + f"；统计 {r.school_year} 年至 {r.school_year + ret['horizon_years'] - 1} 年退休的教师。"),
        ("有编不补", "学校在编教师少于核定编制数，同时又聘用编外教师；有编不补数为这些学校的空编数之和。"),
    ]


def write_teachers_xlsx(r: TeacherSupplyReport, path: str | Path) -> None:
    title = f"{r.school_year} 学年教师配备（按学科和编制）"
    wb, st = ss.open_workbook(path, title=title, subject="按课程方案测算的各校学科教师需求、编制和退休")
    try:
        _summary(wb, st, r, title)
        columns = [Column("学校标识码", "id"), Column("学校名称"), Column("所在乡镇（街道）"), Column("学段", "text", 7),
                   Column("学科"), Column("周课时总数", "int", 10), Column("折合教师", FTE, 10),
                   Column("需配", "int", 8), Column("现有", "int", 8), Column("其中在编", "int", 8),
                   Column("其中编外", "int", 8), Column("缺", "int", 7), Column("余", "int", 7),
                   Column("五年内退休", "int", 10)]
        rows = []
        for s in r.schools:
            for x in s.subjects:
                rows.append([s.school_code, s.name, s.township or "", STAGE_ZH[s.stage], x.subject, x.periods, x.fte,
                             x.needed, x.have, x.established, x.contract,
                             Styled(x.shortage, "fail" if x.shortage else None), x.surplus, x.retiring])
        ss.write_table(wb.add_worksheet("各校学科"), st, 0, columns, rows, freeze_cols=2)

        columns = [Column("学段", "text", 7), Column("学科"), Column("周课时总数", "int", 10),
                   Column("折合教师", FTE, 10), Column("需配", "int", 8), Column("现有", "int", 8),
                   Column("其中在编", "int", 8), Column("其中编外", "int", 8), Column("缺（各校之和）", "int", 10),
                   Column("余（各校之和）", "int", 10), Column("五年内退休", "int", 10)]
        shortage = {(st_, subj): n for st_, subj, n in r.short_subjects()}
        rows = []
        for stage, items in r.county.items():
            st_ = Stage(stage)
            for x in items:
                surplus = sum(y.surplus for s in r.schools if s.stage is st_ for y in s.subjects
                              if y.subject == x.subject)
                short = shortage.get((st_, x.subject), 0)
                rows.append([STAGE_ZH[st_], x.subject, x.periods, x.fte, x.needed, x.have, x.established,
                             x.contract, Styled(short, "fail" if short else None), surplus, x.retiring])
        ss.write_table(wb.add_worksheet("全县学科"), st, 0, columns, rows, freeze_cols=2)

        columns = [Column("学校标识码", "id"), Column("学校名称"), Column("核定编制数", "int", 10),
                   Column("在编", "int", 8), Column("编外", "int", 8), Column("编制类型未填", "int", 10),
                   Column("空编", "int", 8), Column("有编不补", "text", 10)]
        rows = [[s.school_code, s.name, s.quota, s.established, s.contract, s.unknown, s.vacant,
                 Styled("× 是", "fail") if s.unfilled else "否"] for s in r.staffing]
        ss.write_table(wb.add_worksheet("编制"), st, 0, columns, rows, freeze_cols=2)

        names = {s.school_code: s.name for s in r.schools}
        columns = [Column("教师编号", "id"), Column("学校标识码", "id"), Column("学校名称"), Column("学段", "text", 7),
                   Column("学科"), Column("退休年份", "year", 9)]
        rows = [[x.teacher_id, x.school_code, names.get(x.school_code, ""), STAGE_ZH[x.stage], x.subject,
                 Styled(x.year, "floor" if x.year < r.school_year else None)] for x in r.retirees]
        ss.write_table(wb.add_worksheet("退休"), st, 0, columns, rows, freeze_cols=1)

        columns = [Column("科目")] + [Column(f"{g} 年级", "General", 7) for g in range(1, 10)]
        rows = [[subj, *h] for subj, h in r.hours.items()]
        ss.write_table(wb.add_worksheet("课时表"), st, 0, columns, rows, freeze_cols=1)
        ss.add_notes_sheet(wb, st, title, NOTES, [*_definitions(r), *(("提示", n) for n in r.notes)])
    finally:
        ss.close(wb)


def _summary(wb, st, r: TeacherSupplyReport, title: str) -> None:
    ws = wb.add_worksheet("汇总")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 60)
    ws.write_string(0, 0, title, st.title)
    short = "、".join(f"{STAGE_ZH[s]}{subj} {n} 人" for s, subj, n in r.short_subjects()[:10]) or "无"
    retiring = "、".join(f"{k} {v} 人" for k, v in list(r.retiring_by_subject().items())[:10])
    rows = [
        ("按课程方案需配教师（人）", r.needed if r.classes_known else None),
        ("对应学科的现有教师（人）", r.have if r.classes_known else None),
        ("紧缺学科教师数（人）", r.shortage if r.classes_known else None),
        ("富余学科教师数（人）", r.surplus if r.classes_known else None),
        ("有紧缺学科的学校（所）", r.shortage_schools if r.classes_known else None),
        ("紧缺学科（缺口最大的）", short),
        ("核定编制数（人）", r.quota),
        ("在编教师（人）", sum(s.established for s in r.staffing) if r.staffing_known else None),
        ("编外教师（人）", sum(s.contract for s in r.staffing) if r.staffing_known else None),
        ("空编数（人）", r.vacant if r.quota_known else None),
        ("有编不补数（人）", r.unfilled),
        ("有编不补的学校（所）", r.unfilled_schools),
        ("今后五年退休教师（人）", len(r.retirees) if r.retirements_known else None),
        ("其中按学科", retiring if r.retirements_known else None),
    ]
    kinds = {label: "int" for label, v in rows if isinstance(v, int)}
    ss.label_rows(ws, st, 2, rows, kinds=kinds)
    ws.freeze_panes(2, 0)
    ss.print_setup(ws, 86)
