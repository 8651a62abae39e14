"""Checks of the optional sheet 项目台账 across its columns and against the 学年:
a 竣工年份 before the 开工年份, a school project without a 学校标识码, a 新建 school
without a name (errors); a status that disagrees with the years (warnings).

Years follow :mod:`junheng.core.projects`: a project finished in year Y is in use from
the school year Y, so the 学校 sheet of 学年 S already holds what finished by S."""

from __future__ import annotations

from junheng.intake.recorder import IssueRecorder
from junheng.intake.sheets import KeyValues, Table
from junheng.templates.spec import TemplateSpec

# enum codes (templates/county-v1.yaml: project_kind, project_status)
NEW_SCHOOL = "new_school"
COMPLETED = "completed"
OPEN = ("approved", "building")  # committed, not finished


def check_projects(tables: dict[str, Table], items: dict[str, KeyValues], spec: TemplateSpec,
                   recorder: IssueRecorder) -> None:
    table = tables.get("projects")
    if table is None or not len(table):
        return
    county = items.get("county")
    school_year = county.values.get("school_year") if county is not None else None
    starts, finishes = table.column("start_year"), table.column("finish_year")
    kinds, statuses = table.column("kind"), table.column("status")
    codes, names = table.column("school_code"), table.column("school_name")
    finish_at = table.locate("finish_year")
    code_at, name_at = table.locate("school_code"), table.locate("school_name")
    status_at = table.locate("status")
    for i, row in enumerate(table.rows):
        start, finish, kind, status = starts[i], finishes[i], kinds[i], statuses[i]
        if start is not None and finish is not None and finish < start:
            recorder.add("project-finish-before-start", sheet=table.sheet, row=row, column=finish_at[0],
                         header=finish_at[1], value=finish, start=start)
            finish = None  # the years are wrong: no second word about the status
        if codes[i] is None and kind is not None:
            if kind != NEW_SCHOOL:
                recorder.add("project-school-missing", sheet=table.sheet, row=row, column=code_at[0],
                             header=code_at[1] or "学校标识码", value="",
                             kind=spec.enum_label("project_kind", kind))
            elif not (names[i] or "").strip():
                recorder.add("project-new-school-unnamed", sheet=table.sheet, row=row, column=name_at[0],
                             header=name_at[1] or "学校名称", value="")
        if school_year is None or finish is None or status is None:
            continue
        label = spec.enum_label("project_status", status)
        if status == COMPLETED and finish > school_year:
            recorder.add("project-status-years", sheet=table.sheet, row=row, column=status_at[0],
                         header=status_at[1], value=label, variant="completed-later", finish=finish,
                         school_year=school_year)
        elif status in OPEN and finish <= school_year:
            recorder.add("project-status-years", sheet=table.sheet, row=row, column=status_at[0],
                         header=status_at[1], value=label, variant="open-overdue", finish=finish,
                         school_year=school_year)
