"""Benchmark of issue 15's additions to each stored year and of `junheng progress`.

Prints, for a generated county of N schools (with groups and townships): the time of
the evaluation, of the year's summary as stored before issue 15 (one fact sheet) and
now (the fact sheet with the measure figures, plus one per group and township), and
the time `county_progress` takes for 8 targets over 3 stored years (SQLite).

    .venv/bin/python bench/bench_targets.py [--schools 40 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from junheng.analysis.county_year import places_settings, preschool_evaluation, summarise
from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.analysis.scopes import parts_of
from junheng.core.engine import evaluate
from junheng.samples import generate_county
from junheng.services.history import import_county_data, open_history
from junheng.services.progress import county_progress
from junheng.services.targets import example_targets
from junheng.standards import load_standard
from junheng.storage import targets as store
from junheng.storage.engine import write_transaction


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, nargs="+", default=[40, 300])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    std, rules = load_standard("yzjh-2017"), load_monitoring_rules()
    for n in args.schools:
        one(n, args.repeat, std, rules)


def one(n: int, repeat: int, std, rules) -> None:
    data = generate_county(schools=n, seed=5)
    for i, s in enumerate(data.schools):  # townships, as a county fills 所在乡镇
        s.extra["township"] = f"第{i % 12 + 1}镇"
    ev = evaluate(data, std)
    t_eval = best(lambda: evaluate(data, std), repeat)
    t_one = best(lambda: build_factsheet(data, ev, places=places_settings(rules)), repeat)
    t_now = best(lambda: summarise(data, ev, rules), repeat)
    t_pre = best(lambda: preschool_evaluation(data), repeat)
    print(f"{n} 所学校（{len(parts_of(data))} 个集团和乡镇）：评估 {t_eval * 1000:.0f} ms；"
          f"一张数据表 {t_one * 1000:.0f} ms；现在的年度摘要（含各集团、乡镇）{t_now * 1000:.0f} ms，"
          f"占评估的 {t_now / t_eval:.0%}（其中学前教育评估 {t_pre * 1000:.0f} ms）")
    with tempfile.TemporaryDirectory() as folder:
        engine = open_history(url=f"sqlite:///{Path(folder) / 'b.db'}")
        for year in (2023, 2024, 2025):
            d = generate_county(schools=n, seed=5)
            d.county = dataclasses.replace(d.county, school_year=year)
            import_county_data(engine, d, by="bench")
        with write_transaction(engine) as conn:
            store.save_targets(conn, data.county.code, example_targets(), by="bench", file_name=None,
                               file_hash=None)
        t_progress = best(lambda: county_progress(engine, data.county.code), repeat)
        print(f"  junheng progress（8 个目标、3 个学年，SQLite）：{t_progress * 1000:.0f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
