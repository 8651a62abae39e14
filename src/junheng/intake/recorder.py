"""Collecting located, coded issues while a workbook is read.

Checks call :meth:`IssueRecorder.add` with a code, a place and the facts of the case;
the wording, default severity and category come from the message catalogue
(``templates/messages_zh.yaml``). Nothing here raises for bad data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from junheng.core.issues import Issue, IssueReport, Severity
from junheng.templates.messages import MessageEntry, load_messages

_MAX_SHOWN = 60  # characters of a cell value quoted in a message
_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING}


def cell_value(value: Any) -> Any:
    """A cell value as the user sees it: 12.0 → 12, dates → ISO text, text untouched."""
    if type(value) is float and value.is_integer() and abs(value) < 1e16:
        return int(value)
    if isinstance(value, dt.date | dt.time | dt.datetime | dt.timedelta):
        return str(value)
    return value


def show(value: Any) -> str:
    """A value quoted in a Chinese message."""
    if type(value) is str:
        return value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…"
    value = cell_value(value)
    if value is None:
        return ""
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float):
        text = format(value, ".15g")
    else:
        text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def location(sheet: str | None, row: int | None, column: str | None, header: str | None) -> str:
    """学校 第12行 H列「小学在校生数」 (the same text as Issue.location())."""
    parts = []
    if sheet:
        parts.append(sheet)
    if row:
        parts.append(f"第{row}行")
    if column:
        parts.append(f"{column}列")
    text = " ".join(parts)
    if header:
        text += f"「{header}」"
    return text


class IssueRecorder:
    """All issues of one workbook, in the order found."""

    def __init__(self, file: str | None, catalogue: dict[str, MessageEntry] | None = None):
        self.file = file
        self.catalogue = catalogue or load_messages()
        self.issues: list[Issue] = []
        self.errors = 0

    def add(
        self,
        code: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        header: str | None = None,
        value: Any = None,
        variant: str = "default",
        severity: Severity | None = None,
        where: str | None = None,
        **params: Any,
    ) -> Issue:
        entry = self.catalogue[code]
        shown = cell_value(value)
        text = entry.render(
            variant,
            where=location(sheet, row, column, header) if where is None else where,
            value=show(shown),
            file=self.file or "",
            sheet=sheet or "",
            row=row or "",
            header=header or "",
            **params,
        )
        issue = Issue(
            code,
            severity or _SEVERITY[entry.severity],
            text,
            entry.category,
            self.file,
            sheet,
            row,
            column,
            header,
            shown,
        )
        self.issues.append(issue)
        if issue.severity is Severity.ERROR:
            self.errors += 1
        return issue

    def mark(self) -> int:
        return len(self.issues)

    def drop_at(self, sheet: str, row: int, column: str, since: int = 0) -> None:
        """Forget the issues of one cell (found since ``since``): a formula cell
        without a calculated value gets one issue that says so, not a type error."""
        kept, gone = [], 0
        for i in self.issues[since:]:
            if i.sheet == sheet and i.row == row and i.column == column:
                gone += i.is_error
            else:
                kept.append(i)
        self.errors -= gone
        self.issues[since:] = kept

    def rewind(self, mark: int) -> None:
        """Forget the issues added since ``mark`` (a sheet is being read again)."""
        dropped = self.issues[mark:]
        del self.issues[mark:]
        self.errors -= sum(1 for i in dropped if i.is_error)

    def report(self, sheet_order: Sequence[str] = ()) -> IssueReport:
        """Issues ordered as a reader walks the workbook: file, then each sheet in
        template order, row by row, column by column (discovery order breaks ties)."""
        rank = {name: i for i, name in enumerate(sheet_order)}

        def key(issue: Issue) -> tuple:
            col = issue.column or ""
            return (
                -1 if issue.sheet is None else rank.get(issue.sheet, len(rank)),
                issue.row or 0,
                len(col),
                col,
            )

        return IssueReport(sorted(self.issues, key=key))


class ColumnSink:
    """Issues of one column: maps a position in the column to its Excel row. The
    location text is prepared once per column (a bad column can mean 100k issues)."""

    __slots__ = ("recorder", "sheet", "rows", "letter", "header", "formatted", "_before", "_after")

    def __init__(
        self, recorder: IssueRecorder, sheet: str, rows: Sequence[int], letter: str, header: str,
        formatted: frozenset[int] = frozenset(),
    ):
        self.recorder = recorder
        # positions of cells formatted as % (their value was already read ×100)
        self.formatted = formatted
        self.sheet = sheet
        self.rows = rows
        self.letter = letter
        self.header = header
        self._before = f"{sheet} 第"
        self._after = f"行 {letter}列「{header}」"

    def flag(self, code: str, index: int, value: Any, variant: str = "default", **params: Any) -> None:
        row = self.rows[index]
        self.recorder.add(
            code,
            sheet=self.sheet,
            row=row,
            column=self.letter,
            header=self.header,
            value=value,
            variant=variant,
            where=f"{self._before}{row}{self._after}",
            **params,
        )
