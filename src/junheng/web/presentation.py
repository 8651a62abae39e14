"""How values read on the pages: numbers, verdicts, statuses, dates (Chinese)."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from junheng.core.result import display_round

CHINA = timezone(timedelta(hours=8))

STATUS_ZH = {
    "draft": "未提交", "submitted": "待审核", "returned": "已退回", "approved": "已通过",
    "open": "填报中", "published": "已汇总入库",
}
LEDGER_STATUS_ZH = {"open": "待整改", "in_progress": "整改中", "closed": "已销号"}


def number(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        shown = display_round(value, digits)
        if shown is None:
            return "—"
        text = f"{shown:,.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def percent(ratio: float | None, met: bool | None = None) -> str:
    """A share of the standard, one decimal, half up: ``0.9962`` → ``99.6``. A value that
    does not meet the standard never shows as 100.0 next to its ✗: just short of it is
    99.9 (just over a maximum, 100.1)."""
    if ratio is None:
        return "—"
    tenths = math.floor(ratio * 1000 + 0.5)
    if met is False and tenths == 1000:
        tenths = 999 if ratio < 1 else 1001
    return f"{tenths / 10:.1f}"


def verdict(passed: bool | None) -> str:
    if passed is None:
        return "无法判断"
    return "达标" if passed else "未达标"


def when(at: datetime | str | None) -> str:
    if at is None:
        return ""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def day(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def school_year(year: int) -> str:
    return f"{year}—{year + 1} 学年"


def tojson_script(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block (no inline script runs:
    the content security policy forbids it)."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("&", "\\u0026"))


def install_filters(env: Environment) -> None:
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}  # 中文 as is
    env.filters.update(number=number, percent=percent, verdict=verdict, when=when, day=day,
                       school_year=school_year, json_script=tojson_script,
                       status_zh=lambda s: STATUS_ZH.get(s, s),
                       ledger_status_zh=lambda s: LEDGER_STATUS_ZH.get(s, s))
