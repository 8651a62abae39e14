"""How every Excel file junheng writes looks: one set of XlsxWriter helpers shared by
the result, trend, flows, plan and issue-list workbooks.

What a careful analyst's workbook has, and what these helpers give every sheet:

- numbers as numbers (a reader can sum, sort and filter them) with a number format;
  the decimal places come from :mod:`junheng.reports.numbers` (the one rounding rule
  the reports print with), read off by formatting a zero, so a cell shows what the
  Word and PDF reports print. Values are stored unrounded; Excel rounds the displayed
  value half-up like ``numbers.fixed``;
- identifiers (学校标识码, 教师编号) as text, with Excel's 「以文本形式存储的数字」
  warning switched off for their columns;
- frozen header rows and first columns, a filter on every table, column widths that
  fit Chinese text (a CJK character is two columns wide);
- marks that read in black and white: 「√ 达标」「× 未达标」, and in number cells a
  suffix (「4.00 △」 under the standard's value, 「5.00 ×」 under the floor) as well as
  the colour;
- print setup: A4, landscape for wide sheets, fit to one page wide, header rows
  repeated on every page, 「第 1 页，共 3 页」 in the footer;
- a 说明 sheet with the definitions of each sheet and column.

The symbols are √ × △ (GB 2312), which every Chinese font has, rather than ✓ ✗.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.utility import xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.reports import numbers as fmt

# --- number formats ----------------------------------------------------------------------


def _places(text: str) -> int:
    """Decimal places of a formatted zero: "0.000" -> 3, "0.0%" -> 1, "0" -> 0."""
    return len(text.rstrip("%").partition(".")[2])


def decimals(places: int, *, grouping: bool = False, percent: bool = False) -> str:
    """An Excel number format with ``places`` decimals: 2 -> "0.00", grouped "#,##0.00"."""
    body = ("#,##0" if grouping else "0") + ("." + "0" * places if places else "")
    return body + ("%" if percent else "")


CV_PLACES = _places(fmt.cv(0.0))
LIMIT_PLACES = _places(fmt.limit(0.0))
PERCENT_PLACES = _places(fmt.percent(0.0))

# Kinds of figure -> number format. "text" and "id" cells are strings.
FORMATS: dict[str, str | None] = {
    "text": None,
    "wrap": None,
    "id": "@",
    "int": "#,##0",          # counts: schools, students, classes, teachers
    "year": "0",             # 2025, not 2,025
    "row": "0",              # an Excel row number
    "cv": decimals(CV_PLACES),
    "limit": decimals(LIMIT_PLACES),
    "pct": decimals(PERCENT_PLACES, percent=True),
    "pct2": decimals(2, percent=True),
    "num": decimals(2, grouping=True),   # amounts: 万元, ㎡
    "yuan": "#,##0",         # whole 元
    "ratio": decimals(2),
    "one_to": '"1:"0.00',     # children per teacher 8.56 shown "1:8.56"
}


def indicator_format(unit: str | None) -> str:
    """An indicator's format by unit, with the places the reports print (元/生 whole)."""
    places = fmt.indicator_digits(unit)
    return "#,##0" if places == 0 else decimals(places)


def number_format_of(value: float, places: int) -> str:
    """The format a cell needs to show ``value`` with ``places`` decimals."""
    return decimals(places, grouping=abs(value) >= 10000)


# --- marks -------------------------------------------------------------------------------

SYMBOL = {True: "√", False: "×", None: "？"}
FLOOR_SYMBOL = "△"  # under the standard's value, not under the floor (基本值)
PASS_MARK = {True: "√ 达标", False: "× 未达标", None: "？ 缺少数据"}


def mark(word: str, passed: bool | None) -> str:
    """A verdict word with its symbol: mark("通过", True) -> "√ 通过"."""
    return f"{SYMBOL[passed]} {word}"


def yes_no(value: bool | None) -> str:
    return {True: "是", False: "否", None: fmt.MISSING}[value]


RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
AMBER = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
GREEN = {"font_color": "#006100"}
TONES: dict[str | None, dict[str, str]] = {"fail": RED, "floor": AMBER, "ok": GREEN, None: {}}
TONE_OF = {True: "ok", False: "fail", None: "floor"}
# The suffix a number cell of that tone carries, so the mark survives a grey print.
TONE_SUFFIX = {"fail": " ×", "floor": " △"}


# --- widths ------------------------------------------------------------------------------

MAX_WIDTH = 60.0


def text_width(value: object) -> float:
    """Excel column width that fits ``value`` on one line: CJK and full-width characters
    count two, the rest one."""
    return _text_width(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=8192)
def _text_width(text: str) -> float:
    longest = max(text.split("\n"), key=len, default="")
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest))


# --- workbook, formats -------------------------------------------------------------------


