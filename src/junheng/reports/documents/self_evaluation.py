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
import re
from collections import defaultdict
from collections.abc import Sequence

from junheng.analysis.factsheet import FactSheet, build_factsheet
from junheng.core.facts import STAGE_ZH, CountyData, SchoolType, Stage
from junheng.core.result import Evaluation, ItemResult, Shortfall
from junheng.core.standard import Standard
from junheng.reports import numbers as fmt
from junheng.reports.documents import preschool, problems_section, resource_section, survey_section
from junheng.reports.documents.document import (
    Cell,
    Document,
    Paragraph,
    Placeholder,
    Section,
    Table,
    cells,
)
from junheng.reports.documents.figure_text import said
from junheng.reports.documents.findings import report_title
from junheng.reports.documents.remedies import item_label
from junheng.reports.documents.wording import heading2, join_names, verdict, year_month

# Dimensions told in 基本情况 rather than as chapters of their own.
INTRO_DIMENSIONS = ("precondition", "veto")
VERDICT_TONE = {True: None, False: "bad", None: "warn"}


def build_self_evaluation(
    evaluation: Evaluation,
    data: CountyData | None = None,
    standard: Standard | None = None,
    measures: Sequence[str] | None = None,
    date: dt.date | None = None,
) -> Document:
    """The 自评报告 of ``evaluation``; ``measures`` are 整改措施 from a plan, if one was run."""
    date = date or dt.date.today()
    doc = Document(
        title=f"{report_title(evaluation)}自评报告",
        subtitle=f"依据《{evaluation.standard_title}》" + _document_number(standard),
        author=f"{evaluation.county_name}人民政府",
        date=year_month(date),
        kind="self-evaluation",
    )
    next_chapter = doc.chapter
    kindergartens = preschool.is_preschool(standard)
    notes = problems_section.county_notes(data)
    fs = build_factsheet(data, evaluation) if data is not None and not kindergartens else None
    _basic(next_chapter("基本情况", "basic"), evaluation, data, standard, fs)
    problems_section.practices(next_chapter("主要做法与成效", "practices"), doc, notes)
    resource_dim = standard.resource.dimension if standard and standard.resource else "resource"
    for dim in evaluation.dimensions.values():
        if dim.dimension_id in INTRO_DIMENSIONS or not _counts(standard, dim.dimension_id):
            continue
        section = next_chapter(dim.name, dim.dimension_id)
        first_heading = 1  # the items' level-2 heading follows the resource tables' (一)–(三)
        if dim.dimension_id == resource_dim and evaluation.schools:
            first_heading = resource_section.build(section, evaluation, _floor_ratio(standard), doc.attach)
        _items_chapter(section, evaluation, dim.dimension_id, standard, first_heading)
        if dim.dimension_id == "social" or "认可度" in dim.name:
            survey_section.survey(section, doc, notes, evaluation, data)
    monitoring = {d.id for d in standard.dimensions if not d.counts_for_verdict} if standard else set()
    problems_section.problems(next_chapter("存在的问题", "problems"), evaluation, monitoring, kindergartens)
    problems_section.next_steps(next_chapter("下一步工作打算", "next"), doc, evaluation, measures, monitoring,
                                kindergartens, notes)
    return doc.sign(date).number_captions().list_missing()


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
        section.add(Paragraph(_excluded_sentence(ev)))
    for dim_id in INTRO_DIMENSIONS:
        dim = ev.dimensions.get(dim_id)
        if dim is None:
            continue
        items = [ev.items[i] for i in dim.items]
        text = f"{dim.name}：" + "；".join(f"{i.name}——{_plain(i.message)}" for i in items) + "。"
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


def _excluded_sentence(ev: Evaluation) -> str:
    """按评估办法，5 所学校不纳入资源配置评估：特殊教育学校 1 所（…）；学生不足 50 人的教学点 4 所（…）。"""
    groups: dict[str, list[str]] = defaultdict(list)
    for x in ev.excluded:
        students = re.search(r"学生 (\d+) 人", x.reason)
        kind = re.sub(r"学生 \d+ 人，?", "", x.reason)
        kind = re.sub(r"，?不纳入资源配置评估$", "", kind).strip("，。 ") or "其他"
        groups[kind].append(x.name + (f" {students.group(1)} 人" if students else ""))
    parts = []
    for kind, names in groups.items():
        label = re.sub(r"^教学点不足 (\d+) 人$", r"学生不足 \1 人的教学点", kind)
        parts.append(f"{label} {len(names)} 所（{join_names(names, 8)}）")
    return f"按评估办法，{len(ev.excluded)} 所学校不纳入资源配置评估：" + "；".join(parts) + "。"


