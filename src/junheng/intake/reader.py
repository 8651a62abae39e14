"""``read_county_workbook``: one pass over the county workbook, all issues at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junheng.core.bulk import no_cyclic_gc
from junheng.core.confirmations import Confirmations
from junheng.core.facts import CountyData
from junheng.core.issues import IssueReport, Severity
from junheng.intake.archive import DEFAULT_LIMITS, ArchiveLimits, check_archive
from junheng.intake.assembly import build_county_data
from junheng.intake.cells import compile_converter
from junheng.intake.consistency import (
    check_codes_across_sheets,
    check_item_limits,
    check_references,
    check_row_limits,
    check_stages,
    check_unique,
)
from junheng.intake.funding import check_per_student_spending
from junheng.intake.guards import check_plausibility
from junheng.intake.headers import column_letter, norm, unit_lookup
from junheng.intake.health import check_health
from junheng.intake.projects import check_projects
from junheng.intake.recorder import IssueRecorder
from junheng.intake.sheets import KeyValues, Table, read_key_values, read_table
from junheng.intake.sheetxml import WorkbookXml
from junheng.intake.supplements import check_afterschool, check_kindergarten_classes
from junheng.intake.workbook import open_workbook, read_rows
from junheng.templates.spec import TemplateSpec, load_template_spec


@dataclass(slots=True)
class IntakeResult:
    """The county's data (None when the report holds any error) and every issue found.

    ``basics``: the 基本信息 sheet's items read without an error (``county_code``,
    ``county_name``, ``school_year`` …), also when other cells of the workbook are wrong:
    enough to say whose workbook and which year a broken file is (the bulk import's
    result table). Empty when the file could not be opened or has no such sheet."""

    data: CountyData | None
    report: IssueReport
    basics: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.data is not None



def read_county_workbook(
    path: str | Path, *, spec: TemplateSpec | None = None, file_name: str | None = None,
    confirmations: Confirmations | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> IntakeResult:
    """Read and validate a county workbook (TEMPLATE.md). Never raises for bad data;
    raises :class:`~junheng.core.errors.RefusedFileError` for a file refused unopened
    by the archive guard (intake.archive: too large, a zip bomb, XML entities).

    ``file_name`` is the name shown in messages and kept as ``data.source`` (an upload
    saved under a temporary name keeps the name the user knows); default: the path's.
    ``confirmations``: implausible values a user has confirmed (guards.py).
    """
    check_archive(path, limits, name=file_name)
    with no_cyclic_gc():
        return _read(Path(path), spec or load_template_spec(), file_name or Path(path).name,
                     confirmations)


def read_county_rows(
    sheets: Mapping[str, list[list[Any]]], *, spec: TemplateSpec | None = None,
    file_name: str = "网页表单", confirmations: Confirmations | None = None,
) -> IntakeResult:
    """Validate sheets given as rows of cells (sheet name -> rows from A1 on, blanks as
    ``""``) exactly as a workbook with those sheets: the web form's tables go through
    the same checks and get the same messages as an uploaded file."""
    spec = spec or load_template_spec()
    recorder = IssueRecorder(file=file_name)

    def read(name: str) -> tuple[list[list[Any]], list] | None:
        rows = [list(r) for r in sheets[name]]
        width = max((len(r) for r in rows), default=0)
        return [r + [""] * (width - len(r)) for r in rows], []

    with no_cyclic_gc():
        return _read_sheets(list(sheets), read, spec, file_name, recorder,
                            confirmations=confirmations)


def _read(path: Path, spec: TemplateSpec, file_name: str,
          confirmations: Confirmations | None) -> IntakeResult:
    recorder = IssueRecorder(file=file_name)
    workbook = open_workbook(path, recorder)
    if workbook is None:
        return IntakeResult(None, recorder.report([s.name for s in spec.sheets]))
    with workbook:
        return _read_sheets(workbook.sheet_names, lambda name: read_rows(workbook, name, recorder),
                            spec, file_name, recorder, WorkbookXml(path), confirmations)


def _check_formulas(xml: WorkbookXml, table: Table | None, kv: KeyValues | None,
                    recorder: IssueRecorder, mark: int) -> None:
    """A formula cell of the data whose value was never calculated by a spreadsheet
    gets one error saying so (not 不能为空 or a type error about a value it lacks)."""
    sheet = table.sheet if table is not None else kv.sheet  # type: ignore[union-attr]
    formulas = xml.formula_cells(sheet)
    if not formulas:
        return
    if table is not None:
        headers = {letter: header for letter, header in table.columns.values()}
        first = table.header_row
        cells = {(r, column_letter(c)): headers.get(column_letter(c))
                 for (r, c), trusted in formulas.items() if not trusted and r > first}
        places = {k: h for k, h in cells.items() if h is not None}
    else:
        places = {(r, column_letter(c)): kv.cells.get((r, column_letter(c)))  # type: ignore[union-attr]
                  for (r, c), trusted in formulas.items() if not trusted}
        places = {k: h for k, h in places.items() if h is not None}
    for (row, letter), header in sorted(places.items()):
        recorder.drop_at(sheet, row, letter, since=mark)
        recorder.add("formula-uncalculated", sheet=sheet, row=row, column=letter, header=header,
                     cell=f"{letter}{row}")


def _read_sheets(
    sheet_names: list[str],
    read: Callable[[str], tuple[list[list[Any]], list] | None],
    spec: TemplateSpec,
    file_name: str,
    recorder: IssueRecorder,
    xml: WorkbookXml | None = None,
    confirmations: Confirmations | None = None,
) -> IntakeResult:
    order = [s.name for s in spec.sheets]
    units = unit_lookup(spec)
    tables: dict[str, Table] = {}
    items: dict[str, KeyValues] = {}
    by_name = {norm(name): name for name in sheet_names}
    available = "、".join(sheet_names) or "无"
    for position, sheet in enumerate(spec.sheets):
        actual = by_name.get(norm(sheet.name))
        order[position] = actual or sheet.name  # issues carry the sheet's real name
        if actual is None and sheet.supplementary:
            continue  # absent, so unknown: the standards that need it say so
        if actual is None:
            recorder.add(
                "sheet-missing",
                sheet=sheet.name,
                available=available,
                variant="default" if sheet.required else "optional",
                severity=None if sheet.required else Severity.WARNING,
            )
            continue
        got = read(actual)
        if got is None:
            continue
        rows, merged = got
        converters = {f.key: compile_converter(f, spec) for f in sheet.fields}
        percent = (lambda columns, name=actual: xml.percent_cells(name, columns)) if xml else None
        mark = recorder.mark()
        if sheet.layout == "table":
            table = read_table(rows, sheet, actual, converters, recorder, merged, units,
                               spec, percent)
            if sheet.supplementary and not len(table):
                recorder.rewind(mark)  # left blank as in the template: unknown, like absent
                continue
            check_unique(table, sheet, recorder)
            check_row_limits(table, sheet, recorder)
            tables[sheet.key] = table
            if xml is not None:
                _check_formulas(xml, table, None, recorder, mark)
        else:
            kv = read_key_values(rows, sheet, actual, converters, recorder, units, spec, percent)
            check_item_limits(kv, sheet, recorder)
            items[sheet.key] = kv
            if xml is not None:
                _check_formulas(xml, None, kv, recorder, mark)
    check_references(tables, spec, recorder)
    check_codes_across_sheets(tables, spec, recorder)
    check_stages(tables, spec, recorder)
    check_kindergarten_classes(tables, spec, recorder)
    check_afterschool(tables, recorder)
    check_projects(tables, items, spec, recorder)
    check_per_student_spending(tables, items, spec, recorder)
    check_health(tables, recorder)
    check_plausibility(tables, items, spec, recorder, confirmations)
    report = recorder.report(order)
    basics = _readable_basics(items.get("county"), report)
    if recorder.errors or "county" not in items:
        return IntakeResult(None, report, basics)
    absent = {
        key: frozenset(f.key for f in spec.sheet(key).fields if f.key not in table.columns)
        for key, table in tables.items()
    }
    return IntakeResult(build_county_data(tables, items, file_name, absent), report, basics)


def _readable_basics(kv: KeyValues | None, report: IssueReport) -> dict[str, Any]:
    """The 基本信息 items that were read and have no error on their own row."""
    if kv is None:
        return {}
    wrong = {(i.sheet, i.row) for i in report if i.is_error and i.sheet == kv.sheet}
    return {key: value for key, value in kv.values.items()
            if (kv.refs[key].sheet, kv.refs[key].row) not in wrong}
