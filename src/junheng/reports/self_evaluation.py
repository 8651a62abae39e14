"""自评报告: the self-evaluation report a county hands in with its application.

Structure of the county reports it imitates: 基本情况; one chapter per evaluated
dimension (资源配置 with the per-school and CV tables, then 政府保障程度, 教育质量,
社会认可度 item by item with a 佐证材料 field each); 存在问题和整改措施. Every number
comes from the :class:`Evaluation` (and, for teachers and classes, the
:class:`CountyData` it was computed from); nothing is invented — what only the bureau
knows is left as a marked field.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from junheng.analysis.factsheet import FactSheet, build_factsheet
from junheng.core.facts import STAGE_ZH, CountyData, SchoolType, Stage
from junheng.core.result import Evaluation, ItemResult, Shortfall
from junheng.core.standard import Standard
from junheng.reports import numbers as fmt
from junheng.reports import preschool, resource_section
from junheng.reports.document import Cell, Document, Paragraph, Placeholder, Section, Table, cells
from junheng.reports.figure_text import said
from junheng.reports.findings import report_title
from junheng.reports.wording import heading2, join_names, verdict, year_month

# Dimensions told in 基本情况 rather than as chapters of their own.
INTRO_DIMENSIONS = ("precondition", "veto")
VERDICT_TONE = {True: None, False: "bad", None: "warn"}
# How a shortfall's unit is usually remedied (整改措施 without a plan).
REMEDY_BY_UNIT = {
    "名": "通过公开招聘、县域内交流轮岗调配和骨干教师培养认定等方式补足",
    "㎡": "通过新建、改扩建校舍和运动场地补足",
    "万元": "加大经费投入，按标准购置补足",
    "间": "新建或改造补足",
    "人": "统筹学位和招生计划，逐步消除",
}


def build_self_evaluation(
    evaluation: Evaluation,
    data: CountyData | None = None,
    standard: Standard | None = None,
    measures: Sequence[str] | None = None,
    date: dt.date | None = None,
) -> Document:
    """The 自评报告 of ``evaluation``; ``measures`` are 整改措施 from a plan, if one was run."""
    doc = Document(
        title=f"{report_title(evaluation)}自评报告",
        subtitle=f"依据《{evaluation.standard_title}》" + _document_number(standard),
        author=f"{evaluation.county_name}人民政府",
        date=year_month(date or dt.date.today()),
        kind="self-evaluation",
    )
    next_chapter = doc.chapter
    kindergartens = preschool.is_preschool(standard)
    fs = build_factsheet(data, evaluation) if data is not None and not kindergartens else None
    _basic(next_chapter("基本情况", "basic"), evaluation, data, standard, fs)
    resource_dim = standard.resource.dimension if standard and standard.resource else "resource"
    for dim in evaluation.dimensions.values():
        if dim.dimension_id in INTRO_DIMENSIONS or not _counts(standard, dim.dimension_id):
            continue
        section = next_chapter(dim.name, dim.dimension_id)
        first_heading = 1  # the items' level-2 heading follows the resource tables' (一)–(三)
        if dim.dimension_id == resource_dim and evaluation.schools:
            first_heading = resource_section.build(section, evaluation, _floor_ratio(standard))
        _items_chapter(section, evaluation, dim.dimension_id, standard, first_heading)
    monitoring = {d.id for d in standard.dimensions if not d.counts_for_verdict} if standard else set()
    _problems(next_chapter("存在问题和整改措施", "problems"), evaluation, measures, monitoring, kindergartens)
    return doc.number_captions()


def _document_number(standard: Standard | None) -> str:
    number = getattr(standard, "document", None)
    return f"（{number}）" if number else ""


def _counts(standard: Standard | None, dimension_id: str) -> bool:
    if standard is None:
        return True
    return standard.dimension(dimension_id).counts_for_verdict


def _floor_ratio(standard: Standard | None) -> float | None:
    rule = standard.resource.school_pass if standard and standard.resource else None
    return getattr(rule, "floor_ratio", None)


# --- 基本情况 ---------------------------------------------------------------------------


def _basic(section: Section, ev: Evaluation, data: CountyData | None, standard: Standard | None,
           fs: FactSheet | None) -> None:
    place = "".join(p for p in (ev.province, ev.city) if p)
    county = f"{ev.county_name}{'隶属' + place if place else ''}（行政区划代码 {ev.county_code}）。"
    if preschool.is_preschool(standard):
        if data is not None:
            preschool.basic(section, data, county, ev.school_year)
        else:
            section.add(Paragraph(county))
    else:
        # The year of 基本均衡 matters to a standard that requires it (优质均衡 申报条件),
        # not to the 基本均衡 evaluation itself.
        balance_year = standard is None or preschool.reads(standard, "basic_balance_year")
        year = data.county.basic_balance_year if data is not None and balance_year else None
        section.add(Paragraph(county + (_school_sentence(ev, fs, year) if fs else _parts_sentence(ev))))
        if fs is not None:
            section.add(_stage_table(fs))
    if ev.excluded and not preschool.is_preschool(standard):
        reasons = Counter(x.reason for x in ev.excluded)
        section.add(Paragraph(
            f"按评估办法，{len(ev.excluded)} 所学校不纳入资源配置评估："
            + "；".join(f"{reason} {n} 所" for reason, n in reasons.items()) + "。"))
    for dim_id in INTRO_DIMENSIONS:
        dim = ev.dimensions.get(dim_id)
        if dim is None:
            continue
        items = [ev.items[i] for i in dim.items]
        text = f"{dim.name}：" + "；".join(f"{i.name}——{i.message}" for i in items) + "。"
        section.add(Paragraph(text))
    section.add(_verdict_table(ev))
    overall = "达到" if ev.recognised else "尚未达到"
    section.add(Paragraph(
        f"对照《{ev.standard_title}》逐项自评，{ev.school_year}学年我县{overall}"
        f"{report_title(ev).removeprefix(ev.county_name)}的评估认定要求。"))


def _school_sentence(ev: Evaluation, fs: FactSheet, balance_year: int | None) -> str:
    kinds = "、".join(f"{fs[f'schools.type.{t.value}'].definition.name} {said(fs, f'schools.type.{t.value}')}"
                     for t in SchoolType if fs.count(f"schools.type.{t.value}"))
    text = (f"{ev.school_year}学年，全县共有义务教育阶段学校 {said(fs, 'schools')}，其中{kinds}；"
            f"义务教育阶段在校生 {said(fs, 'students')}，其中小学 {said(fs, 'students.primary')}、"
            f"初中 {said(fs, 'students.junior')}；义务教育阶段专任教师 {said(fs, 'teachers')}，其中小学 "
            f"{said(fs, 'teachers.primary')}、初中 {said(fs, 'teachers.junior')}。")
    if balance_year:
        text += f"我县于 {balance_year} 年通过国家义务教育基本均衡发展督导评估认定。"
    return text


def _parts_sentence(ev: Evaluation) -> str:
    by_stage: dict[Stage, list] = defaultdict(list)
    for s in ev.schools:
        by_stage[s.stage].append(s)
    parts = "，".join(f"{STAGE_ZH[st]} {len(v)} 所、在校生 {sum(x.students for x in v)} 人"
                     for st, v in by_stage.items())
    return f"{ev.school_year}学年纳入资源配置评估的学校：{parts}。"


def _stage_table(fs: FactSheet) -> Table:
    rows = []
    for stage in (Stage.PRIMARY, Stage.JUNIOR):
        ids = [f"{k}.{stage.value}" for k in ("schools", "students", "teachers", "classes", "class_size",
                                                "student_teacher_ratio")]
        rows.append([Cell(STAGE_ZH[stage]), *(Cell(fmt.shown(fs[i]), align="right") for i in ids)])
    return Table(
        caption="义务教育基本情况（分学段）",
        header=[cells("学段", "有该学段学生的学校（所）", "在校生（人）", "专任教师（人）",
                      "班级（个）", "平均班额（人）", "生师比")],
        rows=rows, widths=[2.5, 4.5, 3, 3, 2.5, 3, 2.5], key="basic-stages",
        note="注：九年一贯制学校、完全中学等同时计入其所含学段；班级和平均班额不含特殊教育学校。")


def _verdict_table(ev: Evaluation) -> Table:
    rows = []
    for dim in ev.dimensions.values():
        rows.append([Cell(dim.name), Cell(verdict(dim.passed), tone=VERDICT_TONE[dim.passed], align="center"),
                     Cell(dim.message or "—")])
    return Table(caption="自评结果汇总", header=[cells("评估内容", "自评结果", "说明")],
                 rows=rows, widths=[4, 2.5, 12], key="verdict")


# --- items (政府保障程度, 教育质量, 社会认可度 …) ------------------------------------------


def _items_chapter(section: Section, ev: Evaluation, dim_id: str, standard: Standard | None,
                   first_heading: int = 1) -> None:
    items = [i for i in ev.items.values() if i.dimension == dim_id]
    if not items:
        return
    passed = sum(1 for i in items if i.passed is True)
    failed = sum(1 for i in items if i.passed is False)
    unknown = sum(1 for i in items if i.passed is None)
    # Summary in the chapter, then the items one by one as level-3 entries under a
    # level-2 heading (after the resource tables (一)–(三) that heading is (四)).
    summary = f"本部分共 {len(items)} 项，自评达标 {passed} 项"
    summary += f"，未达标 {failed} 项" if failed else ""
    summary += f"，缺少数据无法评估 {unknown} 项" if unknown else ""
    section.add(Paragraph(summary + "。"))
    section.add(Table(
        caption=f"{section.title.split('、', 1)[-1]}自评情况",
        header=[cells("序号", "评估内容", "自评结果", "自评情况")],
        rows=[[Cell(i.item_id, align="center"), Cell(i.name),
               Cell(verdict(i.passed), tone=VERDICT_TONE[i.passed], align="center"), Cell(i.message or "—")]
              for i in items],
        widths=[1.6, 9, 2.2, 8], key=f"items-{dim_id}"))
    head = section.sub(heading2(first_heading, "逐项自评情况"), key=f"{dim_id}-items")
    evidence = _evidence_items(standard)
    by_item = _shortfalls_by_item(ev.shortfalls)
    for n, item in enumerate(items, 1):
        sub = head.sub(f"{n}. {item.item_id} {item.name}", key=f"item-{item.item_id}")
        _item_body(sub, item, by_item.get(item.item_id, []), item.item_id in evidence)


def _evidence_items(standard: Standard | None) -> set[str]:
    if standard is None:
        return set()
    return {i.id for i in standard.items if getattr(i, "evidence", False)}


def _shortfalls_by_item(shortfalls: list[Shortfall]) -> dict[str, list[Shortfall]]:
    out: dict[str, list[Shortfall]] = defaultdict(list)
    for s in shortfalls:
        out[s.item_id].append(s)
    return out


def _item_body(sub: Section, item: ItemResult, shortfalls: list[Shortfall], evidence: bool) -> None:
    sub.add(Paragraph(f"自评结果：{verdict(item.passed)}。自评情况：{item.message or '—'}。"))
    if item.missing:
        sub.add(Paragraph(f"缺少的数据：{'、'.join(item.missing)}。请在工作簿「县级指标」等表中补填后重新评估。",
                          style="note"))
    if shortfalls:
        texts = [_labelled(s) for s in shortfalls]
        shown = "；".join(texts[:20]) + (f"；等共 {len(texts)} 处" if len(texts) > 20 else "")
        # A passing item's gaps (each_record items below 100 %) are advice, not conditions.
        label = "需整改" if any(s.blocking for s in shortfalls) else "建议补足（本项已达标，不影响认定）"
        sub.add(Paragraph(f"{label}：{shown}。"))
    hint = ("请补充佐证材料：相关文件名称、文号和印发时间，以及落实情况说明" if evidence
            else "请补充佐证材料：统计报表、台账或相关文件（名称及来源）")
    sub.add(Placeholder("佐证材料", hint))


def _gap(s: Shortfall) -> str:
    """The gap without the school's name when the text already starts with it."""
    return s.text.removeprefix(f"{s.school_name}：") if s.school_name else s.text


