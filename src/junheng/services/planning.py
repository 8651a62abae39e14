"""Use case: the rectification plan (`junheng plan`, and the web's plan page).

Read and validate the workbook, evaluate it, make the cheapest plan within the
settings and budget, and write it as a workbook, an HTML page or JSON. The plan's
"after" figures are always the engine's re-evaluation of the planned county.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from junheng.core.confirmations import Confirmations
from junheng.core.errors import JunhengError
from junheng.core.facts import CountyData
from junheng.core.standard import Standard
from junheng.planner.plan import Plan
from junheng.planner.projects import with_committed_projects
from junheng.planner.settings import PlanSettings, default_settings_text, load_plan_settings
from junheng.planner.solve import make_plan
from junheng.planner.years import schedule_plan
from junheng.reports.documents.plan_section import PlanSection, plan_section, plan_view
from junheng.reports.renderers.html import write_html_report
from junheng.reports.renderers.plan_workbook import write_plan_workbook
from junheng.services import history
from junheng.services.accounts import Principal, require
from junheng.services.counties import load_county
from junheng.services.evaluation import resolve_standard
from junheng.services.outputs import check_writable

OUTPUT_SUFFIXES = (".xlsx", ".html", ".json")


class PlanRequestError(JunhengError):
    """A plan request that cannot be carried out as asked (usage error, exit 2)."""

    code = "plan-request"
    exit_code = 2
    http_status = 422  # the web: a budget, years or target year it cannot read


def parse_budget(text: str) -> float:
    """``5000000``, ``500万``, ``1.2亿``, ``3,000,000元`` → 元."""
    raw = text.strip().replace(",", "").replace("，", "").removesuffix("元")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(万|亿)?", raw)
    if not m:
        raise PlanRequestError(f"预算“{text}”无法识别，请写成 5000000、500万 或 1.2亿（单位：元）")
    value = float(m.group(1)) * {"万": 1e4, "亿": 1e8, None: 1.0}[m.group(2)]
    return value


def parse_years(text: str) -> tuple[int, int]:
    """``2026-2028`` (or ``2026—2028``, ``2026~2028``, ``2026``) → (2026, 3 years)."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–—~～至到]\s*(\d{4}))?\s*年?\s*", text)
    first, last = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, -1)
    if not m or not (2000 <= first <= last <= 2100) or last - first >= 10:
        raise PlanRequestError(f"年度“{text}”无法识别，请写成 2026-2028（起止年份，最多 10 年）")
    return first, last - first + 1


def parse_budgets(text: str) -> list[float]:
    """``500万,500万,800万`` → each year's budget in 元."""
    parts = [p for p in re.split(r"[,，;；、/\s]+", text.strip()) if p]
    if not parts:
        raise PlanRequestError("分年度预算为空，请写成 500万,500万,800万")
    out = []
    for p in parts:
        try:
            out.append(parse_budget(p))
        except PlanRequestError:
            raise PlanRequestError(f"分年度预算“{text}”中的“{p}”无法识别，请写成 500万,500万,800万（各年用逗号分隔，"
                                   f"不要用千位分隔符）") from None
    return out


def resolve_settings(settings: PlanSettings | str | Path | None, budget: float | None = None,
                     time_limit: float | None = None, years: dict | None = None) -> PlanSettings:
    out = settings if isinstance(settings, PlanSettings) else load_plan_settings(settings)
    if years:
        years = dict(years)
        count = years.pop("count", None)
        out = out.with_years(**years)
        budgets = out.limits.yearly_budget
        if not budgets:
            raise PlanRequestError("分年度行动计划需要各年预算：--yearly-budget 500万,500万,800万"
                                   "（或方案设置文件的 limits.yearly_budget）")
        if count is not None and count != len(budgets):
            raise PlanRequestError(f"--years 共 {count} 年，但各年预算有 {len(budgets)} 个")
    if budget is not None:
        out = out.with_budget(budget)
    if time_limit is not None:
        out = out.with_time_limit(time_limit)
    return out


