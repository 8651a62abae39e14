"""Opening a workbook file: every way a file can fail becomes one clear issue.

The file's first bytes say what it is before calamine is asked to parse it: an
.xlsx is a zip with ``xl/workbook.xml`` inside; a password-protected .xlsx is an OLE2
compound file holding an ``EncryptedPackage`` stream; any other OLE2 file is a legacy
.xls. Everything else is not a workbook.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

from junheng.intake.recorder import IssueRecorder

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_XLSX_PARTS = ("xl/workbook.xml", "xl/workbook.bin")


def open_workbook(path: Path, recorder: IssueRecorder) -> CalamineWorkbook | None:
    """The workbook, or None after recording why it cannot be read."""
    try:
        if not path.is_file():
            recorder.add("file-missing")
            return None
        size = path.stat().st_size
        if size == 0:
            recorder.add("file-empty")
            return None
        with path.open("rb") as fh:
            head = fh.read(8)
            if head.startswith(_OLE2):
                body = fh.read()
                if _ENCRYPTED in body:
                    recorder.add("file-encrypted")
                else:
                    recorder.add("file-not-xlsx", variant="xls")
                return None
        if not head.startswith(_ZIP):
            recorder.add("file-not-xlsx")
            return None
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, EOFError, ValueError):
            recorder.add("file-unreadable", reason="压缩结构损坏")
            return None
        if not any(part in names for part in _XLSX_PARTS):
            recorder.add("file-not-xlsx", variant="other-zip")
            return None
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        recorder.add("file-encrypted")
    except (CalamineError, OSError) as exc:
        recorder.add("file-unreadable", reason=failure_reason(exc))
    return None


def read_rows(
    workbook: CalamineWorkbook, name: str, recorder: IssueRecorder
) -> tuple[list[list[Any]], list] | None:
    """All rows of a sheet from A1 on (so list positions are Excel positions) and its
    merged ranges; None after recording the failure when the sheet cannot be parsed."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except PasswordError:
        recorder.add("file-encrypted")
        return None
    except CalamineError as exc:
        recorder.add("file-unreadable", sheet=name, reason=failure_reason(exc, name))
        return None
    return rows, merged


def failure_reason(exc: BaseException, sheet: str | None = None) -> str:
    where = f"工作表「{sheet}」" if sheet else "文件"
    if isinstance(exc, ZipError):
        return f"{where}的压缩结构损坏"
    if isinstance(exc, XmlError):
        return f"{where}的内部 XML 数据损坏"
    if isinstance(exc, PermissionError):
        return "没有读取权限，或文件正在被其他程序占用"
    if isinstance(exc, OSError):
        return "读取文件时出错"
    return f"{where}的格式无法解析"
