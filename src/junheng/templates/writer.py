"""Write the canonical county workbook (TEMPLATE.md), blank or filled, with XlsxWriter.

Everything comes from the template spec (``county-v1.yaml``): sheet order, headers,
dropdowns, numeric ranges, units and notes. The importer reads the same spec, so a
workbook written here always reads back without errors.

Large counties (thousands of schools, hundreds of thousands of teachers) are written
in XlsxWriter's ``constant_memory`` mode: rows stream to disk in order, so memory
stays flat and there is no shared-string table to build.
"""

from __future__ import annotations

import math
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.core.facts import CountyData
from junheng.templates.guide import (
    GUIDE_SHEET,
    allowed_text,
    field_description,
    field_rows,
    guide_lines,
)
from junheng.templates.spec import FieldSpec, SheetSpec, TemplateSpec, load_template_spec
from junheng.templates.streaming import StreamingWorksheet

# Rows covered by dropdowns and range checks in each table, beyond the data written.
VALIDATION_ROWS = {"schools": 5000, "teachers": 300000, "classes": 300000, "rooms": 50000}
DEFAULT_VALIDATION_ROWS = 10000
MAX_ROWS = 1_048_576

TRUE_LABEL, FALSE_LABEL = "是", "否"

# Template keys whose attribute on the fact records has another name.
FIELD_ATTRS = {
    ("county", "county_code"): "code",
    ("county", "county_name"): "name",
    ("schools", "school_code"): "code",
    ("kindergartens", "kindergarten_code"): "code",
}


@dataclass(frozen=True)
class _Formats:
    header: Any
    text: Any
    wrap: Any
    title: Any
    key: Any


def write_county_workbook(
    data: CountyData | None,
    path: str | Path,
    *,
    spec: TemplateSpec | None = None,
    on_sheet: Callable[[str, int], None] | None = None,
) -> Path:
    """Write ``data`` (or, when None, a blank template) to ``path`` as .xlsx.

    ``on_sheet(name, rows)`` is called before each data sheet is written (progress)."""
    spec = spec or load_template_spec()
    path = Path(path)
    # Write next to the target and move into place at the end: a failed write never
    # leaves a half-written file, nor destroys the file it was meant to replace.
    # (Created by XlsxWriter itself, so the file gets the usual permissions.)
    temp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.xlsx")
    # XlsxWriter's constant_memory row files go to a scratch folder removed in any case.
    with tempfile.TemporaryDirectory(prefix="junheng-", ignore_cleanup_errors=True) as scratch:
        try:
            _write(data, temp, spec, on_sheet, scratch)
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    return path


def _write(
    data: CountyData | None,
    path: Path,
    spec: TemplateSpec,
    on_sheet: Callable[[str, int], None] | None,
    scratch: str,
) -> None:
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False,
               "tmpdir": scratch}
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"title": spec.title, "subject": spec.id, "author": "junheng"})
    formats = _formats(workbook)
    _write_guide(workbook.add_worksheet(GUIDE_SHEET), spec, formats)
    for sheet in spec.sheets:
        if on_sheet is not None:
            on_sheet(sheet.name, len(_records(data, sheet)) if sheet.layout == "table" else 0)
        if sheet.layout == "key_value":
            ws = workbook.add_worksheet(sheet.name)
            _write_key_value(ws, sheet, spec, formats, _key_values(data, sheet))
        else:
            ws = workbook.add_worksheet(sheet.name, worksheet_class=StreamingWorksheet)
            _write_table(ws, sheet, spec, formats, _records(data, sheet))
    if data is not None:
        # A filled workbook opens on its data; a blank one on 填表说明 (the first sheet).
        workbook.worksheets()[1].activate()
    try:
        workbook.close()
    except FileCreateError as exc:
        # XlsxWriter wraps the OSError (no permission, disk full); callers handle OSError.
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        raise (cause or OSError(str(exc))) from exc


def _formats(workbook: Workbook) -> _Formats:
    header = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#DDEBF7",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
        }
    )
    return _Formats(
        header=header,
        text=workbook.add_format({"num_format": "@"}),
        wrap=workbook.add_format({"text_wrap": True, "valign": "top"}),
        title=workbook.add_format({"bold": True, "font_size": 14}),
        key=workbook.add_format({"bold": True}),
    )


# ---------------------------------------------------------------------------- data


def _records(data: CountyData | None, sheet: SheetSpec) -> list[Any]:
    if data is None:
        return []
    try:
        return data.table(sheet.key)
    except KeyError:
        return []


def _key_values(data: CountyData | None, sheet: SheetSpec) -> dict[str, Any]:
    if data is None:
        return {}
    if sheet.key == "county":
        county = data.county
        return {
            f.key: getattr(county, FIELD_ATTRS.get((sheet.key, f.key), f.key), None)
            for f in sheet.fields
        }
    if sheet.key == "facts":
        return dict(data.facts)
    table = data.extra_tables.get(sheet.key)
    if isinstance(table, dict):
        return table
    return {}


