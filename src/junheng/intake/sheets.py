"""Reading one sheet: a table (one record per row) or a 项目 | 值 list.

A table is converted column by column: the rows are transposed once and each
field's precompiled converter runs over its whole column. The result keeps, per
field, one value per kept row plus the Excel row numbers, so later checks can point
at any cell without going back to the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from junheng.core.facts import Ref
from junheng.core.issues import Severity
from junheng.intake.cells import Converter, compile_converter, exact_times
from junheng.intake.headers import (
    HEADER_SCAN_ROWS,
    Units,
    column_letter,
    header_lookup,
    header_unit,
    locate_columns,
    norm,
    report_unit,
)
from junheng.intake.recorder import ColumnSink, IssueRecorder, show
from junheng.templates.spec import SheetSpec, TemplateSpec

# (Excel row, column index) of the cells of the given columns formatted as %
PercentCells = Callable[[set[int]], set[tuple[int, int]]]
_HUNDRED = Fraction(100)

Merged = list[tuple[tuple[int, int], tuple[int, int]]]


@dataclass
class Table:
    """One table sheet, column-wise: ``values[key][i]`` is in Excel row ``rows[i]``."""

    key: str
    sheet: str
    rows: Sequence[int]
    values: dict[str, list[Any]]
    columns: dict[str, tuple[str, str]]  # field key -> (column letter, header text)
    header_row: int = 1  # Excel row of the header

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, key: str) -> list[Any]:
        return self.values.get(key) or [None] * len(self.rows)

    def locate(self, key: str) -> tuple[str | None, str | None]:
        return self.columns.get(key, (None, None))


@dataclass
class KeyValues:
    """One 项目 | 值 sheet: the values given and where each came from."""

    key: str
    sheet: str
    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Ref] = field(default_factory=dict)
    cells: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, letter) -> item


def _blank_row(row: list[Any]) -> bool:
    return all(type(v) is str and not v.strip() for v in row)


def read_table(
    rows: list[list[Any]],
    spec: SheetSpec,
    sheet_name: str,
    converters: dict[str, Converter],
    recorder: IssueRecorder,
    merged: Merged | None = None,
    units: Units | None = None,
    template: TemplateSpec | None = None,
    percent_cells: PercentCells | None = None,
) -> Table:
    header = locate_columns(rows, spec, sheet_name, recorder, merged, units)
    if header.factors and template is not None:
        converters = dict(converters)
        for key, factor in header.factors.items():
            converters[key] = compile_converter(spec.field(key), template, factor)
    percent_columns = {j for key, (j, _) in header.columns.items() if spec.field(key).unit == "%"}
    formatted = percent_cells(percent_columns) if percent_cells and percent_columns else set()
    first = header.index + 1  # index of the first data row
    data = rows[first:]
    width = len(rows[0]) if rows else 0
    # A row of empty cells is skipped; calamine pads every row to the sheet width.
    kept = [i for i, r in enumerate(data) if r.count("") != width]
    if len(kept) == len(data):
        body, numbers = data, range(first + 1, first + 1 + len(data))
    else:
        body, numbers = [data[i] for i in kept], [first + 1 + i for i in kept]
    columns = {key: (column_letter(j), text) for key, (j, text) in header.columns.items()}

    mark = recorder.mark()
    values = _convert(body, numbers, spec, sheet_name, header.columns, converters, recorder,
                      formatted)
    # Rows of spaces only look filled to the fast blank test; they show up as rows
    # whose required cells are all blank. Drop them and convert again (rare).
    suspects = {i.row for i in recorder.issues[mark:] if i.code == "value-required"}
    if suspects:
        position = {n: k for k, n in enumerate(numbers)}
        blank = {n for n in suspects if _blank_row(body[position[n]])}
        if blank:
            recorder.rewind(mark)
            pairs = [(r, n) for r, n in zip(body, numbers, strict=True) if n not in blank]
            body = [r for r, _ in pairs]
            numbers = [n for _, n in pairs]
            values = _convert(body, numbers, spec, sheet_name, header.columns, converters,
                              recorder, formatted)
    if not body:
        severity = Severity.ERROR if spec.min_rows > 0 else None
        recorder.add("sheet-no-rows", sheet=sheet_name, severity=severity)
    return Table(spec.key, sheet_name, numbers, values, columns, header.excel_row)


def _convert(
    body: list[list[Any]],
    numbers: Sequence[int],
    spec: SheetSpec,
    sheet_name: str,
    located: dict[str, tuple[int, str]],
    converters: dict[str, Converter],
    recorder: IssueRecorder,
    formatted: set[tuple[int, int]] = frozenset(),
) -> dict[str, list[Any]]:
    transposed = list(zip(*body, strict=True)) if body else []
    values: dict[str, list[Any]] = {}
    for f in spec.fields:
        if f.key not in located:
            continue
        j, text = located[f.key]
        cells = transposed[j] if transposed else ()
        shown: frozenset[int] = frozenset()
        if formatted and f.unit == "%":
            cells, shown = as_shown(cells, numbers, j, formatted)
        sink = ColumnSink(recorder, sheet_name, numbers, column_letter(j), text, shown)
        values[f.key] = converters[f.key](cells, sink)
    return values


def as_shown(cells: Sequence[Any], numbers: Sequence[int], j: int,
             formatted: set[tuple[int, int]]) -> tuple[list[Any], frozenset[int]]:
    """A % column as Excel shows it: a number in a %-formatted cell ×100 (0.965 → 96.5).
    Also the positions changed, so no 'typed as a fraction' warning is given for them."""
    out = list(cells)
    shown = set()
    for i, (value, row) in enumerate(zip(cells, numbers, strict=True)):
        if (row, j) in formatted and type(value) in (float, int) and type(value) is not bool:
            out[i] = exact_times(float(value), _HUNDRED)
            shown.add(i)
    return out, frozenset(shown)


def read_key_values(
    rows: list[list[Any]],
    spec: SheetSpec,
    sheet_name: str,
    converters: dict[str, Converter],
    recorder: IssueRecorder,
    units: Units | None = None,
    template: TemplateSpec | None = None,
    percent_cells: PercentCells | None = None,
) -> KeyValues:
    """项目 | 值 rows, matched by normalised 项目; unknown 项目 are warnings."""
    result = KeyValues(spec.key, sheet_name)
    key_col, value_col, start = _key_value_columns(rows, spec)
    if start == 0 and rows:
        recorder.add("kv-header-missing", sheet=sheet_name, row=1,
                     key_header=spec.key_header, value_header=spec.value_header)
    lookup = header_lookup(spec)
    fields = {f.key: f for f in spec.fields}
    letter = column_letter(value_col)
    seen: dict[str, int] = {}
    formatted: set[tuple[int, int]] = set()
    if percent_cells is not None and any(f.unit == "%" for f in spec.fields):
        formatted = percent_cells({value_col})
    for index in range(start, len(rows)):
        row = rows[index]
        excel_row = index + 1
        item = row[key_col] if key_col < len(row) else ""
        raw = row[value_col] if value_col < len(row) else ""
        if type(item) is str and not item.strip():
            if not (type(raw) is str and not raw.strip()):
                recorder.add("item-unknown", sheet=sheet_name, row=excel_row,
                             column=column_letter(key_col), value=item)
            continue
        text = item.strip() if isinstance(item, str) else show(item)
        key = lookup.get(norm(item))
        if key is None:
            recorder.add("item-unknown", sheet=sheet_name, row=excel_row,
                         column=column_letter(key_col), value=text)
            continue
        if key in seen:
            recorder.add("item-duplicate", sheet=sheet_name, row=excel_row,
                         column=column_letter(key_col), value=text, first_row=seen[key])
            continue
        seen[key] = excel_row
        result.cells[(excel_row, letter)] = text
        convert = converters[key]
        named = header_unit(text, fields[key], units)
        if named is not None:
            report_unit(named, recorder, sheet=sheet_name, row=excel_row,
                        column=column_letter(key_col), header=text, value=text)
            if named.factor is not None and template is not None:
                convert = compile_converter(fields[key], template, named.factor)
        cells: Sequence[Any] = (raw,)
        shown: frozenset[int] = frozenset()
        if formatted and fields[key].unit == "%":
            cells, shown = as_shown(cells, [excel_row], value_col, formatted)
        sink = ColumnSink(recorder, sheet_name, [excel_row], letter, text, shown)
        value = convert(cells, sink)[0]
        if value is not None:  # a blank fact is simply absent (not evaluable)
            result.values[key] = value
            result.refs[key] = Ref(sheet_name, excel_row, letter, text)
    for key, f in fields.items():
        if f.required and key not in seen:
            recorder.add("item-missing", sheet=sheet_name, header=f.header)
    return result


def _key_value_columns(rows: list[list[Any]], spec: SheetSpec) -> tuple[int, int, int]:
    """(项目 column, 值 column, first data row index). Without a 项目/值 header row,
    column A holds the items and B the values from row 1 on."""
    want_key, want_value = norm(spec.key_header), norm(spec.value_header)
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = [norm(c) for c in row]
        if want_key in names and want_value in names:
            return names.index(want_key), names.index(want_value), i + 1
    return 0, 1, 0