def plan_county(data: CountyData, standard: Standard | str | Path | None = None,
                settings: PlanSettings | str | Path | None = None, *, budget: float | None = None,
                time_limit: float | None = None, years: dict | None = None) -> Plan:
    """The plan for ``data``: committed projects counted, the cheapest plan made and,
    with yearly budgets (``years``, see :func:`year_settings`, or the settings file),
    scheduled over the years. The CLI (:func:`plan_workbook`) and the web
    (:func:`stored_plan`) both plan here."""
    std = resolve_standard(standard)
    chosen = resolve_settings(settings, budget, time_limit, years)
    projected, notes = with_committed_projects(data, chosen)
    return plan_over_years(_noted(make_plan(projected, std, chosen), notes), projected, std, chosen, data)


def _noted(plan: Plan, notes: list[str]) -> Plan:
    plan.notes[:0] = notes  # what the plan counted as already being built comes first
    return plan


def plan_workbook(path: str | Path, standard: Standard | str | Path | None = None,
                  settings: PlanSettings | str | Path | None = None, *, budget: float | None = None,
                  time_limit: float | None = None, confirmations: Confirmations | None = None,
                  years: dict | None = None) -> Plan:
    """Raises InvalidWorkbookError when the workbook has errors (``junheng validate``).
    ``years``: see :func:`year_settings` (a multi-year plan)."""
    std = resolve_standard(standard)  # a broken standard or settings file fails before any reading
    chosen = resolve_settings(settings, budget, time_limit, years)
    year_span(chosen, None)  # a target year outside the plan's years: before any reading either
    return plan_county(load_county(path, confirmations), std, chosen)


def plan_over_years(plan: Plan, data: CountyData, standard: Standard, settings: PlanSettings,
                    base: CountyData | None = None) -> Plan:
    """With yearly budgets in the settings: the plan scheduled over the years, each
    year re-evaluated by the engine (``junheng.planner.years``); else the plan as is.
    ``base``: the county before its committed projects (each counts from its finish year)."""
    span = year_span(settings, data.county.school_year)
    if span is None:
        return plan
    budgets, first, target = span
    return schedule_plan(plan, data, standard, settings, budgets, first, target - first + 1, base)


def year_span(settings: PlanSettings, school_year: int | None) -> tuple[list[float], int, int] | None:
    """A multi-year plan's (yearly budgets, first calendar year, target year); None
    without yearly budgets. The first year defaults to the year after ``school_year``
    (None: not known yet — then only an explicit first year is checked against the
    target). Raises PlanRequestError for a target year outside the plan's years."""
    lim = settings.limits
    if not lim.yearly_budget:
        return None
    budgets = list(lim.yearly_budget)
    first = lim.first_year if lim.first_year is not None else (school_year + 1 if school_year is not None else None)
    if first is None:
        return None
    last = first + len(budgets) - 1
    target = lim.target_year if lim.target_year is not None else last
    if not first <= target <= last:
        raise PlanRequestError(f"要求认定的年份 {target} 不在计划年度 {first}—{last} 之内")
    return budgets, first, target


def year_settings(yearly_budget: str | None, years: str | None, target_year: int | None) -> dict:
    """The CLI's --yearly-budget / --years / --target-year as settings updates (see
    :func:`resolve_settings`; budgets may come from the settings file instead)."""
    out: dict = {}
    if yearly_budget is not None:
        out["yearly_budget"] = parse_budgets(yearly_budget)
    if years is not None:
        out["first_year"], out["count"] = parse_years(years)
    if target_year is not None:
        out["target_year"] = target_year
    return out


