"""The one archive guard (intake.archive): every command that opens a workbook refuses
a zip bomb from the zip directory, before unpacking anything, with a Chinese message
and exit code 2, within a small memory budget."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from junheng.core.errors import RefusedFileError
from junheng.intake import read_county_workbook
from junheng.intake.archive import ArchiveLimits, check_archive

from .bombs import bomb_workbook
from .books import book

SRC = Path(__file__).resolve().parents[2] / "src"

# Runs the command in a child and reports the child's exit code, stderr, peak RSS
# and wall time, as the user's shell would see them.
_MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": p.returncode, "err": p.stderr, "out": p.stdout, "seconds": took, "peak_kb": peak}))
"""


def measured(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "junheng", *args],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    source = book(folder)
    # the 学校 sheet unpacks to 2 GB of rows; the file on disk is a few MB
    path = bomb_workbook(source, folder / "炸弹.xlsx", sheet=_sheet_part(source, "学校"), gigabytes=2.0)
    assert path.stat().st_size < 10 << 20
    with zipfile.ZipFile(path) as z:
        assert sum(i.file_size for i in z.infolist()) > 2 << 30
    return path


def _sheet_part(path: Path, name: str) -> str:
    """The part name of a sheet (xl/worksheets/sheetN.xml), from the workbook's own
    relationships, as Excel resolves it."""
    import re

    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{name}" sheetId="\d+" r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + (target.group(1) or target.group(2)).removeprefix("/xl/")


@pytest.mark.parametrize("command", [
    ["validate"],
    ["validate", "--format", "json"],
    ["evaluate"],
    ["plan"],
])
def test_every_command_refuses_a_bomb_quickly_in_little_memory(bomb, command):
    got = measured(*command, str(bomb))
    assert got["rc"] == 2, got
    assert "炸弹.xlsx" in got["err"] and "解压后达 2,048 MB" in got["err"] and "已拒绝" in got["err"]
    assert got["peak_kb"] < 200 * 1024, got["peak_kb"]
    print(f"{command}: refused in {got['seconds']:.2f} s, peak RSS {got['peak_kb'] / 1024:.0f} MB")


def test_import_and_report_refuse_a_bomb_and_store_nothing(bomb, tmp_path):
    url = f"sqlite:///{tmp_path / 'j.db'}"
    got = measured("import", str(bomb), "--database-url", url)
    assert got["rc"] == 2 and "已拒绝" in got["err"] and got["peak_kb"] < 200 * 1024
    got = measured("report", str(bomb), "--out", str(tmp_path / "r.docx"))
    assert got["rc"] == 2 and "已拒绝" in got["err"] and not (tmp_path / "r.docx").exists()
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text("select name from sqlite_master where type='table'"))]
        if "county_years" in tables:
            assert conn.execute(text("select count(*) from county_years")).scalar() == 0
    engine.dispose()


def test_read_county_workbook_raises_the_refusal(bomb):
    with pytest.raises(RefusedFileError) as caught:
        read_county_workbook(bomb)
    assert caught.value.exit_code == 2 and caught.value.code == "upload-rejected"


def test_a_good_workbook_passes_the_guard(tmp_path):
    path = book(tmp_path)
    check_archive(path)
    assert read_county_workbook(path).ok


def _rezip(source: Path, target: Path, add: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
        for name, data in add.items():
            dst.writestr(name, data)
    return target


def test_a_zip_of_many_entries_is_refused_from_the_end_record(tmp_path):
    path = _rezip(book(tmp_path), tmp_path / "many.xlsx", {f"xl/media/x{i}.bin": b"" for i in range(3000)})
    with pytest.raises(RefusedFileError, match="内部有 3,0\\d\\d 个文件"):
        check_archive(path)


def test_a_highly_compressed_part_is_refused_by_its_ratio(tmp_path):
    path = _rezip(book(tmp_path), tmp_path / "ratio.xlsx", {"xl/media/pad.bin": b"\0" * (50 << 20)})
    with pytest.raises(RefusedFileError, match="压缩比异常"):
        check_archive(path)


def test_a_file_over_the_size_limit_is_refused_and_named(tmp_path):
    path = book(tmp_path)
    with pytest.raises(RefusedFileError, match=f"文件「{path.name}」.*超过 .* MB 的上限") as caught:
        check_archive(path, ArchiveLimits(max_bytes=1000))
    assert caught.value.code == "too-large" and caught.value.http_status == 413


def test_an_entity_declaration_is_refused(tmp_path):
    source = book(tmp_path)
    part = _sheet_part(source, "学校")
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == part:
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + data.split(b"?>", 1)[1]
            dst.writestr(item.filename, data)
    path = tmp_path / "entity.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(RefusedFileError, match="XML 实体声明"):
        read_county_workbook(path)


def test_files_that_are_not_zips_are_left_to_the_importer(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    check_archive(path)
    check_archive(tmp_path / "missing.xlsx")
    result = read_county_workbook(path)
    assert not result.ok and [i.code for i in result.report] == ["file-not-xlsx"]
