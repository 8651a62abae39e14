"""The 历年趋势 sheet of the result workbook, drawn from a :class:`TrendSection`."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from junheng.reports.documents.trend_section import TITLE, TrendSection
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.history_workbook import write_events_table, write_trend_table
from junheng.reports.renderers.sheet_style import Styles


def add_trend_sheet(wb: Workbook, section: TrendSection, name: str = TITLE, st: Styles | None = None) -> None:
    """The 历年趋势 sheet of the result workbook: the trend table (numbers as numbers),
    the note when there is no earlier year, and the schools' changes."""
    st = st or Styles(wb)
    ws = wb.add_worksheet(name)
    last = section.years[-1].school_year if section.years else ""
    ws.write_string(0, 0, f"{section.county} 历年趋势（截至 {last} 学年）", st.title)
    row = 1
    if section.note:
        ws.write_string(row, 0, section.note, st.warn)
        row += 1
    row = write_trend_table(wb, ws, row + 1, section.years, [section.year_label(y) for y in section.years],
                            st, section.names or None)
    if section.events:
        ws.write_string(row + 1, 0, "学校变动（新增、撤销、合并、更名）", st.subtitle)
        write_events_table(wb, ws, row + 2, section.events, st, freeze=False)
    ss.print_setup(ws, 34 + 16 * len(section.years), repeat=None)
