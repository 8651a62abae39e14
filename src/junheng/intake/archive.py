"""The one archive guard: a workbook is refused before anything unpacks it.

Every path that opens a workbook (``junheng validate/evaluate/import/report/plan``,
web uploads, bulk imports) reaches :func:`check_archive` through
``read_county_workbook``. It looks only at the file's size, the zip's end record and
its central directory (how many entries, the size each says it unpacks to), plus the
first few KB of each XML part (entity declarations, a sheet's declared dimension) —
never at the data — so a refusal takes milliseconds and a few MB however large the
file claims to be. A refusal raises :class:`~junheng.core.errors.RefusedFileError`
(CLI exit code 2, HTTP 422) with a Chinese message naming the file.

Files that are not zips pass untouched: the importer names what they are.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from junheng.core.errors import RefusedFileError

_MB = 1 << 20
_ZIP = b"PK\x03\x04"
_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END_SEARCH = 22 + 0xFFFF  # the end record plus the longest comment
_XML_DECLS = (b"<!doctype", b"<!entity")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What a county workbook may be. The defaults hold a county ten times the largest
    real one (a 1,000-school county's workbook is ~15 MB and unpacks to ~150 MB); the
    web app passes its own (``JUNHENG_WEB_MAX_UPLOAD_MB`` and the two after it)."""

    max_bytes: int = 200 * _MB
    max_unpacked: int = 1500 * _MB
    max_rows: int = 2_000_000
    max_members: int = 2000
    # Unpacked / packed of one part above 1 MB. Sheet XML packs ~10–30 times; a
    # bomb of repeated bytes packs ~1,000 times.
    max_ratio: int = 200


DEFAULT_LIMITS = ArchiveLimits()


def check_archive(path: str | Path, limits: ArchiveLimits = DEFAULT_LIMITS, *,
                  name: str | None = None) -> None:
    """Raise :class:`RefusedFileError` when the workbook at ``path`` would unpack too
    far, has too many parts or declares XML entities; return quietly otherwise (also
    for files that are missing or not zips). ``name``: the file name shown."""
    path = Path(path)
    shown = name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4)
            if size > limits.max_bytes:
                raise RefusedFileError(
                    f"文件「{shown}」有 {size / _MB:,.0f} MB，超过 {limits.max_bytes / _MB:g} MB 的上限，已拒绝",
                    code="too-large")
            if head != _ZIP:
                return
            _check_end_record(fh, size, shown, limits)
    except OSError:
        return  # missing or unreadable: the importer reports it with its own words
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > limits.max_unpacked:
            raise RefusedFileError(
                f"文件「{shown}」解压后达 {total / _MB:,.0f} MB，超过 {limits.max_unpacked / _MB:g} MB 的上限"
                "（可能是“压缩炸弹”），已拒绝")
        for m in members:
            if m.file_size > _MB and m.file_size > limits.max_ratio * max(m.compress_size, 1):
                raise RefusedFileError(
                    f"文件「{shown}」中的 {m.filename} 压缩比异常（{m.file_size // max(m.compress_size, 1):,} 倍，"
                    "可能是“压缩炸弹”），已拒绝")
        for m in members:
            if m.filename.endswith((".xml", ".rels", ".vml")):
                try:
                    with archive.open(m) as fh:
                        head = fh.read(8192)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                    return  # a broken part: the importer says the file is damaged
                _check_xml_head(shown, m.filename, head, limits)


def _check_end_record(fh, size: int, shown: str, limits: ArchiveLimits) -> None:
    """Count the entries from the end record before ``zipfile`` builds an object for
    each: a zip of a million empty entries would take seconds and hundreds of MB."""
    start = max(0, size - _END_SEARCH)
    fh.seek(start)
    tail = fh.read()
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        return  # damaged: the importer reports it
    entries, directory_size = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # zip64: the real counts are elsewhere
        entries = _zip64_entries(fh, tail, at, start)
    if entries > limits.max_members or directory_size > limits.max_members * 1024:
        raise RefusedFileError(
            f"文件「{shown}」内部有 {entries:,} 个文件，不像正常的 Excel 工作簿（上限 {limits.max_members:,} 个），已拒绝")


def _zip64_entries(fh, tail: bytes, at: int, start: int) -> int:
    locator = at - 20
    if locator < 0 or tail[locator:locator + 4] != _END64_LOCATOR:
        return 0
    (offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
    fh.seek(offset)
    record = fh.read(56)
    if len(record) < 56 or record[:4] != b"PK\x06\x06":
        return 0
    (entries,) = struct.unpack("<Q", record[32:40])
    return entries


def _check_xml_head(shown: str, name: str, head: bytes, limits: ArchiveLimits) -> None:
    text = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML: look at it as text too
        text = head.decode("utf-16", errors="ignore").encode()
    if any(decl in text.lower() for decl in _XML_DECLS):
        raise RefusedFileError(
            f"文件「{shown}」中的 {name} 含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意文件，已拒绝")
    if name.startswith("xl/worksheets/"):
        found = _DIMENSION.search(text)
        if found and found.group(1) and int(found.group(1)) > limits.max_rows:
            raise RefusedFileError(
                f"文件「{shown}」的工作表 {name} 有 {int(found.group(1)):,} 行，"
                f"超过 {limits.max_rows:,} 行的上限，已拒绝")