def _getter(sheet: SheetSpec, field: FieldSpec, sample: Any) -> Callable[[Any], Any]:
    """Read one field from a record: a dataclass attribute, its ``extra`` dict, or a dict key."""
    key = field.key
    if isinstance(sample, dict):
        return lambda record: record.get(key)
    attr = FIELD_ATTRS.get((sheet.key, key), key)
    if hasattr(sample, attr):
        return attrgetter(attr)
    return lambda record: getattr(record, "extra", {}).get(key)


def _cell_value(field: FieldSpec, spec: TemplateSpec) -> Callable[[Any], Any]:
    """Turn a fact value into what the workbook shows (enum code → 中文, bool → 是/否)."""
    if field.type == "enum" and field.enum:
        labels: dict[str, str] = {}
        for label, code in spec.enums[field.enum].items():
            labels.setdefault(code, label)  # the first label of a code is its name (一级, not 小学高级)

        def enum_value(value: Any) -> Any:
            if value is None:
                return None
            code = value.value if isinstance(value, Enum) else value
            return labels.get(code, str(code))

        return enum_value
    if field.type == "bool":
        return lambda value: None if value is None else (TRUE_LABEL if value else FALSE_LABEL)
    return lambda value: value


# ------------------------------------------------------------------------ the guide


def _write_guide(ws: Worksheet, spec: TemplateSpec, fmt: _Formats) -> None:
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 42)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 3, 8)
    ws.set_column(4, 4, 8)
    ws.set_column(5, 5, 30)
    ws.set_column(6, 6, 60)
    row = 0
    for i, line in enumerate(guide_lines(spec)):
        if line:
            ws.write_string(row, 0, line, fmt.title if i == 0 else None)
        row += 1
    headers = ("工作表", "列名或项目", "类型", "是否必填", "单位", "允许的取值", "说明与用途")
    for col, text in enumerate(headers):
        ws.write_string(row, col, text, fmt.header)
    row += 1
    for values in field_rows(spec):
        for col, text in enumerate(values):
            ws.write_string(row, col, text, fmt.wrap)
        row += 1


# ------------------------------------------------------------------- table sheets


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _column_width(field: FieldSpec) -> float:
    width = _display_width(field.display_header) + 2
    if field.type == "code":
        width = max(width, (field.digits or 14) + 4)
    elif field.type == "text":
        width = max(width, 24)
    return float(min(max(width, 9), 40))


def _write_table(
    ws: StreamingWorksheet,
    sheet: SheetSpec,
    spec: TemplateSpec,
    fmt: _Formats,
    records: list[Any],
) -> None:
    fields = sheet.fields
    last_col = len(fields) - 1
    for col, field in enumerate(fields):
        ws.set_column(col, col, _column_width(field), fmt.text if field.type == "code" else None)
    ws.set_row(0, 36)
    ws.freeze_panes(1, 0)
    for col, field in enumerate(fields):
        ws.write_string(0, col, field.display_header, fmt.header)
        ws.write_comment(
            0, col, f"{field.display_header}：{field_description(field, sheet, spec)}",
            {"x_scale": 2.2, "y_scale": 1.6},
        )
    last_row = min(max(VALIDATION_ROWS.get(sheet.key, DEFAULT_VALIDATION_ROWS), len(records) + 1000),
                   MAX_ROWS - 1)
    for col, field in enumerate(fields):
        options = _validation(field, sheet, spec, 1, col)
        if options is not None:
            ws.data_validation(1, col, last_row, col, options)
    ws.autofilter(0, 0, max(len(records), 1), last_col)
    if records:
        _write_rows(ws, sheet, spec, fmt, records)


def _write_rows(
    ws: StreamingWorksheet,
    sheet: SheetSpec,
    spec: TemplateSpec,
    fmt: _Formats,
    records: list[Any],
) -> None:
    sample = records[0]
    columns = []
    for field in sheet.fields:
        if field.type in ("enum", "bool"):
            kind = "label"
        elif field.type in ("code", "text"):
            kind = "text"
        else:
            kind = "number"
        style = fmt.text if field.type == "code" else None
        columns.append((_getter(sheet, field, sample), kind, style, _cell_value(field, spec)))
    ws.stream_rows(1, records, columns)


