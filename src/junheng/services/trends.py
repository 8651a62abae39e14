"""Use cases over stored years: a county's trend, its teacher flows, its schools
opened/closed/merged, and the city or province view across counties."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine

from junheng.analysis.county_year import summarise, with_stage_funding
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.core.errors import NotFoundError
from junheng.core.facts import CountyData
from junheng.core.flows import FlowReport, teacher_flows
from junheng.core.result import Evaluation
from junheng.core.trend import SchoolEvent, TrendYear, build_trend, school_events
from junheng.core.yearly import MonitoringRules
from junheng.reports.documents.trend_section import TrendSection
from junheng.standards import load_standard
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection


@dataclass(slots=True)
class CountyTrend:
    county_code: str
    county_name: str
    years: list[TrendYear]
    events: list[SchoolEvent]  # schools opened, closed, merged, renamed
    names: dict[str, str] = field(default_factory=dict)  # item and indicator names by id (workbooks)
    progress: object | None = None  # the county's targets in the last year (services.progress), if any


def _rosters(conn, stored: list[repo.StoredSummary]) -> list[tuple[int, dict[str, str], dict[str, str]]]:
    """(school year, school names, teacher -> school) of stored years: for school_events."""
    return [(s.school_year, repo.school_names(conn, s.county_year_id),
             repo.teacher_schools(conn, s.county_year_id)) for s in stored]


def county_trend(engine: Engine, county_code: str, year_from: int | None = None,
                 year_to: int | None = None) -> CountyTrend:
    with read_connection(engine) as conn:
        # One year before the range too: the first year's 只增不减 and new places need it.
        low = None if year_from is None else year_from - 1
        stored = repo.current_summaries(conn, county_code=county_code, year_from=low, year_to=year_to)
        if not stored:
            span = f"（{year_from or '…'}—{year_to or '…'} 学年）" if year_from or year_to else ""
            raise NotFoundError(f"数据库中没有县区 {county_code} 的数据{span}")
        years_info = _rosters(conn, stored)
        names = _names(conn, stored[-1].county_year_id)
    trend = build_trend([(s.school_year, s.version, with_stage_funding(s.summary)) for s in stored])
    events = school_events(years_info)
    if year_from is not None:
        trend = [t for t in trend if t.school_year >= year_from]
        events = [e for e in events if e.school_year >= year_from]
    return CountyTrend(county_code, stored[-1].county_name, trend, events, names,
                       _progress(engine, county_code, stored[-1].school_year))


def _progress(engine: Engine, county_code: str, school_year: int) -> object | None:
    from junheng.services.progress import county_progress

    try:
        return county_progress(engine, county_code, school_year)
    except NotFoundError:  # no targets stored: the trend workbook has no 目标进展 sheet
        return None


def trend_section(engine: Engine, data: CountyData, evaluation: Evaluation, *, stored: bool,
                  rules: MonitoringRules | None = None) -> TrendSection:
    """The 历年趋势 of the result files: the county's stored years before ``data``'s,
    then ``data`` itself (evaluated as ``evaluation``) as the last year — the same
    figures as ``county_trend``. ``stored``: ``data`` is the year's current stored
    version (web downloads); else a workbook not stored (``evaluate --history``)."""
    c = data.county
    summary = summarise(data, evaluation, rules or load_monitoring_rules())
    with read_connection(engine) as conn:
        earlier = repo.current_summaries(conn, county_code=c.code, year_to=c.school_year - 1)
        version = repo.find_version(conn, c.code, c.school_year).version if stored else None
        rosters = _rosters(conn, earlier)
    rosters.append((c.school_year, {s.code: s.name for s in data.schools},
                    {t.teacher_id: t.school_code for t in data.teachers}))
    years = build_trend([(s.school_year, s.version, with_stage_funding(s.summary)) for s in earlier]
                        + [(c.school_year, version, summary)])
    note = None if earlier else no_earlier_years(c.name, c.code, c.school_year, stored)
    names = {i: item.name for i, item in evaluation.items.items()}
    names |= {i: str(m.get("short_name") or m.get("name") or i) for i, m in evaluation.indicator_meta.items()}
    return TrendSection(c.code, c.name, years, school_events(rosters), note, names)


def no_earlier_years(name: str, code: str, school_year: int, stored: bool) -> str:
    this = "本学年" if stored else "本工作簿这一学年"
    return (f"数据库中没有{name}（{code}）{school_year} 学年之前的数据，暂无历年趋势；下表只有{this}。"
            "导入往年的工作簿（junheng import）后即可看到历年变化。")


@dataclass(slots=True)
class CountyFlows:
    county_code: str
    school_year: int
    previous: repo.VersionInfo
    current: repo.VersionInfo
    names: dict[str, str]  # school code -> name, both years
    report: FlowReport


def county_flows(engine: Engine, county_code: str, school_year: int,
                 rules: MonitoringRules | None = None) -> CountyFlows:
    """Moves between the rosters of ``school_year - 1`` and ``school_year``."""
    rules = rules or load_monitoring_rules()
    with read_connection(engine) as conn:
        current = repo.find_version(conn, county_code, school_year)
        try:
            previous = repo.find_version(conn, county_code, school_year - 1)
        except NotFoundError:
            raise NotFoundError(
                f"数据库中没有县区 {county_code} {school_year - 1} 学年的数据，无法比较两年的教师名册"
            ) from None
        names = repo.school_names(conn, previous.id) | repo.school_names(conn, current.id)
        # The teachers G11 counts (the default standard's scope: 小学、初中), so that
        # `junheng flows` and the 年度答卷 give the same rotation share.
        report = teacher_flows(repo.load_teachers(conn, previous.id),
                               repo.load_teachers(conn, current.id), rules.rotation,
                               load_standard().settings.scope)
    return CountyFlows(county_code, school_year, previous, current, names, report)


@dataclass(slots=True)
class CountyStatus:
    county_code: str
    county_name: str
    school_year: int
    version: int
    recognised: bool
    schools_total: int
    schools_passed: int
    failing_items: list[str]
    cv_failures: list[str]
    not_evaluable: list[str]

    @property
    def distance(self) -> int:
        """Things left to fix: failing schools + failing items + CVs over the limit."""
        return (self.schools_total - self.schools_passed) + len(self.failing_items) + len(self.cv_failures)


COUNTRY_CODES = ("全国", "0", "00", "000000")


@dataclass(slots=True)
class RegionView:
    code: str  # "" for the whole country
    level: str  # country | province | city
    name: str | None
    school_year: int
    counties: list[CountyStatus]  # recognised first, then by distance
    close_within: int
    item_failures: list[tuple[str, int]]  # item id -> counties failing it, most first
    indicator_failures: list[tuple[str, int]]  # R id -> school parts failing it, most first
    cv_failures: list[tuple[str, int]]  # "primary.R3" -> counties over the limit
    item_names: dict[str, str] = field(default_factory=dict)

    @property
    def recognised(self) -> list[CountyStatus]:
        return [c for c in self.counties if c.recognised]

    @property
    def close(self) -> list[CountyStatus]:
        return [c for c in self.counties if not c.recognised and c.distance <= self.close_within]


def region_view(engine: Engine, code: str, school_year: int | None = None,
                close_within: int = 3) -> RegionView:
    """A city (4-digit code prefix), a province (2-digit) or the whole country (全国,
    code "00") across its counties: stored summaries only, nothing re-evaluated."""
    code = code.strip()
    if code in COUNTRY_CODES:
        code = ""
    elif not code.isdigit() or len(code) not in (2, 4, 6):
        raise NotFoundError(f"地区代码 {code} 无效：省为 2 位、地市为 4 位数字（也可写 6 位，如 350000、350400），"
                            "全国写「全国」或 00")
    if len(code) == 6:  # 350400 -> 3504, 350000 -> 35
        code = code[:2] if code[2:] == "0000" else code[:4]
    level = {0: "country", 2: "province"}.get(len(code), "city")
    with read_connection(engine) as conn:
        year = school_year or repo.latest_year(conn, code)
        stored = repo.current_summaries(conn, prefix=code, year_from=year, year_to=year) if year else []
        name = repo.region_names(conn, [code]).get(code) if code else "全国"
        item_names = _item_names(conn, stored[0].county_year_id) if stored else {}
    if not stored:
        which = f" {school_year} 学年" if school_year else ""
        raise NotFoundError(f"数据库中没有{'全国' if not code else f'地区 {code}'}{which} 所辖任何县区的数据")
    counties = [CountyStatus(
        s.county_code, s.county_name, s.school_year, s.version, s.recognised,
        s.summary["schools_total"], s.summary["schools_passed"], s.summary["failing_items"],
        s.summary["cv_failures"], s.summary["not_evaluable_items"]) for s in stored]
    counties.sort(key=lambda c: (not c.recognised, c.distance, c.county_code))
    items: Counter[str] = Counter()
    indicators: Counter[str] = Counter()
    cvs: Counter[str] = Counter()
    for s in stored:
        items.update(s.summary["failing_items"])
        indicators.update(s.summary["indicator_failures"])
        cvs.update(s.summary["cv_failures"])
    return RegionView(code, level, name, year, counties, close_within, items.most_common(),
                      indicators.most_common(), cvs.most_common(), item_names)


def _item_names(conn, county_year_id: int) -> dict[str, str]:
    result = repo.load_snapshot(conn, county_year_id).result
    return {i: r["name"] for i, r in result.get("items", {}).items()}


def _names(conn, county_year_id: int) -> dict[str, str]:
    """Item names and indicators' short names by id, from a stored result (G14 → its name)."""
    result = repo.load_snapshot(conn, county_year_id).result
    names = {i: r["name"] for i, r in result.get("items", {}).items() if r.get("name")}
    for i, meta in (result.get("indicators") or {}).items():
        if isinstance(meta, dict) and (meta.get("short_name") or meta.get("name")):
            names[i] = meta.get("short_name") or meta["name"]
    return names


def write_trend_workbook(trend: CountyTrend, path) -> None:
    from junheng.reports.renderers.history_workbook import write_trend_xlsx

    write_trend_xlsx(f"{trend.county_name}（{trend.county_code}）", trend.years, trend.events, path,
                     trend.names, trend.progress)


def write_flows_workbook(flows: CountyFlows, path) -> None:
    from junheng.reports.renderers.history_workbook import write_flows_xlsx

    write_flows_xlsx(flows.report, flows.names, path)


def region_trend(engine: Engine, code: str, year_from: int | None = None,
                 year_to: int | None = None) -> dict[str, list[TrendYear]]:
    """The trend of every county under a region prefix, from one query of summaries
    (school events are left out: they need the rosters, see county_trend)."""
    low = None if year_from is None else year_from - 1
    with read_connection(engine) as conn:
        stored = repo.current_summaries(conn, prefix=code, year_from=low, year_to=year_to)
    per: dict[str, list[tuple[int, int, dict]]] = {}
    for s in stored:
        per.setdefault(s.county_code, []).append((s.school_year, s.version, with_stage_funding(s.summary)))
    return {
        county: [t for t in build_trend(years) if year_from is None or t.school_year >= year_from]
        for county, years in per.items()
    }
