"""Many workbooks in one command: a folder mixing good and broken workbooks imports the
good ones (each on its own, all or nothing) and reports the others; a parallel run and
a serial run leave identical databases (every table's contents), on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from junheng.samples import generate_county
from junheng.services.batch import collect_workbooks, run_batch
from junheng.services.evaluation import resolve_standard
from junheng.storage.schema import open_database
from junheng.templates.writer import write_county_workbook
from tests.intake.bombs import bomb_workbook
from tests.intake.books import book, valid_sheets

from .conftest import postgres_schema

SRC = Path(__file__).resolve().parents[2] / "src"
GOOD = {"350401": 6, "350402": 9, "350403": 4}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Three sample counties, a hand-written one (XlsxWriter), one with a bad cell, a
    text file named .xlsx, a zip bomb, an Excel lock file (skipped) and a subfolder."""
    root = tmp_path_factory.mktemp("province")
    for code, schools in GOOD.items():
        write_county_workbook(generate_county(schools=schools, seed=7, county_code=code), root / f"{code}.xlsx")
    book(root, name="350404-手填.xlsx")
    broken = valid_sheets()
    broken["学校"][1][7] = -12  # 小学在校生数 below 0
    book(root, broken, name="350405-有错误.xlsx")
    (root / "说明.xlsx").write_text("不是工作簿", encoding="utf-8")
    bomb_workbook(root / "350401.xlsx", root / "炸弹.xlsx", sheet="xl/worksheets/sheet3.xml", gigabytes=1.0)
    (root / "~$350401.xlsx").write_bytes(b"lock")
    (root / "旧").mkdir()
    return root


def contents(engine) -> dict[str, list[tuple]]:
    """Every table as sorted rows, times masked (the only thing two runs may differ in)."""
    out = {}
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table in sorted(inspector.get_table_names()):
            if table == "alembic_version":
                continue
            times = {c["name"] for c in inspector.get_columns(table)
                     if c["type"].python_type in (dt.datetime,)}
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).mappings().all()
            out[table] = sorted(tuple("<time>" if k in times else repr(v) for k, v in r.items()) for r in rows)
    return out


@pytest.fixture
def second_url(db_url, tmp_path):
    """A second empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    with postgres_schema() as url:
        yield url


def test_the_folder_lists_its_workbooks_only(folder):
    names = [p.name for p in collect_workbooks([folder])]
    assert names == sorted(["350401.xlsx", "350402.xlsx", "350403.xlsx", "350404-手填.xlsx",
                            "350405-有错误.xlsx", "说明.xlsx", "炸弹.xlsx"])


def test_parallel_and_serial_imports_leave_identical_databases(folder, db_url, second_url):
    std = resolve_standard(None)
    files = collect_workbooks([folder])
    engines = [open_database(url=db_url), open_database(url=second_url)]
    try:
        serial = run_batch("import", files, jobs=1, standard=std, engine=engines[0], by="市教育局")
        parallel = run_batch("import", files, jobs=2, standard=std, engine=engines[1], by="市教育局")
        for summary in (serial, parallel):
            by_file = {o.file: o for o in summary.outcomes}
            assert {f: o.status for f, o in by_file.items()} == {
                "350401.xlsx": by_file["350401.xlsx"].status, "350402.xlsx": by_file["350402.xlsx"].status,
                "350403.xlsx": by_file["350403.xlsx"].status, "350404-手填.xlsx": "imported",
                "350405-有错误.xlsx": "invalid", "说明.xlsx": "invalid", "炸弹.xlsx": "refused"}
            assert all(by_file[f"{c}.xlsx"].status == "imported" for c in GOOD)
            assert not summary.all_ok
            bad = by_file["350405-有错误.xlsx"]
            assert bad.errors == 1 and "不能小于 0" in bad.problems[0] and "第2行" in bad.problems[0]
            assert "压缩炸弹" in by_file["炸弹.xlsx"].problems[0]
        assert [o.as_dict() for o in serial.outcomes] == [o.as_dict() for o in parallel.outcomes]
        a, b = contents(engines[0]), contents(engines[1])
        assert a == b
        with engines[0].connect() as conn:
            years = conn.execute(text("SELECT county_code FROM county_years ORDER BY county_code")).scalars().all()
        assert years == ["350401", "350402", "350403", "350404"]
        # A second run of the same folder stores nothing new: every good file is unchanged.
        again = run_batch("import", files, jobs=2, standard=std, engine=engines[1], by="市教育局")
        assert [o.status for o in again.outcomes if o.ok] == ["unchanged"] * 4
        assert contents(engines[1]) == b
    finally:
        for e in engines:
            e.dispose()


def test_the_command_line_imports_a_folder_and_says_what_went_in(folder, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    run = subprocess.run([sys.executable, "-m", "junheng", "import", str(folder), "--jobs", "2",
                          "--database-url", url], capture_output=True, text=True, env=env)
    assert run.returncode == 1, run.stderr
    assert "导入结果（7 个工作簿）" in run.stdout
    assert "4 个已导入" in run.stdout and "2 个有错误" in run.stdout and "1 个已拒绝" in run.stdout
    assert "有问题的文件未导入任何数据，其余已分别导入" in run.stdout
    good = [str(folder / f"{c}.xlsx") for c in GOOD]
    run = subprocess.run([sys.executable, "-m", "junheng", "validate", *good, "-j", "2"],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0 and "3 个无错误" in run.stdout
    run = subprocess.run([sys.executable, "-m", "junheng", "evaluate", *good, str(folder / "炸弹.xlsx"),
                          "--format", "json"], capture_output=True, text=True, env=env)
    doc = json.loads(run.stdout)
    assert run.returncode == 1 and [f["status"] for f in doc["files"]][-1] == "refused"
    assert all(f["status"] in ("recognised", "not-recognised") for f in doc["files"][:3])
    run = subprocess.run([sys.executable, "-m", "junheng", "evaluate", *good, "--out", str(tmp_path / "x.xlsx")],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2 and "评估多个工作簿时不能用 --out" in run.stderr
    run = subprocess.run([sys.executable, "-m", "junheng", "validate", str(folder / "nowhere")],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 1  # one missing file: the single-file form reports it as an issue
    run = subprocess.run([sys.executable, "-m", "junheng", "validate", str(folder), str(folder / "nowhere")],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2 and "找不到文件或文件夹" in run.stderr