def _plain(message: str | None) -> str:
    """An engine finding in report Chinese: 「是」/「否」 read as 已落实 / 未落实; no 「见说明」
    (the engine's note on it is in its provenance, not in the report)."""
    text = (message or "—").replace("，见说明）", "）")
    if text in ("是", "否", "无"):
        return {"是": "已落实", "否": "未落实", "无": "无"}[text]
    return re.sub(r"：是(?=；|$)", "：已落实", re.sub(r"：否(?=；|$)", "：未落实", text))


def _dimension_note(ev: Evaluation, dim) -> str:
    """The summary's 说明: failing items by name, never by code."""
    failed = [ev.items[i] for i in dim.items if i in ev.items and ev.items[i].passed is False]
    unknown = [ev.items[i] for i in dim.items if i in ev.items and ev.items[i].passed is None]
    parts = []
    if failed:
        parts.append(f"{len(failed)} 项未达标：" + "；".join(item_label(ev, i.item_id) for i in failed))
    if unknown:
        parts.append(f"{len(unknown)} 项缺少数据")
    if parts:
        return "。".join(parts)
    if dim.passed is False or not dim.items:
        return dim.message or "—"
    return "各项均达到要求"


def _verdict_table(ev: Evaluation) -> Table:
    rows = []
    for dim in ev.dimensions.values():
        rows.append([Cell(dim.name), Cell(verdict(dim.passed), tone=VERDICT_TONE[dim.passed], align="center"),
                     Cell(_dimension_note(ev, dim))])
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
        rows=[[Cell(str(n), align="center"), Cell(i.name),
               Cell(verdict(i.passed), tone=VERDICT_TONE[i.passed], align="center"), Cell(_plain(i.message))]
              for n, i in enumerate(items, 1)],
        widths=[1.6, 8.6, 2.6, 8], key=f"items-{dim_id}"))
    head = section.sub(heading2(first_heading, "逐项自评情况"), key=f"{dim_id}-items")
    evidence = _evidence_items(standard)
    by_item = _shortfalls_by_item(ev.shortfalls)
    for n, item in enumerate(items, 1):
        sub = head.sub(f"{n}. {item.name}", key=f"item-{item.item_id}")
        _item_body(sub, item, by_item.get(item.item_id, []), item.item_id in evidence, n)


def _evidence_items(standard: Standard | None) -> set[str]:
    if standard is None:
        return set()
    return {i.id for i in standard.items if getattr(i, "evidence", False)}


def _shortfalls_by_item(shortfalls: list[Shortfall]) -> dict[str, list[Shortfall]]:
    out: dict[str, list[Shortfall]] = defaultdict(list)
    for s in shortfalls:
        out[s.item_id].append(s)
    return out


# Sentences for a finding that is only 是 (a policy in place), varied as a writer would.
POLICY_MET = ("经核查，本项已落实，达到评估要求。", "本项相关制度和工作已落实到位，达到要求。",
              "经逐项核对，本项符合评估办法的规定。", "本项已按要求落实，自评达标。")
MEASURED_MET = ("经测算，{m}，达到要求。", "本项达到要求：{m}。", "{m}，自评达标。")


def _finding(item: ItemResult, n: int) -> str:
    message = _plain(item.message)
    if item.passed is None:
        return f"本项缺少数据，暂无法评估{('：' + message) if item.message else ''}。"
    if item.passed is False:
        return f"本项尚未达到要求：{message}。"
    if message in ("已落实", "—", "无"):
        return POLICY_MET[n % len(POLICY_MET)]
    return MEASURED_MET[n % len(MEASURED_MET)].format(m=message)


def _item_body(sub: Section, item: ItemResult, shortfalls: list[Shortfall], evidence: bool, n: int = 0) -> None:
    sub.add(Paragraph(_finding(item, n)))
    if item.missing:
        sub.add(Paragraph(f"缺少的数据：{'、'.join(item.missing)}。请在工作簿「县级指标」等表中补填后重新评估。",
                          style="note"))
    if shortfalls:
        texts = [_labelled(s) for s in shortfalls]
        shown = "；".join(texts[:20]) + (f"；等共 {len(texts)} 处" if len(texts) > 20 else "")
        # A passing item's gaps (each_record items below 100 %) are advice, not conditions.
        label = "需整改的具体内容" if any(s.blocking for s in shortfalls) else "建议补足（本项已达标，不影响认定）"
        sub.add(Paragraph(f"{label}：{shown}。"))
    hint = ("请补充佐证材料：相关文件名称、文号和印发时间，以及落实情况说明" if evidence
            else "请补充佐证材料：统计报表、台账或相关文件（名称及来源）")
    sub.add(Placeholder("佐证材料", hint))


def _gap(s: Shortfall) -> str:
    """The gap without the school's name when the text already starts with it."""
    return s.text.removeprefix(f"{s.school_name}：") if s.school_name else s.text


def _labelled(s: Shortfall) -> str:
    return f"{s.school_name}：{_gap(s)}" if s.school_name else s.text
