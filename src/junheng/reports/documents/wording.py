"""Small pieces of formal Chinese shared by the report builders."""

from __future__ import annotations

from collections.abc import Sequence

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (section numbers up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def heading1(n: int, title: str) -> str:
    return f"{chinese_number(n)}、{title}"


def heading2(n: int, title: str) -> str:
    return f"（{chinese_number(n)}）{title}"


def yes_no(flag: bool | None) -> str:
    return "缺数据" if flag is None else ("是" if flag else "否")


def verdict(passed: bool | None) -> str:
    """达标 / 未达标 / 缺少数据."""
    return "缺少数据" if passed is None else ("达标" if passed else "未达标")


def join_names(names: Sequence[str], limit: int = 10) -> str:
    """A、B、C 等 12 所 — lists stay readable in running text."""
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等 {len(names)} 所"


def year_month(d) -> str:
    return f"{d.year}年{d.month}月"
