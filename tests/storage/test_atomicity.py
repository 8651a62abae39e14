"""An import is all or nothing: an exception or a killed process inside the
transaction leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from junheng.services.history import import_county_data, load, open_history, versions

from .counties import small_county
from .dump import dump

ROOT = Path(__file__).resolve().parents[2]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def test_an_exception_inside_the_transaction_stores_nothing(engine):
    first = small_county(schools=3)
    import_county_data(engine, first, by="a")
    before = dump(engine)

    class Boom(RuntimeError):
        pass

    def explode(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO EVALUATIONS"):
            raise Boom("disk full, say")

    event.listen(engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(Boom):
            import_county_data(engine, small_county(schools=5), by="b")
        with pytest.raises(Boom):  # a county never seen before: no region rows left either
            import_county_data(engine, small_county("420102", schools=2), by="b")
    finally:
        event.remove(engine, "before_cursor_execute", explode)
    assert dump(engine) == before
    assert load(engine, "350404", 2024) == first


def test_a_killed_import_leaves_the_database_as_before(db_url):
    engine = open_history(url=db_url)
    first = small_county(schools=3)
    import_county_data(engine, first, by="a")
    before = dump(engine)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.importer_proc", db_url, "350404", "2024",
         "--pause", "--schools", "8"],
        cwd=ROOT, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "READY", child.stderr.read()
        # The child has written its rows and holds an open transaction.
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    engine.dispose()
    engine = open_history(url=db_url)  # a fresh process's view, after recovery
    assert dump(engine) == before
    assert [v.version for v in versions(engine, "350404", 2024)] == [1]
    assert load(engine, "350404", 2024) == first
    # and the database is usable: the next import lands as version 2
    assert import_county_data(engine, small_county(schools=4), by="c").stored.version == 2
    engine.dispose()