class Styles:
    """XlsxWriter formats, one per (number format, tone, extra) combination, made on use."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._cache: dict[tuple, Any] = {}
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.subtitle = wb.add_format({"bold": True, "font_size": 12})
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", "align": "center"})
        self.label = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "valign": "top"})
        self.note = wb.add_format({"italic": True, "font_color": "#595959"})
        self.warn = wb.add_format({"font_color": "#9C5700", "text_wrap": True, "valign": "top"})
        self.wrap = self.cell(text_wrap=True)

    def cell(self, num_format: str | None = None, tone: str | None = None, **extra: Any):
        key = (num_format, tone, tuple(sorted(extra.items()))) if extra else (num_format, tone)
        if key not in self._cache:
            props = {**TONES[tone], **extra}
            if num_format:
                if tone in TONE_SUFFIX and num_format not in ("@",):
                    num_format = f'{num_format}"{TONE_SUFFIX[tone]}"'
                props["num_format"] = num_format
            props.setdefault("valign", "top")
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]

    def kind(self, kind: str, tone: str | None = None, **extra: Any):
        if kind == "wrap":
            extra.setdefault("text_wrap", True)
        return self.cell(FORMATS.get(kind, kind), tone, **extra)


def open_workbook(path: str | Path, *, title: str, subject: str = "", author: str = "",
                  constant_memory: bool = False) -> tuple[Workbook, Styles]:
    """A workbook that never turns strings into numbers, URLs or formulas behind our back."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False,
                                         "strings_to_formulas": False, "constant_memory": constant_memory,
                                         # no temporary file per sheet (they cost more than they save here)
                                         "in_memory": not constant_memory})
    wb.set_properties({"title": title, "subject": subject, "author": author, "comments": ""})
    wb.set_size(1600, 1000)
    return wb, Styles(wb)


def close(wb: Workbook) -> None:
    """XlsxWriter wraps the OSError of a failed write; callers map OSError to a message."""
    try:
        wb.close()
    except xlsxwriter.exceptions.FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None


SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, no []:*?/\\), unique in ``used``."""
    base = name.translate(SHEET_NAME_FORBIDDEN)[:28] or "表"
    out, n = base, 2
    while out in used:
        out, n = f"{base}{n}", n + 1
    used.add(out)
    return out


# --- cells -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Styled:
    """A cell value with its own tone or number format (a failing value, a bold total)."""

    value: Any
    tone: str | None = None
    num_format: str | None = None
    bold: bool = False


def write_value(ws: Worksheet, st: Styles, r: int, c: int, value: Any, kind: str = "text",
                tone: str | None = None, *, bold: bool = False, num_format: str | None = None) -> None:
    """One cell: None as "—", bool as 是/否, numbers as numbers in the kind's format,
    strings as strings (never parsed)."""
    if isinstance(value, Styled):
        tone, bold = value.tone or tone, value.bold or bold
        num_format = value.num_format or num_format
        value = value.value
    extra = {"bold": True} if bold else {}
    if isinstance(value, str) and not value:
        ws.write_blank(r, c, None, st.cell(None, tone, **extra))
    elif value is None:
        ws.write_string(r, c, fmt.MISSING, st.cell(None, tone, **extra))
    elif isinstance(value, bool):
        ws.write_string(r, c, yes_no(value), st.cell(None, tone, **extra))
    elif isinstance(value, int | float) and kind == "id":
        text = str(int(value)) if float(value).is_integer() else str(value)
        ws.write_string(r, c, text, st.cell("@", tone, **extra))
    elif isinstance(value, int | float):
        if kind in ("text", "wrap"):
            kind = "int" if float(value).is_integer() else "num"
        if value != value:  # NaN
            ws.write_string(r, c, fmt.MISSING, st.cell(None, tone, **extra))
        else:
            ws.write_number(r, c, value, st.cell(num_format or FORMATS.get(kind, kind), tone, **extra))
    else:
        if kind == "wrap":
            extra["text_wrap"] = True
        ws.write_string(r, c, str(value), st.cell("@" if kind == "id" else None, tone, **extra))


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: header, kind of figure (a key of FORMATS, or an Excel number
    format), width (None: fit the contents, at most MAX_WIDTH; wrapped beyond)."""

    title: str
    kind: str = "text"
    width: float | None = None


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = []
    for c, col in enumerate(columns):
        if col.width is not None:
            widths.append(col.width)
            continue
        # The header wraps: it needs about half its width, and never less than 4 characters.
        need = max(8.0, min(text_width(col.title), max(text_width(col.title) / 2, 8.0)))
        for row in rows:
            v = row[c] if c < len(row) else None
            v = v.value if isinstance(v, Styled) else v
            if v is None or isinstance(v, bool):
                need = max(need, 4.0)
            elif isinstance(v, float) and not v.is_integer():
                need = max(need, len(f"{v:,.2f}") + 3.0)
            elif isinstance(v, int | float):
                need = max(need, len(f"{v:,.0f}") + 3.0)
            else:
                need = max(need, text_width(v) + 2.0)
        widths.append(min(need, MAX_WIDTH))
    return widths


