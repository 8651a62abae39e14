"""Use cases around the county workbook: write a blank template, write a sample county."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from junheng.core.errors import JunhengError
from junheng.core.facts import CountyData
from junheng.samples import generate_county
from junheng.services.outputs import check_writable, os_reason
from junheng.templates.spec import load_template_spec
from junheng.templates.writer import write_county_workbook

MAX_SAMPLE_SCHOOLS = 20000

# Called with a Chinese step description and the number of rows it covers (progress).
StepCallback = Callable[[str, int], None]


class WorkbookRequestError(JunhengError):
    """The output path or a sample parameter cannot be used (a usage error)."""

    code = "workbook-request"
    exit_code = 2


class WorkbookWriteError(JunhengError):
    """The file could not be written (disk full, no permission, file open in Excel)."""

    code = "workbook-write"


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
    """The path to write, or a :class:`WorkbookRequestError` saying why not."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookRequestError(f"输出文件须以 .xlsx 结尾：{path}")
    return check_writable(path, overwrite=overwrite, error=WorkbookRequestError)


def write_template(path: str | Path, *, overwrite: bool = False) -> WorkbookSummary:
    """Write the blank county workbook (dropdowns, units, 填表说明)."""
    path = check_output_path(path, overwrite=overwrite)
    with _writing(path):
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
    if not (1 <= schools <= MAX_SAMPLE_SCHOOLS):
        raise WorkbookRequestError(f"学校数应在 1—{MAX_SAMPLE_SCHOOLS} 之间：{schools}")
    if not (len(county_code) == 6 and county_code.isdigit()):
        raise WorkbookRequestError(f"县区代码应为 6 位数字：{county_code}")
    if not (2000 <= school_year <= 2100):
        raise WorkbookRequestError(f"学年应在 2000—2100 之间：{school_year}")
    if on_step:
        on_step("生成示例数据", schools)
    data = generate_county(schools=schools, seed=seed, county_code=county_code, school_year=school_year)
    progress = (lambda name, rows: on_step(f"写入「{name}」", rows)) if on_step else None
    with _writing(path):
        write_county_workbook(data, path, on_sheet=progress)
    return summarize(data, path)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn a failed write into a Chinese error naming the file. (The writer itself
    never leaves a partial file behind.)"""
    try:
        yield
    except OSError as exc:
        reason = os_reason(exc)
        raise WorkbookWriteError(f"无法写入文件 {path}：{reason}") from exc


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
