"""Uploads are refused safely before anything parses them: size, zip bombs, XML entity
bombs, absurd row counts; and a good workbook is stored as a new version."""

from __future__ import annotations

import io
import zipfile

import pytest

from junheng.templates.writer import write_county_workbook

from .conftest import HOME, SCHOOL_A, build_world, county_data, sign_in


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("uploads"))
    yield w, sign_in(w.app, "county_admin")
    w.engine.dispose()


@pytest.fixture(scope="module")
def good_workbook(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("book") / "county.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A, year=2026, weak=False), path)
    return path.read_bytes()


def rebuild(xlsx: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, (replace or {}).get(item.filename, src.read(item.filename)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def upload(client, content: bytes, name: str = "县.xlsx"):
    return client.post(f"/api/counties/{HOME}/workbook", files={"file": (name, content)})


def test_a_good_workbook_is_stored_as_a_new_version(bureau, good_workbook):
    w, client = bureau
    r = upload(client, good_workbook)
    assert r.status_code == 200, r.text
    assert r.json()["school_year"] == 2026 and r.json()["version"] == 1 and r.json()["recognised"] is True
    again = upload(client, good_workbook)
    assert again.json()["unchanged"] is True


def test_a_zip_bomb_is_refused_with_a_chinese_message(bureau, good_workbook):
    _, client = bureau
    # 200 MB of zeros compresses to about 200 KB: a ratio no real sheet has
    bomb = rebuild(good_workbook, add={"xl/media/padding.bin": b"\0" * (200 << 20)})
    assert len(bomb) < 1 << 20
    r = upload(client, bomb)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "upload-rejected" and "压缩炸弹" in r.json()["error"]["message"]


def test_an_xml_entity_bomb_is_refused(bureau, good_workbook):
    _, client = bureau
    with zipfile.ZipFile(io.BytesIO(good_workbook)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml")
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "&lol%s;&lol%s;&lol%s;&lol%s;">' % (i, b"" if i == 1 else str(i - 1).encode(),
                                                                        b"" if i == 1 else str(i - 1).encode(),
                                                                        b"" if i == 1 else str(i - 1).encode(),
                                                                        b"" if i == 1 else str(i - 1).encode())
                      for i in range(1, 10)) + b"]>")
    bomb = rebuild(good_workbook, replace={"xl/worksheets/sheet2.xml": lol + sheet.split(b"?>", 1)[1]})
    r = upload(client, bomb)
    assert r.status_code == 422 and "XML 实体声明" in r.json()["error"]["message"]


def test_a_sheet_claiming_millions_of_rows_is_refused(bureau, good_workbook):
    _, client = bureau
    with zipfile.ZipFile(io.BytesIO(good_workbook)) as z:
        sheet = z.read("xl/worksheets/sheet3.xml")
    head, rest = sheet.split(b"<sheetData", 1)
    import re

    head = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:K2000000"/>', head)
    if b"<dimension" not in head:
        head = head.replace(b"<sheetViews", b'<dimension ref="A1:K2000000"/><sheetViews', 1)
    r = upload(client, rebuild(good_workbook, replace={"xl/worksheets/sheet3.xml": head + b"<sheetData" + rest}))
    assert r.status_code == 422 and "超过" in r.json()["error"]["message"] and "行的上限" in r.json()["error"]["message"]


def test_not_a_workbook_gets_the_importers_message(bureau):
    _, client = bureau
    r = upload(client, b"just some text, not excel", "notes.xlsx")
    assert r.status_code == 422 and r.json()["error"]["code"] == "workbook-invalid"
    assert any("notes.xlsx" in d["message"] for d in r.json()["error"]["details"])


def test_an_oversized_upload_is_413_before_it_is_read(bureau):
    w, client = bureau
    r = client.post(f"/api/counties/{HOME}/workbook", content=b"x" * 10,
                    headers={"content-length": str(50 << 20), "content-type": "application/octet-stream"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too-large"
