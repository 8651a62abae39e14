"""The closing chapters of the 自评报告: 存在的问题 and 下一步工作打算 (整改任务 with
what, where, how much, by when and the estimated cost; the bureau's own plans), and the
bureau's own chapters from the workbook's 「县级说明」 sheet (主要做法与成效, the
社会认可度 survey), placed verbatim or flagged 「待填写」."""

from __future__ import annotations

from collections.abc import Sequence

from junheng.core.facts import STAGE_ZH, CountyData
from junheng.core.result import Evaluation, Shortfall
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import (
    Cell,
    Document,
    Paragraph,
    Placeholder,
    Section,
    Table,
    cells,
)
from junheng.reports.documents.findings import report_title
from junheng.reports.documents.remedies import TO_FILL, Remedy, item_label, remedies
from junheng.reports.documents.wording import heading2, join_names

NOTE_CHAPTERS = {"practices": "主要做法与成效", "survey_method": "社会认可度调查方法",
                 "survey_sample": "社会认可度调查样本", "next_steps": "下一步工作打算",
                 "deadline": "整改完成时限", "responsible": "整改责任单位"}


def county_notes(data: CountyData | None) -> dict[str, list[str]]:
    """The 「县级说明」 rows by chapter, in the workbook's order (blank rows dropped)."""
    out: dict[str, list[str]] = {}
    for row in (data.extra_tables.get("county_notes") or []) if data is not None else []:
        chapter, text = row.get("chapter"), str(row.get("content") or "").strip()
        if chapter and text:
            out.setdefault(str(chapter), []).append(text)
    return out


def missing_note(doc: Document, chapter: str, what: str) -> None:
    doc.missing.append(f"{what}（工作簿「县级说明」表「{NOTE_CHAPTERS[chapter]}」）")


def verbatim(section: Section, doc: Document, notes: dict[str, list[str]], chapter: str, hint: str) -> bool:
    """The bureau's paragraphs as written, or a 待填写 slot listed as missing."""
    texts = notes.get(chapter)
    if texts:
        section.add(*(Paragraph(t) for t in texts))
        return True
    section.add(Placeholder(f"{NOTE_CHAPTERS[chapter]}（待填写）", hint))
    missing_note(doc, chapter, NOTE_CHAPTERS[chapter])
    return False


def practices(section: Section, doc: Document, notes: dict[str, list[str]]) -> None:
    verbatim(section, doc, notes, "practices",
             "请在工作簿「县级说明」表中按段填写我县推进工作的主要做法与取得的成效（如政府统筹、经费投入、"
             "学校建设、教师队伍建设、集团化办学等），报告将原样引用")


def survey(section: Section, doc: Document, notes: dict[str, list[str]], ev: Evaluation) -> None:
    """How 社会认可度 was surveyed: method and sample, from the bureau, never invented."""
    sub = section.sub(heading2(len(section.sections) + 1, "调查方法与样本"), key="survey")
    item = next((i for i in ev.items.values() if "认可度" in i.name and i.value is not None), None)
    if item is not None and isinstance(item.value, (int, float)):
        share = item.value / 100 if item.value > 1 else item.value  # the workbook's 91.6 (%) or 0.916
        sub.add(Paragraph(f"社会认可度调查的综合结果为 {fmt.percent(share)}，调查方法和样本如下。"))
    verbatim(sub, doc, notes, "survey_method",
             "调查方式（如委托第三方、网络问卷、入户访谈）、调查时间和调查对象（学生、家长、教师、校长、人大代表、"
             "政协委员及其他群众）")
    verbatim(sub, doc, notes, "survey_sample", "各类调查对象的样本数量、抽样方法和有效问卷回收率")


# --- 存在的问题 ---------------------------------------------------------------------------


