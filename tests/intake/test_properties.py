"""Properties: any garbage in a typed cell gives issues, never an exception; clean
values round-trip exactly."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.intake import read_county_workbook
from junheng.intake.cells import compile_converter, parse_text_number
from junheng.intake.recorder import ColumnSink, IssueRecorder
from junheng.templates.spec import load_template_spec

from .books import book, valid_sheets

SPEC = load_template_spec()
CELLS = st.one_of(
    st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=-10**6, max_value=10**6),
    st.booleans(),
    st.dates(min_value=dt.date(1950, 1, 1)).map(
        lambda d: d
    ),
)
FIELDS = [(s, f) for s in SPEC.sheets for f in s.fields]


@given(field_index=st.integers(0, len(FIELDS) - 1), cells=st.lists(CELLS, max_size=20))
@settings(max_examples=300, deadline=None)
def test_converters_never_raise_and_flag_every_rejected_cell(field_index, cells):
    sheet, field = FIELDS[field_index]
    recorder = IssueRecorder("x.xlsx")
    rows = list(range(2, 2 + len(cells)))
    out = compile_converter(field, SPEC)(tuple(cells), ColumnSink(recorder, sheet.name, rows, "C", field.header))
    assert len(out) == len(cells)
    flagged = {i.row for i in recorder.issues if i.is_error}
    for i, (raw, value) in enumerate(zip(cells, out, strict=True)):
        blank = isinstance(raw, str) and not raw.strip()
        if value is None and not (blank and not field.required):
            assert rows[i] in flagged, (field.key, raw)
        if value is not None:
            assert rows[i] not in flagged
            if field.type == "int":
                assert type(value) is int
            elif field.type == "number":
                assert type(value) is float
            elif field.type in ("text", "code"):
                assert type(value) is str and value == value.strip() and value
            elif field.type == "bool":
                assert type(value) is bool
            if field.min is not None and field.type in ("int", "number"):
                assert value >= field.min
            if field.max is not None and field.type in ("int", "number"):
                assert value <= field.max
    for issue in recorder.issues:
        assert issue.message.startswith(f"{sheet.name} 第{issue.row}行 C列")


@given(garbage=CELLS.filter(lambda v: not isinstance(v, int | float) or isinstance(v, bool)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_garbage_in_a_numeric_column_of_a_real_workbook_is_an_issue(garbage):
    sheets = valid_sheets()
    sheets["学校"][2][10] = garbage  # 教学及辅助用房面积, K3
    if isinstance(garbage, dt.date):
        sheets["学校"][2][10] = garbage.isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        result = read_county_workbook(book(Path(tmp), sheets))
    text = sheets["学校"][2][10]
    number = parse_text_number(text) if isinstance(text, str) else None
    at_k3 = [i.code for i in result.report if (i.sheet, i.row, i.column) == ("学校", 3, "K")]
    if isinstance(text, str) and not text.strip():
        assert at_k3 == ["value-required"]
    elif number is None:
        assert at_k3 == ["type-number"]
    elif number < 0:
        assert at_k3 == ["number-as-text", "value-below-min"]
    else:
        assert at_k3[0] == "number-as-text"
        assert result.data is not None or result.report.has_errors


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 4)))
def test_grouped_and_plain_text_numbers_parse_to_the_number(x):
    assert parse_text_number(f"{x:,}") == x
    assert parse_text_number(f" {x} ") == x
    full_width = str(x).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_text_number(full_width) == x


SHEET_NAMES = list(valid_sheets())


@st.composite
def vandalised(draw):
    """The valid county with a few random cells (headers included) overwritten."""
    sheets = valid_sheets()
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(SHEET_NAMES))
        rows = sheets[name]
        r = draw(st.integers(0, len(rows)))
        if r == len(rows):
            rows.append([])
        c = draw(st.integers(0, len(rows[0]) + 1))
        line = rows[r]
        line.extend([None] * (c + 1 - len(line)))
        value = draw(st.one_of(st.none(), CELLS))
        line[c] = value.isoformat() if isinstance(value, dt.date) else value
    return sheets


@given(sheets=vandalised())
@settings(max_examples=60, deadline=None)
def test_vandalised_workbooks_never_raise(sheets):
    with tempfile.TemporaryDirectory() as tmp:
        result = read_county_workbook(book(Path(tmp), sheets))
    assert (result.data is None) == result.report.has_errors
    for issue in result.report:
        assert issue.message and issue.code
    if result.data is not None:
        assert len(result.data.schools) >= 1