def _labelled(s: Shortfall) -> str:
    return f"{s.school_name}：{_gap(s)}" if s.school_name else s.text


# --- 存在问题和整改措施 ----------------------------------------------------------------------


def _problems(section: Section, ev: Evaluation, measures: Sequence[str] | None,
              monitoring: set[str], kindergartens: bool = False) -> None:
    """``monitoring``: dimensions outside the verdict (两个只增不减), not problems to fix;
    ``kindergartens``: the gaps are kindergartens' and their classes' (学前教育)."""
    problems = section.sub(heading2(1, "存在问题"), key="problems-list")
    blocking = [s for s in ev.shortfalls if s.blocking]
    advisory = [s for s in ev.shortfalls if not s.blocking]
    if not ev.shortfalls and not ev.not_evaluable():
        problems.add(Paragraph("经自评，各项指标均达到要求，未发现需要整改的问题。"))
    n = 0
    failing = ev.failing_schools()
    if failing:
        n += 1
        problems.add(Paragraph(
            f"{n}. 资源配置方面：{len(failing)} 所学校（学段）未达到学校达标要求，"
            f"分别是{join_names([f'{s.name}（{STAGE_ZH[s.stage]}）' for s in failing], 15)}。"))
    over = [d for t in ev.dispersion.values() for d in t.values() if d.passed is False]
    if over:
        n += 1
        problems.add(Paragraph(f"{n}. 校际差异方面："
                               + "；".join(s.text for s in ev.shortfalls if s.school_code is None
                                          and s.item_id in {d.indicator_id for d in over}) + "。"))
    for item in ev.items.values():
        if item.passed is False and item.dimension not in monitoring:
            n += 1
            problems.add(Paragraph(f"{n}. {item.item_id} {item.name}：{item.message}。"))
    unknown = [i for i in ev.not_evaluable() if i.dimension not in monitoring]
    if unknown:
        n += 1
        problems.add(Paragraph(f"{n}. 以下项目缺少数据、暂无法评估：{'、'.join(i.item_id for i in unknown)}。"))
    school_short = [s for s in blocking + advisory if s.school_code]
    if school_short:
        problems.add(_shortfall_table(school_short, kindergartens))
    fixes = section.sub(heading2(2, "整改措施"), key="measures")
    lines = list(measures) if measures else _remedies(ev, monitoring, kindergartens)
    if not lines:
        topic = report_title(ev).removeprefix(ev.county_name)
        fixes.add(Paragraph(f"继续巩固{topic}成果，保持各项指标稳定达标。"))
    for k, line in enumerate(lines, 1):
        fixes.add(Paragraph(f"{k}. {line}"))
    fixes.add(Placeholder("整改时限与责任单位", "请补充各项整改措施的完成时限、责任单位和资金来源"))
    fixes.add(Placeholder("落款", f"{ev.county_name}人民政府（盖章）　　　年　　月　　日"))


