"""A school's part of the county workbook as a web form, checked by the importer.

A form holds cells as a user types them (``{"schools": {field: cell}, "teachers":
[{field: cell}, ...], "classes": [...], "rooms": [...]}``, enum and 是/否 values as
their Chinese labels). The county's kindergarten part of a round (学前教育, filled by
the bureau) is a form of the same kind: ``{"kindergartens": [...],
"kindergarten_classes": [...]}``. To check it, the forms are laid out as the workbook's sheets
(header row, then one row per record) and read by the importer
(:func:`junheng.intake.read_county_rows`): the web form gets exactly the messages
``junheng validate`` gives for the same cells, and form row *n* is sheet row *n + 1*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from junheng.core.confirmations import Confirmations
from junheng.core.facts import CountyData
from junheng.core.issues import Issue
from junheng.intake import IntakeResult, read_county_rows
from junheng.intake.headers import column_letter
from junheng.templates.spec import FieldSpec, SheetSpec, TemplateSpec, load_template_spec
from junheng.templates.writer import FIELD_ATTRS

# 学生健康 (optional sheet, one row per school) is the school's to fill too.
SCHOOL_TABLES = ("schools", "teachers", "classes", "rooms", "health")
# The template's 学前教育 sheets: the bureau fills them for the whole county.
KINDERGARTEN_TABLES = ("kindergartens", "kindergarten_classes")
TRUE, FALSE = "是", "否"
_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*")
# The bureau's 县级说明 rows ({chapter: 中文章节名, content}) kept in the round's facts.
NOTES_KEY = "county_notes"
# 项目台账: carried from the round's base year in ``CollectionRound.facts`` under this key and
# written back as its sheet; the bureau changes it by importing the county workbook.
PROJECTS_KEY = "projects"
MAX_RECORDS = 5000  # rows of one table in one school's form
MAX_KINDERGARTEN_RECORDS = 20000  # rows of one kindergarten table of a county


def spec() -> TemplateSpec:
    return load_template_spec()


def form_schema() -> dict[str, Any]:
    """What the page needs to draw the form: each table's columns, types and choices."""
    sp = spec()
    tables = {}
    for key in (*SCHOOL_TABLES, "county", "facts", *KINDERGARTEN_TABLES):
        sheet = sp.sheet(key)
        fields = []
        for f in sheet.fields:
            if key in SCHOOL_TABLES[1:] and f.key == "school_code":
                continue  # filled in from the school the form belongs to
            options = None
            if f.type == "enum" and f.enum:
                options = _labels(sp, f.enum)
            elif f.type == "bool":
                options = [TRUE, FALSE]
            fields.append({"key": f.key, "header": f.display_header, "type": f.type,
                           "required": f.required, "options": options, "unit": f.unit,
                           "note": f.note, "min": f.min, "max": f.max,
                           "readonly": key == "schools" and f.key == "school_code"})
        tables[key] = {"sheet": sheet.name, "fields": fields}
    return tables


def _labels(sp: TemplateSpec, enum: str) -> list[str]:
    """The first label of each code (一级, not its older spelling 小学高级)."""
    seen: dict[str, str] = {}
    for label, code in sp.enums[enum].items():
        seen.setdefault(code, label)
    return list(seen.values())


# ---------------------------------------------------------------- facts -> cells


def cell_of(f: FieldSpec, value: Any) -> Any:
    """A fact value as the workbook shows it (enum code → 中文, bool → 是/否)."""
    if value is None:
        return None
    if f.type == "enum" and f.enum:
        code = value.value if isinstance(value, Enum) else value
        try:
            return spec().enum_label(f.enum, str(code))
        except KeyError:
            return str(code)
    if f.type == "bool":
        return TRUE if value else FALSE
    return value


def _record_cells(sheet: SheetSpec, record: Any) -> dict[str, Any]:
    out = {}
    extra = getattr(record, "extra", {}) or {}
    for f in sheet.fields:
        attr = FIELD_ATTRS.get((sheet.key, f.key), f.key)
        value = getattr(record, attr) if hasattr(record, attr) else extra.get(f.key)
        if value is not None:
            out[f.key] = cell_of(f, value)
    return out


def school_form(data: CountyData, school_code: str) -> dict[str, Any]:
    """One school's records of a county as form cells (to start a round from last year)."""
    sp = spec()
    school = next(s for s in data.schools if s.code == school_code)
    form: dict[str, Any] = {"schools": _record_cells(sp.sheet("schools"), school)}
    for key in SCHOOL_TABLES[1:]:
        sheet = sp.sheet(key)
        try:
            records = data.table(key)
        except KeyError:  # an optional sheet the county's data do not have (学生健康)
            records = []
        form[key] = [_record_cells(sheet, r) for r in records if r.school_code == school_code]
        for row in form[key]:
            row.pop("school_code", None)
    return form


