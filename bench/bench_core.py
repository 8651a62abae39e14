"""Benchmark of the evaluation core: read, validate and evaluate a county workbook.

Generates a 300-school county and a 5,000-school province-sized workbook, then prints,
for each, the time python-calamine alone takes to read every sheet (the baseline,
measured in the same run), the time of junheng's import (read + validate), the time of
the evaluation, and the ratio (import + evaluate) / calamine-read. Targets (issue 2):
ratio ≤ 2 and a 300-school county end to end (the `junheng evaluate` command, process
start included) in under 2 s.

    .venv/bin/python bench/bench_core.py [--schools 300 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from junheng.core.engine import evaluate
from junheng.intake import read_county_workbook
from junheng.samples import generate_county
from junheng.standards import load_standard
from junheng.templates.writer import write_county_workbook


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def calamine_read(path: Path) -> int:
    wb = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        cells += sum(len(r) for r in rows)
    return cells


def run(schools: int, repeat: int, tmp: Path) -> dict[str, float]:
    path = tmp / f"county-{schools}.xlsx"
    t0 = time.perf_counter()
    data = generate_county(schools=schools, seed=7)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_county_workbook(data, path)
    t_write = time.perf_counter() - t0
    std = load_standard()
    t_cal, cells = best_of(lambda: calamine_read(path), repeat)
    t_imp, result = best_of(lambda: read_county_workbook(path), repeat)
    assert result.data is not None, result.report.errors[:3]
    t_eval, ev = best_of(lambda: evaluate(result.data, std), repeat)
    cli = [sys.executable, "-m", "junheng", "evaluate", str(path)]
    t_cli, _ = best_of(lambda: subprocess.run(cli, capture_output=True, check=False), 1 if schools > 1000 else repeat)
    return {
        "schools": schools, "teachers": len(data.teachers), "classes": len(data.classes),
        "cells": cells, "file_mb": path.stat().st_size / 1e6, "generate": t_gen, "write": t_write,
        "calamine": t_cal, "import": t_imp, "validate": max(t_imp - t_cal, 0.0), "evaluate": t_eval,
        "ratio": (t_imp + t_eval) / t_cal, "cli": t_cli, "recognised": ev.recognised,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, nargs="+", default=[300, 5000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        rows = [run(n, args.repeat, Path(d)) for n in args.schools]
    print(f"{'schools':>7} {'teachers':>8} {'classes':>7} {'MB':>5} | {'calamine':>8} {'import':>7} "
          f"{'(valid.)':>8} {'evaluate':>8} | {'ratio':>5} {'CLI e2e':>7}")
    for r in rows:
        print(f"{r['schools']:>7} {r['teachers']:>8} {r['classes']:>7} {r['file_mb']:>5.1f} | "
              f"{r['calamine']:>7.3f}s {r['import']:>6.3f}s {r['validate']:>7.3f}s {r['evaluate']:>7.3f}s | "
              f"{r['ratio']:>5.2f} {r['cli']:>6.2f}s")
    print("ratio = (import + evaluate) / calamine read of the same file; target ≤ 2.")
    print("CLI e2e = `python -m junheng evaluate FILE` wall time, process start included; target < 2 s at 300 schools.")


if __name__ == "__main__":
    main()