def problems(section: Section, ev: Evaluation, monitoring: set[str], kindergartens: bool) -> None:
    items = [i for i in ev.items.values() if i.passed is False and i.dimension not in monitoring]
    unknown = [i for i in ev.not_evaluable() if i.dimension not in monitoring]
    failing = ev.failing_schools()
    over = [(st, i, d) for st, t in ev.dispersion.items() for i, d in t.items() if d.passed is False]
    if not (failing or over or items or unknown or ev.shortfalls):
        section.add(Paragraph("经自评，各项指标均达到要求，未发现需要整改的问题。"))
        return
    lines: list[str] = []
    if failing:
        names = [f"{s.name}（{STAGE_ZH[s.stage]}）" for s in failing]
        lines.append(f"学校资源配置仍有短板。{len(failing)} 所学校（学段）未达到学校达标要求：{join_names(names, 15)}。")
    if over:
        parts = [f"{STAGE_ZH[st]}{item_label(ev, i)}为 {fmt.cv(d.cv)}，超过限值 {fmt.limit(d.limit)}"
                 for st, i, d in over]
        lines.append("校际差距仍然偏大：" + "；".join(parts) + "。")
    for item in items:
        lines.append(f"“{item_label(ev, item.item_id)}”尚未达到要求" + (f"（{item.message}）。" if item.message else "。"))
    if unknown:
        names = "、".join(f"“{item_label(ev, i.item_id)}”" for i in unknown)
        lines.append(f"{names}缺少数据，暂无法评估，需补齐数据后复核。")
    advisory = [s for s in ev.shortfalls if s.school_code and not s.blocking]
    if advisory and not items and not failing:
        lines.append("部分学校个别指标低于达标值（已按基本值条款达标），仍需补足。")
    for n, line in enumerate(lines, 1):
        section.add(Paragraph(f"{n}. {line}"))
    # Gaps that block a school first, then the advisory ones (schools passing on 85 %).
    school_short = [s for s in ev.shortfalls if s.school_code and s.blocking]
    school_short += [s for s in ev.shortfalls if s.school_code and not s.blocking]
    if school_short:
        section.add(_shortfall_table(ev, school_short, kindergartens))


def _gap(s: Shortfall) -> str:
    return s.text.removeprefix(f"{s.school_name}：") if s.school_name else s.text


def _shortfall_table(ev: Evaluation, shortfalls: list[Shortfall], kindergartens: bool) -> Table:
    """需整改的学校及缺口; a 学段 column only where the gaps have stages (not kindergartens')."""
    staged = any(s.stage for s in shortfalls)
    who = "幼儿园（班级）" if kindergartens else "学校"
    header = ["序号", who] + (["学段"] if staged else []) + ["项目", "差距"]
    rows = []
    for k, s in enumerate(shortfalls, 1):
        row = [Cell(str(k), align="center"), Cell(s.school_name or "")]
        if staged:
            row.append(Cell(STAGE_ZH[s.stage] if s.stage else "—", align="center"))
        advice = "" if s.blocking or "建议补足" in s.text else "（建议补足）"
        row += [Cell(item_label(ev, s.item_id)), Cell(_gap(s) + advice,
                                                       tone=None if s.blocking else "warn")]
        rows.append(row)
    note = None
    if not all(s.blocking for s in shortfalls):
        note = ("注：标“建议补足”的为全县比例已达到要求的缺口，不影响认定。" if kindergartens
                else "注：标“建议补足”的为学校已按基本值条款达标、建议补足的差距。")
    return Table(caption=f"需整改的{'幼儿园' if kindergartens else '学校'}及差距", header=[cells(*header)],
                 rows=rows, widths=[1.5, 5.5] + ([1.5] if staged else []) + [6, 7.5], key="shortfalls", note=note)


# --- 下一步工作打算 ------------------------------------------------------------------------


