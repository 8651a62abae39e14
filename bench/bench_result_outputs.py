"""Benchmark of `junheng evaluate`'s outputs for a large county: JSON, result workbook
(.xlsx), HTML report, terminal summary — render time and size (evaluation excluded).

    .venv/bin/python bench/bench_result_outputs.py [--schools 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

from rich.console import Console

from junheng.reports.renderers.html import write_html_report
from junheng.reports.renderers.json import evaluation_to_json
from junheng.reports.renderers.terminal import print_evaluation
from junheng.reports.renderers.xlsx import write_result_workbook
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ev = evaluate_data(generate_county(schools=args.schools, seed=2025))
    print(f"{args.schools}-school county: {len(ev.schools)} school parts, {len(ev.shortfalls)} shortfalls")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows = [
            ("JSON", lambda: (out / "r.json").write_text(evaluation_to_json(ev), encoding="utf-8"), out / "r.json"),
            ("xlsx", lambda: write_result_workbook(ev, out / "r.xlsx"), out / "r.xlsx"),
            ("HTML", lambda: write_html_report(ev, out / "r.html"), out / "r.html"),
            ("terminal", lambda: print_evaluation(ev, Console(file=io.StringIO(), width=120)), None),
        ]
        for name, fn, path in rows:
            t = best_of(args.repeat, fn)
            size = f"{path.stat().st_size / 1024:,.0f} KiB" if path else "—"
            print(f"{name:9s} {t * 1000:8.1f} ms  {size}")


if __name__ == "__main__":
    main()
