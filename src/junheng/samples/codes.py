"""The 10-digit 标识码 of a sample county's schools and kindergartens, unique across
both sheets for any size.

Up to 9,999 codes in all: the county's 6-digit code and a 4-digit number, schools
counting up from 0001 and kindergartens down from 9999 (what every sample has always
had, so small samples are unchanged and codes are unique across counties). A bigger
county takes the first 5 digits of its code and a 5-digit number (99,999 codes).
A few numbers stay free between the two runs for the schools a later year opens
(samples.years).
"""

from __future__ import annotations

SPARE = 50  # numbers kept free for schools opened in later years of a series


def kindergarten_count(schools: int) -> int:
    return max(3, round(schools * 0.7))


def width(schools: int) -> int:
    """Digits of the running number for a county of ``schools`` schools."""
    return 4 if schools + kindergarten_count(schools) + SPARE <= 9999 else 5


def school_code(county_code: str, index: int, schools: int) -> str:
    """The code of school number ``index`` (from 1)."""
    w = width(schools)
    return f"{county_code[:10 - w]}{index:0{w}d}"


def kindergarten_code(county_code: str, index: int, schools: int) -> str:
    """The code of kindergarten number ``index`` (from 0), counting down."""
    w = width(schools)
    return f"{county_code[:10 - w]}{10 ** w - 1 - index:0{w}d}"


def next_code(codes: list[str]) -> str:
    """The code after the highest of ``codes`` (a school a later year opens)."""
    return f"{int(max(codes)) + 1:010d}"
