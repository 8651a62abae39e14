"""Checks across rows and sheets: unique keys, references to 学校, one field not
exceeding another, and whether the stages of a school, its teachers and its classes
fit its type.

Each check first asks a cheap set question over whole columns and only walks rows
when the answer says something is wrong. Cells that already failed their own
conversion are ``None`` here and are skipped, so one bad cell gives one issue.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from junheng.core.facts import SCHOOL_TYPE_STAGES, SchoolType, Stage
from junheng.intake.recorder import IssueRecorder, show
from junheng.intake.sheets import KeyValues, Table
from junheng.templates.spec import SheetSpec, TemplateSpec

# Field keys of the canonical template that the stage rules read.
SCHOOL_KEY = "school_code"
SCHOOL_TYPE = "school_type"
STAGE = "stage"
GRADE = "grade"
STUDENTS = "students"
STUDENT_FIELDS = {
    Stage.PRIMARY: "primary_students",
    Stage.JUNIOR: "junior_students",
    Stage.SENIOR: "senior_students",
}
# Grades of each stage. 初中 also takes grade 6 because counties on the 五四制
# (five years primary, four junior) number their junior grades 6–9.
GRADES = {Stage.PRIMARY: range(1, 7), Stage.JUNIOR: range(6, 10)}
# Types that must have both primary and junior students.
BOTH_STAGES = (SchoolType.NINE_YEAR,)


def check_unique(table: Table, sheet: SheetSpec, recorder: IssueRecorder) -> None:
    if not sheet.unique or any(k not in table.values for k in sheet.unique):
        return
    columns = [table.values[k] for k in sheet.unique]
    keys = list(zip(*columns, strict=True)) if len(columns) > 1 else columns[0]
    present = [k for k in keys if k is not None and (len(columns) == 1 or None not in k)]
    if len(set(present)) == len(present):
        return
    last = sheet.unique[-1]
    letter, header = table.locate(last)
    first_row: dict[Any, int] = {}
    for i, key in enumerate(keys):
        if key is None or (len(columns) > 1 and None in key):
            continue
        if key in first_row:
            value = table.values[last][i]
            if len(columns) > 1:
                recorder.add("duplicate-key", sheet=table.sheet, row=table.rows[i], column=letter,
                             header=header, value=value, variant="within-school",
                             school=show(key[0]), first_row=first_row[key])
            else:
                recorder.add("duplicate-key", sheet=table.sheet, row=table.rows[i], column=letter,
                             header=header, value=value, first_row=first_row[key])
        else:
            first_row[key] = table.rows[i]


def identity_sheets(spec: TemplateSpec) -> list[SheetSpec]:
    """Sheets whose rows are institutions with a national 标识码 (学校, 幼儿园): unique
    on one code field that refers to no other sheet."""
    out = []
    for sheet in spec.sheets:
        if sheet.layout == "table" and len(sheet.unique) == 1:
            f = sheet.field(sheet.unique[0])
            if f.type == "code" and f.references is None:
                out.append(sheet)
    return out


def check_codes_across_sheets(
    tables: dict[str, Table], spec: TemplateSpec, recorder: IssueRecorder
) -> None:
    """A 标识码 names one institution in the whole country: a kindergarten may not
    carry a school's code. Reported on the later sheet's row."""
    seen: dict[Any, tuple[str, int]] = {}
    for sheet in identity_sheets(spec):
        table = tables.get(sheet.key)
        key = sheet.unique[0]
        if table is None or key not in table.values:
            continue
        codes = table.values[key]
        clash = seen.keys() & set(codes) - {None}
        if clash:
            letter, header = table.locate(key)
            for i, code in enumerate(codes):
                if code in clash:
                    other, row = seen[code]
                    recorder.add("duplicate-key", sheet=table.sheet, row=table.rows[i], column=letter,
                                 header=header, value=code, variant="across-sheets", other=other,
                                 first_row=row)
        for i, code in enumerate(codes):
            if code is not None:
                seen.setdefault(code, (table.sheet, table.rows[i]))


def check_references(
    tables: dict[str, Table], spec: TemplateSpec, recorder: IssueRecorder
) -> None:
    for sheet in spec.sheets:
        table = tables.get(sheet.key)
        if table is None:
            continue
        for f in sheet.fields:
            target = tables.get(f.references or "")
            if target is None or f.key not in table.values:
                continue
            target_spec = spec.sheet(target.key)
            known = set(target.values.get(target_spec.unique[0], ())) if target_spec.unique else set()
            column = table.values[f.key]
            missing = set(column) - known - {None}
            if not missing:
                continue
            letter, header = table.locate(f.key)
            for i, value in enumerate(column):
                if value in missing:
                    recorder.add("unknown-school", sheet=table.sheet, row=table.rows[i],
                                 column=letter, header=header, value=value, target=target.sheet)


def check_row_limits(table: Table, sheet: SheetSpec, recorder: IssueRecorder) -> None:
    """``max_field``: a part may not exceed its whole in the same row."""
    for f in sheet.fields:
        if not f.max_field or f.key not in table.values or f.max_field not in table.values:
            continue
        other = sheet.field(f.max_field)
        letter, header = table.locate(f.key)
        for i, (part, whole) in enumerate(
            zip(table.values[f.key], table.values[f.max_field], strict=True)
        ):
            if part is not None and whole is not None and part > whole:
                recorder.add("value-exceeds-field", sheet=table.sheet, row=table.rows[i],
                             column=letter, header=header, value=part,
                             other=table.locate(f.max_field)[1] or other.display_header,
                             other_value=show(whole))


def check_item_limits(items: KeyValues, sheet: SheetSpec, recorder: IssueRecorder) -> None:
    for f in sheet.fields:
        part, whole = items.values.get(f.key), items.values.get(f.max_field or "")
        if part is None or whole is None or part <= whole:
            continue
        ref = items.refs[f.key]
        recorder.add("value-exceeds-field", sheet=ref.sheet, row=ref.row, column=ref.column,
                     header=ref.header, value=part,
                     other=items.refs[f.max_field].header, other_value=show(whole))


def check_stages(tables: dict[str, Table], spec: TemplateSpec, recorder: IssueRecorder) -> None:
    """School types against their students, teachers and classes (TEMPLATE.md)."""
    schools = tables.get("schools")
    if schools is None or SCHOOL_TYPE not in schools.values:
        return
    type_of = {
        code: SchoolType(kind)
        for code, kind in zip(schools.column(SCHOOL_KEY), schools.values[SCHOOL_TYPE], strict=True)
        if code is not None and kind is not None
    }
    label = spec.enum_label
    _check_school_students(schools, label, recorder)
    teachers = tables.get("teachers")
    if teachers is not None:
        _check_member_stages(teachers, type_of, label, "teacher", recorder)
    classes = tables.get("classes")
    if classes is not None:
        _check_member_stages(classes, type_of, label, "class-stage", recorder)
        _check_grades(classes, label, recorder)
        if len(classes):
            _check_class_totals(schools, classes, label, recorder)


def _check_school_students(schools: Table, label: Any, recorder: IssueRecorder) -> None:
    kinds = schools.values[SCHOOL_TYPE]
    for stage, key in STUDENT_FIELDS.items():
        if key not in schools.values:
            continue
        letter, header = schools.locate(key)
        for i, (kind, count) in enumerate(zip(kinds, schools.values[key], strict=True)):
            if kind is None or count is None:
                continue
            school_type = SchoolType(kind)
            if count > 0 and stage not in SCHOOL_TYPE_STAGES[school_type]:
                recorder.add("stage-impossible", sheet=schools.sheet, row=schools.rows[i],
                             column=letter, header=header, value=count,
                             school_type=label("school_type", kind), stage=label("stage", stage))
            elif count == 0 and school_type in BOTH_STAGES and stage is not Stage.SENIOR:
                recorder.add("stage-impossible", sheet=schools.sheet, row=schools.rows[i],
                             column=letter, header=header, value=count, variant="needs-both",
                             school_type=label("school_type", kind), stage=label("stage", stage))


def _check_member_stages(
    table: Table, type_of: dict[str, SchoolType], label: Any, variant: str, recorder: IssueRecorder
) -> None:
    """A teacher or class of a stage its school's type does not have."""
    if STAGE not in table.values or SCHOOL_KEY not in table.values:
        return
    codes, stages = table.values[SCHOOL_KEY], table.values[STAGE]
    bad = {
        (code, stage)
        for code, stage in set(zip(codes, stages, strict=True))
        if code in type_of and stage is not None
        and Stage(stage) not in SCHOOL_TYPE_STAGES[type_of[code]]
    }
    if not bad:
        return
    letter, header = table.locate(STAGE)
    for i, pair in enumerate(zip(codes, stages, strict=True)):
        if pair in bad:
            code, stage = pair
            recorder.add("stage-impossible", sheet=table.sheet, row=table.rows[i], column=letter,
                         header=header, value=label("stage", stage), variant=variant, school=code,
                         school_type=label("school_type", type_of[code]),
                         stage=label("stage", stage))


