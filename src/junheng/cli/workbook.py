"""`junheng template` and `junheng sample`: write the county workbook, blank or filled."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from junheng.core.errors import JunhengError
from junheng.services.workbook import (
    MAX_SAMPLE_SCHOOLS,
    WorkbookSummary,
    write_sample,
    write_sample_years,
    write_template,
)
from junheng.templates.spec import load_template_spec

OutArg = Annotated[Path, typer.Argument(metavar="输出文件.xlsx", help="要生成的 Excel 文件")]
ForceOpt = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖")]

# Above this many schools the sample takes seconds: show what is happening.
PROGRESS_FROM = 300


def register(app: typer.Typer) -> None:
    @app.command("template", help="生成空白的县域年度数据工作簿（含下拉选项、单位和填表说明）")
    def template(out: OutArg, force: ForceOpt = False) -> None:
        try:
            summary = write_template(out, overwrite=force)
        except JunhengError as exc:
            _fail(exc.message, exc.exit_code)
        typer.echo(f"已生成空白模板：{summary.path}（{summary.sheets} 张工作表，第一张为填表说明）")

    @app.command("sample", help="生成一个填好数据的示例县工作簿，用于试用和培训（数据为虚构）；"
                 "--years 2023-2025 生成同一个县逐年演变的多个学年")
    def sample(
        out: Annotated[Path, typer.Argument(
            metavar="输出文件.xlsx|输出文件夹",
            help="要生成的 Excel 文件；加 --years 时为文件夹（每个学年一个工作簿）")],
        schools: Annotated[int, typer.Option("--schools", help=f"学校数（1—{MAX_SAMPLE_SCHOOLS}）")] = 40,
        seed: Annotated[int, typer.Option("--seed", help="随机种子：相同的种子生成相同的数据")] = 2025,
        county_code: Annotated[str, typer.Option("--county-code", help="县区代码（6 位数字）")] = "350404",
        school_year: Annotated[int | None, typer.Option(
            "--school-year", help="学年（起始年份，如 2025；默认 2025）")] = None,
        years: Annotated[str | None, typer.Option(
            "--years", help="学年范围，如 2023-2025：逐年演变的同一个县，每个学年一个工作簿，写入输出文件夹")] = None,
        counties: Annotated[int | None, typer.Option(
            "--counties", show_default=False,
            help="生成多个县区（写入输出文件夹，每县一个工作簿）：分布在各省、各地市，学校数大小不一；2842 为全国")] = None,
        jobs: Annotated[int | None, typer.Option(
            "--jobs", "-j", min=1, show_default=False, help="与 --counties 同用：同时写入的进程数（默认为 CPU 核数）")] = None,
        force: ForceOpt = False,
    ) -> None:
        try:
            if counties is not None:
                if years is not None:
                    _fail("--counties 与 --years 只能选一个", 2)
                _sample_counties(out, counties, seed, school_year or 2025, force, jobs)
                return
            if years is not None:
                if school_year is not None:
                    _fail("--years 与 --school-year 只能选一个", 2)
                written = write_sample_years(out, years, schools=schools, seed=seed, county_code=county_code,
                                             overwrite=force, on_year=_said)
                last = written[-1].path
                typer.echo(f"已生成社会认可度调查示例答卷：{last.with_name(last.stem + '-社会认可度答卷.xlsx')}"
                           "（junheng import 导入该学年后，用 junheng survey design、survey import、survey close 计入 S1）")
                return
            school_year = 2025 if school_year is None else school_year
            if schools >= PROGRESS_FROM:
                summary = _sample_with_progress(out, schools, seed, county_code, school_year, force)
            else:
                summary = write_sample(out, schools=schools, seed=seed, county_code=county_code,
                                       school_year=school_year, overwrite=force)
        except JunhengError as exc:
            _fail(exc.message, exc.exit_code)
        _said(summary, None, seed)


def _said(summary: WorkbookSummary, year: int | None, seed: int | None = None) -> None:
    what = f"{year} 学年示例工作簿" if year is not None else "示例工作簿"
    tail = f"；随机种子 {seed}" if seed is not None else ""
    typer.echo(
        f"已生成{what}：{summary.path}（{summary.schools:,} 所学校、{summary.students:,} 名学生、"
        f"{summary.teachers:,} 名教师、{summary.classes:,} 个班级、{summary.rooms:,} 间专用教室{tail}）"
    )


def _sample_with_progress(out: Path, schools: int, seed: int, county_code: str,
                          school_year: int, force: bool):
    console = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        steps = 1 + len(load_template_spec().sheets)  # generate, then each data sheet
        task = progress.add_task("准备", total=steps)

        def on_step(text: str, rows: int) -> None:
            progress.update(task, description=f"{text}（{rows:,} 行）" if rows else text)
            progress.advance(task)

        summary = write_sample(out, schools=schools, seed=seed, county_code=county_code,
                               school_year=school_year, overwrite=force, on_step=on_step)
        progress.update(task, completed=steps)
    return summary


def _sample_counties(out: Path, counties: int, seed: int, school_year: int, force: bool,
                     jobs: int | None) -> None:
    import os

    from rich.progress import MofNCompleteColumn

    from junheng.services.workbook import write_sample_counties

    console = Console(stderr=True)
    columns = (TextColumn("生成县区工作簿"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=counties)
        done = write_sample_counties(out, counties, seed=seed, school_year=school_year, overwrite=force,
                                     jobs=jobs or os.cpu_count() or 1,
                                     on_county=lambda _: progress.advance(task))
    provinces = len({s.path.name[:2] for s in done})
    typer.echo(f"已在 {out} 生成 {len(done):,} 个县区的示例工作簿（{provinces} 个省份，"
               f"{sum(s.schools for s in done):,} 所学校、{sum(s.teachers for s in done):,} 名教师；随机种子 {seed}）")


def _fail(message: str, code: int) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)
