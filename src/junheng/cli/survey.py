"""`junheng survey ...`: the 社会认可度 survey — design (sample sizes, sampling list),
one-time codes with their QR sheet, import of answers collected elsewhere, the
result (认可度 per group and overall), and closing it so that S1 takes its value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from junheng.cli.database import engine_for
from junheng.cli.render import AsJson, DatabaseUrlOption, console, fail, pct, table
from junheng.core.errors import JunhengError

HELP = "社会认可度调查：样本量与抽样名单、一次性调查码（二维码）、导入答卷、计算认可度，结束后作为 S1 的数值"

County = Annotated[str, typer.Argument(help="县区代码（6 位，数据库中已导入的县区）", show_default=False)]
Year = Annotated[int | None, typer.Option("--year", "-y", help="学年（默认最近的学年）", show_default=False)]
By = Annotated[str | None, typer.Option("--by", help="操作人（默认当前系统用户）", show_default=False)]
Force = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")]


def _user(by: str | None) -> str:
    from junheng.services.history import default_user

    return by or default_user()


def register(app: typer.Typer) -> None:
    survey = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(survey, name="survey", help=HELP)

    @survey.command("settings", help="写出调查设置的默认文件（允许误差、置信水平、认可的答案、权重等），修改后用 --settings 指定")
    def settings_file(out: Annotated[Path, typer.Argument(help="输出文件（.yaml）")], force: Force = False) -> None:
        _write_default("settings", out, force)

    @survey.command("questionnaire", help="写出默认问卷文件（题目、五级答案），修改后用 --questionnaire 指定")
    def questionnaire_file(out: Annotated[Path, typer.Argument(help="输出文件（.yaml）")], force: Force = False) -> None:
        _write_default("questionnaire", out, force)

    @survey.command("design", help="设计调查：按允许误差和置信水平计算各群体样本量，分配到各校，存入数据库；--out 写出抽样名单")
    def design(
        county: Annotated[str, typer.Argument(help="县区代码（数据库中已导入的县区），或县域数据工作簿（.xlsx）")],
        year: Year = None,
        settings: Annotated[Path | None, typer.Option("--settings", help="调查设置文件（junheng survey settings 写出）")] = None,
        questionnaire: Annotated[Path | None, typer.Option("--questionnaire", help="问卷文件")] = None,
        out: Annotated[Path | None, typer.Option("--out", "-o", help="抽样名单（.xlsx）：样本量、各校名单、答卷录入表")] = None,
        replace: Annotated[bool, typer.Option("--replace", help="重新设计已有的调查（作废已发的调查码和已收的答卷）")] = False,
        by: By = None, force: Force = False, database_url: DatabaseUrlOption = None,
    ) -> None:
        from junheng.services import survey as svc
        from junheng.services.outputs import check_workbook_output

        engine = engine_for(database_url)
        try:
            if out is not None:
                check_workbook_output(out, overwrite=force)
            stored = svc.design_for(engine, county, year, by=_user(by), settings_path=settings,
                                    questionnaire_path=questionnaire, replace_existing=replace)
            if out is not None:
                svc.write_design(stored, out, overwrite=force)
        except JunhengError as exc:
            fail(exc)
        d = stored.design
        s = d.settings
        rows = [[svc.GROUP_ZH[g.group], "—" if g.population is None else g.population, g.sample, g.codes]
                for g in d.groups]
        console().print(f"{d.county_name} {d.school_year} 学年社会认可度调查：置信水平 {s.confidence:.0%}，"
                        f"允许误差 ±{s.margin:.0%}，预计回收率 {s.response_rate:.0%}")
        console().print(table("各群体样本量", ["调查对象", "总体人数", "所需有效问卷", "发放调查码"], rows))
        console().print(f"抽样名单 {len(d.rows)} 行（{len({r.school_code for r in d.rows if r.school_code})} 所学校）。"
                        "下一步：junheng survey codes 生成调查码。")
        if out is not None:
            typer.echo(f"已写入 {out}")

    @survey.command("codes", help="生成一次性匿名调查码，写出每校一页的二维码打印页（.html）；调查码只显示这一次")
    def codes(
        county: County,
        out: Annotated[Path, typer.Option("--out", "-o", help="二维码打印页（.html），用浏览器打开后打印")],
        url: Annotated[str, typer.Option("--url", help="受访者手机能打开的网页系统地址，如 http://10.1.2.3:8000")],
        year: Year = None,
        school: Annotated[str | None, typer.Option("--school", help="只为这所学校（学校标识码）生成")] = None,
        group: Annotated[str | None, typer.Option(
            "--group", help="只为这个群体生成（students/parents/teachers/principals/deputies/cppcc/public 或中文名）")] = None,
        extra: Annotated[int, typer.Option("--extra", min=0, help="在抽样名单的数量之外每行再多发几个")] = 0,
        force: Force = False, database_url: DatabaseUrlOption = None,
    ) -> None:
        from junheng.services import survey as svc

        if not url.startswith(("http://", "https://")):
            typer.echo("错误：--url 应以 http:// 或 https:// 开头", err=True)
            raise typer.Exit(2)
        if out.suffix.lower() not in (".html", ".htm"):
            typer.echo(f"错误：输出文件须以 .html 结尾：{out}", err=True)
            raise typer.Exit(2)
        if out.exists() and not force:
            typer.echo(f"错误：文件已存在：{out}（加 --force 覆盖）", err=True)
            raise typer.Exit(1)
        gid = {v: k for k, v in svc.GROUP_ZH.items()}.get(group or "", group)
        engine = engine_for(database_url)
        try:
            issued = svc.issue_codes(engine, county, year, school=school, group=gid, extra=extra)
            if not issued:
                typer.echo("抽样名单中的调查码都已发放，没有生成新的调查码（要多发请加 --extra）")
                return
            svc.write_codes(issued, out, url=url, title=f"社会认可度调查码 {county}")
        except JunhengError as exc:
            fail(exc)
        typer.echo(f"已生成 {len(issued)} 个调查码，写入 {out}（数据库只保存调查码的摘要，请妥善保管此文件）")

    @survey.command("import", help="导入其他工具收集的答卷（每名受访者一行）；有任何错误则一份也不导入")
    def import_(
        county: County,
        responses: Annotated[Path, typer.Argument(help="答卷工作簿（.xlsx）：群体、学校代码、第1题……")],
        year: Year = None, by: By = None, database_url: DatabaseUrlOption = None,
    ) -> None:
        from junheng.services import survey as svc

        if not responses.exists():
            typer.echo(f"错误：找不到文件 {responses}", err=True)
            raise typer.Exit(1)
        engine = engine_for(database_url)
        try:
            outcome = svc.import_responses(engine, county, year, responses, by=_user(by))
        except JunhengError as exc:
            fail(exc)
        if outcome.problems:
            for p in outcome.problems:
                typer.echo(p, err=True)
            typer.echo(f"共 {len(outcome.problems)} 个错误，未导入任何答卷。", err=True)
            raise typer.Exit(1)
        if outcome.already:
            typer.echo(f"{responses.name} 已经导入过，未重复导入。")
            return
        typer.echo(f"已导入 {outcome.imported} 份答卷。")

    @survey.command("result", help="计算社会认可度：各群体和总体的认可度、置信区间、回收率，样本不足的群体标出")
    def result(
        county: County, year: Year = None,
        settings: Annotated[Path | None, typer.Option(
            "--settings", help="改用另一份调查设置计算（如改变权重或认可的答案）；默认沿用设计时的设置")] = None,
        as_json: AsJson = False, database_url: DatabaseUrlOption = None,
    ) -> None:
        from junheng.analysis.survey_design import load_survey_settings
        from junheng.services import survey as svc

        engine = engine_for(database_url)
        try:
            report = svc.survey_report(engine, county, year,
                                       load_survey_settings(settings) if settings is not None else None)
        except JunhengError as exc:
            fail(exc)
        if as_json:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str, indent=2))
            return
        _print_result(report)
        raise typer.Exit(0 if report.result.share is not None and report.result.share * 100 >= 85 else 1)

    @survey.command("progress", help="收集进度：每校每个群体应收、已发调查码、已答、已导入，落后的排在前面")
    def progress(county: County, year: Year = None, as_json: AsJson = False,
                 database_url: DatabaseUrlOption = None) -> None:
        from junheng.services import survey as svc

        engine = engine_for(database_url)
        try:
            rows = svc.survey_progress(engine, county, year)
        except JunhengError as exc:
            fail(exc)
        if as_json:
            typer.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
            return
        rows = sorted(rows, key=lambda r: (r.done if r.done is not None else 2, r.school_code, r.group))
        out = [[r.school_name if r.school_code else "全县", svc.GROUP_ZH[r.group], r.sample, r.issued, r.answered,
                r.imported, pct(r.done, 0) if r.done is not None else "—"] for r in rows]
        console().print(table("社会认可度调查收集进度（完成 = 已收 ÷ 应收）",
                              ["学校", "调查对象", "应收", "已发调查码", "网页已答", "已导入", "完成"], out))

    @survey.command("close", help="结束调查：不再接收答卷；该学年的 S1 社会认可度改取调查结果，并据此重新评估已导入的学年")
    def close(county: County, year: Year = None, by: By = None, database_url: DatabaseUrlOption = None) -> None:
        _set(county, year, True, database_url, by)

    @survey.command("reopen", help="重新开放已结束的调查（S1 恢复取「县级指标」表的填报值，直到再次结束）")
    def reopen(county: County, year: Year = None, by: By = None, database_url: DatabaseUrlOption = None) -> None:
        _set(county, year, False, database_url, by)


def _set(county: str, year: int | None, closed: bool, url: str | None, by: str | None = None) -> None:
    from junheng.services.survey_status import set_survey_closed

    engine = engine_for(url)
    try:
        change = set_survey_closed(engine, county, year, closed, by=_user(by))
    except JunhengError as exc:
        fail(exc)
    report = change.report
    share = report.result.share
    if closed:
        typer.echo(f"调查已结束。{report.school_year} 学年 S1 社会认可度取调查结果 {pct(share)}。"
                   if share is not None else "调查已结束，但没有有效问卷：S1 仍取「县级指标」表的填报值。")
    else:
        typer.echo("调查已重新开放，可继续收集答卷；S1 恢复取「县级指标」表的填报值。")
    if change.version is not None:
        verdict = {True: "认定", False: "不予认定", None: "—"}[change.recognised]
        typer.echo(f"已按此重新评估 {report.school_year} 学年（存为第 {change.version} 版）：{verdict}")


def _write_default(kind: str, out: Path, force: bool) -> None:
    from junheng.services.survey import packaged_file

    if out.exists() and not force:
        typer.echo(f"错误：文件已存在：{out}（加 --force 覆盖）", err=True)
        raise typer.Exit(1)
    out.write_text(packaged_file(kind), encoding="utf-8")
    typer.echo(f"已写入 {out}")


def _print_result(report) -> None:
    r = report.result
    s = r.settings
    out = console()
    rows = []
    for g in r.groups:
        interval = "—" if g.low is None else f"{pct(g.low)}—{pct(g.high)}"
        flag = "样本不足" if g.below_minimum else ""
        rows.append([g.name, g.required, "—" if g.issued is None else g.issued, g.received,
                     pct(g.response_rate) if g.response_rate is not None else "—", g.valid,
                     pct(g.share) if g.share is not None else "—", interval, f"{g.weight:.3f}", flag])
    status = "已结束" if report.closed else "进行中"
    out.print(table(f"{report.county_name} {report.school_year} 学年社会认可度调查（{status}）",
                    ["调查对象", "应调查", "发放", "收回", "回收率", "有效", "认可度", f"{s.confidence:.0%} 置信区间",
                     "权重", ""], rows))
    if r.share is None:
        out.print("还没有有效问卷。")
        return
    out.print(f"总体认可度 {pct(r.share)}（{s.confidence:.0%} 置信区间 {pct(r.low)}—{pct(r.high)}；"
              f"{'各群体等权' if s.weights == 'equal' else '按总体人数加权'}），"
              f"{'达到' if r.share * 100 >= 85 else '未达到'} 85%。")
    for note in r.notes:
        out.print(note)
    if r.below_minimum:
        out.print(f"有效问卷少于应调查样本：{'、'.join(g.name for g in r.below_minimum)}")
    if not report.closed:
        out.print("调查尚未结束：S1 仍取「县级指标」表的填报值。结束后（junheng survey close）取本结果。")
