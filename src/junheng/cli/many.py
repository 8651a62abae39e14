"""Many workbooks in one command (``junheng validate/evaluate/import A.xlsx B.xlsx
文件夹/``): a progress bar while the workers read, then one summary table (file,
county, year, result, problems) and an exit code: 0 when every file went through, 1
when any did not, 2 for usage (a path that does not exist).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from junheng.core.errors import JunhengError
from junheng.services.batch import (
    BatchSummary,
    FileOutcome,
    Mode,
    collect_workbooks,
    default_jobs,
    run_batch,
)

JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, show_default=False,
    help="同时读取校验的进程数（多个工作簿时；默认为本机 CPU 核数，1 表示逐个处理）")]

_STYLE = {"valid": "green", "recognised": "green", "imported": "green", "unchanged": "cyan",
          "not-recognised": "yellow", "invalid": "bold red", "refused": "bold red", "failed": "bold red"}
_VERB = {"validate": "校验", "evaluate": "评估", "import": "导入"}


def is_many(paths: list[Path]) -> bool:
    """More than one path, or a folder: the batch form of the command."""
    return len(paths) != 1 or paths[0].is_dir()


def workbooks(paths: list[Path]) -> list[Path]:
    try:
        return collect_workbooks(paths)
    except JunhengError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None


def run(mode: Mode, paths: list[Path], jobs: int | None, *, as_json: bool = False, **kwargs) -> BatchSummary:
    """Run the batch with a progress bar on stderr; print the summary; exit."""
    files = workbooks(paths)
    jobs = jobs or default_jobs()
    err = Console(stderr=True, highlight=False)
    columns = (TextColumn(f"{_VERB[mode]}工作簿"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[last]}"), TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=len(files), last="")

        def done(outcome: FileOutcome) -> None:
            progress.update(task, advance=1, last=outcome.file)

        summary = run_batch(mode, files, jobs=jobs, on_file=done, **kwargs)
    if as_json:
        typer.echo(json.dumps({"files": [o.as_dict() for o in summary.outcomes], "all_ok": summary.all_ok,
                               "counts": summary.counts()}, ensure_ascii=False, indent=2))
    else:
        print_summary(mode, summary, jobs)
    raise typer.Exit(0 if summary.all_ok else 1)


def print_summary(mode: Mode, summary: BatchSummary, jobs: int) -> None:
    out = Console(highlight=False)
    t = Table(title=Text(f"{_VERB[mode]}结果（{len(summary.outcomes)} 个工作簿）"), title_justify="left")
    for header in ("文件", "县区", "学年", "结果", "错误", "警告"):
        t.add_column(header, overflow="fold", justify="right" if header in ("错误", "警告") else "left")
    for o in summary.outcomes:
        county = f"{o.county_name or ''}（{o.county_code}）" if o.county_code else ""
        result = o.status_zh + (f" 第 {o.version} 版" if o.version else "")
        if mode == "import" and o.recognised is not None:
            result += "，认定" if o.recognised else "，不予认定"
        t.add_row(Text(o.file), Text(county), Text(str(o.school_year or "")), Text(result, style=_STYLE[o.status]),
                  str(o.errors), str(o.warnings))
    out.print(t)
    bad = [o for o in summary.outcomes if not o.ok]
    for o in bad:
        out.print(Text(f"{o.file}（{o.status_zh}）：", style=_STYLE[o.status]))
        for problem in o.problems[:3]:
            out.print(Text(f"  · {problem}"))
        if o.errors > 3:
            out.print(Text(f"  · ……共 {o.errors} 处错误"))
    parts = "，".join(f"{n} 个{_label(s)}" for s, n in summary.counts().items())
    line = f"共 {len(summary.outcomes)} 个工作簿（{jobs} 个进程）：{parts}"
    if mode == "import":
        line += "；有问题的文件未导入任何数据，其余已分别导入" if bad else "；全部已导入"
    out.print(Text(line))
    if bad:
        out.print(Text(f"查看某个文件的全部问题：junheng validate {bad[0].path}"))


def _label(status: str) -> str:
    from junheng.services.batch import STATUS_ZH

    return STATUS_ZH[status]
