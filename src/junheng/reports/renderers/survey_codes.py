"""`junheng survey codes --out 调查码.html`: one printable page per school (and one for
the county-level groups) with a QR code per one-time code, cut into slips. The QR
code opens the questionnaire at ``{url}/s/{code}``; the code is printed beside it for
those who type it at ``{url}/s``. Self-contained HTML (inline SVG, no script, no
CDN): open it in a browser and print on A4."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import segno


class Slip(Protocol):
    code: str
    school_code: str
    school_name: str
    group_name: str


CSS = """
@page { size: A4; margin: 10mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; margin: 0; }
@media screen { body { margin: 12px; } }
.school { page-break-after: always; }
.school:last-child { page-break-after: auto; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
p.note { font-size: 9pt; margin: 0 0 3mm; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); }
.slip { border: 1px dashed #888; padding: 2mm; text-align: center; break-inside: avoid; font-size: 9pt; }
.code { font-family: "Courier New", monospace; font-size: 11pt; font-weight: bold; letter-spacing: 1px; }
"""


def shown(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def write_codes_html(slips: Sequence[Slip], path: str | Path, *, url: str, title: str) -> None:
    base = url.rstrip("/")
    by_school: dict[tuple[str, str], list[Slip]] = {}
    for s in slips:
        by_school.setdefault((s.school_code, s.school_name), []).append(s)
    pages = []
    for (code, name), mine in by_school.items():
        cells = []
        for s in mine:
            link = f"{base}/s/{s.code}"
            cells.append(f'<div class="slip">{qr_svg(link)}<div>{html.escape(s.group_name)}</div>'
                         f'<div class="code">{shown(s.code)}</div></div>')
        label = f"{html.escape(name)}（{html.escape(code)}）" if code else html.escape(name)
        pages.append(f'<section class="school"><h1>{label}：社会认可度调查码 {len(mine)} 个</h1>'
                     f'<p class="note">沿虚线剪开，每位受访者一张。手机扫码作答，或在浏览器打开 '
                     f'{html.escape(base)}/s 输入调查码。匿名作答，每个调查码只能提交一次。</p>'
                     f'<div class="grid">{"".join(cells)}</div></section>')
    doc = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
           f'<style>{CSS}</style></head><body>{"".join(pages)}</body></html>')
    Path(path).write_text(doc, encoding="utf-8")
