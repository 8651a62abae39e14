"""PDF renderer: the same :class:`Document` in 公文 form (GB/T 9704), typeset by typst.

typst (the PyPI package ``typst``: a compiled wheel for every OS, no system library)
lays out ``templates/gongwen.typ``, which reads the document as JSON: every text of the
report is a JSON string placed as a string, never parsed as markup, so nothing a
bureau typed can change the layout. Figures are PNG files beside the JSON in a
temporary folder that is the compiler's only root; nothing is loaded from the network
(typst packages are not used). The fonts are those of ``fonts.report_fonts`` and are
embedded as subsets. See docs/decisions/005-report-rendering.md.
"""

from __future__ import annotations

import functools
import json
import tempfile
import threading
from importlib import resources
from pathlib import Path

from junheng.core.errors import ReportError
from junheng.reports.documents.document import (
    Block,
    Cell,
    Document,
    Figure,
    Paragraph,
    Placeholder,
    Section,
    Table,
    shown,
)
from junheng.reports.fonts import BUNDLED_SANS, BUNDLED_SERIF, ReportFonts, report_fonts

# One compilation at a time: a web app renders in two threads, and two typst runs at
# once would only share the same two cores while each holds a copy of the fonts.
_TYPESETTING = threading.Lock()
DRAFT_LABEL = "征求意见稿"


@functools.cache
def _template() -> bytes:
    return resources.files("junheng.reports.renderers").joinpath("templates/gongwen.typ").read_bytes()


@functools.cache
def _font_book(paths: tuple[Path, ...]):
    import typst

    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True,
                       font_paths=[str(p) for p in paths])


def document_data(doc: Document, fonts: ReportFonts, figures: list[tuple[str, bytes]]) -> dict:
    """The document as the template reads it; figures are appended as (file name, PNG)."""
    draft = bool(getattr(doc, "draft", False))
    missing = [str(m) for m in (getattr(doc, "missing", None) or [])]
    label = str(getattr(doc, "draft_label", None) or DRAFT_LABEL)

    def section(s: Section) -> dict:
        return {"title": s.title, "level": s.level,
                "blocks": [block(b) for b in s.blocks],
                "sections": [section(c) for c in s.sections]}

    def block(b: Block) -> dict:
        if isinstance(b, Paragraph):
            return {"t": "p", "s": b.style, "x": b.text}
        if isinstance(b, Placeholder):
            return {"t": "ph", "label": b.label, "hint": b.hint}
        if isinstance(b, Table):
            return table(b)
        if isinstance(b, Figure):
            name = f"figure-{len(figures) + 1}.png"
            figures.append((name, b.png))
            return {"t": "fig", "caption": b.caption, "src": name, "w": b.width_cm}
        raise TypeError(f"unknown block {type(b).__name__}")

    def table(t: Table) -> dict:
        n = t.columns
        widths = t.widths if len(t.widths) == n else [1.0] * n
        align = t.align if len(t.align) == n else ["left"] * n
        return {"t": "tbl", "caption": t.caption, "note": t.note, "wide": t.wide, "small": t.small,
                "widths": [float(w) for w in widths], "align": list(align),
                "header": [[cell(c) for c in row] for row in t.header],
                "rows": [[cell(c) for c in row] for row in t.rows]}

    fallback = [BUNDLED_SERIF, BUNDLED_SANS]
    return {
        "title": doc.title,
        "author": doc.author or "",
        "keywords": [k for k in (doc.subtitle,) if k],
        "cover": [line for t in (doc.subtitle, doc.author, doc.date) if t for line in _cover_lines(t)],
        "draft": draft,
        "draft_label": label,
        "missing": missing,
        "fonts": {"title": fonts.title.family, "body": fonts.body.family,
                  "heiti": fonts.heiti.family, "kaiti": fonts.kaiti.family,
                  # 方正小标宋 is a heavy face; a regular 宋体 stand-in is made heavier.
                  "title_bold": not fonts.title.official, "fallback": fallback},
        "sections": [section(s) for s in doc.sections],
    }


def _cover_lines(text: str, width: int = 26) -> list[str]:
    """A long cover line breaks before its bracketed part (the document number), not
    wherever the line happens to end: 依据《…办法》 / （教督〔2017〕6号）."""
    if len(text) <= width or "（" not in text[1:]:
        return [text]
    at = text.rindex("（")
    return [text[:at], text[at:]] if at > 0 else [text]


def cell(c: Cell) -> str | dict:
    """A plain string for a plain cell (most of them: the JSON stays small)."""
    if c.colspan == 1 and c.rowspan == 1 and c.tone is None and c.align is None and not c.bold:
        return c.text
    out: dict = {"x": shown(c)}
    if c.colspan != 1:
        out["c"] = c.colspan
    if c.rowspan != 1:
        out["r"] = c.rowspan
    if c.tone:
        out["tone"] = c.tone
    if c.align:
        out["a"] = c.align
    if c.bold:
        out["b"] = True
    return out


def render_pdf(doc: Document, path: str | Path | None = None) -> bytes:
    """Typeset ``doc``; write it to ``path`` (when given) and return the PDF's bytes."""
    import typst

    fonts = report_fonts()
    figures: list[tuple[str, bytes]] = []
    data = document_data(doc, fonts, figures)
    with tempfile.TemporaryDirectory(prefix="junheng-pdf-") as tmp:
        root = Path(tmp)
        (root / "document.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, png in figures:
            (root / name).write_bytes(png)
        with _TYPESETTING:
            try:
                compiler = typst.Compiler(root=str(root), font_paths=_font_book(fonts.font_paths))
                pdf = compiler.compile(input=_template(), format="pdf", pdf_tags=False)
            except typst.TypstError as exc:  # a bug of ours, or an unreadable font
                raise ReportError(f"无法生成 PDF：{exc.message}") from exc
    if path is not None:
        Path(path).write_bytes(pdf)
    return pdf
