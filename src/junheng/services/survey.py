"""Use cases of the 社会认可度 survey, shared by the CLI and the web: design it for a
stored county-year, issue one-time codes, take answers (web page or imported
workbook), compute its result, close it, and let S1 take its value from it.

S1's source: once a county-year's survey is closed (``close``) with valid
questionnaires, :func:`apply_survey` replaces the typed 社会认可度 of 县级指标 with the
survey's overall 认可度 and records where it came from; without a closed survey the
typed value stays, and every output says which it used.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng.analysis.survey import Response, SurveyResult, SurveySummary, compute_result
from junheng.analysis.survey_design import (
    COUNTY_LEVEL_ZH,
    GROUPS,
    SCHOOL_GROUPS,
    GroupPlan,
    PlanRow,
    Questionnaire,
    SurveyDesign,
    SurveySettings,
    design_survey,
    load_questionnaire,
    load_survey_settings,
)
from junheng.core.errors import ConflictError, InvalidRequestError, NotFoundError
from junheng.core.facts import CountyData, Ref
from junheng.services.accounts import Principal, require, utcnow
from junheng.storage import survey_store as store
from junheng.storage.engine import read_connection, write_transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

SURVEY_SHEET = "社会认可度调查"  # the Ref sheet of S1 when the survey is its source
# 31 letters and digits without 0/O, 1/I/L: 12 of them are 59 random bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP_ZH = GROUPS


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def shown_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


@dataclass(slots=True)
class StoredDesign:
    survey: store.StoredSurvey
    design: SurveyDesign
    questionnaire: Questionnaire


def _restore(s: store.StoredSurvey) -> StoredDesign:
    settings = SurveySettings.model_validate(s.settings)
    rows = [PlanRow(**r) for r in s.design]
    groups = []
    for g in settings.groups:
        mine = [r for r in rows if r.group == g]
        pops = [r.population for r in mine]
        groups.append(GroupPlan(g, None if any(p is None for p in pops) else sum(pops),  # type: ignore[arg-type]
                                sum(r.sample for r in mine), sum(r.codes for r in mine)))
    design = SurveyDesign(s.county_code, s.county_name, s.school_year, settings, groups, rows)
    return StoredDesign(s, design, Questionnaire.model_validate(s.questionnaire))


def _find(conn: Any, county_code: str, school_year: int | None) -> store.StoredSurvey:
    found = store.find_survey(conn, county_code, school_year)
    if found is None:
        year = f" {school_year} 学年" if school_year else ""
        raise NotFoundError(f"县区 {county_code}{year} 还没有社会认可度调查（先运行 junheng survey design）")
    return found


def load_design(engine: Engine, county_code: str, school_year: int | None = None) -> StoredDesign:
    with read_connection(engine) as conn:
        return _restore(_find(conn, county_code, school_year))


def create_design(engine: Engine, data: CountyData, *, by: str, settings: SurveySettings | None = None,
                  questionnaire: Questionnaire | None = None, replace_existing: bool = False) -> StoredDesign:
    """Design the survey of ``data``'s county-year and store it (open for answers)."""
    settings = settings or load_survey_settings()
    questionnaire = questionnaire or load_questionnaire()
    design = design_survey(data, settings)
    unknown = [GROUPS[g.group] for g in design.groups if g.population is None]
    if settings.weights == "population" and unknown:
        raise InvalidRequestError(f"按总体人数加权（weights: population）时须在调查设置 populations 中填写"
                                  f"{'、'.join(unknown)}的总体人数")
    c = data.county
    with write_transaction(engine) as conn:
        old = store.find_survey(conn, c.code, c.school_year)
        if old is not None:
            if not replace_existing:
                raise ConflictError(f"县区 {c.code} {c.school_year} 学年已有社会认可度调查；"
                                    "重新设计会作废已发的调查码和已收的答卷，确需如此请加 --replace")
            store.delete_survey(conn, old.id)
        rows = [{"school_code": r.school_code, "school_name": r.school_name, "group": r.group,
                 "population": r.population, "sample": r.sample, "codes": r.codes} for r in design.rows]
        sid = store.create_survey(conn, county_code=c.code, county_name=c.name, school_year=c.school_year,
                                  questionnaire=questionnaire.model_dump(mode="json"),
                                  settings=settings.model_dump(mode="json"), design=rows, by=by, at=utcnow())
        stored = store.get_survey(conn, sid)
    return StoredDesign(stored, design, questionnaire)


@dataclass(slots=True)
class IssuedCode:
    code: str
    school_code: str
    school_name: str
    group: str

    @property
    def group_name(self) -> str:
        return GROUPS[self.group]


