"""The county-year fact sheet: every figure an output shows, computed once.

``build_factsheet(data, evaluation)`` counts schools, parts, classes, students and
teachers, and derives every share, ratio, spending figure and CV from those counts, each
with its :class:`~junheng.analysis.figure_catalogue.Definition` and provenance (the
numerator and denominator of a share, the sheet a count came from). The 自评报告, the
年度答卷, JSON, xlsx, HTML and the terminal read figures from here; they never count
again. Shown values are rounded by one function (``junheng.reports.numbers.shown``).

Teachers are 义务教育 teachers only (小学、初中): 交流轮岗, 骨干教师 and 生师比 leave out
高中 and 幼儿园 teachers, as the standard's 义务教育 scope reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from junheng.analysis.afterschool import afterschool_year
from junheng.analysis.factsheet_funding import funding_figures
from junheng.analysis.factsheet_health import add_health_figures
from junheng.analysis.factsheet_measures import add_measure_figures
from junheng.analysis.factsheet_projects import project_figures
from junheng.analysis.factsheet_survey import survey_figures
from junheng.analysis.factsheet_teachers import put_supply
from junheng.analysis.figure_catalogue import BY_ID, Definition, cv_definition
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.analysis.places import PlacesSettings, capacities, large_classes
from junheng.core.facts import BackboneLevel, CountyData, SchoolType, Stage
from junheng.core.result import Evaluation
from junheng.core.scope import scope_from, teachers_in_scope

STAGES = (Stage.PRIMARY, Stage.JUNIOR)
COMPOSITE_ZH = {"composite": "综合"}  # jbjh-2012's mean of the CVs: 小学综合校际差异系数
PRESCHOOL_ITEMS = {"X1": "preschool.gross_enrolment", "X2": "preschool.inclusive_coverage",
                   "X3": "preschool.public_share"}


@dataclass(slots=True)
class Figure:
    definition: Definition
    value: float | None
    numerator: float | None = None  # shares and ratios: what was divided
    denominator: float | None = None
    source: str = ""  # where the inputs came from, in Chinese: 「教师」表 1,234 行

    @property
    def id(self) -> str:
        return self.definition.id

    def to_dict(self) -> dict[str, Any]:
        d = self.definition
        return {"id": d.id, "name": d.name, "definition": d.definition, "unit": d.unit, "kind": d.kind,
                "value": self.value, "numerator": self.numerator, "denominator": self.denominator,
                "source": self.source}


@dataclass(slots=True)
class FactSheet:
    county_code: str
    county_name: str
    school_year: int
    standard_id: str
    recognised: bool
    figures: dict[str, Figure] = field(default_factory=dict)
    places_from_standard: bool = True  # every school filled 标准班数
    # The evaluation's per-stage (passed, total) and CVs, in the order the standard lists them.
    cv_ids: dict[str, list[str]] = field(default_factory=dict)

    def __getitem__(self, figure_id: str) -> Figure:
        return self.figures[figure_id]

    def __contains__(self, figure_id: str) -> bool:
        return figure_id in self.figures

    def value(self, figure_id: str) -> float | None:
        f = self.figures.get(figure_id)
        return None if f is None else f.value

    def count(self, figure_id: str) -> int:
        v = self.value(figure_id)
        return 0 if v is None else int(v)

    def has(self, figure_id: str) -> bool:
        return self.value(figure_id) is not None

    def to_dict(self) -> dict[str, Any]:
        return {"county_code": self.county_code, "school_year": self.school_year, "standard": self.standard_id,
                "figures": {k: f.to_dict() for k, f in self.figures.items()}}

    # --- building ---

    def put(self, figure_id: str, value: float | None, source: str = "", *,
            numerator: float | None = None, denominator: float | None = None,
            definition: Definition | None = None) -> None:
        self.figures[figure_id] = Figure(definition or BY_ID[figure_id], value, numerator, denominator, source)

    def share(self, figure_id: str, part_id: str, whole_id: str) -> None:
        """``part ÷ whole`` (None when either is unknown or the whole is 0)."""
        part, whole = self.value(part_id), self.value(whole_id)
        value = part / whole if part is not None and whole else None
        self.put(figure_id, value, f"{BY_ID[part_id].name} ÷ {BY_ID[whole_id].name}",
                 numerator=part, denominator=whole)


def build_factsheet(data: CountyData, evaluation: Evaluation, preschool: Evaluation | None = None,
                    places: PlacesSettings | None = None) -> FactSheet:
    """Every figure of one county-year; ``preschool``: its xqpp-2020 evaluation, if any."""
    sheet = FactSheet(data.county.code, data.county.name or evaluation.county_name, data.county.school_year,
                      evaluation.standard_id, evaluation.recognised)
    settings = places or PlacesSettings()
    _schools(sheet, data)
    _students_and_teachers(sheet, data)
    _classes(sheet, data, settings)
    _teachers(sheet, data, evaluation)
    _money(sheet, data)
    _services(sheet, data)
    students = {st.value: sheet.value(f"students.{st.value}") for st in STAGES}
    for fid, value, source, num, den in funding_figures(data, students) + project_figures(data):
        sheet.put(fid, value, source, numerator=num, denominator=den)
    add_health_figures(sheet, data)
    _evaluation(sheet, evaluation)
    add_measure_figures(sheet, data, evaluation)
    put_supply(sheet, data)  # 教师配备（按学科和编制）: analysis/factsheet_teachers.py
    survey_figures(sheet, data)
    if preschool is not None:
        for item, fid in PRESCHOOL_ITEMS.items():
            r = preschool.items.get(item)
            value = r.value if r is not None and isinstance(r.value, (int, float)) else None
            sheet.put(fid, None if value is None else float(value), "按 xqpp-2020 评估")
    return sheet


def _schools(sheet: FactSheet, data: CountyData) -> None:
    schools = [s for s in data.schools if s.compulsory_students > 0 or s.school_type is SchoolType.SPECIAL]
    src = "「学校」表"
    sheet.put("schools", len(schools), src)
    for t in SchoolType:
        sheet.put(f"schools.type.{t.value}", sum(1 for s in schools if s.school_type is t), src)
    for st in STAGES:
        sheet.put(f"schools.{st.value}", sum(1 for s in data.schools if s.students(st) > 0), src)


def _students_and_teachers(sheet: FactSheet, data: CountyData) -> None:
    teachers = {st: sum(1 for t in data.teachers if t.stage is st) for st in STAGES}
    students = {st: sum(s.students(st) for s in data.schools) for st in STAGES}
    for st in STAGES:
        sheet.put(f"students.{st.value}", students[st], "「学校」表")
        sheet.put(f"teachers.{st.value}", teachers[st], "「教师」表")
    sheet.put("students", sum(students.values()), "「学校」表")
    sheet.put("teachers", sum(teachers.values()), "「教师」表")
    for suffix in ("", ".primary", ".junior"):
        sheet.share(f"student_teacher_ratio{suffix}", f"students{suffix}", f"teachers{suffix}")


def _classes(sheet: FactSheet, data: CountyData, settings: PlacesSettings) -> None:
    special = {s.code for s in data.schools if s.school_type is SchoolType.SPECIAL}
    classes = [c for c in data.classes if c.stage in STAGES and c.school_code not in special]
    src = "「班级」表（不含特殊教育学校）"
    for st in STAGES:
        mine = [c for c in classes if c.stage is st]
        sheet.put(f"classes.{st.value}", len(mine), src)
        sheet.put(f"class_size.{st.value}", sum(c.students for c in mine) / len(mine) if mine else None, src,
                  numerator=sum(c.students for c in mine), denominator=len(mine))
    sheet.put("classes", len(classes), src)
    sheet.put("class_size", sum(c.students for c in classes) / len(classes) if classes else None, src,
              numerator=sum(c.students for c in classes), denominator=len(classes))
    total = large_classes(data, settings)[0][-1]  # both stages, schools in scope (no special schools)
    sheet.put("large_classes", total.large, src)
    sheet.put("super_large_classes", total.super_large, src)
    sheet.put("over_standard_classes", sum(1 for c in classes if c.students > settings.class_size[c.stage]), src)
    big = total.large + total.super_large
    sheet.put("large_class_share", big / len(classes) if classes else None, src, numerator=big,
              denominator=len(classes))
    sheet.share("super_large_class_share", "super_large_classes", "classes")
    sheet.share("over_standard_share", "over_standard_classes", "classes")
    caps = capacities(data, settings)
    for st in STAGES:
        sheet.put(f"capacity.{st.value}", sum(c.capacity for c in caps if c.stage is st), "「学校」表标准班数")
    sheet.put("capacity", sum(c.capacity for c in caps), "「学校」表标准班数")
    sheet.places_from_standard = all(c.standard_from_workbook for c in caps)


def _teachers(sheet: FactSheet, data: CountyData, evaluation: Evaluation) -> None:
    # The teachers the standard counts (core.scope: 义务教育 only), so 交流轮岗 here and G11 agree.
    scope = scope_from(evaluation.settings.get("scope"))
    teachers = [t for t in teachers_in_scope(data.teachers, scope) if t.stage in STAGES]
    src = "「教师」表（小学、初中专任教师）"

    def backbone(t) -> bool:
        return t.backbone_level is not BackboneLevel.NONE

    above = load_monitoring_rules().above_required_degree  # degrees above 规定学历 per stage
    sheet.put("backbone_teachers", sum(1 for t in teachers if backbone(t)), src)
    sheet.share("backbone_share", "backbone_teachers", "teachers")
    sheet.put("above_degree_teachers", sum(1 for t in teachers if t.degree in above.get(t.stage, ())), src)
    sheet.put("rotation_eligible", sum(1 for t in teachers if t.rotation_eligible), src)
    sheet.put("rotated", sum(1 for t in teachers if t.rotated), src)
    sheet.put("rotated_backbone", sum(1 for t in teachers if t.rotated and backbone(t)), src)
    sheet.share("rotation_share", "rotated", "rotation_eligible")
    sheet.share("rotated_backbone_share", "rotated_backbone", "rotated")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _money(sheet: FactSheet, data: CountyData) -> None:
    spending = _number(data.facts.get("edu_spending"))
    students = _number(data.facts.get("students_total"))
    sheet.put("spending", spending, "「县级指标」表")
    sheet.put("students_declared", students, "「县级指标」表")
    per = spending * 10000 / students if spending is not None and students else None
    sheet.put("per_student_spending", per, "「县级指标」表：教育支出 × 10000 ÷ 在校学生数",
              numerator=None if spending is None else spending * 10000, denominator=students)


def _services(sheet: FactSheet, data: CountyData) -> None:
    named = [s for s in data.schools if s.group]
    sheet.put("groups", len({s.group for s in named}) if named else None, "「学校」表「教育集团」列")
    sheet.put("group_schools", len(named) if named else None, "「学校」表「教育集团」列")
    sheet.share("group_coverage", "group_schools", "schools")
    year = afterschool_year(data)
    known = year.columns_present and bool(year.known)
    sheet.put("afterschool_schools", year.offering if known else None, "「学校」表课后服务列")
    sheet.put("afterschool_students", year.participants if known else None, "「学校」表课后服务列")
    sheet.put("afterschool_share", year.participants / year.students if known and year.students else None,
              "参加课后服务的学生 ÷ 这些学校的在校生", numerator=year.participants if known else None,
              denominator=year.students if known else None)
    total = year.reductions[-1]  # 线下 + 线上
    sheet.put("tutoring_now", total.now, "「县级指标」表")
    sheet.put("tutoring_before", total.before, "「县级指标」表")
    cut = (total.before - total.now) / total.before if total.before and total.now is not None else None
    sheet.put("tutoring_reduction", cut, "（“双减”前 − 现有）÷ “双减”前",
              numerator=None if cut is None else total.before - total.now, denominator=total.before)


def _evaluation(sheet: FactSheet, ev: Evaluation) -> None:
    src = "评估结果"
    sheet.put("parts", len(ev.schools), src)
    sheet.put("parts.passed", sum(1 for s in ev.schools if s.passed), src)
    sheet.put("parts.excluded", len(ev.excluded), src)
    for st in STAGES:
        mine = [s for s in ev.schools if s.stage is st]
        sheet.put(f"parts.{st.value}", len(mine), src)
        sheet.put(f"parts.passed.{st.value}", sum(1 for s in mine if s.passed), src)
    meta = ev.indicator_meta
    for st, per in ev.dispersion.items():
        ids = list(per)
        sheet.cv_ids[str(st)] = ids
        for i, d in per.items():
            name = meta.get(i, {}).get("short_name") or meta.get(i, {}).get("name") or COMPOSITE_ZH.get(i, i)
            sheet.put(f"cv.{st}.{i}", d.cv, src, definition=cv_definition(str(st), i, name))
