"""Word renderer: a :class:`Document` as an editable .docx (python-docx).

Laid out like an official document (GB/T 9704), as the PDF: A4, margins 3.7/3.5/2.8/2.6
cm, a document grid of 22 lines × 28 characters, title in 方正小标宋简体 二号, body in
仿宋_GB2312 三号, headings in 黑体 / 楷体_GB2312 / 仿宋_GB2312 bold, page numbers
「— 1 —」 in 四号 outside (odd pages right, even pages left) from the first page of the
body. Word substitutes fonts a PC lacks (仿宋 for 仿宋_GB2312 …). Headings use Word's
Heading 1–3 styles (shown as 标题 1–3 by a Chinese Word) so the TOC field
(``TOC \\o "1-3"``) and the navigation pane work; the file asks Word to update fields
when opened, which fills in the TOC's page numbers. Every style is zh-CN; the styles
of our own have Chinese names a clerk can reuse (表格文字, 图表标题, 注释 …).
Tables are real Word tables in the "Table Grid" style, header rows repeated on every
page. Big tables are written as one XML string: adding 6,000 cells through
python-docx's object API takes seconds, the string takes milliseconds.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

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

LATIN = "Times New Roman"
# The 公文 fonts by name: Word uses them where installed and substitutes the nearest
# face otherwise (仿宋 for 仿宋_GB2312 on Windows 10/11, 楷体 for 楷体_GB2312).
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
TITLE_FONT = "方正小标宋简体"
BODY_PT = 16  # 三号
LINE_PITCH = 579  # twips: 225 mm / 22 lines
CHAR_SPACE = -849  # 1/4096 pt: 28 characters of 三号 across 156 mm
DRAFT_LABEL = "征求意见稿"
TONE_RGB = {"bad": "C62828", "warn": "E65100", "good": "2E7D32"}
HEADER_FILL = "E7E6E6"
TWIPS_PER_CM = 567
PORTRAIT = dict(width=21.0, height=29.7, top=3.7, bottom=3.5, left=2.8, right=2.6)
LANDSCAPE = dict(width=29.7, height=21.0, top=2.4, bottom=2.2, left=2.5, right=2.5)


def render_docx(doc: Document, path: str | Path | None = None) -> bytes:
    """Write ``doc`` to ``path`` (when given) and return the file's bytes."""
    out = _Writer(doc).write()
    if path is not None:
        Path(path).write_bytes(out)
    return out