def issue_codes(engine: Engine, county_code: str, school_year: int | None = None, *,
                school: str | None = None, group: str | None = None, extra: int = 0) -> list[IssuedCode]:
    """New one-time codes: for every line of the sampling list (or only ``school`` /
    ``group``) as many as it still lacks, plus ``extra``. The codes are returned once
    and stored only as hashes."""
    if group is not None and group not in GROUPS:
        raise InvalidRequestError(f"没有「{group}」这个群体：应为 {'、'.join(GROUPS)} 之一")
    out: list[IssuedCode] = []
    with write_transaction(engine) as conn:
        s = _restore(_find(conn, county_code, school_year))
        if s.survey.status != "open":
            raise ConflictError("调查已结束，不能再发调查码（junheng survey reopen 可重新开放）")
        have = store.issued_counts(conn, s.survey.id)
        rows = [r for r in s.design.rows if (school is None or r.school_code == school)
                and (group is None or r.group == group)]
        if school is not None and not rows:
            raise NotFoundError(f"抽样名单中没有学校代码 {school}")
        for r in rows:
            wanted = max(0, r.codes - have.get((r.school_code, r.group), 0)) + extra
            out += [IssuedCode(new_code(), r.school_code, r.school_name, r.group) for _ in range(wanted)]
        store.add_codes(conn, s.survey.id, ((code_hash(c.code), c.school_code, c.group) for c in out), utcnow())
    return out


# --- answering on the web page ---

@dataclass(slots=True)
class CodeForm:
    """What the questionnaire page shows for a valid code."""

    title: str
    intro: str
    county_name: str
    school_year: int
    group: str
    group_name: str
    school_name: str
    scale: list[tuple[int, str]]
    items: list[tuple[str, str, str]]  # (id, dimension, text for the group)
    used: bool
    open: bool


def code_form(engine: Engine, code: str) -> CodeForm | None:
    """The questionnaire of a code, or None for a code that does not exist."""
    with read_connection(engine) as conn:
        info = store.find_code(conn, code_hash(code))
        if info is None:
            return None
        s = _restore(store.get_survey(conn, info.survey_id))
    q = s.questionnaire
    school = next((r.school_name for r in s.design.rows if r.school_code == info.school_code), COUNTY_LEVEL_ZH)
    return CodeForm(q.title, q.intro, s.survey.county_name, s.survey.school_year, info.group, GROUPS[info.group],
                    school if info.school_code else COUNTY_LEVEL_ZH, [(a.value, a.label) for a in q.scale],
                    [(i.id, i.dimension, i.text_for(info.group)) for i in q.items_for(info.group)],
                    info.used, s.survey.status == "open")


def submit_answers(engine: Engine, code: str, form: dict[str, str]) -> None:
    """Store one questionnaire answered with ``code`` (every item answered). Raises
    InvalidRequestError naming the unanswered items, ConflictError for a used code."""
    with write_transaction(engine) as conn:
        info = store.find_code(conn, code_hash(code))
        if info is None:
            raise NotFoundError("调查码无效")
        s = _restore(store.get_survey(conn, info.survey_id))
        if s.survey.status != "open":
            raise ConflictError("本次调查已经结束，不再接收答卷")
        if info.used:
            raise ConflictError("这个调查码已经提交过答卷，每个调查码只能提交一次")
        q = s.questionnaire
        answers: dict[str, int | None] = {}
        missing = []
        for n, item in enumerate(q.items_for(info.group), start=1):
            value = q.answer_value(form.get(item.id, ""))
            if value is None:
                missing.append(n)
            answers[item.id] = value
        if missing:
            raise InvalidRequestError(f"第 {'、'.join(map(str, missing))} 题还没有选择答案",
                                      details=[{"item": n} for n in missing])
        if not store.use_code(conn, info, answers, utcnow()):
            raise ConflictError("这个调查码已经提交过答卷，每个调查码只能提交一次")


# --- importing another tool's answers ---

@dataclass(slots=True)
class ImportOutcome:
    imported: int = 0
    problems: list[str] = field(default_factory=list)
    already: bool = False


def import_responses(engine: Engine, county_code: str, school_year: int | None, path: str | Path, *,
                     by: str) -> ImportOutcome:
    """All the workbook's answers in one transaction, or none of them (any problem)."""
    from junheng.intake.survey_responses import read_responses

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    s = load_design(engine, county_code, school_year)
    if s.survey.status != "open":
        raise ConflictError("调查已结束，不能再导入答卷（junheng survey reopen 可重新开放）")
    schools = {r.school_code: r.school_name for r in s.design.rows if r.group in SCHOOL_GROUPS}
    read = read_responses(path, s.questionnaire, schools, s.design.settings.groups)
    if read.problems:
        return ImportOutcome(problems=[f"{Path(path).name} {p}" for p in read.problems])
    with write_transaction(engine) as conn:
        if store.import_done(conn, s.survey.id, digest):
            return ImportOutcome(already=True)
        store.add_import(conn, s.survey.id, file_name=Path(path).name, file_hash=digest, by=by, at=utcnow(),
                         responses=read.rows)
    return ImportOutcome(imported=len(read.rows))


