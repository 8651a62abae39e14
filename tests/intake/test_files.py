"""Files that are not a readable .xlsx give one clear Chinese error, never a traceback."""

from __future__ import annotations

import zipfile

import pytest

from junheng.intake import read_county_workbook

from .books import book

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def only_issue(path):
    result = read_county_workbook(path)
    assert result.data is None
    assert len(result.report) == 1, result.report.flattened()
    issue = result.report.issues[0]
    assert issue.is_error and issue.file == path.name
    assert path.name in issue.message or issue.sheet
    return issue


def test_missing_file(tmp_path):
    issue = only_issue(tmp_path / "没有这个文件.xlsx")
    assert issue.code == "file-missing"
    assert issue.message == "找不到文件「没有这个文件.xlsx」，请检查文件名和所在文件夹"


def test_a_directory_is_not_a_workbook(tmp_path):
    folder = tmp_path / "数据.xlsx"
    folder.mkdir()
    assert only_issue(folder).code == "file-missing"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert only_issue(path).code == "file-empty"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.xlsx", "这不是工作簿\n".encode()),
        ("schools.csv", "学校标识码,学校名称\n3504040001,城关小学\n".encode()),
        ("report.pdf", b"%PDF-1.7\n"),
    ],
)
def test_not_a_workbook(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    issue = only_issue(path)
    assert issue.code == "file-not-xlsx"
    assert "不是 Excel 工作簿" in issue.message


def test_legacy_xls(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE2 + b"\x00" * 504 + b"Workbook".decode().encode("utf-16-le"))
    issue = only_issue(path)
    assert issue.code == "file-not-xlsx"
    assert "另存为" in issue.message and ".xls" in issue.message


def test_password_protected_xlsx(tmp_path):
    # An encrypted .xlsx is an OLE2 container with an EncryptedPackage stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(OLE2 + b"\x00" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    issue = only_issue(path)
    assert issue.code == "file-encrypted"
    assert "密码" in issue.message


def test_other_zip_file(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert only_issue(path).code == "file-not-xlsx"


def test_truncated_xlsx(tmp_path):
    good = book(tmp_path)
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good.read_bytes()[:2000])
    issue = only_issue(path)
    assert issue.code == "file-unreadable"
    assert "损坏" in issue.message


def test_corrupt_sheet_inside_a_valid_zip(tmp_path):
    good = book(tmp_path)
    path = tmp_path / "bad-sheet.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":  # 教师
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>oops"
            dst.writestr(item, data)
    result = read_county_workbook(path)
    assert result.data is None
    codes = result.report.flattened()
    assert ("教师", None, None, "file-unreadable") in codes
    issue = next(i for i in result.report if i.code == "file-unreadable")
    assert "工作表「教师」" in issue.message
