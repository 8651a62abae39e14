"""`junheng trend`, `junheng flows`, `junheng region`: the stored years of a county
and the counties of a city or a province."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from junheng.cli.history import (
    County,
    DatabaseUrl,
    Format,
    FormatOption,
    Year,
    call,
    echo_json,
)
from junheng.cli.render import console, num, pct, table
from junheng.core.yearly import jsonable
from junheng.reports.documents.trend_section import EVENT_ZH, trend_rows
from junheng.services.trends import (
    county_flows,
    county_trend,
    region_view,
    write_flows_workbook,
    write_trend_workbook,
)

Out = Annotated[Path | None, typer.Option("--out", "-o", help="另存为 .xlsx（Excel）或 .json 文件")]


def _cell(value: object, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return pct(value)
    if kind == "cv":
        return num(value)
    if kind == "num":
        return f"{value:,.2f}"
    return str(value)


def _write(out: Path, as_json: object, xlsx) -> None:
    try:
        if out.suffix.lower() == ".json":
            out.write_text(json.dumps(jsonable(as_json), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            xlsx(out)
    except OSError as exc:
        typer.echo(f"无法写入输出文件：{out}（{exc.strerror or exc}）", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"已写入 {out}")


def register(app: typer.Typer) -> None:
    @app.command("trend", help="一个县区历年的指标趋势：差异系数、达标学校、大班额、教师、学位、两个只增不减")
    def trend(
        county: County,
        year_from: Annotated[int | None, typer.Option("--from", help="起始学年")] = None,
        year_to: Annotated[int | None, typer.Option("--to", help="截止学年")] = None,
        database_url: DatabaseUrl = None,
        format: FormatOption = Format.text,
        out: Out = None,
    ) -> None:
        t = call(database_url, county_trend, county, year_from, year_to)
        doc = dataclasses.asdict(t)
        if out is not None:
            _write(out, doc, lambda p: write_trend_workbook(t, p))
        if format is Format.json:
            echo_json(doc)
            return
        c = console()
        c.print(table(f"{t.county_name}（{county}）历年指标", ["指标", *[f"{y.school_year}" for y in t.years]],
                      ([label, *(_cell(v, kind) for v in values)] for label, values, kind in trend_rows(t.years)),
                      right=range(1, len(t.years) + 1)))
        rows = []
        for y in t.years:
            f = y.funding
            src = {"stored": "上一学年数据", "declared": "本年填报的上年数", None: "—"}[f.prev_source]
            rows.append([y.school_year, _cell(f.spending, "num"), _cell(f.spending_prev, "num"),
                         _cell(None if f.per_student is None else f.per_student * 1e4, "num"),
                         _cell(None if f.per_student_prev is None else f.per_student_prev * 1e4, "num"),
                         src, f.verdict + ("".join(f"\n注：{n}" for n in f.notes))])
        c.print(table("两个只增不减（一般公共预算教育支出；生均单位：元）",
                      ["学年", "支出（万元）", "上年（万元）", "生均", "上年生均", "上年口径", "结论"], rows))
        rows = []
        for y in t.years:
            g = y.stage_funding
            if g is None or g.verdict == "未填报":
                continue
            used = set(g.prev_source.values())
            src = "、".join(z for k, z in (("stored", "上一学年数据"), ("declared", "本年填报的上年数")) if k in used) or "—"
            rows.append([y.school_year, src, g.verdict + "".join(f"\n注：{n}" for n in g.notes)])
        if rows:
            c.print(table("分学段只增不减（生均一般公共预算教育经费、公用经费）", ["学年", "上年口径", "结论"], rows))
        if t.events:
            c.print(table("学校变动", ["学年", "变动", "学校", "说明"],
                          ([e.school_year, EVENT_ZH[e.kind], f"{e.name}（{e.code}）", e.text] for e in t.events)))

    @app.command("flows", help="教师流动（县管校聘）：上一学年到本学年谁从哪所学校调到哪所学校，交流轮岗比例")
    def flows(county: County, year: Year, database_url: DatabaseUrl = None,
              format: FormatOption = Format.text, out: Out = None) -> None:
        f = call(database_url, county_flows, county, year)
        r = f.report
        doc = {"county_code": county, "school_year": year, "schools": f.names, **dataclasses.asdict(r)}
        if out is not None:
            _write(out, doc, lambda p: write_flows_workbook(f, p))
        if format is Format.json:
            echo_json(doc)
            return
        name = lambda code: f"{f.names.get(code, code)}"  # noqa: E731
        c = console()
        c.print(Text(f"{f.current.county_name}（{county}）{year - 1} → {year} 学年：调动 {len(r.moves)} 名，"
                     f"新进 {len(r.joined)} 名，离开 {len(r.left)} 名"))
        verdict = {True: "达到", False: "未达到", None: "无法判断"}
        c.print(table("交流轮岗比例（≥10%，其中骨干教师≥20%）",
                      ["口径", "交流轮岗", "符合条件", "比例", "骨干", "骨干占比", "结论"],
                      ([label, s.rotated, s.eligible, pct(s.share), s.backbone_rotated, pct(s.backbone_share),
                        verdict[s.ok]] for label, s in (("名册实际调动", r.real), ("填报的交流轮岗", r.declared)))))
        if r.moves:
            c.print(table("调动名单", ["教师编号", "调出学校", "调入学校", "骨干", "已填报"],
                          ([m.teacher_id, name(m.from_school), name(m.to_school), "是" if m.backbone else "",
                            "是" if m.declared else "否"] for m in r.moves)))
            c.print(table("调动矩阵（行：调出，列：调入）", ["调出＼调入", *(name(b) for b in _targets(r))],
                          ([name(a), *(str(r.matrix[a].get(b, "")) for b in _targets(r))] for a in sorted(r.matrix))))
        if r.by_school:
            c.print(table("各校交流轮岗（比例 = 填报交流轮岗 ÷ 符合交流条件）",
                          ["学校", "专任教师", "符合条件", "交流轮岗", "比例", "其中骨干", "调入", "调出"],
                          ([name(s.school_code), s.teachers, s.eligible, s.declared, pct(s.share), s.declared_backbone,
                            s.moved_in, s.moved_out] for s in r.by_school), right=range(1, 8)))
        if r.disagreements:
            c.print(table(f"填报与名册不一致（{len(r.disagreements)} 名）", ["教师编号", "说明"],
                          ([d.teacher_id, d.text] for d in r.disagreements)))

    @app.command("region", help="地市（4 位代码）、省（2 位代码）或全国所辖县区的认定情况与最常未达标的指标")
    def region(
        code: Annotated[str, typer.Argument(
            help="地区代码：省 2 位（如 35）、地市 4 位（如 3504）；全国写「全国」或 00", show_default=False)],
        year: Annotated[int | None, typer.Option("--year", help="学年（默认为已导入的最新学年）")] = None,
        close: Annotated[int, typer.Option("--close", help="待整改事项不超过几项算「接近认定」", min=0)] = 3,
        database_url: DatabaseUrl = None,
        format: FormatOption = Format.text,
        measure: Annotated[str | None, typer.Option(
            "--measure", help="只看一个指标（指标编号，如 large_class_share）：各县区的数值和行动方案目标进展并列",
            show_default=False)] = None,
    ) -> None:
        if measure is not None:
            from junheng.cli.targets import print_region_measure

            print_region_measure(database_url, code, measure, year, format is Format.json)
            return
        v = call(database_url, region_view, code, year, close)
        if format is Format.json:
            echo_json(dataclasses.asdict(v) | {"recognised": [c.county_code for c in v.recognised],
                                               "close": [c.county_code for c in v.close]})
            return
        level = {"province": "省", "city": "地市", "country": "全国"}[v.level]
        c = console()
        where = "全国" if v.level == "country" else f"{v.name or ''}（{level} {v.code}）"
        c.print(Text(f"{where}{v.school_year} 学年：已导入 {len(v.counties)} 个县区，"
                     f"认定 {len(v.recognised)} 个，接近认定 {len(v.close)} 个"))
        if v.level == "country":  # 2,800 counties: one line per province instead
            _print_provinces(c, v)
        else:
            status = lambda s: "认定" if s.recognised else ("接近认定" if s in v.close else "不予认定")  # noqa: E731
            c.print(table("县区", ["县区", "结论", "达标学校", "未达标项目", "差异系数超标", "待整改事项"],
                          ([f"{s.county_name}（{s.county_code}）", status(s), f"{s.schools_passed}/{s.schools_total}",
                            "、".join(s.failing_items) or "无", "、".join(s.cv_failures) or "无", s.distance]
                           for s in v.counties), right=[5]))
        if v.item_failures:
            c.print(table("最常未达标的项目（县区数）", ["项目", "名称", "县区数"],
                          ([i, v.item_names.get(i, ""), n] for i, n in v.item_failures[:10]), right=[2]))
        if v.indicator_failures:
            c.print(table("最常未达标的资源配置指标（学校·学段数）", ["指标", "学校数"],
                          v.indicator_failures, right=[1]))


def _print_provinces(c, v) -> None:
    close = {s.county_code for s in v.close}
    per: dict[str, list[int]] = {}
    for s in v.counties:
        row = per.setdefault(s.county_code[:2], [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += s.recognised
        row[2] += s.county_code in close
        row[3] += s.schools_passed
        row[4] += s.schools_total
    c.print(table("各省", ["省（代码）", "县区", "认定", "接近认定", "达标学校"],
                  ([p, n, r, k, f"{sp:,}/{st:,}"] for p, (n, r, k, sp, st) in sorted(per.items())),
                  right=[1, 2, 3, 4]))


def _targets(r) -> list[str]:
    return sorted({b for row in r.matrix.values() for b in row})
