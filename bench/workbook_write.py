"""Time the sample generator and the workbook writer on a large county.

    PYTHONPATH=src python bench/workbook_write.py [SCHOOLS]

Prints seconds for generating the county, writing it (streaming writer) and, for
comparison, writing the same rows cell by cell through XlsxWriter's public API.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

from junheng.samples import generate_county
from junheng.templates.writer import write_county_workbook


def plain_xlsxwriter(data, path: Path) -> None:
    """The teachers and classes sheets written with write_string/write_number, for scale."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("教师")
    for r, t in enumerate(data.teachers, start=1):
        ws.write_string(r, 0, t.teacher_id)
        ws.write_string(r, 1, t.school_code)
        ws.write_string(r, 2, t.stage.value)
        ws.write_string(r, 3, t.degree.value)
        ws.write_string(r, 4, t.backbone_level.value)
        ws.write_string(r, 5, t.subject)
        ws.write_string(r, 6, "是" if t.certified else "否")
        ws.write_number(r, 7, t.training_hours_5y)
        ws.write_string(r, 8, "是" if t.rotation_eligible else "否")
        ws.write_string(r, 9, "是" if t.rotated else "否")
    ws = wb.add_worksheet("班级")
    for r, c in enumerate(data.classes, start=1):
        ws.write_string(r, 0, c.school_code)
        ws.write_string(r, 1, c.stage.value)
        ws.write_number(r, 2, c.grade)
        ws.write_string(r, 3, c.class_name)
        ws.write_number(r, 4, c.students)
    wb.close()


def main() -> None:
    schools = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    t0 = time.perf_counter()
    data = generate_county(schools=schools)
    t1 = time.perf_counter()
    print(f"generate_county({schools}): {t1 - t0:.2f} s — {len(data.teachers):,} teachers, "
          f"{len(data.classes):,} classes, {len(data.rooms):,} rooms")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "county.xlsx"
        t2 = time.perf_counter()
        write_county_workbook(data, out)
        t3 = time.perf_counter()
        print(f"write_county_workbook: {t3 - t2:.2f} s, {out.stat().st_size / 1e6:.1f} MB")
        t4 = time.perf_counter()
        plain_xlsxwriter(data, Path(tmp) / "plain.xlsx")
        t5 = time.perf_counter()
        print(f"plain XlsxWriter, teachers + classes only: {t5 - t4:.2f} s "
              f"(streaming writer is {(t5 - t4) / (t3 - t2):.1f}x faster for the whole workbook)")


if __name__ == "__main__":
    main()