def next_steps(section: Section, doc: Document, ev: Evaluation, measures: Sequence[str] | None,
               monitoring: set[str], kindergartens: bool, notes: dict[str, list[str]]) -> None:
    fixes = section.sub(heading2(1, "整改措施"), key="measures")
    found = remedies(ev, monitoring, kindergartens)
    deadline = "；".join(notes.get("deadline", [])) or TO_FILL
    who = "；".join(notes.get("responsible", [])) or TO_FILL
    if measures:  # a plan was run: its measures and costs
        for k, line in enumerate(measures, 1):
            fixes.add(Paragraph(f"{k}. {line}"))
    elif found:
        fixes.add(Paragraph(_lead(found, ev)))
        for k, r in enumerate(found, 1):
            fixes.add(Paragraph(f"{k}. {_sentence(r)}"))
        label = doc.attach(_task_table(found, deadline, who, "涉及幼儿园" if kindergartens else "涉及学校"))
        fixes.add(Paragraph(f"各项任务的措施、数量、估算投入、完成时限和责任单位汇总于{label}（整改任务清单）。"))
    else:
        topic = report_title(ev).removeprefix(ev.county_name)
        fixes.add(Paragraph(f"各项指标均已达到要求。我县将继续巩固{topic}成果，保持各项指标稳定达标。"))
    if (measures or found) and (deadline == TO_FILL or who == TO_FILL):
        fixes.add(Placeholder("整改完成时限与责任单位（待填写）",
                              "请在工作簿「县级说明」表「整改完成时限」「整改责任单位」中填写，或在此处补充"))
        missing_note(doc, "deadline" if deadline == TO_FILL else "responsible", "整改完成时限与责任单位")
    more = section.sub(heading2(2, "巩固提升"), key="plans")
    verbatim(more, doc, notes, "next_steps", "下一阶段巩固提升的目标、主要举措、经费保障和责任分工")


def _lead(found: list[Remedy], ev: Evaluation) -> str:
    blocking = [r for r in found if r.blocking]
    cost = sum(r.cost for r in found if r.cost is not None)
    text = f"针对自评发现的问题，我县拟实施以下 {len(found)} 项整改任务"
    if blocking and len(blocking) < len(found):
        text += f"，其中前 {len(blocking)} 项关系认定结果，其余为建议补足事项"
    if cost:
        text += f"，按整改规划的默认单价估算，共需投入约 {fmt.amount(cost)} 万元"
    return text + "。"


def _sentence(r: Remedy) -> str:
    parts = [r.measure]
    if r.schools:
        n = len(r.schools)
        where = f"涉及{'、'.join(r.schools)}"
        if 1 < n <= 6:
            where += f" {n} {r.noun}"
        elif n > 6:
            where = f"涉及{'、'.join(r.schools[:6])}等 {n} {r.noun}"
        if r.classes:
            where += f"的 {r.classes} 个班级"
        parts.append(where)
    if r.amount:
        parts.append(r.amount)
    if r.cost is not None and r.cost_basis:
        parts.append(f"{r.cost_basis}约 {fmt.amount(r.cost)} 万元")
    return f"{r.item}。" + "，".join(parts) + "。" + ("" if r.blocking else "本项不影响认定，建议结合年度计划补足。")


def _task_table(found: list[Remedy], deadline: str, who: str, where: str) -> Table:
    rows = []
    for k, r in enumerate(found, 1):
        rows.append([Cell(str(k), align="center"), Cell(r.item), Cell(r.measure),
                     Cell(join_names(r.schools, 6) if r.schools else "全县"), Cell(r.amount or "—"),
                     Cell(fmt.fixed(r.cost, 2) if r.cost is not None else "—", align="right"),  # a column: 40.00 over 164.26
                     Cell(deadline, tone="warn" if deadline == TO_FILL else None),
                     Cell(who, tone="warn" if who == TO_FILL else None)])
    return Table(caption="整改任务清单",
                 header=[cells("序号", "整改项目", "主要措施", where, "整改数量", "估算投入（万元）",
                               "完成时限", "责任单位")],
                 rows=rows, widths=[1.2, 4, 6, 5, 4.5, 2.5, 2.5, 2.5], key="tasks", wide=True,
                 note="注：估算投入按整改规划的默认单价计算，仅供编制预算参考；编制整改规划后以规划结果为准。")
