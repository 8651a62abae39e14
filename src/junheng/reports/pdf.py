"""PDF renderer: the same :class:`Document` as HTML + CSS, typeset by WeasyPrint.

WeasyPrint (Pango/HarfBuzz) embeds subsets of Noto Serif/Sans CJK SC, so the PDF
shows the same glyphs everywhere and its text can be searched and copied; see
docs/decisions/005-report-rendering.md for why this route. Nothing is loaded from the
network: images are inline data URIs and fonts come from fontconfig.
"""

from __future__ import annotations

import base64
import threading
from html import escape
from pathlib import Path

from junheng.core.errors import ReportError
from junheng.reports.document import (
    Block,
    Cell,
    Document,
    Figure,
    Paragraph,
    Placeholder,
    Section,
    Table,
)
from junheng.reports.fonts import INSTALL_HINT, SANS, SERIF, font_file

_TYPESETTING = threading.Lock()

CSS = f"""
@page {{
  size: A4; margin: 3.2cm 2.6cm 3.0cm 2.8cm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: "{SERIF}"; font-size: 11pt; }}
}}
@page cover {{ @bottom-center {{ content: none; }} }}
@page wide {{ size: A4 landscape; margin: 2.0cm 1.8cm 2.0cm 1.8cm; }}
html {{ font-family: "{SERIF}"; font-size: 13pt; line-height: 1.75; color: #000; }}
body {{ margin: 0; }}
.cover {{ page: cover; text-align: center; padding-top: 6cm; break-after: page; }}
.cover h1.title {{ font-family: "{SANS}"; font-size: 24pt; font-weight: bold; line-height: 1.5;
                  margin: 0 0 1.2cm 0; bookmark-level: none; }}
.cover p {{ margin: 0.3cm 0; font-size: 14pt; text-align: center; }}
.toc {{ break-after: page; }}
.toc h2 {{ text-align: center; font-family: "{SANS}"; font-size: 16pt; bookmark-level: none; }}
.toc ol {{ list-style: none; padding: 0; margin: 0; }}
.toc li {{ margin: 0.1cm 0; }}
.toc li.l2 {{ padding-left: 2em; font-size: 12pt; }}
.toc a {{ color: #000; text-decoration: none; }}
.toc a::after {{ content: leader(".") target-counter(attr(href), page); }}
h1, h2, h3 {{ margin: 0.5em 0 0.2em 0; line-height: 1.5; break-after: avoid; }}
h1 {{ font-family: "{SANS}"; font-size: 16pt; font-weight: bold; }}
h2 {{ font-family: "{SANS}"; font-size: 14pt; font-weight: normal; }}
h3 {{ font-family: "{SERIF}"; font-size: 13pt; font-weight: bold; }}
p {{ margin: 0 0 0.2em 0; text-align: justify; }}
p.body {{ text-indent: 2em; }}
p.note {{ font-size: 10.5pt; line-height: 1.5; color: #333; }}
p.lead {{ text-align: center; }}
p.signature {{ text-align: right; }}
p.field {{ text-indent: 2em; }}
span.placeholder {{ background: #fff3b0; border: 0.6pt dashed #c00000; color: #c00000; padding: 0 0.2em; }}
.caption {{ font-family: "{SANS}"; font-size: 11pt; text-align: center; margin: 0.6em 0 0.3em 0;
           break-after: avoid; text-indent: 0; }}
figure {{ margin: 0.6em 0; text-align: center; break-inside: avoid; }}
figure img {{ max-width: 100%; }}
figure .caption {{ margin-top: 0.2em; }}
section.wide {{ page: wide; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0 0 0.4em 0;
        font-size: 10pt; line-height: 1.35; }}
table.small {{ font-size: 7pt; line-height: 1.2; }}
th, td {{ border: 0.5pt solid #444; padding: 1.5pt 2.5pt; vertical-align: middle; overflow-wrap: anywhere; }}
table.small th, table.small td {{ padding: 0.8pt 1.5pt; }}
th {{ background: #e7e6e6; font-family: "{SANS}"; font-weight: normal; text-align: center; }}
tr {{ break-inside: avoid; }}
.l {{ text-align: left; }} .c {{ text-align: center; }} .r {{ text-align: right; }}
.b {{ font-weight: bold; }}
.bad {{ color: #c62828; font-weight: bold; }} .warn {{ color: #e65100; }} .good {{ color: #2e7d32; }}
"""