def write_table(ws: Worksheet, st: Styles, top: int, columns: Sequence[Column],
                rows: Iterable[Sequence[Any]], *, freeze_cols: int = 0, freeze: bool = True,
                tone: Callable[[int, Sequence[Any]], str | None] | None = None,
                set_widths: bool = True, autofilter: bool = True) -> int:
    """Header at row ``top``, the rows under it; a filter over the table, the header
    (and ``freeze_cols`` columns) frozen, widths fitted. Returns the next free row."""
    rows = list(rows)
    widths = column_widths(columns, rows)
    for c, col in enumerate(columns):
        if set_widths:
            wrap_col = col.kind == "wrap" or widths[c] >= MAX_WIDTH
            ws.set_column(c, c, widths[c], st.wrap if wrap_col else None)
        ws.write_string(top, c, col.title, st.head)
    ws.set_row(top, 15 * max(1, max((int(text_width(col.title) / max(w, 1)) + 1
                                     for col, w in zip(columns, widths, strict=True)), default=1)))
    for n, row in enumerate(rows):
        r = top + 1 + n
        row_tone = tone(n, row) if tone else None
        for c, col in enumerate(columns):
            value = row[c] if c < len(row) else None
            kind = "wrap" if col.kind == "text" and widths[c] >= MAX_WIDTH else col.kind
            write_value(ws, st, r, c, value, kind, row_tone)
    last = top + max(len(rows), 1)
    if autofilter:
        ws.autofilter(top, 0, last, len(columns) - 1)
    for c, col in enumerate(columns):
        if col.kind == "id":
            ws.ignore_errors({"number_stored_as_text": xl_range(top + 1, c, last, c)})
    if freeze:
        ws.freeze_panes(top + 1, freeze_cols)
    print_setup(ws, sum(widths), repeat=(top, top) if autofilter else None)
    return top + 1 + len(rows)


def print_setup(ws: Worksheet, total_width: float, *, repeat: tuple[int, int] | None = None) -> None:
    """A4, landscape when wider than a portrait page, fit to one page wide, header rows
    repeated, page numbers in the footer."""
    ws.set_paper(9)
    if total_width > 95:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.center_horizontally()
    ws.set_header("&L&A")
    ws.set_footer("&C第 &P 页，共 &N 页")
    if repeat is not None:
        ws.repeat_rows(*repeat)


def label_rows(ws: Worksheet, st: Styles, top: int, rows: Iterable[tuple[str, Any]], *,
               kinds: dict[str, str] | None = None, span: int = 1) -> int:
    """Label/value pairs, one per row (汇总 sheets); values merged over ``span`` columns.
    Returns the next free row."""
    r = top
    for label, value in rows:
        ws.write_string(r, 0, label, st.label)
        kind = (kinds or {}).get(label, "wrap")
        if span > 1 and not isinstance(value, int | float):
            ws.merge_range(r, 1, r, span, "", st.wrap)
        write_value(ws, st, r, 1, value, kind)
        r += 1
    return r


# --- 说明 ------------------------------------------------------------------------------

NOTES_SHEET = "说明"
COMMON_NOTES: list[tuple[str, str]] = [
    ("数字", "表中的数字都是真正的数字，可以求和、排序和筛选；单元格中存的是未舍入的值，"
             "只是按格式显示（与自评报告、网页报告相同的小数位数，四舍五入）。达标判定使用未舍入的值。"),
    ("小数位数", f"差异系数 {CV_PLACES} 位小数，限值 {LIMIT_PLACES} 位，百分比 {PERCENT_PLACES} 位"
                "（如 12.3%），人/百生、㎡/生等 2 位，元/生取整，金额（万元）2 位，人数、班数等整数带千位分隔符。"),
    ("标记", "「√」达标（通过）；「×」未达标（未通过）；「△」未达到达标值但不低于基本值（达标值的 85%）；"
             "「？」缺少数据无法判断。数字格子中的 × △ 与颜色（红、橙）同时标出，黑白打印也能看清。"),
    ("缺少的值", "「—」表示没有该数据或不适用。"),
    ("代码", "学校标识码、教师编号等代码按文本保存，保留原样（不会变成科学计数法或丢掉前导零）。"),
    ("筛选与冻结", "每张表的表头都冻结，并带筛选按钮；打印时为 A4 纸、一页宽，每页重复表头。"),
]


def add_notes_sheet(wb: Workbook, st: Styles, title: str, sheets: Sequence[tuple[str, str]],
                    extra: Sequence[tuple[str, str]] = (), name: str = NOTES_SHEET) -> Worksheet:
    """The 说明 sheet: what each sheet holds and how its figures are defined, then the
    notes every workbook shares (numbers, places, marks)."""
    ws = wb.add_worksheet(name)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 100, st.wrap)
    ws.write_string(0, 0, f"{title}：说明", st.title)
    r = 2
    for heading, rows in (("工作表", sheets), ("口径与定义", extra), ("格式", COMMON_NOTES)):
        if not rows:
            continue
        ws.write_string(r, 0, heading, st.head)
        ws.write_string(r, 1, "说明", st.head)
        r += 1
        for label, text in rows:
            ws.write_string(r, 0, label, st.label)
            ws.write_string(r, 1, text, st.wrap)
            ws.set_row(r, 15 * max(1, int(text_width(text) / 98) + 1 + text.count("\n")))
            r += 1
        r += 1
    print_setup(ws, 122)
    return ws