def _shortfall_table(shortfalls: list[Shortfall], kindergartens: bool) -> Table:
    """需整改的学校及缺口; a 学段 column only where the gaps have stages (not kindergartens')."""
    staged = any(s.stage for s in shortfalls)
    who = "幼儿园（班级）" if kindergartens else "学校"
    header = ["序号", who] + (["学段"] if staged else []) + ["项目", "缺口"]
    rows = []
    for k, s in enumerate(shortfalls, 1):
        row = [Cell(str(k), align="center"), Cell(s.school_name or "")]
        if staged:
            row.append(Cell(STAGE_ZH[s.stage] if s.stage else "—", align="center"))
        row += [Cell(s.item_id, align="center"), Cell(_gap(s), tone=None if s.blocking else "warn")]
        rows.append(row)
    advisory = not all(s.blocking for s in shortfalls)
    note = None
    if advisory:
        note = ("注：橙色为全县比例已达到要求、建议补足的缺口，不影响认定。" if kindergartens
                else "注：橙色为学校已按基本值条款达标、建议补足的缺口。")
    return Table(caption=f"需整改的{'幼儿园' if kindergartens else '学校'}及缺口", header=[cells(*header)],
                 rows=rows, widths=[1.6, 7] + ([1.8] if staged else []) + [1.8, 9], key="shortfalls", note=note)