def web_year_settings(yearly_budget: str | None, years: str | None, target_year: str | None,
                      school_year: int) -> dict | None:
    """The web plan page's 分年度 fields (texts as typed) as settings updates, checked
    as the CLI checks them (PlanRequestError in Chinese); None when all are blank."""
    budgets, span, target = ((t or "").strip() for t in (yearly_budget, years, target_year))
    if not (budgets or span or target):
        return None
    if not budgets:
        raise PlanRequestError("分年度行动计划需要各年预算，请填写如 500万,500万,800万（各年用逗号分隔）")
    year: int | None = None
    if target:
        m = re.fullmatch(r"(\d{4})\s*年?", target)
        if not m:
            raise PlanRequestError(f"要求认定的年份“{target}”无法识别，请写成 2028")
        year = int(m.group(1))
    out = year_settings(budgets, span or None, year)
    if "count" in out and out["count"] != len(out["yearly_budget"]):
        raise PlanRequestError(f"起止年份“{span}”共 {out['count']} 年，但填写了 {len(out['yearly_budget'])} 个年度的预算"
                               "（每年一个，用逗号分隔）")
    year_span(resolve_settings(None, years=out), school_year)
    return out


# The web app plans a stored county on request; the time limit keeps a page responsive.
WEB_TIME_LIMIT = 30.0


def stored_plan(engine: Engine, actor: Principal, county_code: str, school_year: int, *,
                budget: float | None = None, standard: Standard | None = None,
                years: dict | None = None) -> Plan:
    """The plan for a stored county-year (the web app's plan page), for its readers,
    against ``standard`` (default yzjh-2017); ``years``: a multi-year plan
    (:func:`web_year_settings`)."""
    require(actor.can_read_county(county_code), "查看该县区的整改方案")
    data = history.load(engine, county_code, school_year)
    return plan_county(data, standard, budget=budget, time_limit=WEB_TIME_LIMIT, years=years)


def stored_plan_view(engine: Engine, actor: Principal, county_code: str, school_year: int, *,
                     budget: float | None = None, standard: Standard | None = None,
                     years: dict | None = None) -> dict:
    """What the web's plan page shows (the same section as `junheng plan`)."""
    return plan_view(plan_section(stored_plan(engine, actor, county_code, school_year, budget=budget,
                                              standard=standard, years=years)))


def plan_bytes(plan: Plan, suffix: str) -> bytes:
    """The plan as a file's bytes (web downloads): .xlsx or .html."""
    with tempfile.TemporaryDirectory(prefix="junheng-plan-") as folder:
        return write_plan(plan, Path(folder) / f"plan{suffix}").read_bytes()


def check_plan_output(out: Path, *, overwrite: bool) -> Path:
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise PlanRequestError(f"输出文件应以 {'、'.join(OUTPUT_SUFFIXES)} 结尾：{out}")
    return check_writable(out, overwrite=overwrite, error=PlanRequestError)


def write_plan(plan: Plan, out: str | Path, *, overwrite: bool = False) -> Path:
    out = check_plan_output(Path(out), overwrite=overwrite)
    section = plan_section(plan)
    suffix = out.suffix.lower()
    try:
        if suffix == ".xlsx":
            return write_plan_workbook(section, out)
        if suffix == ".html":
            # The evaluation report of the county after the plan, with the plan on top.
            return write_html_report(plan.after, out, plan=section, plan_first=True)
        out.write_text(plan_json(section), encoding="utf-8")
        return out
    except OSError as exc:
        raise PlanRequestError(f"无法写入 {out}（{exc.strerror or exc}）") from None


def plan_json(section: PlanSection) -> str:
    """The machine-readable plan (docs/plan.schema.json) as text."""
    return json.dumps(section.document, ensure_ascii=False, indent=2, default=str) + "\n"


def write_settings_file(path: str | Path, *, overwrite: bool = False) -> Path:
    path = check_writable(Path(path), overwrite=overwrite, error=PlanRequestError)
    try:
        path.write_text(default_settings_text(), encoding="utf-8")
    except OSError as exc:
        raise PlanRequestError(f"无法写入 {path}（{exc.strerror or exc}）") from None
    return path
