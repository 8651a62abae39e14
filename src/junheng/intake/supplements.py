"""Cross-row checks of the optional sheets and columns: a kindergarten's children per
class type against its classes, and after-school participants against a school's
students. Both are warnings: the numbers still import, the user is told where they
disagree."""

from __future__ import annotations

from collections import defaultdict

from junheng.intake.recorder import IssueRecorder
from junheng.intake.sheets import Table
from junheng.templates.spec import TemplateSpec

# kindergarten column of children per class type (enum code of 班级类型)
CHILDREN_FIELDS = {"small": "children_small", "middle": "children_middle",
                   "large": "children_large", "mixed": "children_mixed"}


def check_kindergarten_classes(tables: dict[str, Table], spec: TemplateSpec, recorder: IssueRecorder) -> None:
    kgs, classes = tables.get("kindergartens"), tables.get("kindergarten_classes")
    if kgs is None or classes is None or not len(classes):
        return
    if not {"kindergarten_code", "class_type", "children"} <= classes.values.keys():
        return
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for code, kind, n in zip(classes.values["kindergarten_code"], classes.values["class_type"],
                             classes.values["children"], strict=True):
        if code is not None and kind is not None and n is not None:
            totals[(code, kind)] += n
    codes = kgs.column("kindergarten_code")
    seen: dict[str, int] = defaultdict(int)
    for code in codes:
        seen[code] += 1
    for kind, key in CHILDREN_FIELDS.items():
        if key not in kgs.values:
            continue
        letter, header = kgs.locate(key)
        for i, (code, count) in enumerate(zip(codes, kgs.values[key], strict=True)):
            if code is None or count is None or seen[code] > 1:  # a duplicate code is its own error
                continue
            total = totals.get((code, kind), 0)
            if total != count:
                recorder.add("kindergarten-children-mismatch", sheet=kgs.sheet, row=kgs.rows[i],
                             column=letter, header=header, value=count, classes_sheet=classes.sheet,
                             class_type=spec.enum_label("kindergarten_class_type", kind),
                             class_total=total)


def check_afterschool(tables: dict[str, Table], recorder: IssueRecorder) -> None:
    schools = tables.get("schools")
    if schools is None or "afterschool_students" not in schools.values:
        return
    letter, header = schools.locate("afterschool_students")
    offers = schools.column("afterschool")
    for i, (n, p, j) in enumerate(zip(schools.values["afterschool_students"], schools.column("primary_students"),
                                      schools.column("junior_students"), strict=True)):
        if n is None:
            continue
        students = (p or 0) + (j or 0)
        if n > students:
            recorder.add("afterschool-exceeds-students", sheet=schools.sheet, row=schools.rows[i],
                         column=letter, header=header, value=n, students=students)
        elif n > 0 and offers[i] is False:
            recorder.add("afterschool-not-offered", sheet=schools.sheet, row=schools.rows[i],
                         column=letter, header=header, value=n)