def _remedies(ev: Evaluation, monitoring: set[str], kindergartens: bool = False) -> list[str]:
    """One measure per kind of gap, summed over schools: "涉及 6 所学校，合计缺口 14 名"."""
    groups: dict[tuple[str, str], list[Shortfall]] = defaultdict(list)
    lines: list[str] = []
    county: list[str] = []
    advised: list[str] = []
    for s in ev.shortfalls:
        item = ev.items.get(s.item_id)
        if item is not None and item.dimension in monitoring:
            continue
        if s.school_code and s.unit:
            groups[(s.item_id, s.unit)].append(s)
        elif s.unit:  # a county-level gap in real units
            county.append(f"{s.text}。")
    for (item_id, unit), group in groups.items():
        name = ev.indicator_meta.get(item_id, {}).get("name") or getattr(ev.items.get(item_id), "name", item_id)
        total = sum(s.quantity for s in group)
        schools = len({s.school_code for s in group})
        if kindergartens:
            records = len({s.school_name for s in group})  # a class is labelled "园名 班名"
            where = f"{schools} 所幼儿园" + (f"的 {records} 个班级" if records > schools else "")
            remedy = preschool.REMEDY_BY_UNIT.get(unit, "制定计划逐步补足")
        else:
            where = f"{schools} 所学校"
            remedy = REMEDY_BY_UNIT.get(unit, "制定计划逐步补足")
        passing = kindergartens and not any(s.blocking for s in group)
        advice = "（本项已达标，建议补足）" if passing else ""
        line = f"{item_id} {name}{advice}：涉及 {where}，合计缺口 {fmt.amount(total)} {unit}，{remedy}。"
        (advised if passing else lines).append(line)
    lines += county + advised  # what the verdict needs first, advice last
    if any(not s.school_code and not s.unit for s in ev.shortfalls):
        lines.append("优先补齐差异系数超标指标上的薄弱学校，缩小校际差距，使各项差异系数降至限值以内。")
    return lines
