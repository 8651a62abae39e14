"""What the web app's analysis pages show for a stored county-year, and the download
of their tables — the same computations as the CLI commands:

- 学位与大班额: :func:`junheng.services.places.places_for_data` (``junheng places``);
- 集团化办学: :func:`junheng.services.groups.groups_for_data` (``junheng groups``);
- 课后服务: :func:`junheng.analysis.afterschool.afterschool_report` (``junheng afterschool``);
- 教师流动: :func:`junheng.services.trends.county_flows` (``junheng flows``);
- 学前教育: the xqpp-2020 evaluation (``junheng evaluate --standard xqpp-2020``) and
  :func:`junheng.analysis.kindergartens.by_category` (the 自评报告's table).

The headline figures (学位数, 大班额比例, 集团化办学覆盖率, 课后服务, 交流轮岗比例, 毛入园率 …)
are read from the county-year's fact sheet, as the 年度答卷 prints them. Every number
is formatted by :mod:`junheng.reports.numbers` (one rounding for every output).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from junheng.analysis.afterschool import AfterschoolReport, afterschool_report
from junheng.analysis.groups import GroupsReport
from junheng.analysis.kindergartens import by_category
from junheng.analysis.places import PlacesReport
from junheng.core.errors import JunhengError, NotFoundError
from junheng.core.facts import STAGE_ZH, URBAN_RURAL_ZH
from junheng.core.preschool import KINDERGARTEN_CATEGORY_ZH
from junheng.core.standard import Standard
from junheng.reports import numbers as fmt
from junheng.services.accounts import Principal
from junheng.services.groups import groups_for_data
from junheng.services.places import places_for_data
from junheng.services.stored_analyses import Stored, chart_number, stored, tiles, workbook_bytes
from junheng.services.trends import CountyFlows, county_flows

FORECAST_YEARS = 3  # as `junheng places` by default
PAGES = {"places": "学位与大班额", "groups": "集团化办学", "afterschool": "课后服务",
         "flows": "教师流动", "preschool": "学前教育"}
YES_NO = {True: "是", False: "否", None: "未填写"}


def _pct(value: float | None) -> str:
    return fmt.percent(value)


# --- 学位与大班额 ---------------------------------------------------------------------------


def _places_report(s: Stored) -> PlacesReport:
    previous = s.data(-2) if len(s.versions) > 1 else None
    return s.view("places-report", lambda: places_for_data(s.data(), previous, FORECAST_YEARS))


def places_view(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None,
                standard: Standard | str | None = None) -> dict[str, Any]:
    s = stored(engine, actor, county_code, school_year, standard)
    return s.view("places", lambda: _places(s))


def _places(s: Stored) -> dict[str, Any]:
    r = _places_report(s)
    fs = s.facts().facts
    names = {c.school_code: c.school_name for c in r.capacities}
    schools = [{"code": c.school_code, "name": c.school_name, "stage": STAGE_ZH[c.stage], "students": c.students,
                "classes": c.classes, "standard_classes": c.standard_classes,
                "from_workbook": c.standard_from_workbook, "capacity": c.capacity, "spare": c.spare,
                "added": r.added.get((c.school_code, c.stage))} for c in r.capacities]
    large = [{"stage": "合计" if x.stage is None else STAGE_ZH[x.stage], "classes": x.classes, "large": x.large,
              "large_share": _pct(x.large_share), "super_large": x.super_large,
              "super_large_share": _pct(x.super_large_share)} for x in r.large]
    by_school = sorted(({"code": code, "name": names.get(code, code), "large": a, "super_large": b}
                        for code, (a, b) in r.large_by_school.items()),
                       key=lambda x: (-(x["large"] + x["super_large"]), x["code"]))
    flagged = []
    for x in r.flagged():
        problems = []
        if x.over_capacity:
            problems.append(f"学位缺 {x.students - x.capacity} 个")
        if x.too_few_classrooms:
            problems.append(f"需 {x.classes_needed} 个班，仅 {x.standard_classes} 个标准班（将超班额）")
        flagged.append({"name": x.school_name, "code": x.school_code, "stage": STAGE_ZH[x.stage], "year": x.year,
                        "students": x.students, "capacity": x.capacity, "problem": "；".join(problems)})
    # The forecast chart: each stage's students now and in the years ahead against its places.
    years = [r.school_year, *sorted({x.year for x in r.forecast})]
    forecast = []
    for stage in (c.stage for c in r.large if c.stage is not None):
        caps = [c for c in r.capacities if c.stage is stage]
        if not caps:
            continue
        ahead = [sum(x.students for x in r.forecast if x.stage is stage and x.year == y) for y in years[1:]]
        forecast.append({"stage": STAGE_ZH[stage], "students": [sum(c.students for c in caps), *ahead],
                         "capacity": sum(c.capacity for c in caps)})
    added = sum(r.added.values()) if r.added else None
    return {**s.head(), "page": "places",
            "tiles": tiles(fs, ["capacity", "large_class_share", "large_classes", "super_large_classes",
                                "capacity.primary", "capacity.junior", "classes", "super_large_class_share",
                                "over_standard_share"]),
            "added": added, "schools": schools, "stand_in": any(not c.standard_from_workbook for c in r.capacities),
            "large": large, "large_by_school": by_school, "flagged": flagged,
            "survival": [{"from": g, "to": g + 1, "ratio": _pct(v)} for g, v in r.survival.items()],
            "survival_learnt": s.previous_year is not None, "forecast_years": FORECAST_YEARS,
            "chart": {"kind": "places", "years": [str(y) for y in years], "forecast": forecast,
                      "large_by_school": [{"name": x["name"], "large": x["large"], "super_large": x["super_large"]}
                                          for x in by_school[:15]]}}


def places_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int) -> bytes:
    from junheng.reports.renderers.places_workbook import write_places_xlsx

    report = _places_report(stored(engine, actor, county_code, school_year))
    return workbook_bytes(lambda path: write_places_xlsx(report, path))


# --- 集团化办学 ---------------------------------------------------------------------------


def _groups_report(s: Stored) -> GroupsReport:
    return s.view("groups-report", lambda: groups_for_data(s.all_data(), s.standard))


def groups_view(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None,
                standard: Standard | str | None = None) -> dict[str, Any]:
    s = stored(engine, actor, county_code, school_year, standard)
    return s.view("groups", lambda: _groups(s))


def _groups(s: Stored) -> dict[str, Any]:
    fs = s.facts().facts
    base = {**s.head(), "page": "groups",
            "tiles": tiles(fs, ["groups", "group_schools", "schools", "group_coverage"]),
            "groups": [], "problem": None, "chart": {"kind": "groups", "years": [], "series": []}}
    try:
        r = _groups_report(s)
    except JunhengError as exc:  # a standard without per-school indicators
        return {**base, "problem": exc.message}
    units = {i: m.get("unit") for i, m in s.facts().evaluation.indicator_meta.items()}
    groups = []
    for g in r.groups:
        stages = []
        for st in g.stages:
            members = [{"name": m.name, "code": m.school_code, "lead": m.is_lead, "students": m.students,
                        "cells": [{"value": fmt.indicator(m.values[i], units.get(i)),
                                   "to_lead": None if m.is_lead or m.to_lead[i] is None else fmt.percent(m.to_lead[i], 0),
                                   "below": (m.to_lead[i] is not None and m.to_lead[i] < 1 and not m.is_lead)}
                                  for i in r.indicators]} for m in st.members]
            stages.append({"stage": STAGE_ZH[st.stage], "members": members,
                           "cvs": [fmt.cv(st.cvs[i]) for i in r.indicators],
                           "county_cvs": [fmt.cv(st.county_cvs[i]) for i in r.indicators],
                           "mean_cv": fmt.cv(st.mean_cv), "county_mean_cv": fmt.cv(st.county_mean_cv),
                           "more_balanced": st.mean_cv is not None and st.county_mean_cv is not None
                           and st.mean_cv < st.county_mean_cv})
        trends = [{"stage": STAGE_ZH[t.stage], "years": t.years, "mean_cv": [fmt.cv(v) for v in t.mean_cv],
                   "narrowing": {True: "集团内差距在缩小", False: "集团内差距没有缩小", None: "可比年份不足"}[t.narrowing],
                   "narrowing_value": t.narrowing}
                  for t in r.trends if t.name == g.name]
        groups.append({"name": g.name, "lead": g.lead_name, "lead_note": g.lead_note, "size": len(g.schools),
                       "stages": stages, "trends": trends})
    years = sorted({y for t in r.trends for y in t.years})
    series = [{"name": f"{t.name}（{STAGE_ZH[t.stage]}）", "values": [chart_number(v, "cv") for v in t.mean_cv]}
              for t in r.trends]
    return {**base, "groups": groups, "ungrouped": r.ungrouped,
            "indicators": [{"id": i, "name": r.names[i]} for i in r.indicators],
            "chart": {"kind": "groups", "years": [str(y) for y in years], "series": series,
                      "places": fmt.places("cv")}}


def groups_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int,
                    standard: Standard | str | None = None) -> bytes:
    from junheng.reports.renderers.groups_workbook import write_groups_xlsx

    report = _groups_report(stored(engine, actor, county_code, school_year, standard))
    return workbook_bytes(lambda path: write_groups_xlsx(report, path))


# --- 课后服务 -----------------------------------------------------------------------------


def _afterschool_report(s: Stored) -> AfterschoolReport:
    return s.view("afterschool-report", lambda: afterschool_report(s.all_data()))


def afterschool_view(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None,
                     standard: Standard | str | None = None) -> dict[str, Any]:
    s = stored(engine, actor, county_code, school_year, standard)
    return s.view("afterschool", lambda: _afterschool(s))


def _afterschool(s: Stored) -> dict[str, Any]:
    r = _afterschool_report(s)
    y = r.current
    fs = s.facts().facts
    schools = sorted(({"code": x.school_code, "name": x.name, "students": x.students, "offers": YES_NO[x.offers],
                       "offers_value": x.offers, "participants": x.participants,
                       "participation": _pct(x.participation), "ratio": x.participation} for x in y.schools),
                     key=lambda x: (x["offers_value"] is not False, x["offers_value"] is not None,
                                    x["ratio"] if x["ratio"] is not None else 2.0, x["code"]))
    return {**s.head(), "page": "afterschool",
            "tiles": tiles(fs, ["afterschool_coverage", "afterschool_schools", "afterschool_students", "afterschool_share",
                                "tutoring_now", "tutoring_before", "tutoring_reduction"]),
            "columns_present": y.columns_present, "coverage": _pct(y.coverage), "offering": y.offering,
            "known": len(y.known), "unknown": [x.name for x in y.unknown],
            "participation": _pct(y.participation), "participants": y.participants, "students": y.students,
            "schools": schools,
            "reductions": [{"channel": x.channel, "before": x.before, "now": x.now, "rate": _pct(x.rate)}
                           for x in y.reductions],
            "trend": [{"school_year": x.school_year, "coverage": _pct(x.coverage),
                       "participation": _pct(x.participation),
                       "offline": x.reductions[0].now, "online": x.reductions[1].now} for x in r.years],
            "chart": {"kind": "afterschool", "years": [str(x.school_year) for x in r.years],
                      "coverage": [chart_number(x.coverage, "percent") for x in r.years],
                      "participation": [chart_number(x.participation, "percent") for x in r.years]}}


def afterschool_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int) -> bytes:
    from junheng.reports.renderers.afterschool_workbook import write_afterschool_xlsx

    report = _afterschool_report(stored(engine, actor, county_code, school_year))
    return workbook_bytes(lambda path: write_afterschool_xlsx(report, path))


# --- 教师流动 -----------------------------------------------------------------------------


def _flows(s: Stored) -> CountyFlows | None:
    if s.previous_year != s.school_year - 1:
        return None
    return s.view("flows-report", lambda: county_flows(s.engine, s.county_code, s.school_year))


def flows_view(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None,
               standard: Standard | str | None = None) -> dict[str, Any]:
    s = stored(engine, actor, county_code, school_year, standard)
    return s.view("flows", lambda: _flows_view(s))


def _share(label: str, x) -> dict[str, Any]:
    return {"label": label, "rotated": x.rotated, "eligible": x.eligible, "share": _pct(x.share),
            "backbone": x.backbone_rotated, "backbone_share": _pct(x.backbone_share),
            "ok": {True: "达到", False: "未达到", None: "无法判断"}[x.ok], "ok_value": x.ok}


def _flows_view(s: Stored) -> dict[str, Any]:
    fs = s.facts().facts
    base = {**s.head(), "page": "flows",
            "tiles": tiles(fs, ["rotation_share", "rotated_backbone_share", "rotated", "rotation_eligible",
                                "teachers"]),
            "problem": None, "chart": {"kind": "flows", "nodes": [], "links": []}}
    f = _flows(s)
    if f is None:
        return {**base, "problem": f"数据库中没有 {s.school_year - 1} 学年的数据，无法比较两年的教师名册；"
                                   f"导入 {s.school_year - 1} 学年的工作簿后即可看到教师流动。"}
    r = f.report

    def name(code: str | None) -> str:
        return "" if code is None else f.names.get(code, code)

    targets = sorted({b for row in r.matrix.values() for b in row})
    matrix = {"columns": [name(b) for b in targets],
              "rows": [{"name": name(a), "cells": [r.matrix[a].get(b) or "" for b in targets],
                        "total": sum(r.matrix[a].values())} for a in sorted(r.matrix)]}
    # A Sankey must have no cycle (A → B and B → A both happen): 调出 and 调入 are separate nodes.
    out_nodes = sorted(r.matrix)
    links = [{"source": f"{name(a)} ▸", "target": f"▸ {name(b)}", "value": n}
             for a in out_nodes for b, n in sorted(r.matrix[a].items())]
    nodes = [{"name": f"{name(a)} ▸"} for a in out_nodes] + [{"name": f"▸ {name(b)}"} for b in targets]
    schools = [{"name": name(x.school_code), "code": x.school_code, "teachers": x.teachers, "eligible": x.eligible,
                "declared": x.declared, "share": _pct(x.share), "backbone": x.declared_backbone,
                "moved_in": x.moved_in, "moved_out": x.moved_out} for x in r.by_school]
    return {**base, "shares": [_share("名册实际调动", r.real), _share("填报的交流轮岗", r.declared)],
            "moves": [{"teacher": m.teacher_id, "from": name(m.from_school), "to": name(m.to_school),
                       "backbone": m.backbone, "declared": m.declared} for m in r.moves],
            "joined": len(r.joined), "left": len(r.left), "matrix": matrix, "schools": schools,
            "disagreements": [{"teacher": d.teacher_id, "text": d.text} for d in r.disagreements],
            "chart": {"kind": "flows", "nodes": nodes, "links": links}}


def flows_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int) -> bytes:
    from junheng.reports.renderers.history_workbook import write_flows_xlsx

    s = stored(engine, actor, county_code, school_year)
    f = _flows(s)
    if f is None:  # no earlier year: the Chinese NotFoundError naming it
        f = county_flows(engine, county_code, s.school_year)
    return workbook_bytes(lambda path: write_flows_xlsx(f.report, f.names, path))


# --- 学前教育 -----------------------------------------------------------------------------


def preschool_view(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None,
                   standard: Standard | str | None = None) -> dict[str, Any]:
    s = stored(engine, actor, county_code, school_year, standard)
    return s.view("preschool", lambda: _preschool(s))


def preschool_parts(s: Stored) -> dict[str, Any]:
    """The xqpp-2020 evaluation, the rows by 办园性质 and the kindergartens of the year."""
    data = s.data()
    pre = s.facts().preschool
    if pre is None:
        missing = "未填写「幼儿园」表" if data.extra_tables.get("kindergartens") is None else "「幼儿园」表没有数据"
        raise NotFoundError(f"{s.county_name} {s.school_year} 学年的数据{missing}，没有学前教育的数据")
    classes: dict[str, int] = {}
    for c in data.extra_tables.get("kindergarten_classes") or []:
        classes[c.kindergarten_code] = classes.get(c.kindergarten_code, 0) + 1
    has_classes = data.extra_tables.get("kindergarten_classes") is not None
    gardens = [{"code": k.code, "name": k.name, "category": KINDERGARTEN_CATEGORY_ZH[k.category],
                "urban_rural": URBAN_RURAL_ZH.get(k.urban_rural, ""), "township": k.township or "",
                "central": k.central, "children": k.children,
                "classes": classes.get(k.code, 0) if has_classes else None, "teachers": k.teachers}
               for k in data.extra_tables["kindergartens"]]
    items = [{"id": i, "name": x.name, "passed": x.passed, "evaluable": x.evaluable, "message": x.message,
              "verdict": "达标" if x.passed else ("未达标" if x.passed is False else "缺少数据")}
             for i, x in pre.items.items()]
    raw = by_category(data) or []
    rows = [{"label": r.label, "kindergartens": r.kindergartens, "children": r.children,
             "classes": fmt.integer(r.classes), "teachers": r.teachers, "class_size": fmt.fixed(r.class_size, 1),
             "ratio": "—" if r.children_per_teacher is None else f"1:{fmt.fixed(r.children_per_teacher, 1)}"}
            for r in raw]
    return {"evaluation": pre, "items": items, "categories": rows, "category_rows": raw, "gardens": gardens}


def _preschool(s: Stored) -> dict[str, Any]:
    base = {**s.head(), "page": "preschool",
            "tiles": tiles(s.facts().facts, ["preschool.gross_enrolment", "preschool.inclusive_coverage",
                                             "preschool.public_share"]),
            "problem": None, "chart": {"kind": "preschool", "categories": []}}
    try:
        parts = preschool_parts(s)
    except NotFoundError as exc:
        return {**base, "problem": exc.message}
    pre = parts.pop("evaluation")
    parts.pop("category_rows")
    cats = parts["categories"][:-1]
    return {**base, **parts, "recognised": pre.recognised, "standard_title": pre.standard_title,
            "dimensions": [{"name": d.name, "passed": d.passed} for d in pre.dimensions.values()],
            "chart": {"kind": "preschool", "categories": [c["label"] for c in cats],
                      "kindergartens": [c["kindergartens"] for c in cats],
                      "children": [c["children"] for c in cats]}}


def preschool_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int) -> bytes:
    from junheng.reports.renderers.preschool_workbook import write_preschool_xlsx

    s = stored(engine, actor, county_code, school_year)
    parts = preschool_parts(s)
    title = f"{s.county_name} {s.school_year} 学年学前教育"
    return workbook_bytes(lambda path: write_preschool_xlsx(title, parts, path))