def kindergarten_form(data: CountyData) -> dict[str, Any]:
    """A county's kindergartens and their classes as form cells (empty tables when the
    county's data have none)."""
    sp = spec()
    return {key: [_record_cells(sp.sheet(key), r) for r in data.extra_tables.get(key) or []]
            for key in KINDERGARTEN_TABLES}


def note_chapters() -> list[str]:
    """The 县级说明 chapters in the template's order (their Chinese names)."""
    return _labels(spec(), "county_note_chapter")


def notes_rows(data: CountyData) -> list[dict[str, Any]]:
    """A county's 县级说明 rows as cells (chapter in 中文), to start a round from last year."""
    chapter = spec().sheet(NOTES_KEY).fields[0]
    return [{"chapter": cell_of(chapter, r["chapter"]), "content": str(r["content"]).strip()}
            for r in data.extra_tables.get(NOTES_KEY) or []
            if isinstance(r, dict) and r.get("chapter") and str(r.get("content") or "").strip()]


def project_rows(data: CountyData) -> list[dict[str, Any]]:
    """A county's 项目台账 as cells, to carry it into a round from the base year."""
    sheet = spec().sheet(PROJECTS_KEY)
    return [_record_cells(sheet, r) for r in data.extra_tables.get(PROJECTS_KEY) or []]


def blank_kindergartens() -> dict[str, Any]:
    return {key: [] for key in KINDERGARTEN_TABLES}


@cache
def kindergarten_spec() -> TemplateSpec:
    """The template cut to 基本信息 and the kindergarten sheets: the kindergarten part is
    checked (and uploaded) on its own, without the schools' sheets being missing."""
    sp = spec()
    return sp.model_copy(update={"sheets": tuple(
        s for s in sp.sheets if s.key in ("county", *KINDERGARTEN_TABLES))})


def county_cells(data: CountyData) -> dict[str, Any]:
    c = data.county
    sheet = spec().sheet("county")
    return {f.key: cell_of(f, getattr(c, FIELD_ATTRS.get(("county", f.key), f.key), None))
            for f in sheet.fields if getattr(c, FIELD_ATTRS.get(("county", f.key), f.key), None) is not None}


def facts_cells(data: CountyData) -> dict[str, Any]:
    sheet = spec().sheet("facts")
    return {f.key: cell_of(f, data.facts[f.key]) for f in sheet.fields if f.key in data.facts}


def blank_form(school_code: str, name: str) -> dict[str, Any]:
    return {"schools": {"school_code": school_code, "name": name}, "teachers": [], "classes": [],
            "rooms": [], "health": []}


# ---------------------------------------------------------------- cells -> sheets


