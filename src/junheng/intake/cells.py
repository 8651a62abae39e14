"""Turning a column of raw cells into typed values, one precompiled converter per field.

calamine hands every number over as a float and every empty cell as ``""``. The
common case — a whole column of clean numbers or clean labels — is converted with
C-level passes (``map``, ``set``, ``min``); only a column that fails the fast path is
walked cell by cell, and only bad cells cost a message. A converter returns one value
per cell (``None`` for blank or invalid) and reports every problem to its sink.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from junheng.intake.recorder import ColumnSink, show
from junheng.templates.spec import FieldSpec, TemplateSpec

Converter = Callable[[Sequence[Any], ColumnSink], list[Any]]

# Text numbers accepted with a warning: plain (" 45 ", "１２３" after NFKC, "-3.5") or
# grouped by thousands ("1,234", "12,345.5"). "1,23" or "1.234,5" are ambiguous: errors.
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# Beyond this a float no longer holds every integer: long codes typed as numbers
# (18-digit ID numbers) have already lost digits.
_EXACT_INT = 2**53


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def parse_text_number(text: str, percent: bool = False) -> float | None:
    """A number typed as text, or None when it is not unambiguously one."""
    t = _nfkc(text).strip()
    if percent and t.endswith("%"):
        t = t[:-1].rstrip()
    if _PLAIN.fullmatch(t):
        return float(t)
    if _GROUPED.fullmatch(t):
        return float(t.replace(",", ""))
    return None


def _blank(value: Any) -> bool:
    return value == "" or value is None or (type(value) is str and not value.strip())


def compile_converter(field: FieldSpec, spec: TemplateSpec, factor: Fraction | None = None) -> Converter:
    """The converter of one field: type, required, enum/bool spellings, digits, range.
    ``factor``: the header names another unit; values are converted (before the range
    check) to the template's unit."""
    kind = field.type
    if factor is not None and factor != 1 and kind in ("int", "number"):
        base = _scaled(_number_converter(field), factor, kind == "int")
    elif kind == "int":
        base = _int_converter(field)
    elif kind == "number":
        base = _number_converter(field)
    elif kind == "code":
        base = _code_converter(field)
    elif kind == "bool":
        base = _mapped_converter(field, _bool_mapping(spec), "type-bool", {})
    elif kind == "enum":
        labels = spec.enums[field.enum or ""]
        allowed = "、".join(labels)
        base = _mapped_converter(field, dict(labels), "enum-unknown", {"allowed": allowed})
    else:
        base = _text_converter(field)
    if kind in ("int", "number") and (field.min is not None or field.max is not None):
        return _with_range(base, field)
    return base


def exact_times(x: float, factor: Fraction) -> float:
    """x × factor as the decimal the user typed would give: 12345 元 → 1.2345 万元, not
    1.2345000000000002; 0.965 shown as 96.5% → 96.5."""
    d = Decimal(repr(x)) * factor.numerator / factor.denominator
    return float(d)


def _scaled(base: Converter, factor: Fraction, integral: bool) -> Converter:
    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        out = base(values, sink)
        for i, x in enumerate(out):
            if x is None:
                continue
            y = exact_times(x, factor)
            if integral:
                if not y.is_integer():
                    sink.flag("type-int", i, values[i])
                    out[i] = None
                    continue
                y = int(y)
            out[i] = y
        return out

    return convert


# --- numbers ---------------------------------------------------------------------------


def _int_converter(field: FieldSpec) -> Converter:
    required = field.required

    def cell(value: Any, i: int, sink: ColumnSink) -> int | None:
        t = type(value)
        if t is float:
            if value.is_integer():
                return int(value)
            sink.flag("type-int", i, value)
            return None
        if t is int:
            return value
        if t is str:
            if not value.strip():
                if required:
                    sink.flag("value-required", i, value)
                return None
            x = parse_text_number(value)
            if x is None or not x.is_integer():
                sink.flag("type-int", i, value)
                return None
            sink.flag("number-as-text", i, value, parsed=show(x))
            return int(x)
        sink.flag("type-int", i, value)
        return None

    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        try:
            # float.is_integer refuses anything but a float, so one blank, text or
            # boolean cell sends the column down the careful path.
            if all(map(float.is_integer, values)):
                return list(map(int, values))
        except TypeError:
            pass
        return [cell(v, i, sink) for i, v in enumerate(values)]

    return convert


def _number_converter(field: FieldSpec) -> Converter:
    required = field.required
    percent = field.unit == "%"

    def cell(value: Any, i: int, sink: ColumnSink) -> float | None:
        t = type(value)
        if t is float:
            return value
        if t is int:
            return float(value)
        if t is str:
            if not value.strip():
                if required:
                    sink.flag("value-required", i, value)
                return None
            x = parse_text_number(value, percent)
            if x is None:
                sink.flag("type-number", i, value)
                return None
            sink.flag("number-as-text", i, value, parsed=show(x))
            return x
        sink.flag("type-number", i, value)
        return None

    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        types = set(map(type, values))
        if types <= {float}:
            out = list(values)
        elif types <= {float, int}:
            out = list(map(float, values))
        else:
            out = [cell(v, i, sink) for i, v in enumerate(values)]
        if percent:
            _warn_fractions(out, sink)
        return out

    return convert


