"""`junheng health 工作簿.xlsx|县区代码`: 学生健康——体质健康达标率和优良率、近视率、心理健康教育
教师配备、体育与劳动课时，各校排名与全县平均，以及逐年变化。"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from junheng.analysis.health import STAGES, HealthReport, HealthYear, SchoolHealthRow
from junheng.cli.database import engine_for, history_engine
from junheng.cli.render import (
    AsJson,
    DatabaseUrlOption,
    History,
    console,
    previous_option,
    run_report,
    table,
    with_workbook,
)
from junheng.core.facts import STAGE_ZH
from junheng.reports.numbers import by_kind
from junheng.reports.renderers.health_workbook import points_gap
from junheng.services.health import health_for_county, health_for_workbook, write_health_workbook

HELP = "学生健康：体质健康达标率和优良率、近视率、心理健康教育教师配备、体育与劳动课时，各校排名与全县平均，以及逐年变化"
COUNTY_CODE = re.compile(r"\d{6}")


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command("health", help=HELP)
    def health(
        source: Annotated[str, typer.Argument(
            help="本学年的县域数据工作簿（.xlsx），或 6 位县区代码（读取数据库中已导入的各学年）",
            metavar="工作簿.xlsx|县区代码", show_default=False)],
        previous: Annotated[list[Path] | None, previous_option("看变化趋势")] = None,
        school_year: Annotated[int | None, typer.Option(
            "--school-year", help="给县区代码时：看哪个学年（默认数据库中最新的学年）", show_default=False)] = None,
        output: Annotated[Format, typer.Option(
            "--format", "-f", help="屏幕输出：text（表格）或 json（同 --json）")] = Format.text,
        as_json: AsJson = False,
        history: History = False,
        database_url: DatabaseUrlOption = None,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="另存为 Excel 工作簿（.xlsx）：各校情况与排名、全县、逐年变化", show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    ) -> None:
        as_json = as_json or output is Format.json
        by_code = COUNTY_CODE.fullmatch(source.strip()) is not None and not Path(source).exists()
        if by_code:
            if previous:
                typer.echo("错误：给县区代码时各学年都从数据库读取，不能再加 --previous", err=True)
                raise typer.Exit(2)
            engine = engine_for(database_url)

            def build() -> HealthReport:
                return health_for_county(engine, source.strip(), school_year)
        else:
            if school_year is not None:
                typer.echo("错误：--school-year 只用于县区代码；工作簿的学年以「基本信息」表为准", err=True)
                raise typer.Exit(2)
            engine = history_engine(history, database_url)

            def build() -> HealthReport:
                return health_for_workbook(Path(source), previous or (), history=engine)

        run_report(with_workbook(build, out, write_health_workbook, force=force, as_json=as_json), as_json,
                   _print, _document)


def county_figures(y: HealthYear) -> dict[str, Any]:
    """The county's figures of one year (the same functions the fact sheet's health.* use)."""
    full, part, filled, staffed, either = y.psych()
    pe_ok, pe_judged = y.lessons("pe")
    labour_ok, labour_judged = y.lessons("labour")
    return {"schools": len(y.schools), "fitness_tested": y.tested,
            "fitness_pass_rate": y.fitness_passed.rate, "fitness_good_rate": y.fitness_good.rate,
            "myopia_rate": y.myopia().rate, "myopia_rate_primary": y.myopia(STAGES[0]).rate,
            "myopia_rate_junior": y.myopia(STAGES[1]).rate, "psych_full_time": full, "psych_part_time": part,
            "psych_schools": staffed, "psych_filled": filled, "psych_staffed": either,
            "pe_ok": pe_ok, "pe_judged": pe_judged, "labour_ok": labour_ok, "labour_judged": labour_judged}


def _school(s: SchoolHealthRow) -> dict[str, Any]:
    return {"school_code": s.code, "name": s.name, "tested": s.tested, "passed": s.record.passed,
            "good": s.record.good, "pass_rate": s.pass_rate, "good_rate": s.good_rate,
            "myopia_rate_primary": s.myopia_rate(STAGES[0]), "myopia_rate_junior": s.myopia_rate(STAGES[1]),
            "psych_full_time": s.record.psych_full_time, "psych_part_time": s.record.psych_part_time,
            "pe_ok": s.pe_ok, "pe_short": [vars_of(x) for x in s.pe_short], "labour_ok": s.labour_ok,
            "labour_short": [vars_of(x) for x in s.labour_short]}


def vars_of(x: Any) -> dict[str, Any]:
    return {"band": x.band, "taught": x.taught, "norm": x.norm}


def _document(r: HealthReport) -> dict[str, Any]:
    y = r.current
    return {"school_year": y.school_year, "present": y.present, "county": county_figures(y),
            "ranking": [_school(s) for s in y.ranking()],
            "missing": [{"school_code": c, "name": n} for c, n in y.missing],
            "years": [{"school_year": x.school_year, "present": x.present, **county_figures(x)} for x in r.years]}


def _print(r: HealthReport) -> None:
    out = console()
    y = r.current
    if not y.present or not y.schools:
        out.print(f"{y.school_year} 学年：工作簿没有「学生健康」表（或表中没有数据），无法计算学生健康数据。"
                  "可用 junheng template 生成含该表的空白工作簿。")
        return
    c = county_figures(y)
    norms = y.norms
    out.print(f"{y.school_year} 学年学生健康情况（{c['schools']} 所学校填报）")
    out.print(f"  体质健康：测试 {c['fitness_tested'] or 0} 人，达标率 {pct(c['fitness_pass_rate'])}，"
              f"优良率 {pct(c['fitness_good_rate'])}")
    out.print(f"  近视率：合计 {pct(c['myopia_rate'])}，小学 {pct(c['myopia_rate_primary'])}，"
              f"初中 {pct(c['myopia_rate_junior'])}")
    if c["psych_filled"]:
        out.print(f"  心理健康教育教师：专职 {c['psych_full_time']} 人、兼职 {c['psych_part_time'] or 0} 人；"
                  f"配备专职的学校 {c['psych_schools']}/{c['psych_filled']} 所（{pct(c['psych_schools'] / c['psych_filled'])}）")
    pe = norms.pe_hours
    if c["pe_judged"]:
        out.print(f"  体育与健康课时达标学校：{c['pe_ok']}/{c['pe_judged']} 所（{pct(c['pe_ok'] / c['pe_judged'])}），"
                  f"标准为每周 小学1—2年级 {pe.lower:g}、3—6年级 {pe.upper:g}、初中 {pe.junior:g} 课时")
    if c["labour_judged"]:
        out.print(f"  劳动课时达标学校：{c['labour_ok']}/{c['labour_judged']} 所（{pct(c['labour_ok'] / c['labour_judged'])}）")
    avg = c["fitness_pass_rate"]
    rows = []
    for i, s in enumerate(y.ranking(), start=1):
        points = points_gap(s.pass_rate, avg)
        gap = "" if points is None else f"{points:+.1f}"
        rows.append((i if s.pass_rate is not None else "", s.name, s.tested, pct(s.pass_rate), gap,
                     pct(s.good_rate), pct(s.myopia_rate(STAGES[0])), pct(s.myopia_rate(STAGES[1]))))
    rows.append(("", "全县", c["fitness_tested"], pct(avg), "", pct(c["fitness_good_rate"]),
                 pct(c["myopia_rate_primary"]), pct(c["myopia_rate_junior"])))
    out.print(table("各校排名（按体质健康达标率；“与全县比”为百分点）",
                    ["排名", "学校", "测试人数", "达标率", "与全县比", "优良率", f"{STAGE_ZH[STAGES[0]]}近视率",
                     f"{STAGE_ZH[STAGES[1]]}近视率"], rows, right=(0, 2, 3, 4, 5, 6, 7)))
    short = [s for s in y.schools if s.pe_short]
    if short:
        out.print("  体育课时不足的学校：" + "；".join(
            f"{s.name}（" + "，".join(f"{x.band} {x.taught:g} 课时，应 {x.norm:g}" for x in s.pe_short) + "）"
            for s in short))
    short = [s for s in y.schools if s.labour_short]
    if short:
        out.print("  劳动课时不足的学校：" + "；".join(
            f"{s.name}（" + "，".join(f"{x.band} {x.taught:g} 课时" for x in s.labour_short) + "）" for s in short))
    none = [s.name for s in y.schools if s.record.psych_full_time == 0]
    if none:
        out.print(f"  没有专职心理健康教育教师的学校（{len(none)} 所）：" + "、".join(none))
    if y.missing:
        out.print(f"  「学生健康」表中没有的学校（{len(y.missing)} 所，不计入全县数据）：" + "、".join(n for _, n in y.missing))
    if len(r.years) > 1:
        trend = []
        for x in r.years:
            f = county_figures(x)
            trend.append((x.school_year, pct(f["fitness_pass_rate"]), pct(f["fitness_good_rate"]),
                          pct(f["myopia_rate_primary"]), pct(f["myopia_rate_junior"]),
                          pct(f["psych_schools"] / f["psych_filled"] if f["psych_filled"] else None),
                          pct(f["pe_ok"] / f["pe_judged"] if f["pe_judged"] else None)))
        out.print(table("逐年变化", ["学年", "达标率", "优良率", "小学近视率", "初中近视率", "专职心理教师配备率",
                                    "体育课时达标学校"], trend, right=(1, 2, 3, 4, 5, 6)))


def pct(value: float | None) -> str:
    """A rate as every output shows it (the fact sheet's rounding, numbers.py)."""
    return by_kind(value, "percent")


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)
