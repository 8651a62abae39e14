"""Finding the template's columns in a sheet's header row.

Matching is by normalised text (``normalize_header``): spaces, full-/half-width
brackets, a trailing unit in brackets and a leading required-marker ``*`` do not
matter, and every alias of a field is accepted. Unknown columns are ignored with a
warning; a required column that cannot be found is an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from junheng.intake.recorder import IssueRecorder, show
from junheng.templates.spec import FieldSpec, SheetSpec, TemplateSpec, normalize_header

# A title line or a merged group header above the real header is common in bureau
# workbooks; look a few rows down for the row that matches best.
HEADER_SCAN_ROWS = 10


def norm(text: Any) -> str:
    if text is None or text == "":
        return ""
    return normalize_header(text if isinstance(text, str) else show(text)).lstrip("*")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_BRACKET = re.compile(r"\(([^()]*)\)\s*$")


def _unit_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Units:
    """The template's units: normalised spelling → unit (平方米 → ㎡), and factors."""

    names: dict[str, str]
    spec: TemplateSpec | None = None

    def factor(self, source: str, target: str) -> Fraction | None:
        if self.spec is None:
            return Fraction(1) if source == target else None
        return self.spec.unit_factor(source, target)


def unit_lookup(spec: TemplateSpec) -> Units:
    names: dict[str, str] = {}
    for unit, aliases in spec.unit_aliases.items():
        for text in (unit, *aliases):
            names[_unit_key(text)] = unit
    return Units(names, spec)


@dataclass(frozen=True)
class NamedUnit:
    """A header naming a unit other than its field's: what it says, the unit that is,
    and the factor to the field's unit (None: cannot be converted)."""

    text: str
    unit: str
    expected: str
    factor: Fraction | None


def header_unit(text: str, f: FieldSpec, units: Units | None) -> NamedUnit | None:
    """The unit a header names in its trailing brackets when it is a known unit other
    than the field's own (「教学仪器设备资产值（元）」 for a 万元 field); else None."""
    if not f.unit or units is None or not units.names:
        return None
    match = _BRACKET.search(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    named = units.names.get(_unit_key(match.group(1)))
    expected = units.names.get(_unit_key(f.unit), f.unit)
    if named is None or named == expected:
        return None
    factor = units.factor(named, expected)
    if factor is not None and f.type != "number" and factor.denominator != 1:
        factor = None  # a count (人, 间) cannot be read in a unit that splits it
    if f.type not in ("number", "int"):
        factor = None
    return NamedUnit(match.group(1).strip(), named, f.unit, factor)


def report_unit(named: NamedUnit, recorder: IssueRecorder, **where: Any) -> None:
    """One notice per column (or item): the unit read and the factor; or the error."""
    if named.factor is None:
        recorder.add("header-unit-unknown", unit=named.text, expected=named.expected, **where)
    else:
        recorder.add("header-unit", unit=named.text, expected=named.expected,
                     factor=factor_text(named.factor), **where)


def factor_text(factor: Fraction) -> str:
    """×10000, ÷10000, ×2000/3."""
    if factor.denominator == 1:
        return f"×{factor.numerator}"
    if factor.numerator == 1:
        return f"÷{factor.denominator}"
    return f"×{factor.numerator}/{factor.denominator}"


def header_lookup(sheet: SheetSpec) -> dict[str, str]:
    """Normalised header or alias → field key."""
    lookup: dict[str, str] = {}
    for f in sheet.fields:
        for text in (f.header, f.display_header, *f.aliases):
            lookup.setdefault(norm(text), f.key)
    return lookup


@dataclass
class HeaderRow:
    index: int  # 0-based row index in the sheet's rows
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (col, text)
    factors: dict[str, Fraction] = field(default_factory=dict)  # key -> header unit factor

    @property
    def excel_row(self) -> int:
        return self.index + 1


def find_header_row(rows: list[list[Any]], wanted: dict[str, Any]) -> tuple[int, int]:
    """(row index, matches) of the row among the first few that matches most."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for cell in row if cell != "" and norm(cell) in wanted)
        if hits > best_hits:
            best, best_hits = i, hits
    return best, best_hits


def locate_columns(
    rows: list[list[Any]],
    sheet: SheetSpec,
    sheet_name: str,
    recorder: IssueRecorder,
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
    units: Units | None = None,
) -> HeaderRow:
    """Map each field to its column; report missing, duplicated and unknown headers."""
    lookup = header_lookup(sheet)
    index, hits = find_header_row(rows, lookup)
    header = HeaderRow(index)
    if hits and index > 0:
        recorder.add(
            "header-not-first-row", sheet=sheet_name, row=index + 1, data_row=index + 2
        )
    specs = {f.key: f for f in sheet.fields}
    cells = rows[index] if rows else []
    for j, cell in enumerate(cells):
        if cell == "" or (isinstance(cell, str) and not cell.strip()):
            continue
        text = cell.strip() if isinstance(cell, str) else show(cell)
        key = lookup.get(norm(cell))
        letter = column_letter(j)
        if key is None:
            recorder.add("header-unknown", sheet=sheet_name, row=index + 1, column=letter,
                         header=text, value=text)
        elif key in header.columns:
            first = column_letter(header.columns[key][0])
            recorder.add("header-duplicate", sheet=sheet_name, row=index + 1, column=letter,
                         header=text, value=text, first_column=first,
                         field=specs[key].display_header)
        else:
            header.columns[key] = (j, text)
            named = header_unit(text, specs[key], units)
            if named is not None:
                report_unit(named, recorder, sheet=sheet_name, row=index + 1, column=letter,
                            header=text, value=text)
                if named.factor is not None:
                    header.factors[key] = named.factor
    for f in sheet.fields:
        if f.required and f.key not in header.columns:
            recorder.add("header-missing", sheet=sheet_name, row=index + 1,
                         header=f.display_header)
    for (r0, c0), (r1, c1) in merged or ():
        span = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        if r0 <= index <= r1:
            recorder.add("header-merged", sheet=sheet_name, row=index + 1,
                         column=column_letter(c0), range=span)
        elif r1 > index:
            recorder.add("cell-merged", sheet=sheet_name, row=r0 + 1,
                         column=column_letter(c0), range=span)
    return header
