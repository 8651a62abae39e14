"""`junheng import --standard FILE` (or JUNHENG_STANDARD): a county's own standard
decides the stored verdict; the snapshot records which standard and that it is a
user's file; a broken file is refused with its line and key and stores nothing."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.services.history import open_history
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection
from junheng.templates.writer import write_county_workbook
from tests.core.builders import county, good_primary
from tests.standard_files import BROKEN_KEY, broken_r1, raised_r1

runner = CliRunner()
CODE = "350404"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("JUNHENG_STANDARD", raising=False)
    monkeypatch.setenv("JUNHENG_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    data = county([good_primary(f"{CODE}000{i}", 200 + 10 * i) for i in (1, 2, 3)], school_year=2025)
    data.county = dataclasses.replace(data.county, code=CODE, name="测试县")
    write_county_workbook(data, tmp_path / "county.xlsx")
    return tmp_path


def stored(tmp_path, version: int | None = None) -> repo.Snapshot:
    engine = open_history(url=f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with read_connection(engine) as conn:
            return repo.load_snapshot(conn, repo.find_version(conn, CODE, 2025, version).id)
    finally:
        engine.dispose()


def test_a_raised_threshold_changes_the_stored_verdict(env):
    r = run("import", env / "county.xlsx")
    assert r.exit_code == 0, r.output
    assert "评估结论：认定；学校 3/3 所达标（评估标准 yzjh-2017" in r.output
    default = stored(env)
    assert (default.standard_id, default.recognised, default.schools_passed) == ("yzjh-2017", True, 3)
    assert default.result["standard_custom"] is False

    own = env / "henan.yaml"
    assert run("standard", "new", "--from", "yzjh-2017", own).exit_code == 0
    raised_r1(own)
    # the same file with another standard is a new version, not "unchanged"
    r = run("import", env / "county.xlsx", "--standard", own)
    assert r.exit_code == 0, r.output
    assert "第 2 版，替换第 1 版" in r.output and "评估结论：不予认定；学校 0/3 所达标（评估标准 henan" in r.output
    snap = stored(env)
    assert (snap.standard_id, snap.recognised, snap.schools_passed) == ("henan", False, 0)
    assert snap.result["standard_custom"] is True and snap.result["standard_based_on"] == "yzjh-2017"
    assert snap.result["indicators"]["R1"]["thresholds"]["primary"] == 400
    got = json.loads(run("versions", CODE, 2025, "--format", "json").output)
    assert [(v["version"], v["recognised"]) for v in got] == [(1, True), (2, False)]
    # again with the same standard: nothing new
    assert "未新建版本" in run("import", env / "county.xlsx", "--standard", own).output
    # the file edited (same id and version, other content) is another standard
    own.write_text(own.read_text("utf-8").replace("primary: 400,", "primary: 300,"), "utf-8")
    r = run("import", env / "county.xlsx", "--standard", own)
    assert "第 3 版，替换第 2 版" in r.output
    assert stored(env).result["indicators"]["R1"]["thresholds"]["primary"] == 300


def test_junheng_standard_in_the_environment_is_the_default(env, monkeypatch):
    own = raised_r1(env / "province.yaml")
    monkeypatch.setenv("JUNHENG_STANDARD", str(own))
    r = run("import", env / "county.xlsx")
    assert r.exit_code == 0 and "不予认定" in r.output
    assert stored(env).standard_id == "province"
    # --standard wins over the environment
    r = run("import", env / "county.xlsx", "--standard", "yzjh-2017")
    assert "评估结论：认定" in r.output and stored(env).standard_id == "yzjh-2017"


def test_a_broken_standard_is_refused_with_line_and_key_and_stores_nothing(env):
    own, line = broken_r1(env / "broken.yaml")
    r = run("import", env / "county.xlsx", "--standard", own)
    assert r.exit_code != 0
    assert "broken.yaml" in r.output and f"第 {line} 行" in r.output
    assert BROKEN_KEY in r.output
    assert not (env / "cli.db").exists()  # refused before the database is opened
