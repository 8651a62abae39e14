"""Import speed on a province-sized workbook: validation time vs. calamine read time.

    PYTHONPATH=src /work/venv/bin/python bench/intake_speed.py [--schools 5000]
        [--source sample|synthetic] [--keep FILE] [--repeat 3]

The workbook is the sample county (``generate_county`` + the template writer) or, with
``--source synthetic``, a quick hand-rolled one. Prints, best of ``--repeat`` runs and
in process CPU seconds (the machine is shared, wall time is noisy; both are single
threaded): calamine reading every sheet (``to_python``) — the baseline —,
``read_county_workbook`` in total, the validation part (total − read) and the ratio
validation / read (target ≤ 1).
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from junheng.templates.spec import load_template_spec

STAGE_GRADES = {"小学": range(1, 7), "初中": range(7, 10)}


def build(path: Path, schools: int, seed: int = 1) -> None:
    """A plausible big county: 50 teachers and 20 classes per school on average."""
    rnd = random.Random(seed)
    spec = load_template_spec()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheets = {s.key: s for s in spec.sheets}

    def header(ws, sheet):
        for j, f in enumerate(sheet.fields):
            ws.write_string(0, j, f.display_header)

    ws = wb.add_worksheet(sheets["county"].name)
    ws.write_row(0, 0, ["项目", "值"])
    for i, (k, v) in enumerate([("县区代码", "350404"), ("县区名称", "测试县"), ("学年", 2025)], 1):
        ws.write_row(i, 0, [k, v])

    codes = [f"35040{i:05d}" for i in range(schools)]
    kinds = [rnd.choice(["小学", "小学", "初中", "九年一贯制学校"]) for _ in codes]
    classes: list[list] = []
    for code, kind in zip(codes, kinds, strict=True):
        stages = ["小学", "初中"] if kind == "九年一贯制学校" else [kind]
        for n in range(20):
            stage = stages[n % len(stages)]
            grade = rnd.choice(STAGE_GRADES[stage])
            classes.append([code, stage, grade, f"{grade}年级{n + 1}班", rnd.randint(30, 45)])
    totals: dict[tuple[str, str], int] = {}
    for c in classes:
        totals[(c[0], c[1])] = totals.get((c[0], c[1]), 0) + c[4]

    ws = wb.add_worksheet(sheets["schools"].name)
    header(ws, sheets["schools"])
    for i, (code, kind) in enumerate(zip(codes, kinds, strict=True), 1):
        area = rnd.uniform(2000, 9000)
        ws.write_row(i, 0, [
            int(code), f"第{i}学校", kind, rnd.choice(["城区", "镇区", "乡村"]), "公办", "否", "",
            totals.get((code, "小学"), 0), totals.get((code, "初中"), 0), 0,
            round(area, 1), round(area / 10, 1), round(rnd.uniform(3000, 20000), 1),
            round(rnd.uniform(50, 800), 2), rnd.randint(10, 60), 100.0, 6.0, 98.5,
        ])

    ws = wb.add_worksheet(sheets["teachers"].name)
    header(ws, sheets["teachers"])
    r = 1
    for code, kind in zip(codes, kinds, strict=True):
        stages = ["小学", "初中"] if kind == "九年一贯制学校" else [kind]
        for n in range(50):
            ws.write_row(r, 0, [
                f"T{r:07d}", int(code), stages[n % len(stages)],
                rnd.choice(["研究生", "本科", "本科", "专科"]), rnd.choice(["无", "无", "县级", "市级"]),
                rnd.choice(["语文", "数学", "英语", "体育", "音乐", "美术"]), "是",
                rnd.randint(100, 500), rnd.choice(["是", "否"]), "否",
            ])
            r += 1

    ws = wb.add_worksheet(sheets["classes"].name)
    header(ws, sheets["classes"])
    for i, c in enumerate(classes, 1):
        ws.write_row(i, 0, [int(c[0]), *c[1:]])

    ws = wb.add_worksheet(sheets["rooms"].name)
    header(ws, sheets["rooms"])
    r = 1
    for code in codes:
        for kind in ("音乐", "美术"):
            ws.write_row(r, 0, [int(code), kind, round(rnd.uniform(80, 120), 1)])
            r += 1

    ws = wb.add_worksheet(sheets["facts"].name)
    ws.write_row(0, 0, ["项目", "值"])
    ws.write_row(1, 0, ["规划布局合理", "是"])
    wb.close()


def read_only(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def best_of(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        out = None
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


def build_sample(path: Path, schools: int) -> None:
    from junheng.samples import generate_county
    from junheng.templates.writer import write_county_workbook

    write_county_workbook(generate_county(schools=schools, seed=7), path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=5000)
    ap.add_argument("--source", choices=["sample", "synthetic"], default="sample")
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path = args.keep or Path(tempfile.mkdtemp()) / "province.xlsx"
    if not path.exists():
        t = time.perf_counter()
        (build_sample if args.source == "sample" else build)(path, args.schools)
        print(f"built {path} in {time.perf_counter() - t:.1f}s ({path.stat().st_size / 1e6:.1f} MB)")
    from junheng.intake import read_county_workbook

    read, _ = best_of(lambda: read_only(path), args.repeat)
    total, result = best_of(lambda: read_county_workbook(path), args.repeat)
    data = result.data
    errors = len(result.report.errors)
    sizes = (f"{len(data.schools)} schools, {len(data.teachers)} teachers, "
             f"{len(data.classes)} classes" if data else "no data")
    print(f"{sizes}; {errors} errors, {len(result.report) - errors} warnings")
    print(f"calamine read {read:.2f}s  read_county_workbook {total:.2f}s  "
          f"validation {total - read:.2f}s  ratio validation/read {(total - read) / read:.2f}")
    # read_county_workbook pauses the cyclic GC; give the baseline the same advantage.
    gc.disable()
    try:
        read_nogc, _ = best_of(lambda: read_only(path), args.repeat)
    finally:
        gc.enable()
    print(f"calamine read with the cyclic GC paused too {read_nogc:.2f}s  "
          f"ratio validation/read {(total - read_nogc) / read_nogc:.2f}")


if __name__ == "__main__":
    main()
