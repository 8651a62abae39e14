"""年度答卷 「行动方案目标完成情况」 (issue 15 §4): a table of the bureau's targets this
year, then a sentence per lagging target with what the bureau will do about it.

Reads a ``services.progress.CountyProgress`` (values, statuses and gaps come from there;
nothing is compared or computed again here, only worded). Numbers print through
``reports.numbers`` like every other figure of the report.
"""

from __future__ import annotations

import re
from typing import Any

from junheng.analysis.measures import scoped_name
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import Cell, Paragraph, Section, Table, cells

TONE = {"已达成": "good", "按期推进": "good", "滞后": "warn", "未达成": "bad", "无数据": None}

# What a bureau undertakes when a target lags, by measure id prefix (longest first wins).
REMEDIES = {
    "large_class": "通过新建、改扩建学校增加学位，科学划定招生范围，严格控制起始年级班额，逐步消除大班额",
    "super_large_class": "优先分流超大班额学校的学生，严格控制起始年级班额，确保超大班额动态清零",
    "over_standard": "严格按标准班额编班，结合学位建设逐年降低超标准班额班级",
    "class_size": "结合学位建设和招生划片调整，逐年把平均班额降到标准班额以内",
    "capacity": "加快新建、改扩建学校项目进度，按期交付新增学位",
    "places_added": "加快新建、改扩建学校项目进度，按期交付新增学位",
    "backbone": "加大县级及以上骨干教师培养、评选力度，把骨干教师向薄弱学校和乡村学校倾斜",
    "above_degree": "通过新教师招聘把好学历关，支持在职教师参加学历提升，提高教师学历层次",
    "rotat": "落实“县管校聘”，按符合条件教师不低于 10% 的比例组织交流轮岗，其中骨干教师不低于 20%",
    "student_teacher_ratio": "用好编制周转和县域内统筹调配，补足缺编学校教师",
    "group": "由优质学校牵头组建或扩大教育集团，把更多薄弱学校、乡村学校纳入集团化办学",
    "afterschool": "推动课后服务学校全覆盖，丰富服务内容，提高学生参与率",
    "tutoring": "持续开展学科类校外培训治理，巩固压减成果",
    "spending": "落实“两个只增不减”，确保一般公共预算教育支出和生均支出逐年只增不减",
    "per_student_spending": "落实“两个只增不减”，确保一般公共预算教育支出和生均支出逐年只增不减",
    "parts.passed": "按资源配置整改方案，补足未达标学校的教师、校舍和设施设备",
    "indicator.": "按资源配置整改方案，补足该项指标未达标学校的短板",
    "cv.": "把新增资源优先投向指标偏低的学校，缩小校际差距",
    "preschool.": "新建、改扩建公办幼儿园，扶持普惠性民办幼儿园，扩大普惠性学前教育资源",
    "item.": "对照评估办法逐项整改，明确完成时限",
}
DEFAULT_REMEDY = "分析滞后原因，制定专项措施，明确完成时限"


_CLAUSE = re.compile(r"\s*第[一二三四五六七八九十百零〇\d]+[条款章节项部分].*$")


def document_of(basis: str) -> str:
    """「××三年行动计划（2024—2026 年）第二条」 → the document's title, without 《》."""
    return _CLAUSE.sub("", basis.strip()).strip("《》 ")


def remedy_for(measure_id: str) -> str:
    for prefix in sorted(REMEDIES, key=len, reverse=True):
        if measure_id.startswith(prefix):
            return REMEDIES[prefix]
    return DEFAULT_REMEDY


def value_text(value: float | None, kind: str, unit: str) -> str:
    text = fmt.by_kind(value, kind)
    if value is None or kind == "percent" or not unit or unit == "%":
        return text
    return f"{text} {unit}"


def gap_text(value: float, kind: str, unit: str) -> str:
    """The gap with the measure's unit (「12 所」); a share's in 个百分点 (numbers.target_gap)."""
    return fmt.target_gap(value, kind) if kind == "percent" else value_text(value, kind, unit)


def _name(r: Any) -> str:
    scope = r.target.scope
    return scoped_name(r.measure, scope) + ("" if scope in ("全县", "小学", "初中", "学前") else f"（{scope}）")


def targets_chapter(section: Section, progress: Any) -> None:
    rows = progress.rows
    year = progress.school_year
    counts = progress.counts()
    bases = sorted({document_of(r.target.basis) for r in rows if r.target.basis})
    titles = "、".join(f"《{b}》" for b in bases)
    basis = f"对照{titles}，" if bases else ""
    told = "，".join(f"{k} {n} 项" for k, n in counts.items() if n)
    section.add(Paragraph(f"{basis}本{'区' if progress.county_name.endswith('区') else '县'}确定的 {len(rows)} 项量化目标，"
                          f"截至 {year} 学年{told}。"))
    table_rows = []
    for r in rows:
        t, m = r.target, r.measure
        unit = "" if m.unit in ("", "%") else f"（{m.unit}）"
        table_rows.append(cells(
            _name(r) + unit,
            fmt.by_kind(t.baseline, m.kind) + (f"（{t.baseline_year}）" if t.baseline_year else ""),
            f"{fmt.by_kind(t.target, m.kind)}（{t.target_year}）",
            fmt.by_kind(r.actual.get(year), m.kind),
            fmt.by_kind(r.expected, m.kind),
            Cell(r.status, tone=TONE.get(r.status)),
        ))
    section.add(Table(caption=f"{year}学年行动方案目标完成情况", header=[cells("目标", "基线（学年）", "目标（年份）",
                                                                           f"{year}学年", "应达到", "完成情况")],
                      rows=table_rows, widths=[2.6, 2.0, 2.0, 1.3, 1.2, 1.5],
                      align=["left", "right", "right", "right", "right", "center"], key="targets"))
    lagging = [r for r in rows if r.lagging]
    if not lagging:
        section.add(Paragraph("各项目标均按计划推进或已经达成。" if not counts["无数据"] else
                              "有数据的各项目标均按计划推进或已经达成。"))
    for n, r in enumerate(lagging, 1):
        t, m = r.target, r.measure
        name = _name(r)
        now = value_text(r.actual.get(year), m.kind, m.unit)
        if r.status == "未达成":
            text = (f"{name}本学年为 {now}，未达到 {t.target_year} 年 {value_text(t.target, m.kind, m.unit)}"
                    f"的目标，还差 {gap_text(r.gap, m.kind, m.unit)}")
        else:
            word = "高于" if m.direction == "lower" or (m.direction == "neutral" and t.baseline is not None
                                                        and t.target < t.baseline) else "低于"
            text = (f"{name}本学年为 {now}，{word}按计划应达到的 {value_text(r.expected, m.kind, m.unit)}，"
                    f"距 {t.target_year} 年 {value_text(t.target, m.kind, m.unit)}的目标还差 "
                    f"{gap_text(r.gap, m.kind, m.unit)}")
        dept = f"（责任科室：{t.department}）" if t.department else ""
        section.add(Paragraph(f"{n}. {text}。下一步将{remedy_for(m.id)}{dept}。"))
    missing = [r for r in rows if r.status == "无数据"]
    if missing:
        section.add(Paragraph("以下目标本学年缺少数据，无法判断进展：" + "；".join(
            f"{scoped_name(r.measure, r.target.scope)}（{r.missing.get(year, '')}）" for r in missing) + "。",
            style="note"))
