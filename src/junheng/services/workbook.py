"""Use cases around the county workbook: write a blank template, write a sample county."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from junheng.core.facts import CountyData
from junheng.samples import generate_county
from junheng.templates.spec import load_template_spec
from junheng.templates.writer import write_county_workbook

# Called with a Chinese step description and the number of rows it covers (progress).
StepCallback = Callable[[str, int], None]


class WorkbookPathError(ValueError):
    """The output path cannot be used; the message is Chinese and names the path."""


@dataclass(frozen=True)
class WorkbookSummary:
    path: Path
    sheets: int
    schools: int = 0
    teachers: int = 0
    classes: int = 0
    rooms: int = 0
    students: int = 0


def check_output_path(path: str | Path, *, overwrite: bool = False) -> Path:
    """The path to write, or a :class:`WorkbookPathError` saying why not."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookPathError(f"输出文件须以 .xlsx 结尾：{path}")
    if path.exists() and not overwrite:
        raise WorkbookPathError(f"文件已存在：{path}。如需覆盖，请加参数 --force")
    if path.exists() and path.is_dir():
        raise WorkbookPathError(f"这是一个文件夹，不是文件：{path}")
    if not path.parent.exists():
        raise WorkbookPathError(f"文件夹不存在：{path.parent}")
    return path


def write_template(path: str | Path, *, overwrite: bool = False) -> WorkbookSummary:
    """Write the blank county workbook (dropdowns, units, 填表说明)."""
    path = check_output_path(path, overwrite=overwrite)
    write_county_workbook(None, path)
    return WorkbookSummary(path=path, sheets=len(load_template_spec().sheets) + 1)


def write_sample(
    path: str | Path,
    *,
    schools: int = 40,
    seed: int = 2025,
    county_code: str = "350404",
    school_year: int = 2025,
    overwrite: bool = False,
    on_step: StepCallback | None = None,
) -> WorkbookSummary:
    """Generate a realistic sample county and write it as a filled county workbook."""
    path = check_output_path(path, overwrite=overwrite)
    if on_step:
        on_step("生成示例数据", schools)
    data = generate_county(schools=schools, seed=seed, county_code=county_code, school_year=school_year)
    write_county_workbook(
        data, path, on_sheet=(lambda name, rows: on_step(f"写入「{name}」", rows)) if on_step else None
    )
    return summarize(data, path)


def summarize(data: CountyData, path: Path) -> WorkbookSummary:
    return WorkbookSummary(
        path=path,
        sheets=len(load_template_spec().sheets) + 1,
        schools=len(data.schools),
        teachers=len(data.teachers),
        classes=len(data.classes),
        rooms=len(data.rooms),
        students=sum(s.compulsory_students + s.senior_students for s in data.schools),
    )
