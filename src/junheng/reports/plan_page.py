"""The plan as one self-contained HTML page (inline CSS, no script, nothing fetched:
bureaus open it on an intranet)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from junheng.reports.numbers import amount
from junheng.reports.plan_section import PlanSection, SectionTable

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #4a78b0;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;text-align:left}
th{background:#ddebf7}td.num{text-align:right;white-space:nowrap}
.status{font-size:1.1em;font-weight:bold;color:#1f4e79}.bad{color:#c00000}
"""


def plan_html(section: PlanSection) -> str:
    parts = [f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
             f"<title>{escape(section.title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{escape(section.title)}</h1>", f"<p class=\"status\">{escape(section.status)}</p>",
             "<table>"]
    parts += [f"<tr><th>{escape(label)}</th><td>{escape(str(value))}</td></tr>" for label, value in section.summary]
    parts.append("</table>")
    parts.append(_table(section.costs))
    for title, lines, cls in (("仍未达标（评估引擎复核）", section.still_failing, "bad"),
                              ("无法通过现有措施解决", section.unreachable, "bad"),
                              ("说明", section.notes, ""), ("注意", section.warnings, "bad")):
        if lines:
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            parts.append(f"<h2>{escape(title)}</h2><ul class=\"{cls}\">{items}</ul>")
    parts += [_table(t) for t in section.tables]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_plan_page(section: PlanSection, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(plan_html(section), encoding="utf-8")
    return path


def _table(table: SectionTable) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = []
    for row in table.rows:
        cells = "".join(_cell(v, c in table.money) for c, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f"<tr><td colspan=\"{len(table.headers)}\">（无）</td></tr>")
    return f"<h2>{escape(table.title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cell(value: Any, money: bool) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:,.0f}" if money else amount(value)
        return f"<td class=\"num\">{text}</td>"
    return f"<td>{escape(str(value))}</td>"
