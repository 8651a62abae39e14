"""Use cases around standard files: list the shipped ones, copy one for a province or
county to edit, and check a user's file (Chinese errors with the line and key)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from junheng.core.errors import ConflictError
from junheng.core.standard import Standard
from junheng.standards import (
    derive_text,
    load_standard,
    parse_standard,
    shipped_standards,
    standard_text,
)


@dataclass(frozen=True, slots=True)
class StandardSummary:
    id: str
    title: str
    document: str | None
    year: int | None
    version: str
    based_on: str | None
    indicators: int  # per-school indicators of the resource block
    items: int
    dimensions: list[str]  # Chinese names


def summarize(std: Standard) -> StandardSummary:
    return StandardSummary(
        id=std.id, title=std.title, document=std.document, year=std.year, version=std.version,
        based_on=std.based_on,
        indicators=len(std.resource.indicators) if std.resource else 0,
        items=len(std.items),
        dimensions=[d.name for d in std.dimensions],
    )


def list_standards() -> list[StandardSummary]:
    """The standards that come with junheng."""
    return [summarize(load_standard(name)) for name in shipped_standards()]


def check_standard(path: str | Path) -> Standard:
    """Load and validate a standard file; raises StandardError (file, key path, line)."""
    return load_standard(path)


def new_standard(source: str | Path, out: str | Path, new_id: str | None = None,
                 *, overwrite: bool = False, today: _dt.date | None = None) -> Standard:
    """Write an editable copy of ``source`` (a shipped id or a file) to ``out``.

    The id defaults to the output file's stem; ``based_on`` records the source id.
    The copy is validated before it is written, so a copy always loads.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise ConflictError(f"文件 {out} 已存在；如需覆盖请加 --force")
    text, origin = standard_text(source)
    base = parse_standard(text, origin)
    std_id = new_id or out.stem
    day = (today or _dt.date.today()).isoformat()
    header = (
        f"本文件由 junheng standard new 于 {day} 从标准 {base.id}（{base.title}）复制生成。\n"
        "可修改阈值、设置，或按 docs/standards.md 增加指标；改完用\n"
        f"  junheng standard check {out.name}\n"
        "检查，再在 evaluate / plan / report 等命令中以 --standard 本文件路径 使用。\n"
    )
    copy = derive_text(text, std_id, base.id, header)
    std = parse_standard(copy, out.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(copy, encoding="utf-8")
    return std


@dataclass(frozen=True, slots=True)
class DataField:
    table: str
    field: str
    sheet: str | None  # 学校, 教师 …; None for a field computed from others
    header: str | None  # the column, as in the template


_COMPUTED = {
    ("schools", "compulsory_students"): "小学在校生数 + 初中在校生数",
    ("kindergartens", "children"): "小班 + 中班 + 大班 + 混龄班幼儿数",
}
_RENAMED = {("schools", "code"): "school_code", ("kindergartens", "code"): "kindergarten_code"}


def data_fields() -> list[DataField]:
    """Every table and field a standard file may read, with its workbook column."""
    from junheng.core.fields import TABLE_RECORDS, table_fields
    from junheng.templates.spec import load_template_spec

    spec = load_template_spec()
    sheets = {s.key: s for s in spec.sheets}
    out = []
    for table in TABLE_RECORDS:
        sheet = sheets.get(table)
        for name in sorted(table_fields(table) or ()):
            key = _RENAMED.get((table, name), name)
            header = None
            if sheet is not None:
                try:
                    header = sheet.field(key).display_header
                except KeyError:
                    header = _COMPUTED.get((table, name))
            out.append(DataField(table, name, sheet.name if sheet else None, header))
    return out