def _validation(
    field: FieldSpec, sheet: SheetSpec, spec: TemplateSpec, row: int, col: int
) -> dict[str, Any] | None:
    """Data-validation options for one column (or one key-value cell), or None."""
    title = field.header[:32]
    message = field_description(field, sheet, spec)[:255]
    base = {"input_title": title, "input_message": message, "error_title": "输入有误"}
    if field.type == "enum" and field.enum:
        labels = spec.enum_labels(field.enum)
        return base | {
            "validate": "list",
            "source": labels,
            "error_message": f"请从下拉列表中选择：{'、'.join(labels)}"[:255],
        }
    if field.type == "bool":
        # A warning, not a stop: 1/0, Y/N, √/× are accepted on import too.
        return base | {
            "validate": "list",
            "source": [TRUE_LABEL, FALSE_LABEL],
            "error_type": "warning",
            "error_message": "请选择 是 或 否。",
        }
    if field.type in ("int", "number"):
        return base | _numeric_validation(field, sheet, spec, row, col)
    if field.type == "code" and field.digits:
        return base | {
            "validate": "length",
            "criteria": "==",
            "value": field.digits,
            "error_type": "warning",
            "error_message": f"应为 {field.digits} 位数字编码。",
        }
    return base | {"validate": "any"}


def _numeric_validation(
    field: FieldSpec, sheet: SheetSpec, spec: TemplateSpec, row: int, col: int
) -> dict[str, Any]:
    is_int = field.type == "int"
    kind = "integer" if is_int else "decimal"
    allowed = allowed_text(field, sheet, spec)
    error = f"请填写{'整数' if is_int else '数值'}" + (f"，{allowed}" if allowed else "") + "。"
    low, high = _plain(field.min), _plain(field.max)
    if field.max_field or (field.exclusive_min and high is not None):
        # Excel's built-in criteria cannot say "> a and ≤ b" or "≤ another cell": use a
        # formula, relative to the first cell of the range.
        cell = f"{xl_col_to_name(col)}{row + 1}"
        terms = [f"ISNUMBER({cell})"]
        if is_int:
            terms.append(f"INT({cell})={cell}")
        if low is not None:
            terms.append(f"{cell}{'>' if field.exclusive_min else '>='}{low}")
        if high is not None:
            terms.append(f"{cell}<={high}")
        if field.max_field:
            if sheet.layout == "table":
                other = f"{xl_col_to_name(_column_of(sheet, field.max_field))}{row + 1}"
            else:
                other = f"B{_kv_row(sheet, field.max_field) + 1}"
            # a blank whole is not 0: the importer compares only when both are filled
            # (学生健康: 优良人数 with only a 达标率 given)
            terms.append(f"OR(ISBLANK({other}),{cell}<={other})")
        return {"validate": "custom", "value": f"=AND({','.join(terms)})", "error_message": error[:255]}
    if low is not None and high is not None:
        return {"validate": kind, "criteria": "between", "minimum": low, "maximum": high,
                "error_message": error[:255]}
    if low is not None:
        return {"validate": kind, "criteria": ">" if field.exclusive_min else ">=", "value": low,
                "error_message": error[:255]}
    if high is not None:
        return {"validate": kind, "criteria": "<=", "value": high, "error_message": error[:255]}
    return {"validate": kind, "criteria": "between", "minimum": -10**15, "maximum": 10**15,
            "error_message": error[:255]}


def _plain(value: float | None) -> int | float | None:
    """2000.0 -> 2000, so that Excel shows and compares whole numbers as such."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def _column_of(sheet: SheetSpec, key: str) -> int:
    return next(i for i, f in enumerate(sheet.fields) if f.key == key)


def _kv_row(sheet: SheetSpec, key: str) -> int:
    """0-based worksheet row of ``key`` in a key-value sheet (row 0 is the header)."""
    return _column_of(sheet, key) + 1


# --------------------------------------------------------------- key-value sheets


def _write_key_value(
    ws: Worksheet,
    sheet: SheetSpec,
    spec: TemplateSpec,
    fmt: _Formats,
    values: dict[str, Any],
) -> None:
    key_width = max(_display_width(f.display_header) for f in sheet.fields) + 2
    ws.set_column(0, 0, min(key_width, 50))
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 70)
    ws.freeze_panes(1, 0)
    headers = (sheet.key_header or "项目", sheet.value_header or "值", "说明")
    for col, text in enumerate(headers):
        ws.write_string(0, col, text, fmt.header)
    for i, field in enumerate(sheet.fields):
        row = i + 1
        ws.write_string(row, 0, field.display_header, fmt.key)
        value = _cell_value(field, spec)(values.get(field.key))
        value_format = fmt.text if field.type in ("code", "text") else None
        if value is None or value == "":
            if value_format is not None:
                ws.write_blank(row, 1, None, value_format)
        elif field.type in ("code", "text", "enum", "bool") or not _is_number(value):
            ws.write_string(row, 1, str(value), value_format)
        else:
            ws.write_number(row, 1, value)
        ws.write_string(row, 2, field_description(field, sheet, spec), fmt.wrap)
        options = _validation(field, sheet, spec, row, 1)
        if options is not None:
            ws.data_validation(row, 1, row, 1, options)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