def document_html(doc: Document) -> str:
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{escape(doc.title)}</title>",
           f'<meta name="author" content="{escape(doc.author or "junheng")}">',
           f"<style>{CSS}</style></head><body>"]
    out.append('<div class="cover">')
    out.append(f'<h1 class="title">{escape(doc.title)}</h1>')
    for text in (doc.subtitle, doc.author, doc.date):
        if text:
            out.append(f"<p>{escape(text)}</p>")
    out.append("</div>")
    _toc(out, doc)
    ids = _Ids()
    for s in doc.sections:
        _section(out, s, ids)
    out.append("</body></html>")
    return "".join(out)


def render_pdf(doc: Document, path: str | Path | None = None) -> bytes:
    """Typeset ``doc``; write it to ``path`` (when given) and return the PDF's bytes."""
    for family in (SERIF, SANS):
        font_file(family)  # a clear Chinese error instead of silent tofu
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing: WeasyPrint cannot load its libraries
        raise ReportError(f"无法生成 PDF：缺少排版所需的系统库（{exc}）。{INSTALL_HINT}") from exc
    html = document_html(doc)
    # One typesetting at a time: WeasyPrint's Pango/fontconfig calls are not known to be
    # safe from concurrent threads (web downloads), and layout is Python holding the GIL
    # anyway, so two at once would not finish sooner.
    with _TYPESETTING:
        pdf = HTML(string=html).write_pdf()
    if path is not None:
        Path(path).write_bytes(pdf)
    return pdf


class _Ids:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"s{self.n}"


def _toc(out: list[str], doc: Document) -> None:
    out.append('<nav class="toc"><h2>目　录</h2><ol>')
    ids = _Ids()
    for s in doc.walk():
        anchor = ids.next()
        if s.level <= 2:
            out.append(f'<li class="l{s.level}"><a href="#{anchor}">{escape(s.title)}</a></li>')
    out.append("</ol></nav>")


def _section(out: list[str], section: Section, ids: _Ids) -> None:
    # Same walk order as _toc, so the anchors match.
    anchor = ids.next()
    level = min(section.level, 3)
    out.append(f'<h{level} id="{anchor}">{escape(section.title)}</h{level}>')
    for block in section.blocks:
        _block(out, block)
    for child in section.sections:
        _section(out, child, ids)


def _block(out: list[str], block: Block) -> None:
    if isinstance(block, Paragraph):
        out.append(f'<p class="{block.style}">{escape(block.text)}</p>')
    elif isinstance(block, Placeholder):
        out.append(f'<p class="field"><b>{escape(block.label)}：</b>'
                   f'<span class="placeholder">【{escape(block.hint)}】</span></p>')
    elif isinstance(block, Table):
        _table(out, block)
    elif isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        out.append(f'<figure><img src="data:image/png;base64,{data}" style="width:{block.width_cm}cm">'
                   f'<div class="caption">{escape(block.caption)}</div></figure>')


def _table(out: list[str], table: Table) -> None:
    n = table.columns
    weights = table.widths if len(table.widths) == n else [1.0] * n
    total = sum(weights)
    align = table.align if len(table.align) == n else ["left"] * n
    if table.wide:
        out.append('<section class="wide">')
    out.append(f'<div class="caption">{escape(table.caption)}</div>')
    out.append(f'<table class="{"small" if table.small else ""}"><colgroup>')
    out += [f'<col style="width:{100 * w / total:.3f}%">' for w in weights]
    out.append("</colgroup><thead>")
    for row in table.header:
        out.append("<tr>" + "".join(_cell("th", c, None) for c in row) + "</tr>")
    out.append("</thead><tbody>")
    for row in table.rows:
        cols = []
        c = 0
        for cell in row:
            cols.append(_cell("td", cell, align[c] if c < n else "left"))
            c += cell.colspan
        out.append("<tr>" + "".join(cols) + "</tr>")
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="note">{escape(table.note)}</p>')
    if table.wide:
        out.append("</section>")


_ALIGN = {"left": "l", "center": "c", "right": "r"}


def _cell(tag: str, cell: Cell, default_align: str | None) -> str:
    classes = []
    align = cell.align or default_align
    if align:
        classes.append(_ALIGN[align])
    if cell.tone:
        classes.append(cell.tone)
    if cell.bold:
        classes.append("b")
    attrs = f' class="{" ".join(classes)}"' if classes else ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    return f"<{tag}{attrs}>{escape(cell.text)}</{tag}>"
