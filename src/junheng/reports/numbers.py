"""How numbers are printed in reports (half-up, fixed decimals, "—" when unknown).

Tests format the evaluation's values with these same functions and compare them with
the cells of the Word file and the text of the PDF.
"""

from __future__ import annotations

from junheng.core.result import display_round

MISSING = "—"


def fixed(value: float | None, digits: int) -> str:
    """``value`` rounded half-up to ``digits`` decimals; "—" for None or NaN."""
    if value is None or value != value:
        return MISSING
    rounded = display_round(float(value), digits)
    text = f"{rounded:.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def indicator_digits(unit: str | None) -> int:
    """元/生 is printed whole (2163 元), 人/生 (jbjh-2012's teachers per student, 0.054)
    with three decimals, the others with two (4.35 ㎡/生)."""
    if unit and unit.startswith("元"):
        return 0
    return 3 if unit == "人/生" else 2


def indicator(value: float | None, unit: str | None) -> str:
    return fixed(value, indicator_digits(unit))


def cv(value: float | None) -> str:
    return fixed(value, 3)


def limit(value: float | None) -> str:
    return fixed(value, 2)


def integer(value: float | None) -> str:
    if value is None:
        return MISSING
    return str(int(round(value)))


def percent(ratio: float | None, digits: int = 1) -> str:
    """0.1234 -> "12.3%"."""
    if ratio is None:
        return MISSING
    return fixed(ratio * 100, digits) + "%"


def amount(value: float | None, digits: int = 2) -> str:
    """Money in 万元 and areas in ㎡ with trailing zeros dropped: 12.50 -> 12.5, 3.00 -> 3."""
    text = fixed(value, digits)
    if text == MISSING or "." not in text:
        return text
    return text.rstrip("0").rstrip(".")


def threshold(value: float | None) -> str:
    """A standard's value as written in the standard: 4.2, 2000, 0.9, 1."""
    if value is None:
        return MISSING
    return f"{value:g}" if abs(value) < 1e6 else str(int(value))


def change(new: float | None, old: float | None, digits: int = 2, unit: str = "") -> str:
    """"增加 3.20" / "减少 1.05" / "持平" (signed difference in words)."""
    if new is None or old is None:
        return MISSING
    delta = display_round(new - old, digits)
    if delta == 0:
        return "持平"
    word = "增加" if delta > 0 else "减少"
    return f"{word} {amount(abs(delta), digits)}{unit}"