# --- result ---

@dataclass(slots=True)
class SurveyReport:
    """A survey's design and its result, for the CLI, the web and the 自评报告."""

    county_code: str
    county_name: str
    school_year: int
    status: str
    questionnaire: Questionnaire
    design: SurveyDesign
    result: SurveyResult
    web_answers: int
    imported_answers: int
    imports: list[dict[str, Any]]

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    def to_dict(self) -> dict[str, Any]:
        s = self.design.settings
        return {"county_code": self.county_code, "school_year": self.school_year, "status": self.status,
                "questionnaire": self.questionnaire.id, "items": len(self.questionnaire.items),
                "margin": s.margin, "confidence": s.confidence, "web_answers": self.web_answers,
                "imported_answers": self.imported_answers, "result": self.result.to_dict()}


def survey_report(engine: Engine, county_code: str, school_year: int | None = None,
                  settings: SurveySettings | None = None) -> SurveyReport:
    """``settings``: compute with other settings (weights, 认可 answers) than the design's."""
    with read_connection(engine) as conn:
        s = _restore(_find(conn, county_code, school_year))
        answers = store.responses(conn, s.survey.id)
        issued = store.issued_counts(conn, s.survey.id)
        imports = store.imports(conn, s.survey.id)
    design = s.design if settings is None else replace(s.design, settings=settings)
    by_group: dict[str, int] = {}
    for (_, g), n in issued.items():
        by_group[g] = by_group.get(g, 0) + n
    try:
        result = compute_result([Response(a.group, a.answers, a.school_code, a.source == "web") for a in answers], s.questionnaire,
                                design.settings, required={g.group: g.sample for g in design.groups},
                                issued={g: by_group.get(g) for g in design.settings.groups},
                                populations=_populations(design))
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from None
    web = sum(1 for a in answers if a.source == "web")
    return SurveyReport(s.survey.county_code, s.survey.county_name, s.survey.school_year, s.survey.status,
                        s.questionnaire, design, result, web, len(answers) - web, imports)


def _populations(design: SurveyDesign) -> dict[str, int | None]:
    out: dict[str, int | None] = {g.group: g.population for g in design.groups}
    for g, n in design.settings.populations.items():  # a county-level population the settings now give
        if out.get(g) is None and n is not None:
            out[g] = n
    return out


def set_closed(engine: Engine, county_code: str, school_year: int | None, closed: bool) -> None:
    with write_transaction(engine) as conn:
        s = _find(conn, county_code, school_year)
        store.set_status(conn, s.id, "closed" if closed else "open", utcnow() if closed else None)


@dataclass(slots=True)
class ProgressRow:
    school_code: str
    school_name: str
    group: str
    sample: int  # valid questionnaires the design asks for
    issued: int
    answered: int  # codes used
    imported: int

    @property
    def received(self) -> int:
        return self.answered + self.imported

    @property
    def done(self) -> float | None:
        """Received ÷ the sample wanted (1 = the school's share is collected)."""
        return self.received / self.sample if self.sample else None

    def to_dict(self) -> dict[str, Any]:
        return {"school_code": self.school_code, "school_name": self.school_name, "group": self.group,
                "sample": self.sample, "issued": self.issued, "answered": self.answered,
                "imported": self.imported, "received": self.received, "done": self.done}


def survey_progress(engine: Engine, county_code: str, school_year: int | None = None) -> list[ProgressRow]:
    """Collection school by school and group by group, to chase the ones behind."""
    with read_connection(engine) as conn:
        s = _restore(_find(conn, county_code, school_year))
        counts = store.progress_counts(conn, s.survey.id)
    return [ProgressRow(r.school_code, r.school_name, r.group, r.sample,
                        *counts.get((r.school_code, r.group), (0, 0, 0))) for r in s.design.rows]


def survey_view(engine: Engine, actor: Principal, county_code: str,
                school_year: int | None = None) -> dict[str, Any] | None:
    """The bureau's page: the result and the collection by school; None without a survey."""
    require(actor.can_read_county(county_code), "查看该县区的社会认可度调查")
    try:
        report = survey_report(engine, county_code, school_year)
        progress = survey_progress(engine, county_code, report.school_year)
    except NotFoundError:
        return None
    progress.sort(key=lambda r: (r.done if r.done is not None else 2, r.school_code, r.group))
    return {"report": report, "result": report.result, "progress": progress, "groups": GROUPS,
            "passed": report.result.share is not None and report.result.share * 100 >= 85}


