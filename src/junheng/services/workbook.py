"""Use cases around the county workbook: write a blank template, write a sample county."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from junheng.core.errors import JunhengError
from junheng.core.facts import CountyData
from junheng.samples import generate_county
from junheng.samples.survey import sample_responses_path, write_sample_responses
from junheng.samples.years import MAX_YEARS, generate_years
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
    _check_sample_args(schools, county_code, school_year)
    if on_step:
        on_step("生成示例数据", schools)
    data = generate_county(schools=schools, seed=seed, county_code=county_code, school_year=school_year)
    progress = (lambda name, rows: on_step(f"写入「{name}」", rows)) if on_step else None
    with _writing(path):
        write_county_workbook(data, path, on_sheet=progress)
    return summarize(data, path)


def parse_years(text: str) -> tuple[int, int]:
    """``2023-2025`` (or ``2023—2025``, ``2023~2025``, a single ``2025``) → (2023, 2025)."""
    raw = text.strip()
    for dash in ("—", "–", "~", "～", "至"):
        raw = raw.replace(dash, "-")
    parts = [p.strip() for p in raw.split("-")]
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts):
        raise WorkbookRequestError(f"学年范围应写作「起始学年-结束学年」，如 2023-2025：{text}")
    first, last = int(parts[0]), int(parts[1])
    if last < first:
        raise WorkbookRequestError(f"结束学年不能早于起始学年：{text}")
    if last - first + 1 > MAX_YEARS:
        raise WorkbookRequestError(f"一次最多生成 {MAX_YEARS} 个学年：{text}")
    if first < 2000 or last > 2100:
        raise WorkbookRequestError(f"学年应在 2000—2100 之间：{text}")
    return first, last


def sample_year_path(out_dir: Path, year: int) -> Path:
    return out_dir / f"示例县-{year}.xlsx"


def write_sample_years(
    out_dir: str | Path,
    years: str | tuple[int, int],
    *,
    schools: int = 40,
    seed: int = 2025,
    county_code: str = "350404",
    overwrite: bool = False,
    on_year: Callable[[WorkbookSummary, int], None] | None = None,
) -> list[WorkbookSummary]:
    """Write one workbook per school year into ``out_dir`` (示例县-2023.xlsx, …), each
    year derived from the one before (samples.years). Every path is checked before the
    first is written."""
    out_dir = Path(out_dir)
    first, last = parse_years(years) if isinstance(years, str) else years
    if out_dir.suffix.lower() == ".xlsx":
        raise WorkbookRequestError(f"生成多个学年时输出应为文件夹，不是 .xlsx 文件：{out_dir}")
    if out_dir.exists() and not out_dir.is_dir():
        raise WorkbookRequestError(f"已存在同名文件，不是文件夹：{out_dir}")
    _check_sample_args(schools, county_code, first)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookWriteError(f"无法创建文件夹 {out_dir}：{os_reason(exc)}") from exc
    paths = [check_output_path(sample_year_path(out_dir, y), overwrite=overwrite)
             for y in range(first, last + 1)]
    survey = check_output_path(sample_responses_path(out_dir, last), overwrite=overwrite)
    summaries = []
    for path, data in zip(paths, generate_years(first, last, schools=schools, seed=seed,
                                                 county_code=county_code), strict=True):
        with _writing(path):
            write_county_workbook(data, path)
        summaries.append(summarize(data, path))
        if on_year:
            on_year(summaries[-1], data.county.school_year)
    # the last year's 社会认可度 survey, answered (junheng survey design / import / close)
    with _writing(survey):
        write_sample_responses(data, survey, seed)
    return summaries


def _check_sample_args(schools: int, county_code: str, school_year: int) -> None:
    if not (1 <= schools <= MAX_SAMPLE_SCHOOLS):
        raise WorkbookRequestError(f"学校数应在 1—{MAX_SAMPLE_SCHOOLS} 之间：{schools}")
    if not (len(county_code) == 6 and county_code.isdigit()):
        raise WorkbookRequestError(f"县区代码应为 6 位数字：{county_code}")
    if not (2000 <= school_year <= 2100):
        raise WorkbookRequestError(f"学年应在 2000—2100 之间：{school_year}")


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


def county_sample_path(out_dir: Path, code: str, name: str) -> Path:
    return out_dir / f"{code}-{name}.xlsx"


def _write_one_county(place, seed: int, school_year: int, path: str) -> WorkbookSummary:
    from junheng.samples.country import county_data

    data = county_data(place, seed=seed, school_year=school_year)
    with _writing(Path(path)):
        write_county_workbook(data, path)
    return summarize(data, Path(path))


def write_sample_counties(
    out_dir: str | Path, counties: int, *, seed: int = 2025, school_year: int = 2025,
    overwrite: bool = False, jobs: int = 1,
    on_county: Callable[[WorkbookSummary], None] | None = None,
) -> list[WorkbookSummary]:
    """``counties`` county workbooks in ``out_dir``, spread over the provinces and
    their cities with a realistic mix of sizes (samples.country), written by ``jobs``
    worker processes. Every path is checked before the first is written."""
    from junheng.samples.country import country, spread_counties

    total = len(country(seed))
    if not 1 <= counties <= total:
        raise WorkbookRequestError(f"县区数应在 1—{total} 之间（{total} 为全国）：{counties}")
    if not (2000 <= school_year <= 2100):
        raise WorkbookRequestError(f"学年应在 2000—2100 之间：{school_year}")
    out_dir = Path(out_dir)
    if out_dir.suffix.lower() == ".xlsx" or (out_dir.exists() and not out_dir.is_dir()):
        raise WorkbookRequestError(f"生成多个县区时输出应为文件夹：{out_dir}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookWriteError(f"无法创建文件夹 {out_dir}：{os_reason(exc)}") from exc
    places = spread_counties(counties, seed)
    paths = [check_output_path(county_sample_path(out_dir, p.code, p.name), overwrite=overwrite) for p in places]
    summaries: list[WorkbookSummary] = []
    if jobs <= 1:
        for place, path in zip(places, paths, strict=True):
            summaries.append(_write_one_county(place, seed, school_year, str(path)))
            if on_county:
                on_county(summaries[-1])
        return summaries
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_write_one_county, p, seed, school_year, str(path))
                   for p, path in zip(places, paths, strict=True)]
        for f in futures:
            summaries.append(f.result())
            if on_county:
                on_county(summaries[-1])
    return summaries
