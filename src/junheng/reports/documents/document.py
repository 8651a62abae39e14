"""The report as a document: sections, headings, paragraphs, tables and figures.

Builders (``self_evaluation``, ``annual``) turn an evaluation into one
:class:`Document`; renderers (``docx``, ``pdf``) turn a document into a file. Every
number is formatted once, here in the model, so the Word file and the PDF cannot
disagree and tests can compare cells with the evaluation through the same formatting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from junheng.reports.documents.wording import heading1

Tone = Literal["good", "bad", "warn"] | None
Align = Literal["left", "center", "right"]
# Colour is never the only sign of a status (a black-and-white print, a colour-blind
# reader): both renderers print this symbol before the text of a toned cell.
TONE_MARKS = {"good": "✓", "bad": "×", "warn": "△"}


def shown(cell: Cell) -> str:
    """The text a renderer prints for ``cell``: its status symbol, then its text."""
    mark = TONE_MARKS.get(cell.tone or "")
    return f"{mark} {cell.text}" if mark and cell.text else cell.text


@dataclass(slots=True)
class Paragraph:
    text: str
    # body: 正文; note: 说明 (smaller); lead: 居中的副标题行; signature: 落款 (right-aligned;
    # its lines, 发文机关署名 then 成文日期, are separated by "\n": see Document.sign);
    # annexes: 附件说明 (附表：1. … with the names one a line, aligned under the first)
    style: Literal["body", "note", "lead", "signature", "annexes"] = "body"


@dataclass(slots=True)
class Placeholder:
    """A field the bureau fills in (佐证材料, 待填写 chapters): never invented content."""

    label: str  # e.g. "佐证材料"
    hint: str  # what to put there, shown inside the field


@dataclass(slots=True)
class Cell:
    text: str  # "\n": a line break both renderers keep (a header broken where its words meet)
    colspan: int = 1
    rowspan: int = 1
    tone: Tone = None  # good / bad / warn: coloured in both renderers
    align: Align | None = None  # None: the column's alignment
    bold: bool = False


@dataclass(slots=True)
class Table:
    caption: str  # "表 3  小学校际差异系数"
    header: list[list[Cell]]  # header rows; repeated on every page
    rows: list[list[Cell]]
    # Relative column widths; the renderers scale them to the text width.
    widths: list[float] = field(default_factory=list)
    align: list[Align] = field(default_factory=list)  # per column; default left
    note: str | None = None  # 注：…, below the table
    wide: bool = False  # print on a landscape page
    small: bool = False  # smaller type for big per-school tables
    key: str | None = None  # stable id for tests and anchors

    @property
    def columns(self) -> int:
        return sum(c.colspan for c in self.header[0]) if self.header else len(self.rows[0])


@dataclass(slots=True)
class Figure:
    caption: str
    png: bytes
    width_cm: float = 15.0
    key: str | None = None


Block = Paragraph | Placeholder | Table | Figure


@dataclass(slots=True)
class Section:
    title: str
    level: int = 1  # 1: 一、  2: （一）  3: 1.
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    key: str | None = None

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def sub(self, title: str, key: str | None = None) -> Section:
        child = Section(title, self.level + 1, key=key)
        self.sections.append(child)
        return child


@dataclass(slots=True)
class Document:
    title: str  # 某县义务教育优质均衡发展自评报告
    subtitle: str | None = None  # e.g. the standard it follows
    author: str | None = None  # 某县人民政府 / 某县教育局
    date: str | None = None  # 2026年3月
    sections: list[Section] = field(default_factory=list)
    kind: str = "self-evaluation"
    # A draft carries a watermark (the renderers draw it) and lists at its front what the
    # bureau still has to fill; ``junheng report --final`` refuses while ``missing`` is not empty.
    draft: bool = True
    missing: list[str] = field(default_factory=list)  # Chinese: 「主要做法与成效」（县级说明表）…
    # Tables printed after the last chapter (and after the 落款) as 附表1, 附表2 …: the long
    # per-school tables and the 任务清单. Wide ones take landscape pages there, so no chapter
    # breaks off half a page early to make room for them (GB/T 9704: 附件 follow the 正文).
    annex: list[Table] = field(default_factory=list)

    def section(self, title: str, key: str | None = None) -> Section:
        s = Section(title, 1, key=key)
        self.sections.append(s)
        return s

    def chapter(self, title: str, key: str | None = None) -> Section:
        """A numbered level-1 section: 一、基本情况, 二、…"""
        return self.section(heading1(len(self.sections) + 1, title), key)

    def attach(self, table: Table) -> str:
        """Print ``table`` in the 附表 after the last chapter; returns its label 「附表N」 for
        the sentence that refers to it."""
        self.annex.append(table)
        return f"附表{len(self.annex)}"

    def sign(self, on: date) -> Document:
        """End the last chapter with the 附件说明 of the 附表 attached so far (GB/T 9704
        7.3.4: 附表：1. … below the text) and the 落款 (7.3.5: the author over the full
        成文日期, right-aligned). The 附表 follow it."""
        last = [s for s in self.walk() if s.key != "annex"][-1]
        if self.annex:
            last.add(Paragraph("附表：" + "\n".join(f"{n}. {t.caption}" for n, t in enumerate(self.annex, 1)),
                               style="annexes"))
        if self.author:
            last.add(Paragraph(f"{self.author}\n{on.year}年{on.month}月{on.day}日", style="signature"))
        return self

    def list_missing(self) -> Document:
        """A draft opens with what the bureau still has to fill (before chapter 一)."""
        self.sections = [s for s in self.sections if s.key != "draft-missing"]
        if self.draft and self.missing:
            front = Section("草稿：待补充的内容", 1, key="draft-missing")
            front.add(Paragraph("本文稿为草稿。以下内容尚未填写，补齐后方可生成正式文稿：", style="note"))
            front.add(*(Paragraph(f"{n}. {m}", style="note") for n, m in enumerate(self.missing, 1)))
            self.sections.insert(0, front)
        return self

    def finalise(self) -> Document:
        """The final document: no watermark, no list of missing content (callers check
        ``missing`` is empty first)."""
        self.draft = False
        return self.list_missing()

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.sections))

    def tables(self) -> list[Table]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)

    def figures(self) -> list[Figure]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Figure)]

    def number_captions(self) -> Document:
        """Prefix captions with 表1, 表2 … and 图1 … in reading order (builders write them bare),
        and put the attached tables, 附表1, 附表2 …, in a 附表 section after the last chapter."""
        for n, t in enumerate(self.tables(), 1):
            t.caption = f"表{n}  {t.caption}"
        for n, f in enumerate(self.figures(), 1):
            f.caption = f"图{n}  {f.caption}"
        if self.annex:
            annex = Section("附表", 1, key="annex")
            for n, t in enumerate(self.annex, 1):
                t.caption = f"附表{n}  {t.caption}"
                annex.add(t)
            self.sections.append(annex)
        return self


def cells(*texts: str | Cell) -> list[Cell]:
    """A row from plain strings (or ready cells)."""
    return [t if isinstance(t, Cell) else Cell(t) for t in texts]