# --- S1 ---

def closed_report(engine: Engine, county_code: str, school_year: int) -> SurveyReport | None:
    """The result of the county-year's closed survey, or None (no survey, still open,
    or no valid questionnaire)."""
    with read_connection(engine) as conn:
        found = store.find_survey(conn, county_code, school_year)
    if found is None or found.status != "closed":
        return None
    report = survey_report(engine, county_code, school_year)
    return report if report.result.share is not None else None


def apply_survey(engine: Engine, data: CountyData) -> CountyData:
    """``data`` with S1's 社会认可度 taken from its closed survey, when there is one
    (the typed value it replaced is kept in the summary, ``extra_tables["survey"]``)."""
    report = closed_report(engine, data.county.code, data.county.school_year)
    return data if report is None else with_survey_result(data, report)


def with_survey_result(data: CountyData, report: SurveyReport) -> CountyData:
    r = report.result
    facts = dict(data.facts)
    refs = dict(data.fact_refs)
    facts["satisfaction_pct"] = r.percent
    refs["satisfaction_pct"] = Ref(SURVEY_SHEET, 0, None, f"{report.school_year}学年，有效问卷 {r.valid} 份")
    q = report.questionnaire
    summary = SurveySummary(report.school_year, q.title, len(q.items), list(dict.fromkeys(i.dimension for i in q.items)),
                            len({row.school_code for row in report.design.rows if row.school_code}),
                            {g.group: g.sample for g in report.design.groups}, r, report.web_answers,
                            report.imported_answers, data.facts.get("satisfaction_pct"))
    return replace(data, facts=facts, fact_refs=refs, extra_tables={**data.extra_tables, "survey": [summary]})


def satisfaction_source(data: CountyData) -> str:
    """In Chinese: where S1's 社会认可度 came from."""
    ref = data.fact_refs.get("satisfaction_pct")
    if ref is not None and ref.sheet == SURVEY_SHEET:
        return f"社会认可度调查结果（{ref.header}）"
    if data.facts.get("satisfaction_pct") is None:
        return "未填报，也没有已结束的社会认可度调查"
    return "「县级指标」表填报值（本学年没有已结束的社会认可度调查）"


# --- files ---

def design_for(engine: Engine, county: str, school_year: int | None, *, by: str,
               settings_path: str | Path | None = None, questionnaire_path: str | Path | None = None,
               replace_existing: bool = False) -> StoredDesign:
    """Design the survey of a stored county-year (``county``: its 6-digit code; the
    latest year when ``school_year`` is None) or of a workbook (``county``: its path)."""
    settings = load_survey_settings(settings_path)
    questionnaire = load_questionnaire(questionnaire_path)
    if county.lower().endswith((".xlsx", ".xlsm")):
        from junheng.services.counties import load_county

        data = load_county(county)
    else:
        if school_year is None:
            years = [v.school_year for v in _county_years(engine, county)]
            if not years:
                raise NotFoundError(f"数据库中没有县区 {county} 的数据（先用 junheng import 导入工作簿）")
            school_year = years[-1]
        from junheng.storage import repository as repo

        with read_connection(engine) as conn:
            data = repo.load_county_data(conn, county, school_year)
    return create_design(engine, data, by=by, settings=settings, questionnaire=questionnaire,
                         replace_existing=replace_existing)


def _county_years(engine: Engine, county: str) -> list[Any]:
    from junheng.storage import repository as repo

    with read_connection(engine) as conn:
        return repo.county_years(conn, county)


def write_design(stored: StoredDesign, path: str | Path, *, overwrite: bool = False) -> Path:
    from junheng.reports.renderers.survey_workbook import write_design_xlsx
    from junheng.services.outputs import write_workbook_output

    return write_workbook_output(path, lambda p: write_design_xlsx(stored.design, stored.questionnaire, p),
                                 overwrite=overwrite)


def write_codes(codes: list[IssuedCode], path: str | Path, *, url: str, title: str) -> Path:
    from junheng.reports.renderers.survey_codes import write_codes_html

    slips = [_Slip(c.code, c.school_code, c.school_name if c.school_code else COUNTY_LEVEL_ZH, c.group_name)
             for c in codes]
    write_codes_html(slips, path, url=url, title=title)
    return Path(path)


@dataclass(slots=True)
class _Slip:
    code: str
    school_code: str
    school_name: str
    group_name: str


def packaged_file(kind: str) -> str:
    """The default questionnaire or settings file, for a county to copy and edit."""
    from junheng.analysis.survey_design import packaged_text

    return packaged_text(kind)  # type: ignore[arg-type]
