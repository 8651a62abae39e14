"""Two imports at once: different counties both land; the same county-year gives one
winner and a clear Chinese message for the other, which stores nothing."""

from __future__ import annotations

import subprocess
import sys
import threading

from junheng.core.errors import ConcurrentImportError
from junheng.services.history import import_county_data, load, open_history, versions

from .counties import small_county
from .test_atomicity import ROOT, _child_env


def _race(engine, datasets, expected=None):
    barrier = threading.Barrier(len(datasets))
    results: list = [None] * len(datasets)

    def run(i, data):
        barrier.wait()
        try:
            results[i] = import_county_data(engine, data, by=f"t{i}", expected_version=expected)
        except ConcurrentImportError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(datasets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_counties_at_once_both_land(engine):
    a, b = small_county("350404", schools=6), small_county("350405", schools=6, name="另一县")
    results = _race(engine, [a, b])
    assert all(not isinstance(r, Exception) for r in results)
    assert load(engine, "350404", 2024) == a
    assert load(engine, "350405", 2024) == b


def test_same_county_year_at_once_has_one_winner(engine):
    import_county_data(engine, small_county(schools=2), by="first")
    one, two = small_county(schools=4), small_county(schools=5)
    # Both importers saw version 1 as the latest before they started.
    results = _race(engine, [one, two], expected=1)
    lost = [r for r in results if isinstance(r, ConcurrentImportError)]
    won = [r for r in results if not isinstance(r, Exception)]
    assert len(lost) == 1 and len(won) == 1
    assert "正在被另一次导入更新" in lost[0].message and "未保存任何数据" in lost[0].message
    assert [v.version for v in versions(engine, "350404", 2024)] == [1, 2]
    winner = one if won[0] is results[0] else two
    assert load(engine, "350404", 2024) == winner


def test_same_county_year_from_two_processes(db_url):
    engine = open_history(url=db_url)  # migrate once before the children start
    cmd = [sys.executable, "-m", "tests.storage.importer_proc", db_url, "350404", "2024",
           "--expected", "0", "--schools", "20"]
    children = [subprocess.Popen(cmd, cwd=ROOT, env=_child_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [c.communicate(timeout=120) for c in children]
    codes = sorted(c.returncode for c in children)
    assert codes == [0, 3], outs
    loser = next(o for c, o in zip(children, outs, strict=True) if c.returncode == 3)
    assert "请稍后重试" in loser[0]
    assert [v.version for v in versions(engine, "350404", 2024)] == [1]
    engine.dispose()