class _Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.d = new_docx()
        self.landscape = False
        self.after_wide_table = False  # the last block drawn was a wide table
        self._styles()
        self._page(self.d.sections[0], PORTRAIT)

    # --- set-up -----------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.d.styles
        normal = styles["Normal"]
        _fonts(normal.element.get_or_add_rPr(), LATIN, FANGSONG)
        normal.font.size = Pt(BODY_PT)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Twips(LINE_PITCH)
        pf.space_before = pf.space_after = Pt(0)
        for level, east, size, bold in ((1, HEITI, 16, False), (2, KAITI, 16, False), (3, FANGSONG, 16, True)):
            st = styles[f"Heading {level}"]
            _fonts(st.element.get_or_add_rPr(), LATIN, east)
            st.font.size = Pt(size)
            st.font.bold = bold
            st.font.italic = False
            st.font.color.rgb = RGBColor(0, 0, 0)
            st.paragraph_format.space_before = Pt(6 if level == 1 else 0)
            st.paragraph_format.space_after = Pt(0)
            st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            st.paragraph_format.line_spacing = Twips(LINE_PITCH)
            st.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
            st.paragraph_format.keep_with_next = True
        title = styles["Title"]
        _fonts(title.element.get_or_add_rPr(), LATIN, TITLE_FONT)
        title.font.size = Pt(22)
        title.font.color.rgb = RGBColor(0, 0, 0)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.line_spacing = Pt(36)
        # The default Title has a bottom border and theme colours; drop them.
        for el in title.element.pPr.findall(qn("w:pBdr")) if title.element.pPr is not None else []:
            title.element.pPr.remove(el)
        self.table_style = self._paragraph_style("表格文字", 10.5, FANGSONG)
        self.table_small = self._paragraph_style("表格文字（小）", 8, FANGSONG)
        self.caption = self._paragraph_style("图表标题", 12, HEITI, center=True)
        self.note = self._paragraph_style("注释", 12, KAITI)
        self.toc = self._paragraph_style("目录文字", 14, FANGSONG)
        self.page_number = self._paragraph_style("页码", 14, SONGTI)
        self._languages()

    def _languages(self) -> None:
        """zh-CN on the document defaults and on every style (Word's proofing, fonts)."""
        styles = self.d.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for el in styles.iter(qn("w:style")):
            _lang_rpr(el.get_or_add_rPr())
        _lang_rpr(rpr)
        theme = self.d.settings.element.find(qn("w:themeFontLang"))
        if theme is not None:
            theme.set(qn("w:val"), "zh-CN")
            theme.set(qn("w:eastAsia"), "zh-CN")

    def _paragraph_style(self, name: str, size: float, east: str, center: bool = False):
        st = self.d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = self.d.styles["Normal"]
        _fonts(st.element.get_or_add_rPr(), LATIN, east)
        st.font.size = Pt(size)
        pf = st.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = None
        pf.space_before = pf.space_after = Pt(0)
        if center:
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_before = Pt(6)
            pf.space_after = Pt(3)
            pf.keep_with_next = True
        return st

    def _page(self, section, geometry: dict[str, float]) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if geometry["width"] > geometry["height"] else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(geometry["width"]), Cm(geometry["height"])
        section.top_margin, section.bottom_margin = Cm(geometry["top"]), Cm(geometry["bottom"])
        section.left_margin, section.right_margin = Cm(geometry["left"]), Cm(geometry["right"])
        section.footer_distance = Cm(2.8)  # the number 7 mm below the 版心
        sect = section._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        grid = OxmlElement("w:docGrid")
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        sect.append(grid)

    def _footer(self, section) -> None:
        """「— 1 —」 in 四号, one character in from the outside edge; the cover and the
        contents (the first section) carry none, the body counts from 1."""
        self.d.settings.odd_and_even_pages_header_footer = True
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            p = footer.paragraphs[0]
            p.style = self.page_number
            p.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = Pt(14)
            else:
                p.paragraph_format.left_indent = Pt(14)
            p.add_run("— ")
            _field(p, "PAGE", "1", size=14)
            p.add_run(" —")
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), "1")
        _insert_in_order(section._sectPr, pg)

    def _text_width_cm(self) -> float:
        g = LANDSCAPE if self.landscape else PORTRAIT
        return g["width"] - g["left"] - g["right"]

    def _orient(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        for restart in section._sectPr.findall(qn("w:pgNumType")):  # copied from the body's
            section._sectPr.remove(restart)
        self.landscape = landscape
        self._page(section, LANDSCAPE if landscape else PORTRAIT)

    # --- content ----------------------------------------------------------------

    def write(self) -> bytes:
        self._cover()
        self._toc()
        # The body is a section of its own: page numbers start there, at 1.
        body = self.d.add_section(WD_SECTION.NEW_PAGE)
        self._page(body, PORTRAIT)
        self._footer(body)
        if self.draft:
            self._draft_header(body)
        for section in self.doc.sections:
            self._section(section)
        settings = self.d.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        self._properties()
        buf = io.BytesIO()
        self.d.save(buf)
        return buf.getvalue()

    def _properties(self) -> None:
        """File properties a bureau would set (no library name anywhere)."""
        core = self.d.core_properties
        core.title = self.doc.title
        core.subject = self.doc.subtitle or self.doc.title
        core.author = core.last_modified_by = bureau(self.doc)
        core.comments = ""
        core.keywords = ""
        core.category = {"annual": "年度答卷", "self-evaluation": "自评报告"}.get(self.doc.kind, "")
        core.language = "zh-CN"
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        core.created = core.modified = now
        core.revision = 1

    @property
    def draft(self) -> bool:
        return bool(getattr(self.doc, "draft", False))

    def _draft_header(self, section) -> None:
        """A draft says so at the top of every page (a Word watermark would hide text)."""
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(getattr(self.doc, "draft_label", None) or DRAFT_LABEL)
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0xC0, 0, 0)
            _fonts(run._r.get_or_add_rPr(), LATIN, HEITI)

    def _cover(self) -> None:
        for _ in range(5):
            self.d.add_paragraph()
        self.d.add_paragraph(self.doc.title, style="Title")
        for text in (self.doc.subtitle, None, self.doc.author, self.doc.date):
            p = self.d.add_paragraph(text or "")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = None
        missing = [str(m) for m in (getattr(self.doc, "missing", None) or [])]
        if self.draft:
            label = getattr(self.doc, "draft_label", None) or DRAFT_LABEL
            p = self.d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(f"（{label}）")
            run.font.color.rgb = RGBColor(0xC0, 0, 0)
            if missing:
                note = self.d.add_paragraph(f"{label}：以下内容待补充——" + "；".join(missing) + "。",
                                            style=self.note)
                note.runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
        self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _toc(self) -> None:
        head = self.d.add_paragraph("目　录")
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(head.runs[0]._r.get_or_add_rPr(), LATIN, HEITI)
        entries = [s for s in self.doc.walk() if s.level <= 2]
        # One field spanning paragraphs: Word rebuilds it with page numbers on update;
        # until then the reader sees the outline.
        first = self.d.add_paragraph(style=self.toc)
        _fld_char(first, "begin", dirty=True)
        instr = first.add_run()._r
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = ' TOC \\o "1-3" \\h \\z \\u '
        instr.append(it)
        _fld_char(first, "separate")
        paragraphs = [first] + [self.d.add_paragraph(style=self.toc) for _ in entries[1:]]
        for p, s in zip(paragraphs, entries, strict=True):
            p.add_run(s.title)
            p.paragraph_format.left_indent = Pt(28 * (s.level - 1))
        _fld_char(paragraphs[-1], "end")

    def _section(self, section: Section) -> None:
        # A heading goes on the page of what follows it: landscape only before a wide table.
        first = section.blocks[0] if section.blocks else None
        self._orient(isinstance(first, Table) and first.wide)
        self.d.add_heading(section.title, level=min(section.level, 3))
        for block in section.blocks:
            self._block(block)
        for child in section.sections:
            self._section(child)

    def _block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Placeholder):
            self._placeholder(block)
        elif isinstance(block, Table):
            # Wide tables each open a landscape page of their own (附表1, 附表2 …).
            new_page = block.wide and self.landscape and self.after_wide_table
            self._orient(block.wide)
            self._table(block, new_page)
        elif isinstance(block, Figure):
            self._orient(False)
            self._figure(block)
        self.after_wide_table = isinstance(block, Table) and block.wide

    def _paragraph(self, block: Paragraph) -> None:
        if block.style == "note":
            p = self.d.add_paragraph(block.text, style=self.note)
            return
        p = self.d.add_paragraph(block.text)
        if block.style == "body":
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif block.style == "lead":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.style == "signature":  # 落款: a blank line above, 署名 over 成文日期, 右空二字
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(BODY_PT * 2)
        elif block.style == "annexes":  # 附件说明: 左空二字 附表：1. …, the next names under the first
            p.paragraph_format.left_indent = Pt(BODY_PT * 5)
            p.paragraph_format.first_line_indent = Pt(-BODY_PT * 3)
        if block.style in ("signature", "annexes"):
            p.paragraph_format.space_before = Twips(LINE_PITCH)  # a blank line above
            # never alone on a page (GB/T 9704): the paragraph before keeps with it
            before = p._p.getprevious()
            if before is not None and before.tag == qn("w:p"):
                DocxParagraph(before, p._parent).paragraph_format.keep_with_next = True

    def _placeholder(self, block: Placeholder) -> None:
        """A plain-text content control: Word shows the hint until the bureau types."""
        p = self.d.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        label = p.add_run(f"{block.label}：")
        label.bold = True
        sdt = parse_xml(
            f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{escape(block.label)}"/>'
            f'<w:tag w:val="junheng-placeholder"/><w:showingPlcHdr/><w:text w:multiLine="1"/></w:sdtPr>'
            f'<w:sdtContent><w:r><w:rPr><w:color w:val="C00000"/><w:highlight w:val="yellow"/></w:rPr>'
            f'<w:t xml:space="preserve">【{escape(block.hint)}】</w:t></w:r></w:sdtContent></w:sdt>')
        p._p.append(sdt)

    def _figure(self, block: Figure) -> None:
        width = min(block.width_cm, self._text_width_cm())
        self.d.add_picture(io.BytesIO(block.png), width=Cm(width))
        pic = self.d.paragraphs[-1]
        pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pic.paragraph_format.first_line_indent = None
        pic.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pic.paragraph_format.keep_with_next = True
        self.d.add_paragraph(block.caption, style=self.caption)

    def _table(self, table: Table, new_page: bool = False) -> None:
        caption = self.d.add_paragraph(table.caption, style=self.caption)
        caption.paragraph_format.page_break_before = new_page or None
        style_id = (self.table_small if table.small else self.table_style).style_id
        self.d.element.body._insert_tbl(parse_xml(_table_xml(table, self._text_width_cm(), style_id)))
        if table.note:
            self.d.add_paragraph(table.note, style=self.note)


