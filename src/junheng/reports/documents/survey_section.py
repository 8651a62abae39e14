"""The 自评报告's 社会认可度 section: how the survey was run (groups, questionnaire,
sample size and allocation, collection), its sample (codes issued, questionnaires
received and valid, by group) and its result with the confidence interval — from the
survey S1 took its value from. Without a survey, the bureau's own text
(problems_section.survey)."""

from __future__ import annotations

from junheng.analysis.survey import SurveySummary
from junheng.analysis.survey_design import GROUPS
from junheng.core.facts import CountyData
from junheng.core.result import Evaluation
from junheng.reports import numbers as fmt
from junheng.reports.documents import problems_section
from junheng.reports.documents.document import Cell, Document, Paragraph, Section, Table, cells
from junheng.reports.documents.wording import heading2


def survey(section: Section, doc: Document, notes: dict[str, list[str]], ev: Evaluation,
           data: CountyData | None) -> None:
    rows = (data.extra_tables.get("survey") or []) if data is not None else []
    if not rows:
        problems_section.survey(section, doc, notes, ev)
        return
    s: SurveySummary = rows[0]
    r, st = s.result, s.result.settings
    sub = section.sub(heading2(len(section.sections) + 1, "调查方法与样本"), key="survey")
    groups = "、".join(GROUPS[g] for g in st.groups)
    labels = "“非常满意”“满意”" if tuple(st.recognised_answers) == (5, 4) else \
        "、".join(str(v) for v in st.recognised_answers) + " 分"
    sources = []
    if s.web_answers:
        sources.append("受访者凭一次性匿名调查码在网页问卷作答，每个调查码只能提交一次")
    if s.imported_answers:
        sources.append("另有通过其他渠道（纸质问卷或其他调查工具）收集、逐份录入后导入的答卷")
    sub.add(Paragraph(
        f"按照《县域义务教育优质均衡发展督导评估办法》第九条，{s.school_year}学年社会认可度调查面向{groups}开展。"
        f"问卷为《{s.questionnaire_title}》，共 {s.items} 题，涉及{'、'.join(s.dimensions)}等方面，每题按五级作答，"
        f"选择{labels}的计为认可；每份有效问卷的认可度为认可的题数占所答题数的比例。"))
    sub.add(Paragraph(
        f"各群体样本量按置信水平 {fmt.percent(st.confidence, 0)}、允许误差 ±{fmt.percent(st.margin, 0)} 确定"
        f"（按各群体总体人数作有限总体校正），并按预计回收率 {fmt.percent(st.response_rate, 0)} 发放调查码；"
        f"学生、家长、教师、校长按各校人数比例分配到 {s.schools} 所学校抽样。"
        + ("；".join(sources) + "。" if sources else "")
        + f"答题数达到本群体题数 {fmt.percent(st.min_answered_share, 0)} 的问卷为有效问卷。"))
    issued = r.issued
    parts = []
    if issued:
        parts.append(f"共发放调查码 {fmt.integer(issued)} 个，凭调查码收回问卷 {fmt.integer(r.coded)} 份，"
                     f"回收率 {fmt.percent(r.response_rate)}")
    if r.received - r.coded:
        parts.append(f"导入其他渠道收集的问卷 {fmt.integer(r.received - r.coded)} 份")
    sub.add(Paragraph("；".join(parts + [f"合计收回 {fmt.integer(r.received)} 份，有效问卷 {fmt.integer(r.valid)} 份。"])))
    conf = fmt.percent(st.confidence, 0)
    # Nine columns: the headers take two lines, broken where the words meet (a cell's "\n").
    head = cells("调查对象", "总体\n人数", "应调查\n样本", "发放\n调查码", "收回\n问卷", "调查码\n回收率", "有效\n问卷",
                 "认可度", f"{conf} 置信区间")
    body = []
    for g in r.groups:
        interval = "—" if g.low is None else f"{fmt.percent(g.low)}～{fmt.percent(g.high)}"
        body.append([Cell(g.name), Cell(fmt.integer(g.population) if g.population is not None else "—"),
                     Cell(fmt.integer(g.required)), Cell(fmt.integer(g.issued) if g.issued is not None else "—"),
                     Cell(fmt.integer(g.received)),
                     Cell(fmt.percent(g.response_rate) if g.response_rate is not None else "—"),
                     Cell(fmt.integer(g.valid), tone="warn" if g.below_minimum else None),
                     Cell(fmt.percent(g.share) if g.share is not None else "—"), Cell(interval)])
    overall = "—" if r.low is None else f"{fmt.percent(r.low)}～{fmt.percent(r.high)}"
    body.append([Cell("合计", bold=True), Cell(""), Cell(fmt.integer(sum(s.required.values()))),
                 Cell(fmt.integer(issued) if issued else "—"), Cell(fmt.integer(r.received)),
                 Cell(fmt.percent(r.response_rate) if r.response_rate is not None else "—"),
                 Cell(fmt.integer(r.valid)), Cell(fmt.percent(r.share), bold=True), Cell(overall)])
    weights = "各群体等权" if st.weights == "equal" else "按各群体总体人数加权"
    sub.add(Table(caption="社会认可度调查样本与结果", header=[head], rows=body,
                  widths=[1.2, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 2.0], align=["left"] + ["right"] * 8,
                  note=f"总体认可度{weights}；调查码回收率 = 凭调查码收回的问卷 ÷ 发放的调查码（导入的答卷不计）；"
                       "有效问卷少于应调查样本的群体标注“△”。", key="survey-groups"))
    passed = r.share is not None and r.share * 100 >= 85
    lines = [f"全县社会认可度为 {fmt.percent(r.share)}（{conf} 置信区间 {overall}），"
             f"{'达到' if passed else '未达到'} 85% 的要求。"]
    short = r.below_minimum
    if short:
        lines.append(f"{'、'.join(g.name for g in short)}的有效问卷少于应调查样本数，该群体结果的误差可能大于设计的允许误差。")
    lines += r.notes
    if s.typed_pct is not None:
        lines.append(f"工作簿「县级指标」表填报的社会认可度为 {fmt.percent(float(s.typed_pct) / 100)}，"
                     "本报告采用调查结果。")
    sub.add(Paragraph("".join(x if x.endswith("。") else x + "。" for x in lines)))
    for chapter in ("survey_method", "survey_sample"):  # the bureau's own words, when written
        sub.add(*(Paragraph(t) for t in notes.get(chapter, [])))