def _check_grades(classes: Table, label: Any, recorder: IssueRecorder) -> None:
    if STAGE not in classes.values or GRADE not in classes.values:
        return
    stages, grades = classes.values[STAGE], classes.values[GRADE]
    bad = {
        (stage, grade)
        for stage, grade in set(zip(stages, grades, strict=True))
        if stage is not None and grade is not None and Stage(stage) in GRADES
        and grade not in GRADES[Stage(stage)]
    }
    if not bad:
        return
    letter, header = classes.locate(GRADE)
    for i, pair in enumerate(zip(stages, grades, strict=True)):
        if pair in bad:
            allowed = GRADES[Stage(pair[0])]
            recorder.add("stage-impossible", sheet=classes.sheet, row=classes.rows[i],
                         column=letter, header=header, value=pair[1], variant="class-grade",
                         stage=label("stage", pair[0]), low=allowed[0], high=allowed[-1])


def _check_class_totals(
    schools: Table, classes: Table, label: Any, recorder: IssueRecorder
) -> None:
    """Students of a school per stage against the sum over its classes (a warning)."""
    if not {SCHOOL_KEY, STAGE, STUDENTS} <= classes.values.keys():
        return
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for code, stage, students in zip(classes.values[SCHOOL_KEY], classes.values[STAGE],
                                     classes.values[STUDENTS], strict=True):
        if code is not None and stage is not None and students is not None:
            totals[(code, stage)] += students
    codes = schools.column(SCHOOL_KEY)
    for stage in GRADES:  # the compulsory stages, the ones 班级 holds
        key = STUDENT_FIELDS[stage]
        if key not in schools.values:
            continue
        letter, header = schools.locate(key)
        for i, (code, count) in enumerate(zip(codes, schools.values[key], strict=True)):
            if code is None or count is None:
                continue
            total = totals.get((code, stage.value), 0)
            if total != count:
                recorder.add("students-mismatch", sheet=schools.sheet, row=schools.rows[i],
                             column=letter, header=header, value=count,
                             classes_sheet=classes.sheet, stage=label("stage", stage.value),
                             class_total=total)