def _warn_fractions(out: list[Any], sink: ColumnSink) -> None:
    """0.95 in a 0–100 percentage is most likely 95% typed as a fraction (or a cell
    formatted as %, which stores 0.95): read as is, but say so."""
    formatted = sink.formatted
    for i, x in enumerate(out):
        if x is not None and 0 < x <= 1 and i not in formatted:
            sink.flag("percent-fraction", i, x, percent=show(round(x * 100, 10)))


def _with_range(base: Converter, field: FieldSpec) -> Converter:
    lo, hi, exclusive = field.min, field.max, field.exclusive_min
    lo_text = show(lo) if lo is not None else ""
    hi_text = show(hi) if hi is not None else ""

    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        out = base(values, sink)
        if all(x is None for x in out):
            return out
        present = [x for x in out if x is not None] if None in out else out
        if lo is not None:
            smallest = min(present)
            if smallest < lo or (exclusive and smallest <= lo):
                variant = "exclusive" if exclusive else "default"
                for i, x in enumerate(out):
                    if x is not None and (x < lo or (exclusive and x <= lo)):
                        sink.flag("value-below-min", i, values[i], variant, min=lo_text)
                        out[i] = None
        if hi is not None and max((x for x in out if x is not None), default=hi) > hi:
            for i, x in enumerate(out):
                if x is not None and x > hi:
                    sink.flag("value-above-max", i, values[i], max=hi_text)
                    out[i] = None
        return out

    return convert


# --- codes and text --------------------------------------------------------------------


def _code_converter(field: FieldSpec) -> Converter:
    required = field.required
    digits = field.digits

    def digits_ok(texts: list[str]) -> bool:
        joined = "".join(texts)
        return joined.isascii() and joined.isdigit() and set(map(len, texts)) == {digits}

    def check(text: str, value: Any, i: int, sink: ColumnSink) -> str | None:
        if digits is not None and not (
            text.isascii() and text.isdigit() and len(text) == digits
        ):
            sink.flag("code-digits", i, value, digits=digits)
            return None
        return text

    def cell(value: Any, i: int, sink: ColumnSink) -> str | None:
        t = type(value)
        if t is str:
            text = _nfkc(value).strip()
            if not text:
                if required:
                    sink.flag("value-required", i, value)
                return None
            return check(text, value, i, sink)
        if (t is float and value.is_integer()) or t is int:
            if 0 <= value < _EXACT_INT:
                return check(str(int(value)), value, i, sink)
        sink.flag("type-code", i, value)
        return None

    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        types = set(map(type, values))
        if types == {str}:
            texts = list(map(str.strip, values))
            if digits is None:
                if "" not in texts and "".join(texts).isascii():
                    return texts
            elif digits_ok(texts):
                return texts
        elif types == {float}:
            if all(map(float.is_integer, values)) and 0 <= min(values) and max(values) < _EXACT_INT:
                texts = list(map(str, map(int, values)))
                if digits is None or set(map(len, texts)) == {digits}:
                    return texts
        return [cell(v, i, sink) for i, v in enumerate(values)]

    return convert


def _text_converter(field: FieldSpec) -> Converter:
    required = field.required

    def cell(value: Any, i: int, sink: ColumnSink) -> str | None:
        text = value.strip() if type(value) is str else show(value)
        if not text:
            if required:
                sink.flag("value-required", i, value)
            return None
        return text

    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        if set(map(type, values)) == {str}:
            texts = list(map(str.strip, values))
            if "" not in texts:
                return texts
        return [cell(v, i, sink) for i, v in enumerate(values)]

    return convert


# --- booleans and enumerations ---------------------------------------------------------


def _bool_mapping(spec: TemplateSpec) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {s: True for s in spec.bool_true}
    mapping.update({s: False for s in spec.bool_false})
    # Real Excel booleans and the numbers 1/0 (True == 1 == 1.0 as dict keys).
    mapping.update({True: True, False: False})
    return mapping


def _loose(text: str) -> str:
    """Spelling-insensitive form: NFKC, no spaces, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def _mapped_converter(
    field: FieldSpec, mapping: dict[Any, Any], bad_code: str, params: dict[str, Any]
) -> Converter:
    """Booleans and enums: a dict lookup per cell, then a forgiving second look
    (full-width letters, inner spaces, case) for the cells that missed."""
    required = field.required
    loose = {_loose(k): v for k, v in mapping.items() if isinstance(k, str)}

    def cell(value: Any, i: int, sink: ColumnSink) -> Any:
        if _blank(value):
            if required:
                sink.flag("value-required", i, value)
            return None
        if type(value) is str:
            found = loose.get(_loose(value))
            if found is not None:
                return found
        sink.flag(bad_code, i, value, **params)
        return None

    def convert(values: Sequence[Any], sink: ColumnSink) -> list[Any]:
        out = list(map(mapping.get, values))
        if None in out:
            for i, x in enumerate(out):
                if x is None:
                    out[i] = cell(values[i], i, sink)
        return out

    return convert
