"""Fast row streaming for large sheets (hundreds of thousands of teachers and classes).

XlsxWriter spends about 6 µs per cell on bookkeeping and XML building, i.e. some 20
seconds for a 5,000-school county. In ``constant_memory`` mode it streams each
finished row's XML to a temporary file; :class:`StreamingWorksheet` writes that same
XML for a whole row at once, with the cell templates prepared once per column. It
relies on two details of XlsxWriter's constant-memory mode (``previous_row`` and the
row file handle ``fh``), which is why the pinned XlsxWriter version matters and why
tests read every written file back with openpyxl and calamine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from math import isfinite
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def xml_text(text: str) -> tuple[str, bool]:
    """``text`` as the content of an inline string, and whether whitespace must be kept."""
    if not _ESCAPE.search(text):
        return text, False
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text, text[:1].isspace() or text[-1:].isspace()


_NUMBER_TYPES = (int, float)

# One column of a streamed table: (read, kind, style, label).
# read: record -> raw value; kind: "text" (inline string), "label" (text from a small
# set of values, e.g. an enum: rendered once per distinct value through ``label``) or
# "number"; style: an XlsxWriter Format or None.
Column = tuple[Callable[[Any], Any], str, Any, Callable[[Any], Any] | None]


class StreamingWorksheet(Worksheet):
    """A worksheet that can append many plain rows fast (constant_memory workbooks only)."""

    def stream_rows(self, first_row: int, records: Iterable[Any], columns: Sequence[Column]) -> int:
        """Write one row per record from ``first_row`` (0-based) on; returns rows written.

        Blank values (None, "") leave the cell empty. Rows must come after everything
        already written to this sheet, as constant_memory requires anyway."""
        if not self.constant_memory:
            raise RuntimeError("stream_rows needs a workbook in constant_memory mode")
        templates = []
        for col, (read, kind, style, label) in enumerate(columns):
            letter = xl_col_to_name(col)
            s_attr = f' s="{style._get_xf_index()}"' if style is not None else ""
            cache = _LabelCache(label, letter, s_attr) if kind == "label" else None
            templates.append((read, kind == "text", cache, letter, s_attr))
        if self._check_dimensions(first_row, 0) or self._check_dimensions(first_row, len(columns) - 1):
            raise ValueError(f"row {first_row} cannot be written")
        # Flush any row XlsxWriter still holds (the header) before ours go out.
        self._write_single_row(first_row)
        write = self.fh.write
        row = first_row
        parts: list[str] = []
        for record in records:
            r = row + 1
            parts.append(f'<row r="{r}">')
            for read, is_text, cache, letter, s_attr in templates:
                value = read(record)
                if cache is not None:
                    head, tail = cache.cell(value)
                    if head:
                        parts.append(f"{head}{r}{tail}")
                    continue
                if value is None or value == "":
                    continue
                if is_text or value.__class__ not in _NUMBER_TYPES or not isfinite(value):
                    text, keep = xml_text(str(value))
                    space = ' xml:space="preserve"' if keep else ""
                    parts.append(
                        f'<c r="{letter}{r}"{s_attr} t="inlineStr"><is><t{space}>{text}</t></is></c>'
                    )
                else:
                    parts.append(f'<c r="{letter}{r}"{s_attr}><v>{value:.16G}</v></c>')
            parts.append("</row>")
            row += 1
            if len(parts) > 4096:
                write("".join(parts))
                parts.clear()
        write("".join(parts))
        if row > first_row:
            self._check_dimensions(row - 1, 0)
            self._check_dimensions(row - 1, len(columns) - 1)
        # Later writes (none today) must not go back into the streamed rows.
        self.previous_row = max(row - 1, first_row)
        return row - first_row


class _LabelCache:
    """The cell XML of each distinct value of a label column, split around the row number."""

    def __init__(self, label: Callable[[Any], Any] | None, letter: str, s_attr: str) -> None:
        self.label = label or (lambda value: value)
        self.prefix = f'<c r="{letter}'
        self.s_attr = s_attr
        self.cells: dict[Any, tuple[str, str]] = {}

    def cell(self, value: Any) -> tuple[str, str]:
        try:
            return self.cells[value]
        except KeyError:
            pass
        except TypeError:  # unhashable: render without caching
            return self._render(value)
        rendered = self.cells[value] = self._render(value)
        return rendered

    def _render(self, value: Any) -> tuple[str, str]:
        shown = self.label(value)
        if shown is None or shown == "":
            return "", ""
        text, keep = xml_text(str(shown))
        space = ' xml:space="preserve"' if keep else ""
        return self.prefix, f'"{self.s_attr} t="inlineStr"><is><t{space}>{text}</t></is></c>'