def _cell(f: FieldSpec, value: Any) -> Any:
    """A form value as Excel would hold it after typing: numbers typed into a number
    column are numbers, everything else text; blank is ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, (int, float)):
        return float(value) if f.type in ("int", "number") else _plain(value)
    text = str(value)
    if f.type in ("int", "number") and _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    return text


def _plain(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass
class Layout:
    """The sheets built from forms, and which form record each sheet row is."""

    sheets: dict[str, list[list[Any]]]
    # sheet -> row -> (school, index); the school is None in the county's kindergarten tables
    rows: dict[str, dict[int, tuple[str | None, int]]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)  # sheet -> field key per column
    table_of: dict[str, str] = field(default_factory=dict)  # sheet name -> table key


def layout(county: dict[str, Any], facts: dict[str, Any] | None,
           forms: list[tuple[str, dict[str, Any]]], kindergartens: dict[str, Any] | None = None) -> Layout:
    """The workbook's sheets from the round's parts; the kindergarten sheets only when
    the round has a kindergarten part."""
    sp = spec()
    out = Layout({})
    for key, values in (("county", county), ("facts", facts or {})):
        sheet = sp.sheet(key)
        rows: list[list[Any]] = [[sheet.key_header, sheet.value_header]]
        for f in sheet.fields:
            if values.get(f.key) not in (None, ""):
                rows.append([f.display_header, _cell(f, values[f.key])])
        out.sheets[sheet.name] = rows
        out.table_of[sheet.name] = key
    for key in SCHOOL_TABLES:
        sheet = sp.sheet(key)
        rows = [[f.display_header for f in sheet.fields]]
        where: dict[int, tuple[str | None, int]] = {}
        for school_code, form in forms:
            records = [form.get("schools") or {}] if key == "schools" else form.get(key) or []
            for i, record in enumerate(records[:MAX_RECORDS]):
                if not isinstance(record, dict):
                    record = {}
                record = {**record, "school_code": school_code}  # never the form's own say
                rows.append([_cell(f, record.get(f.key)) for f in sheet.fields])
                where[len(rows)] = (school_code, i)
        _add_table(out, sheet, rows, where)
    for key in KINDERGARTEN_TABLES if kindergartens is not None else ():
        sheet = sp.sheet(key)
        rows = [[f.display_header for f in sheet.fields]]
        where = {}
        for i, record in enumerate((kindergartens.get(key) or [])[:MAX_KINDERGARTEN_RECORDS]):
            rows.append([_cell(f, record.get(f.key) if isinstance(record, dict) else None)
                         for f in sheet.fields])
            where[len(rows)] = (None, i)
        _add_table(out, sheet, rows, where)
    projects = (facts or {}).get(PROJECTS_KEY)
    if projects:
        sheet = sp.sheet(PROJECTS_KEY)
        rows = [[f.display_header for f in sheet.fields]]
        rows += [[_cell(f, r.get(f.key)) for f in sheet.fields] for r in projects if isinstance(r, dict)]
        _add_table(out, sheet, rows, {})
    notes = (facts or {}).get(NOTES_KEY)
    if notes:
        sheet = sp.sheet(NOTES_KEY)
        rows = [[f.display_header for f in sheet.fields]]
        rows += [[_cell(f, r.get(f.key)) for f in sheet.fields] for r in notes if isinstance(r, dict)]
        _add_table(out, sheet, rows, {})
    return out


def _add_table(out: Layout, sheet: SheetSpec, rows: list[list[Any]],
               where: dict[int, tuple[str | None, int]]) -> None:
    out.sheets[sheet.name] = rows
    out.rows[sheet.name] = where
    out.columns[sheet.name] = [f.key for f in sheet.fields]
    out.table_of[sheet.name] = sheet.key


@dataclass
class Checked:
    result: IntakeResult
    layout: Layout

    def issues_json(self, only_school: str | None = None,
                    tables: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Issues located in the form: table, record index, field (for highlighting);
        ``tables`` keeps only the issues of those tables."""
        out = []
        for issue in self.result.report.sorted():
            table = self.layout.table_of.get(issue.sheet or "")
            school, index, key = None, None, None
            if issue.sheet in self.layout.rows and issue.row:
                school, index = self.layout.rows[issue.sheet].get(issue.row, (None, None))
                key = self._field(issue)
            if only_school is not None and school not in (None, only_school):
                continue
            if only_school is not None and table not in SCHOOL_TABLES:
                continue  # the bureau's part (基本信息, 县级指标, 幼儿园) is not the school's business
            if tables is not None and table not in tables:
                continue
            out.append({"code": issue.code, "severity": str(issue.severity), "message": issue.message,
                        "table": table, "school_code": school, "index": index, "field": key,
                        "key": issue_key(issue)})
        return out

    def _field(self, issue: Issue) -> str | None:
        columns = self.layout.columns.get(issue.sheet or "", [])
        for j, key in enumerate(columns):
            if column_letter(j) == issue.column:
                return key
        return None


def issue_key(issue: Issue) -> str:
    """A warning's identity for its 说明: the same warning keeps its explanation."""
    return f"{issue.code}:{issue.sheet}:{issue.row or ''}:{issue.column or ''}"


def check(county: dict[str, Any], facts: dict[str, Any] | None,
          forms: list[tuple[str, dict[str, Any]]], file_name: str = "网页填报",
          kindergartens: dict[str, Any] | None = None,
          confirmations: Confirmations | None = None) -> Checked:
    lay = layout(county, facts, forms, kindergartens)
    return Checked(read_county_rows(lay.sheets, file_name=file_name, confirmations=confirmations), lay)


def check_kindergartens(county: dict[str, Any], kindergartens: dict[str, Any]) -> Checked:
    """The kindergarten part alone (with the round's 基本信息): the importer's checks of
    the kindergarten sheets, the schools' sheets left out of the template."""
    lay = layout(county, None, [], kindergartens)
    for key in (*SCHOOL_TABLES, "facts"):
        del lay.sheets[spec().sheet(key).name]
    return Checked(read_county_rows(lay.sheets, spec=kindergarten_spec(), file_name="网页填报"), lay)
