"""Benchmark of the teacher-supply analysis (issue 16 §3): counties of 300, 2,000 and
5,000 schools → the analysis alone (it runs inside every fact sheet), and the
teacher-supply workbook. Prints schools, teachers, seconds (best of ``--repeat``).

    .venv/bin/python bench/bench_teacher_supply.py [--schools 300 2000 5000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from junheng.analysis.teacher_supply import teacher_supply
from junheng.reports.renderers.teachers_workbook import write_teachers_xlsx
from junheng.samples import generate_county


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, nargs="+", default=[300, 2000, 5000])
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'学校':>6} {'教师':>8} {'分析(秒)':>9} {'工作簿(秒)':>11}")
    for n in args.schools:
        data = generate_county(schools=n, seed=11)
        report = teacher_supply(data)
        analysis = best(args.repeat, lambda d=data: teacher_supply(d))
        with tempfile.TemporaryDirectory() as folder:
            workbook = best(1, lambda r=report: write_teachers_xlsx(r, Path(folder) / "t.xlsx"))
        print(f"{n:>6} {len(data.teachers):>8} {analysis:>9.2f} {workbook:>11.2f}")


if __name__ == "__main__":
    main()
