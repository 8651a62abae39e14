"""`junheng afterschool WORKBOOK`: 双减——课后服务覆盖率、参与率，学科类培训机构压减率及逐年变化。"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from junheng.analysis.afterschool import AfterschoolReport
from junheng.cli.database import history_engine
from junheng.cli.render import (
    AsJson,
    DatabaseUrlOption,
    History,
    Workbook,
    console,
    pct,
    previous_option,
    run_report,
    table,
    with_workbook,
)
from junheng.services.afterschool import afterschool_for_workbook, write_afterschool_workbook


def register(app: typer.Typer) -> None:
    @app.command("afterschool", help="双减：课后服务覆盖率和参与率、学科类校外培训机构压减率（线下、线上），以及逐年变化")
    def afterschool(
        workbook: Workbook,
        previous: Annotated[list[Path] | None, previous_option("看变化趋势")] = None,
        as_json: AsJson = False,
        history: History = False,
        database_url: DatabaseUrlOption = None,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", help="另存为 Excel 工作簿（.xlsx）：课后服务、培训机构压减、逐年变化", show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    ) -> None:
        engine = history_engine(history, database_url)

        def build() -> AfterschoolReport:
            return afterschool_for_workbook(workbook, previous or (), history=engine)

        run_report(with_workbook(build, out, write_afterschool_workbook, force=force, as_json=as_json), as_json, _print, _document)


def _document(report: AfterschoolReport) -> dict:
    doc = dataclasses.asdict(report)
    for year, raw in zip(report.years, doc["years"], strict=True):
        raw.update(coverage=year.coverage, participation=year.participation,
                   rates={r.channel: r.rate for r in year.reductions})
    return doc


def _print(r: AfterschoolReport) -> None:
    out = console()
    y = r.current
    out.print(f"{y.school_year} 学年“双减”情况")
    if not y.columns_present:
        out.print("  工作簿「学校」表没有「开展课后服务」「参加课后服务学生数」列，无法计算课后服务覆盖率和参与率。")
    else:
        out.print(f"  课后服务覆盖率：{y.offering}/{len(y.known)} 所义务教育学校开展课后服务（{pct(y.coverage)}），国家目标 100%")
        out.print(f"  课后服务参与率：{y.participants}/{y.students} 名学生参加（{pct(y.participation)}）")
        if y.unknown:
            out.print("  未填写是否开展课后服务的学校：" + "、".join(s.name for s in y.unknown))
        missing = [s for s in y.known if not s.offers]
        if missing:
            out.print("  未开展课后服务的学校：" + "、".join(s.name for s in missing))
        low = sorted((s for s in y.known if s.offers and s.participation is not None),
                     key=lambda s: s.participation)[:5]
        if low:
            out.print(table("参与率最低的学校", ["学校", "在校生", "参加人数", "参与率"],
                            [(s.name, s.students, s.participants, pct(s.participation)) for s in low],
                            right=(1, 2, 3)))
    rows = [(x.channel, "—" if x.before is None else x.before, "—" if x.now is None else x.now, pct(x.rate))
            for x in y.reductions]
    if all(x.before is None and x.now is None for x in y.reductions):
        out.print("  县级指标中没有学科类校外培训机构数，无法计算压减率。")
    else:
        out.print(table("学科类校外培训机构压减", ["", "双减前", "现有", "压减率"], rows, right=(1, 2, 3)))
    if len(r.years) > 1:
        trend = [(x.school_year, pct(x.coverage), pct(x.participation),
                  *("—" if c.now is None else c.now for c in x.reductions[:2])) for x in r.years]
        out.print(table("逐年变化", ["学年", "覆盖率", "参与率", "线下机构", "线上机构"], trend, right=(1, 2, 3, 4)))
