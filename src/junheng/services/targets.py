"""The bureau's own targets (issue 15 §1): the targets workbook (template, import, export)
and the measures a county can set targets on.

Values come from the fact-sheet figures stored with each county-year (the summary's
``figures``); a year stored before they were kept is summarised again from its stored
rows by the same function (``analysis.county_year.summarise``). The figures of groups
and townships are made from the stored rows when first asked for
(:func:`stored_scoped_figures`), unless the summary keeps them (a user's own standard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from junheng.analysis.county_year import summarise, year_scoped_figures
from junheng.analysis.measures import Measure, canonical, measure_value, registry, upgrade_figures
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.analysis.progress import Target
from junheng.analysis.scopes import COUNTY, PRESCHOOL, STAGE_SCOPES
from junheng.core.engine import evaluate
from junheng.core.errors import NotFoundError
from junheng.core.issues import Issue, IssueReport, Severity
from junheng.standards import DEFAULT_STANDARD, load_standard, shipped_standards
from junheng.storage import repository as repo
from junheng.storage import targets as store
from junheng.storage.engine import read_connection, write_transaction


class YearFigures:
    """One stored county-year's fact-sheet figures (current version). ``scoped`` (the
    figures of each group and township) is made when first read, from the stored rows,
    and kept for the process (a stored version never changes)."""

    __slots__ = ("school_year", "version", "county_name", "figures", "names", "_scoped", "_make_scoped")

    def __init__(self, school_year: int, version: int, county_name: str, figures: dict[str, Any],
                 scoped: dict[str, dict[str, Any]] | Callable[[], dict[str, dict[str, Any]]],
                 names: dict[str, str] | None = None):
        self.school_year, self.version, self.county_name = school_year, version, county_name
        self.figures = figures
        self.names = names or {}  # names of indicator / item / cv figures
        self._scoped, self._make_scoped = (None, scoped) if callable(scoped) else (scoped, None)

    @property
    def scoped(self) -> dict[str, dict[str, Any]]:
        if self._scoped is None:
            self._scoped = self._make_scoped()
        return self._scoped


def _stored_standard(conn: Any, county_year_id: int) -> str:
    """The shipped standard the stored year was evaluated against (the default one when
    it was a user's own file; such a year keeps its scoped figures in its summary)."""
    snap = repo.load_snapshot(conn, county_year_id)
    return snap.standard_id if snap.standard_id in shipped_standards() else DEFAULT_STANDARD


@lru_cache(maxsize=256)
def stored_scoped_figures(engine: Engine, county_year_id: int) -> dict[str, dict[str, Any]]:
    """The figures of each group and township of a stored county-year, from its stored
    rows and its standard, by the function the summary used to store them with
    (:func:`junheng.analysis.county_year.year_scoped_figures`); once per process (a
    stored version never changes: a re-import is a new id). Callers do not modify it."""
    with read_connection(engine) as conn:
        data = repo.load_version(conn, county_year_id)
        std_id = _stored_standard(conn, county_year_id)
    return year_scoped_figures(data, evaluate(data, load_standard(std_id)), load_monitoring_rules())


def stored_years(engine: Engine, county_code: str) -> list[YearFigures]:
    """Every stored year of the county, oldest first (empty when none)."""
    with read_connection(engine) as conn:
        stored = repo.current_summaries(conn, county_code=county_code)
        out = []
        for s in stored:
            summary = s.summary
            scoped: Any = summary.get("scoped_figures")
            if "figures" not in summary:  # stored before figures were kept: the same summary, made again
                data = repo.load_version(conn, s.county_year_id)
                ev = evaluate(data, load_standard(_stored_standard(conn, s.county_year_id)))
                rules = load_monitoring_rules()
                summary = summarise(data, ev, rules)
                scoped = year_scoped_figures(data, ev, rules)
            if scoped is None:  # made from the stored rows when first asked for
                scoped = partial(stored_scoped_figures, engine, s.county_year_id)
            else:  # kept in the summary (a user's own standard): under today's ids
                scoped = {k: upgrade_figures(v) for k, v in scoped.items()}
            out.append(YearFigures(s.school_year, s.version, s.county_name,
                                   upgrade_figures(summary.get("figures") or {}), scoped,
                                   summary.get("figure_names") or {}))
    return out


def _standard_id(engine: Engine, county_code: str | None) -> str:
    if county_code:
        with read_connection(engine) as conn:
            stored = repo.county_years(conn, county_code)
            if stored:
                snap = repo.load_snapshot(conn, stored[-1].id)
                if snap.standard_id in shipped_standards():
                    return snap.standard_id
    return DEFAULT_STANDARD


def measures_for(engine: Engine | None = None, county_code: str | None = None,
                 years: list[YearFigures] | None = None) -> dict[str, Measure]:
    """Every measure: the catalogue, the county's standard (the one its latest year was
    evaluated against; yzjh-2017 by default) and any indicator or item its stored years
    have (a user's own standard)."""
    std = load_standard(_standard_id(engine, county_code) if engine is not None else DEFAULT_STANDARD)
    measures = registry(std)
    names = {k: v for y in years or () for k, v in y.names.items()}
    for fid, name in names.items():
        if fid in measures or not fid.startswith(("indicator.", "item.")):
            continue
        share = fid.startswith("indicator.")  # 达标学校比例; an item's value has the standard's unit
        measures[fid] = Measure(fid, name, "%" if share else "", "percent" if share else "ratio", "higher",
                                "评估办法的指标或评估项（自定义标准）", "评估内容", parts=False)
    return measures


def scope_choices(years: list[YearFigures]) -> list[str]:
    parts = sorted({p for y in years for p in y.scoped})
    return [COUNTY, *STAGE_SCOPES, PRESCHOOL, *parts]


# --- template, import, export -----------------------------------------------------------


def write_template(path: str | Path, engine: Engine | None = None, county_code: str | None = None,
                   *, example: bool = False) -> Path:
    from junheng.reports.renderers.targets_workbook import write_targets_workbook

    years = stored_years(engine, county_code) if engine is not None and county_code else []
    measures = measures_for(engine, county_code, years)
    rows = example_targets() if example else []
    write_targets_workbook(path, measures, scope_choices(years), rows)
    return Path(path)


def example_targets() -> list[Target]:
    """The sample county's (示例县 350404) 行动方案 targets, as a bureau would write them."""
    plan = "示例县教育高质量发展三年行动计划（2024—2026 年）"
    return [
        Target("large_class_share", COUNTY, 0.0, 2026, 2023, None, {}, plan + "第二条", "基础教育科",
               "全面消除 56 人及以上大班额"),
        Target("backbone_share", COUNTY, 0.26, 2026, 2023, None, {2024: 0.24, 2025: 0.25}, plan + "第三条", "教师工作科"),
        Target("group_coverage", COUNTY, 0.30, 2026, 2023, None, {}, plan + "第四条", "基础教育科",
               "集团化办学覆盖率（按学校）"),
        Target("afterschool_coverage", COUNTY, 1.0, 2026, 2023, None, {}, plan + "第五条", "基础教育科"),
        Target("rotation_share", COUNTY, 0.15, 2026, 2023, None, {}, plan + "第三条", "人事科"),
        Target("class_size", "小学", 35.0, 2026, 2023, None, {}, plan + "第二条", "基础教育科", "小学平均班额"),
        Target("preschool.inclusive_coverage", COUNTY, 0.98, 2026, 2023, None, {}, plan + "第六条", "学前教育科"),
        Target("per_student_spending", COUNTY, 19000.0, 2026, 2023, None, {}, plan + "第七条", "计划财务科"),
    ]


@dataclass(slots=True)
class TargetsImport:
    report: IssueReport
    stored: store.TargetSetInfo | None = None
    targets: list[Target] = field(default_factory=list)
    filled: list[int] = field(default_factory=list)  # Excel rows whose 基线值 came from the data


def import_targets(engine: Engine, path: str | Path, county_code: str, *, by: str,
                   file_hash: str | None = None) -> TargetsImport:
    """Validate the targets workbook and store it as the county's current targets: all
    rows or none (a workbook with any error stores nothing). Blank 基线值 are filled
    from the stored year; the change is written to the audit log."""
    from junheng.intake.targets_workbook import read_targets_workbook
    from junheng.services.audit import record

    years = stored_years(engine, county_code)
    measures = measures_for(engine, county_code, years)
    parts = {p for y in years for p in y.scoped}
    read = read_targets_workbook(path, measures, parts if years else None)
    if read.report.has_errors:
        return TargetsImport(read.report)
    file = Path(path).name
    by_year = {y.school_year: y for y in years}
    targets: list[Target] = []
    filled: list[int] = []
    for t in read.targets:
        if t.baseline is not None:
            targets.append(t)
            continue
        year = t.baseline_year if t.baseline_year is not None else (years[0].school_year if years else None)
        base_col, year_col = read.columns.get("baseline"), read.columns.get("target_year")
        where = f"{file} 目标 第{t.row}行"
        if year is None or year not in by_year:
            have = "、".join(str(y) for y in by_year) or "没有任何学年"
            read.report.add(Issue("targets.baseline_year", Severity.ERROR,
                                  f"{where}{_col(base_col)}「基线值」空着，但数据库中县区 {county_code} 没有 {year or ''} 学年的数据"
                                  f"（已有：{have}），无法自动填写；请填写基线值，或先导入该学年的工作簿",
                                  "reference", file, "目标", t.row, base_col, "基线值"))
            continue
        if t.target_year <= year:
            read.report.add(Issue("targets.year_order", Severity.ERROR,
                                  f"{where}{_col(year_col)}「目标年份」{t.target_year} 应晚于基线学年 {year}（基线学年空着时取数据库中最早的学年）",
                                  "data", file, "目标", t.row, year_col, "目标年份", t.target_year))
            continue
        prev = _previous(years, year)
        value, why = measure_value(measures[t.measure], t.scope, by_year[year].figures, by_year[year].scoped, prev)
        if value is None:
            read.report.add(Issue("targets.baseline_missing", Severity.ERROR,
                                  f"{where}{_col(base_col)}「基线值」空着，但 {year} 学年的数据算不出「{measures[t.measure].name}」：{why}；"
                                  "请填写基线值", "reference", file, "目标", t.row, base_col, "基线值"))
            continue
        targets.append(replace(t, baseline_year=year, baseline=value, baseline_from_data=True))
        filled.append(t.row)
    if read.report.has_errors:
        return TargetsImport(read.report)
    with write_transaction(engine) as conn:
        old = store.current_set(conn, county_code)
        info = store.save_targets(conn, county_code, targets, by=by, file_name=file, file_hash=file_hash)
        record(conn, by, "import", "targets", f"{county_code} 第{info.version}版",
               None if old is None else {"version": old.version, "targets": len(store.load_targets(conn, old.id))},
               {"version": info.version, "file": file, "targets": [t.to_dict() for t in targets]},
               county_code=county_code)
    return TargetsImport(read.report, info, targets, filled)


def _col(letter: str | None) -> str:
    return f" {letter}列" if letter else ""


def _previous(years: list[YearFigures], year: int) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    earlier = [y for y in years if y.school_year < year]
    return (earlier[-1].figures, earlier[-1].scoped) if earlier else None


def current_targets(engine: Engine, county_code: str) -> tuple[store.TargetSetInfo, list[Target]]:
    with read_connection(engine) as conn:
        info = store.current_set(conn, county_code)
        if info is None:
            raise NotFoundError(f"数据库中没有县区 {county_code} 的行动方案目标；请先用 junheng targets import "
                                f"目标.xlsx --county {county_code} 导入")
        # a target stored on an id folded into another reads the figure under its new id
        return info, [replace(t, measure=canonical(t.measure)) for t in store.load_targets(conn, info.id)]


def export_targets(engine: Engine, county_code: str, path: str | Path) -> tuple[store.TargetSetInfo, Path]:
    from junheng.reports.renderers.targets_workbook import write_targets_workbook

    info, targets = current_targets(engine, county_code)
    years = stored_years(engine, county_code)
    write_targets_workbook(path, measures_for(engine, county_code, years), scope_choices(years), targets)
    return info, Path(path)


def target_history(engine: Engine, county_code: str) -> list[store.TargetSetInfo]:
    with read_connection(engine) as conn:
        return store.target_sets(conn, county_code)
