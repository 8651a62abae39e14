"""How numbers are printed — one rounding rule for every output.

:func:`rounded` is the rule: decimal half-up on the decimal value, as Excel's ROUND
(3.825 → 3.83, 0.0005 → 0.001), taken from the float's shortest repr so 3.825 is the
decimal 3.825 and not the binary 3.82499999…. Every figure a user reads — the Word and
PDF reports, the 年度答卷, JSON's ``shown`` texts, the terminal, HTML, xlsx captions —
is printed through it, with the number of places set per kind of figure
(:data:`PLACES`; ``JUNHENG_PLACES='{"cv": 4}'`` changes a kind for the whole process).
Comparisons with thresholds never use the rounded value.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MISSING = "—"

# Places per kind of figure (analysis.figure_catalogue.Kind). CVs: 3, as the
# standards' README and the inspectors' tables print them (0.356 against a limit of
# 0.50); a province that prints four sets JUNHENG_PLACES='{"cv": 4}'.
DEFAULT_PLACES: dict[str, int] = {"count": 0, "percent": 1, "ratio": 2, "money": 2, "cv": 3, "limit": 2}
PLACES: dict[str, int] = dict(DEFAULT_PLACES)


def configure(places: Mapping[str, int] | None) -> None:
    """Set the places of some kinds (from Settings.places); unknown kinds are refused."""
    PLACES.clear()
    PLACES.update(DEFAULT_PLACES)
    for kind, n in (places or {}).items():
        if kind not in DEFAULT_PLACES:
            raise ValueError(f"JUNHENG_PLACES: 未知的数字种类「{kind}」，可用：{'、'.join(DEFAULT_PLACES)}")
        if not 0 <= int(n) <= 6:
            raise ValueError(f"JUNHENG_PLACES: 「{kind}」的小数位数 {n} 应在 0 到 6 之间")
        PLACES[kind] = int(n)


def places(kind: str) -> int:
    return PLACES[kind]


def rounded(value: float | int | Decimal, digits: int) -> Decimal:
    """THE rounding rule: half-up on the decimal value (Excel's ROUND)."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    else:  # float, numpy scalars: the shortest repr, the decimal the user typed
        d = Decimal(repr(float(value)))
    return d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def times(a: float, b: float) -> Decimal:
    """a × b on the decimal values (基本值 = 85 % × 4.5 = 3.825 exactly, shown 3.83)."""
    return rounded(a, 12) * rounded(b, 12)


def _known(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def fixed(value: float | None, digits: int) -> str:
    """``value`` rounded half-up to ``digits`` decimals; "—" for None or NaN."""
    if not _known(value):
        return MISSING
    r = rounded(value, digits)  # type: ignore[arg-type]
    if r == 0:
        r = abs(r)  # no "-0.00"
    return f"{r:.{digits}f}"


def target_gap(value: float | None, kind: str) -> str:
    """What a target still lacks, as shown: 「3.5 个百分点」 for a share, else the figure as
    ``by_kind`` shows it; 「已达到」 when nothing is left (the terminal, web and 年度答卷 alike)."""
    if value is None:
        return MISSING
    if value <= 0:
        return "已达到"
    if kind == "percent":
        return f"{fixed(value * 100, places('percent'))} 个百分点"
    return by_kind(value, kind)


def by_kind(value: float | None, kind: str) -> str:
    """A figure of ``kind`` as shown: 12.3% for percent, 0.123 for cv, 1,234 never (no separators)."""
    if kind == "percent":
        return percent(value, PLACES["percent"])
    return fixed(value, PLACES[kind])


def shown(figure: Any) -> str:
    """A fact-sheet figure (analysis.factsheet.Figure) as every output prints it."""
    return by_kind(figure.value, figure.definition.kind)


def shown_value(figure: Any) -> float | None:
    """The printed value as a number (for xlsx cells and JSON): the same rounding."""
    if not _known(figure.value):
        return None
    kind = figure.definition.kind
    if kind == "percent":
        return float(rounded(Decimal(repr(float(figure.value))) * 100, PLACES["percent"]) / 100)
    return float(rounded(figure.value, PLACES[kind]))


def delta(new: Any, old: Any) -> str:
    """The 变化 of a figure from last year, from the SHOWN values so it never contradicts
    them: "+3" / "−1.05" / "+0.4 个百分点" / "持平" / "—"."""
    if not (_known(new.value) and _known(old.value)):
        return MISSING
    kind = new.definition.kind
    if kind == "percent":
        n = PLACES["percent"]
        a = rounded(Decimal(repr(float(new.value))) * 100, n)
        b = rounded(Decimal(repr(float(old.value))) * 100, n)
        diff, unit = a - b, " 个百分点"
    else:
        n = PLACES[kind]
        diff, unit = rounded(new.value, n) - rounded(old.value, n), ""
    if diff == 0:
        return "持平"
    return f"{'+' if diff > 0 else '−'}{abs(diff):.{n}f}{unit}"


def indicator_digits(unit: str | None) -> int:
    """元/生 is printed whole (2163 元), 人/生 (jbjh-2012's teachers per student, 0.054)
    with three decimals, the others with two (4.35 ㎡/生)."""
    if unit and unit.startswith("元"):
        return 0
    return 3 if unit == "人/生" else 2


def indicator(value: float | None, unit: str | None) -> str:
    return fixed(value, indicator_digits(unit))


def cv(value: float | None) -> str:
    return fixed(value, PLACES["cv"])


def limit(value: float | None) -> str:
    return fixed(value, PLACES["limit"])


def integer(value: float | None) -> str:
    if not _known(value):
        return MISSING
    return fixed(value, 0)


def percent(ratio: float | None, digits: int | None = None) -> str:
    """0.1234 -> "12.3%" (the share ×100 on the decimal value, then rounded)."""
    if not _known(ratio):
        return MISSING
    n = PLACES["percent"] if digits is None else digits
    return fixed(Decimal(repr(float(ratio))) * 100, n) + "%"  # type: ignore[arg-type]


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
    """"增加 3.20" / "减少 1.05" / "持平": the difference of the two values as shown."""
    if not (_known(new) and _known(old)):
        return MISSING
    diff = rounded(new, digits) - rounded(old, digits)  # type: ignore[arg-type]
    if diff == 0:
        return "持平"
    word = "增加" if diff > 0 else "减少"
    return f"{word} {amount(abs(diff), digits)}{unit}"  # type: ignore[arg-type]
