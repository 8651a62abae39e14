"""Confirmed values: a user's word that an implausible value is right.

A value outside the plausibility ranges of the template (生均教学仪器设备值 above
100,000 元, …) stops a 认定 until a user confirms it. A confirmation names the cell
as ``SHEET!CELL`` (``学校!N12``) and, when it was given for a value seen (the web, a
list file line with ``= value``), that value: the confirmation then holds for a
re-import of the same workbook and lapses as soon as the cell holds another value.

The list file (``--confirmations FILE``), one confirmation a line::

    # 县域数据2025 已核实的数值
    学校!N12            新建实验楼，设备一次性购置
    学校!K7 = 12000     合并办学后的面积
    县级指标!B9

Text after the reference (and after ``= value``) is the reason; ``#`` starts a comment
line. Blank lines are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_REF = re.compile(r"^(?P<sheet>[^!]+?)\s*!\s*\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>[1-9]\d{0,6})"
                  r"(?:\s*=\s*(?P<value>[^\s#]+))?(?:\s+(?P<reason>.*))?$")


class ConfirmationSyntaxError(ValueError):
    """A confirmation that cannot be read: the message is Chinese and names the line."""


def cell_key(sheet: str, column: str, row: int) -> tuple[str, str]:
    """The key of a cell: the sheet name without spaces or width differences, the
    cell in upper case (``学校``, ``N12``)."""
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", sheet))
    return name, f"{column.upper()}{row}"


def shown_value(value: Any) -> str:
    """A value as compared between a confirmation and a cell: 12000.0 and 12000 alike."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value).strip()


@dataclass(frozen=True)
class Confirmation:
    sheet: str
    cell: str  # "N12"
    value: str | None = None  # None: whatever the cell holds
    reason: str | None = None
    by: str | None = None  # who confirmed (web user, or the CLI user)
    at: str | None = None  # when (ISO time), when known
    # Not confirmed yet but to be reviewed: a school's web form, where the clerk
    # explains the value (说明) and the county's approval is the confirmation.
    review: bool = False

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.cell}"

    def matches(self, value: Any) -> bool:
        return self.value is None or self.value == shown_value(value)


def parse_reference(text: str, *, where: str = "") -> Confirmation:
    """``学校!N12`` (optionally ``= value`` and a reason) → a Confirmation."""
    match = _REF.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        place = f"{where}：" if where else ""
        raise ConfirmationSyntaxError(
            f"{place}无法识别「{text.strip()}」，应写作 工作表!单元格，如 学校!N12")
    sheet, cell = cell_key(match["sheet"], match["col"], int(match["row"]))
    value = match["value"]
    return Confirmation(sheet, cell, shown_value(float(value)) if _is_number(value) else value,
                        (match["reason"] or "").strip() or None)


def _is_number(text: str | None) -> bool:
    if text is None:
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_confirmation_list(text: str, source: str = "确认清单") -> list[Confirmation]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("#"):
            continue
        out.append(parse_reference(stripped, where=f"{source} 第{number}行"))
    return out


class Confirmations:
    """The confirmations that apply to one workbook, looked up by cell."""

    def __init__(self, items: Iterable[Confirmation] = (), every: Confirmation | None = None):
        self._every = every
        self._by_cell: dict[tuple[str, str], list[Confirmation]] = {}
        for c in items:
            self._by_cell.setdefault((c.sheet, c.cell), []).append(c)

    def __len__(self) -> int:
        return sum(map(len, self._by_cell.values()))

    def __iter__(self):
        for items in self._by_cell.values():
            yield from items

    @classmethod
    def every_value(cls, *, by: str | None = None, reason: str | None = None,
                    review: bool = False) -> Confirmations:
        """Every implausible value counts as confirmed (the web collection: each school
        explained its values and the county approved every school before publishing),
        or, with ``review``, as waiting for that review."""
        return cls(every=Confirmation("*", "*", None, reason, by, review=review))

    def find(self, sheet: str, column: str, row: int, value: Any) -> Confirmation | None:
        """The confirmation of this cell holding this value, if any."""
        for c in self._by_cell.get(cell_key(sheet, column, row), ()):
            if c.matches(value):
                return c
        return self._every

    def merged(self, other: Iterable[Confirmation]) -> Confirmations:
        return Confirmations([*self, *other])
