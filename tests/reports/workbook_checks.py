"""What every Excel file junheng writes must be, checked by reading it back with openpyxl:
``workbook_problems(path)`` lists what a careful analyst would object to.

- no text cell that reads as a number ("0.181", "12.3%", "1,099,050", "2025"), except
  identifier columns (学校标识码, 教师编号 …), which are text on purpose;
- no number without a number format unless it is a whole number (a raw float such
  as 0.1645719937174601 shown in full is a defect);
- no "None", "nan", "True", "False" left as text;
- every sheet but 说明 has frozen panes; every filter starts at a frozen header row;
- a 说明 sheet;
- print setup: A4, fit to one page wide; a sheet with a filter repeats its header row;
- column widths that fit: a short single-line text fits its column.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

NUMERIC = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
ID_HEADERS = ("标识码", "代码", "编号", "编码", "教师编号")
LEFTOVERS = {"None", "nan", "NaN", "True", "False", "null"}


def width_of(text: str) -> float:
    line = max(text.split("\n"), key=len)
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))


def _header_of(ws, row: int, col: int, heads: dict[int, dict[int, str]]) -> str:
    """The header of the table the cell belongs to: the nearest header row above it."""
    above = [r for r in heads if r < row]
    return heads[max(above)].get(col, "") if above else ""


def workbook_problems(path: str | Path | bytes, name: str = "下载的工作簿") -> list[str]:
    """The problems of the workbook at ``path`` (or of a download's bytes)."""
    if isinstance(path, bytes):
        wb = openpyxl.load_workbook(io.BytesIO(path))
        path = name
    else:
        wb = openpyxl.load_workbook(path)
    problems: list[str] = []
    if "说明" not in wb.sheetnames:
        problems.append("没有「说明」工作表")
    for ws in wb.worksheets:
        where = f"{Path(path).name}「{ws.title}」"
        # Header rows: rows styled as headers (bold with a fill) — the rows tables start at.
        heads: dict[int, dict[int, str]] = {}
        for row in ws.iter_rows():
            cells = [c for c in row if isinstance(c.value, str) and c.font and c.font.b
                     and c.fill is not None and c.fill.fill_type == "solid"]
            if len(cells) >= 2:
                heads[row[0].row] = {c.column: c.value for c in cells}
        merged = {(r, c) for rng in ws.merged_cells.ranges
                  for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None:
                    continue
                ref = f"{where}{cell.coordinate}"
                if isinstance(v, str):
                    text = v.strip()
                    if text in LEFTOVERS:
                        problems.append(f"{ref} 文本「{v}」")
                    if NUMERIC.match(text):
                        head = _header_of(ws, cell.row, cell.column, heads)
                        label = ws.cell(cell.row, 1).value if cell.column > 1 else None
                        if isinstance(label, str) and any(k in label for k in ID_HEADERS):
                            continue  # a label/value row: 行政区划代码 | 350404
                        if not any(k in head for k in ID_HEADERS):
                            problems.append(f"{ref} 数字以文本保存：「{v}」（列「{head}」）")
                elif isinstance(v, float) and not v.is_integer() and cell.number_format == "General":
                    problems.append(f"{ref} 小数没有数字格式：{v}")
        if ws.title == "说明":
            continue
        if not ws.freeze_panes:
            problems.append(f"{where} 没有冻结窗格")
        ps = ws.page_setup
        if str(ps.paperSize) != "9":
            problems.append(f"{where} 纸张不是 A4：{ps.paperSize}")
        if not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
                and str(ps.fitToWidth) in ("1", "None")):
            problems.append(f"{where} 打印没有设为一页宽")
        if ws.auto_filter.ref:
            min_col, min_row, max_col, max_row = range_boundaries(ws.auto_filter.ref)
            frozen_row = int(re.sub(r"[A-Z]+", "", ws.freeze_panes or "A1"))
            if frozen_row != min_row + 1:
                problems.append(f"{where} 筛选的表头（第{min_row}行）不是冻结的行（冻结到第{frozen_row - 1}行）")
            if not ws.print_title_rows:
                problems.append(f"{where} 打印时不重复表头")
            # Column widths: every short value of the table fits (a <col> element may
            # span several columns: openpyxl files it under the first).
            widths = {}
            for dim in ws.column_dimensions.values():
                if dim.customWidth and dim.min:
                    for c in range(dim.min, (dim.max or dim.min) + 1):
                        widths[c] = dim.width
            for col in range(min_col, max_col + 1):
                letter = get_column_letter(col)
                width = widths.get(col, 8.43)
                for r in range(min_row + 1, max_row + 1):
                    v = ws.cell(r, col).value
                    if (isinstance(v, str) and "\n" not in v and width_of(v) <= 40
                            and not (ws.cell(r, col).alignment and ws.cell(r, col).alignment.wrap_text)
                            and width_of(v) > width + 0.5 and (r, col) not in merged):
                        problems.append(f"{where}{letter}{r} 列宽 {width:g} 放不下「{v}」")
                        break
    return problems
