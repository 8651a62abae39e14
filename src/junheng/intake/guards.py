"""Plausibility guards: a value that is possible but almost surely a slip is an error
until a user confirms it (template ``plausibility``, docs/validation.md).

The guards run in intake, after the sheets are read and before the county's data are
built, so every path that reads a workbook — validate, evaluate, import, report,
plan, the web upload and the web collection — applies them once, the same way. A
confirmed value becomes a warning that says who confirmed it and why.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from junheng.core.confirmations import Confirmations
from junheng.intake.recorder import IssueRecorder, show
from junheng.intake.sheets import KeyValues, Table
from junheng.templates.spec import PerStudentGuard, RangeGuard, TemplateSpec

COMPULSORY_STAGES = ("primary", "junior")


def check_plausibility(
    tables: dict[str, Table], items: dict[str, KeyValues], spec: TemplateSpec,
    recorder: IssueRecorder, confirmations: Confirmations | None,
) -> None:
    confirmed = confirmations or Confirmations()
    sheets = {s.key: s for s in spec.sheets}  # a cut-down spec (kindergartens only) has fewer
    for guard in spec.plausibility.ranges:
        if guard.sheet not in sheets:
            continue
        unit = sheets[guard.sheet].field(guard.field).unit or ""
        if guard.sheet in tables:
            table = tables[guard.sheet]
            if guard.field not in table.values:
                continue
            letter, header = table.locate(guard.field)
            for i, x in enumerate(table.values[guard.field]):
                bound = _outside(x, guard)
                if bound:
                    _flag(recorder, confirmed, table.sheet, table.rows[i], letter, header, x,
                          bound + unit, None)
        elif guard.sheet in items:
            kv = items[guard.sheet]
            x, ref = kv.values.get(guard.field), kv.refs.get(guard.field)
            bound = _outside(x, guard)
            if bound and ref is not None:
                _flag(recorder, confirmed, ref.sheet, ref.row, ref.column, ref.header, x,
                      bound + unit, None)
    schools = tables.get("schools")
    if schools is not None and spec.plausibility.per_student:
        _per_student(schools, tables.get("teachers"), spec, recorder, confirmed)


def _outside(x: Any, guard: RangeGuard | PerStudentGuard) -> str | None:
    """The bound crossed, as text (「大于 100000」), or None."""
    if x is None or type(x) is bool:
        return None
    if guard.max is not None and x > guard.max:
        return f"上限 {show(guard.max)} "
    if guard.min is not None and x < guard.min:
        return f"下限 {show(guard.min)} "
    return None


def _per_student(schools: Table, teachers: Table | None, spec: TemplateSpec,
                 recorder: IssueRecorder, confirmed: Confirmations) -> None:
    codes = schools.column("school_code")
    students = [(p or 0) + (j or 0) if p is not None or j is not None else None
                for p, j in zip(schools.column("primary_students"),
                                schools.column("junior_students"), strict=True)]
    counts: Counter[str] = Counter()
    if teachers is not None:
        counts.update(code for code, stage in zip(teachers.column("school_code"),
                                                  teachers.column("stage"), strict=True)
                      if stage in COMPULSORY_STAGES)
    code_letter, code_header = schools.locate("school_code")
    types = schools.column("school_type")
    for guard in spec.plausibility.per_student:
        if guard.field is not None:
            if guard.field not in schools.values:
                continue
            amounts = schools.values[guard.field]
            letter, header = schools.locate(guard.field)
        else:
            amounts = [counts[c] if c is not None else None for c in codes]
            letter, header = code_letter, code_header
        for i, (amount, n) in enumerate(zip(amounts, students, strict=True)):
            if amount is None or not n or n < guard.min_students or types[i] in guard.except_types:
                continue
            figure = amount * guard.scale / n
            bound = _outside(figure, guard)
            if not bound:
                continue
            value = amount if guard.field is not None else codes[i]
            what = (f"{guard.label} {show(round(figure, 2))} {guard.unit}"
                    f"（{show(amount)} ÷ 在校生 {n} 人）")
            _flag(recorder, confirmed, schools.sheet, schools.rows[i], letter, header, value,
                  bound + guard.unit, what)


def _flag(recorder: IssueRecorder, confirmed: Confirmations, sheet: str, row: int,
          column: str | None, header: str | None, value: Any, bound: str, what: str | None) -> None:
    column = column or ""
    ref = f"{sheet}!{column}{row}"
    variant = "default" if what is None else "per-student"
    found = confirmed.find(sheet, column, row, value)
    if found is None:
        recorder.add("value-implausible", sheet=sheet, row=row, column=column or None,
                     header=header, value=value, variant=variant, bound=bound.strip(),
                     figure=what or "", ref=ref)
    elif found.review:
        recorder.add("value-review", sheet=sheet, row=row, column=column or None,
                     header=header, value=value, variant=variant, bound=bound.strip(),
                     figure=what or "", ref=ref)
    else:
        by = f"由 {found.by} " if found.by else ""
        reason = f"，说明：{found.reason}" if found.reason else ""
        recorder.add("value-confirmed", sheet=sheet, row=row, column=column or None,
                     header=header, value=value, variant=variant, bound=bound.strip(),
                     figure=what or "", ref=ref, by=by, reason=reason)
