"""Benchmark of the reports: a 300-school county → 自评报告 (Word and PDF) and 年度答卷.

Prints, for each, the time to build the document (evaluation excluded, charts
included), to render the .docx and to render the PDF, the pages and the file size.
Target (issue 6): a 300-school county's report in under 10 s per format.

    .venv/bin/python bench/bench_reports.py [--schools 300] [--repeat 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import tempfile
import time
from pathlib import Path

from junheng.reports.docx import render_docx
from junheng.reports.pdf import render_pdf
from junheng.reports.self_evaluation import build_self_evaluation
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data
from junheng.services.reporting import annual_document
from junheng.standards import load_standard


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "0"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    std = load_standard("yzjh-2017")
    date = dt.date(2026, 3, 1)
    data = generate_county(schools=args.schools, seed=2025)
    ev = evaluate_data(data, std)
    before = generate_county(schools=args.schools, seed=2025, school_year=2024)
    print(f"{args.schools}-school county: {len(ev.schools)} school parts, "
          f"{len(data.teachers)} teachers, {len(data.classes)} classes")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in (
            ("自评报告", lambda: build_self_evaluation(ev, data, std, date=date)),
            ("年度答卷", lambda: annual_document([before, data], std, date)),
        ):
            best: dict[str, float] = {}
            for _ in range(args.repeat):
                doc, t_build = timed(build)
                docx, t_docx = timed(lambda doc=doc: render_docx(doc))
                pdf_path = Path(tmp) / "r.pdf"
                _, t_pdf = timed(lambda doc=doc, p=pdf_path: render_pdf(doc, p))
                for k, v in (("build", t_build), ("docx", t_docx), ("pdf", t_pdf)):
                    best[k] = min(best.get(k, v), v)
            print(f"{name}: build {best['build']:.2f} s (incl. annual evaluations), "
                  f"docx {best['docx']:.2f} s ({len(docx) / 1e6:.1f} MB), "
                  f"pdf {best['pdf']:.2f} s ({pdf_path.stat().st_size / 1e6:.1f} MB, {pages(pdf_path)} pages); "
                  f"build+docx {best['build'] + best['docx']:.2f} s, build+pdf {best['build'] + best['pdf']:.2f} s "
                  f"(target < 10 s)")


if __name__ == "__main__":
    main()