def bureau(doc: Document) -> str:
    """Who made the file: the education bureau, also of a report the county government signs
    (××县人民政府 → ××县教育局); a builder may name it (``Document.bureau``)."""
    named = getattr(doc, "bureau", None)
    if named:
        return str(named)
    author = doc.author or ""
    return author.removesuffix("人民政府") + "教育局" if author.endswith("人民政府") else author


# --- XML helpers ----------------------------------------------------------------------


def _fonts(rpr, latin: str, east_asia: str) -> None:
    """Set Latin and East-Asian fonts explicitly (dropping theme fonts that win otherwise)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)


_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings")


def _insert_in_order(sect, el) -> None:
    """Put ``w:pgNumType`` where the schema wants it in ``w:sectPr`` (Word is strict)."""
    for tag in _AFTER_PGNUMTYPE:
        found = sect.find(qn(tag))
        if found is not None:
            found.addprevious(el)
            return
    sect.append(el)


def _lang_rpr(rpr) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def _fld_char(p, kind: str, dirty: bool = False) -> None:
    run = p.add_run()._r
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    if dirty:
        fc.set(qn("w:dirty"), "true")
    run.append(fc)


def _field(p, instr: str, shown: str, size: float) -> None:
    _fld_char(p, "begin")
    r = p.add_run()
    r.font.size = Pt(size)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    _fld_char(p, "separate")
    p.add_run(shown).font.size = Pt(size)
    _fld_char(p, "end")


def _table_xml(table: Table, width_cm: float, style_id: str) -> str:
    n = table.columns
    weights = table.widths if len(table.widths) == n else [1.0] * n
    total = sum(weights)
    cols = [int(width_cm * TWIPS_PER_CM * w / total) for w in weights]
    align = table.align if len(table.align) == n else ["left"] * n
    parts = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
             f'<w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
             'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    parts += [f'<w:gridCol w:w="{c}"/>' for c in cols]
    parts.append("</w:tblGrid>")
    pending: dict[int, list[int]] = {}  # grid column -> [rows still merged, colspan]
    last = len(table.header) + len(table.rows) - 1
    for r, row in enumerate(table.header + table.rows):
        head = r < len(table.header)
        # The last row keeps with the 注 below: Word moves it over with the note rather
        # than leave the note alone at the top of a page.
        keep = bool(table.note) and r == last and not head
        parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if head else "") + "</w:trPr>")
        it = iter(row)
        c = 0
        while c < n:
            if c in pending and pending[c][0] > 0:
                pending[c][0] -= 1
                span = pending[c][1]
                parts.append(_tc(None, sum(cols[c:c + span]), span, "continue", head, "left", style_id, keep))
                c += span
                continue
            cell = next(it, None)
            if cell is None:  # a short row: pad with empty cells
                cell = Cell("")
            span = max(1, min(cell.colspan, n - c))
            merge = None
            if cell.rowspan > 1:
                pending[c] = [cell.rowspan - 1, span]
                merge = "restart"
            parts.append(_tc(cell, sum(cols[c:c + span]), span, merge, head,
                             cell.align or ("center" if head else align[c]), style_id, keep))
            c += span
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _tc(cell: Cell | None, width: int, span: int, merge: str | None, head: bool, align: str,
        style_id: str, keep: bool = False) -> str:
    pr = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        pr.append(f'<w:gridSpan w:val="{span}"/>')
    if merge == "restart":
        pr.append('<w:vMerge w:val="restart"/>')
    elif merge == "continue":
        pr.append("<w:vMerge/>")
    if head:
        pr.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>')
    pr.append('<w:vAlign w:val="center"/>')
    jc = {"left": "left", "center": "center", "right": "right"}[align]
    run = ""
    if cell is not None and cell.text:
        rpr = ("<w:b/>" if head or cell.bold or cell.tone == "bad" else "") + (
            f'<w:color w:val="{TONE_RGB[cell.tone]}"/>' if cell.tone else "")
        run = (f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}"
               + '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in shown(cell).split("\n"))
               + "</w:r>")
    return (f'<w:tc><w:tcPr>{"".join(pr)}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style_id}"/>'
            f'{"<w:keepNext/>" if keep else ""}<w:jc w:val="{jc}"/></w:pPr>{run}</w:p></w:tc>')
