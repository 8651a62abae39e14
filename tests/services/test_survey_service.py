"""The survey end to end on SQLite and PostgreSQL: design from a stored county-year,
one-time codes, answers on the web (one per code) and from a workbook (all or none,
located errors), the result, and S1 taking its value from the closed survey."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from junheng.analysis.factsheet import build_factsheet
from junheng.core.engine import evaluate
from junheng.core.errors import ConflictError, InvalidRequestError
from junheng.reports.documents.findings import source_text
from junheng.services import survey
from junheng.services.history import import_county_data, load
from junheng.services.reporting import self_evaluation_document
from junheng.services.survey_status import set_survey_closed
from junheng.standards import load_standard
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection
from junheng.storage.schema import open_database
from tests.storage.conftest import db_url  # noqa: F401
from tests.web.conftest import HOME, SCHOOL_A, county_data

TEACHERS_ITEMS = 10  # every item is asked of teachers


@pytest.fixture
def engine(db_url):  # noqa: F811
    eng = open_database(url=db_url)
    data = county_data(HOME, SCHOOL_A)
    data.facts["satisfaction_pct"] = 80.0  # typed: below 85
    import_county_data(eng, data, by="test")
    yield eng
    eng.dispose()


def _design(engine):
    return survey.design_for(engine, HOME, 2024, by="test")


def _answers(value: int, n: int = TEACHERS_ITEMS) -> dict[str, str]:
    q = survey.load_questionnaire()
    return {i.id: str(value) for i in q.items[:n]}


def test_design_codes_and_one_answer_per_code(engine):
    stored = _design(engine)
    teachers = stored.design.group("teachers")
    assert teachers.population == sum(r.population for r in stored.design.rows if r.group == "teachers")
    assert {r.school_code for r in stored.design.rows if r.group == "students"} == {
        SCHOOL_A, SCHOOL_A[:-1] + "2", SCHOOL_A[:-1] + "3"}
    codes = survey.issue_codes(engine, HOME, 2024, group="teachers")
    assert len(codes) == teachers.codes
    assert len({c.code for c in codes}) == len(codes) and all(len(c.code) == 12 for c in codes)
    assert survey.issue_codes(engine, HOME, 2024, group="teachers") == []  # all issued already
    code = codes[0].code
    form = survey.code_form(engine, survey.shown_code(code).lower())  # typed with dashes, lower case
    assert form is not None and form.group_name == "教师" and not form.used and len(form.items) == 10
    with pytest.raises(InvalidRequestError, match="第 10 题还没有选择答案"):
        survey.submit_answers(engine, code, _answers(5, 9))
    survey.submit_answers(engine, code, _answers(5))
    assert survey.code_form(engine, code).used
    with pytest.raises(ConflictError, match="只能提交一次"):
        survey.submit_answers(engine, code, _answers(1))
    assert survey.code_form(engine, "ABCDEFGHJKMN") is None
    report = survey.survey_report(engine, HOME, 2024)
    t = report.result.group("teachers")
    assert (t.received, t.valid, t.share, t.issued) == (1, 1, 1.0, teachers.codes)
    assert report.web_answers == 1


def _responses_book(path, rows, header=("群体", "学校代码", *[f"第{n}题" for n in range(1, 11)])):
    wb = Workbook()
    ws = wb.active
    ws.title = "答卷"
    ws.append(["2024学年社会认可度调查答卷（问卷星导出）"])  # a title row above the header, as exports have
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)


def test_import_is_all_or_nothing_with_located_errors(engine, tmp_path):
    _design(engine)
    bad = tmp_path / "答卷.xlsx"
    _responses_book(bad, [
        ("家长", SCHOOL_A, *["满意"] * 10),
        ("家长", "9999999999", *[5] * 10),
        ("人大代表", None, 5, 5, 5, "很好", 5, 5, 5, 5, 5, 5),
        ("老师", SCHOOL_A, *[5] * 10),
    ])
    out = survey.import_responses(engine, HOME, 2024, bad, by="test")
    assert out.imported == 0
    assert out.problems == [
        '答卷.xlsx 「答卷」表 第4行 B列「学校代码」 的值 "9999999999"：不是本县区学校的代码',
        '答卷.xlsx 「答卷」表 第5行 F列「第4题」 的值 "很好"：答案应为 5（非常满意）、4（满意）、3（一般）、'
        '2（不满意）、1（非常不满意） 之一，或留空',
        '答卷.xlsx 「答卷」表 第6行 A列「群体」 的值 "老师"：群体应为学生、家长、教师、校长、人大代表、政协委员、'
        '其他群众之一',
    ]
    assert survey.survey_report(engine, HOME, 2024).result.received == 0  # nothing half-imported
    good = tmp_path / "答卷2.xlsx"
    # parents: 4 of 5 answered 认可 on every item → 0.8; one 一般 everywhere → 0
    rows = [("家长", SCHOOL_A, *["满意"] * 10)] * 4 + [("家长", SCHOOL_A, *["一般"] * 10)]
    rows += [("人大代表", None, *[5] * 10)]
    _responses_book(good, rows)
    assert survey.import_responses(engine, HOME, 2024, good, by="test").imported == 6
    assert survey.import_responses(engine, HOME, 2024, good, by="test").already
    r = survey.survey_report(engine, HOME, 2024).result
    assert r.group("parents").share == pytest.approx(0.8)
    assert r.group("deputies").share == 1.0
    assert r.share == pytest.approx(0.9)  # equal weights over the two groups with answers
    assert r.group("parents").below_minimum


def test_a_closed_survey_is_s1s_source(engine, tmp_path):
    _design(engine)
    std = load_standard("yzjh-2017")
    before = load(engine, HOME, 2024)
    assert before.facts["satisfaction_pct"] == 80.0
    assert survey.satisfaction_source(before).startswith("「县级指标」表填报值")
    book = tmp_path / "答卷.xlsx"
    _responses_book(book, [("教师", SCHOOL_A, *[5] * 10)] * 9 + [("教师", SCHOOL_A, *[2] * 10)])
    survey.import_responses(engine, HOME, 2024, book, by="test")
    assert load(engine, HOME, 2024).facts["satisfaction_pct"] == 80.0  # still open: the typed value
    change = set_survey_closed(engine, HOME, 2024, True, by="督导")
    assert change.version == 2  # the stored year evaluated again: its snapshot reads S1 from the survey
    with read_connection(engine) as conn:
        info = repo.find_version(conn, HOME, 2024)
        snap = repo.load_snapshot(conn, info.id)
        stored = repo.load_version(conn, info.id)
    assert (info.version, info.imported_by) == (2, "督导")
    assert snap.result["items"]["S1"]["value"] == pytest.approx(90.0)
    assert stored.facts["satisfaction_pct"] == 80.0  # the data are stored as typed
    data = load(engine, HOME, 2024)
    assert data.facts["satisfaction_pct"] == pytest.approx(90.0)
    ev = evaluate(data, std)
    s1 = ev.items["S1"]
    assert s1.passed and s1.value == pytest.approx(90.0)
    assert survey.satisfaction_source(data) == "社会认可度调查结果（2024学年，有效问卷 10 份）"
    assert str(data.fact_refs["satisfaction_pct"]) == "社会认可度调查（2024学年，有效问卷 10 份）"
    assert source_text(s1.provenance) == "社会认可度调查（2024学年，有效问卷 10 份）"  # the 来源 of outputs
    fs = build_factsheet(data, ev)
    assert fs.value("satisfaction") == pytest.approx(0.9)
    assert fs["satisfaction"].source == "社会认可度调查（2024学年，有效问卷 10 份）"
    assert fs.value("survey.valid") == 10
    doc = self_evaluation_document(data, std)
    text = "\n".join(_texts(doc.sections))
    assert "全县社会认可度为 90.0%" in text and "达到 85% 的要求" in text
    assert "工作簿「县级指标」表填报的社会认可度为 80.0%，本报告采用调查结果" in text
    assert "有效问卷 10 份" in text
    with pytest.raises(ConflictError, match="调查已结束"):
        survey.import_responses(engine, HOME, 2024, book, by="test")
    change = set_survey_closed(engine, HOME, 2024, False, by="督导")
    assert load(engine, HOME, 2024).facts["satisfaction_pct"] == 80.0
    with read_connection(engine) as conn:
        snap = repo.load_snapshot(conn, repo.find_version(conn, HOME, 2024).id)
    assert change.version == 3 and snap.result["items"]["S1"]["value"] == 80.0


def _texts(sections):
    for s in sections:
        yield s.title
        for b in s.blocks:
            if hasattr(b, "text"):
                yield b.text
            if hasattr(b, "rows"):
                yield from (c.text for row in b.rows for c in row)
        yield from _texts(s.sections)


def test_redesign_needs_replace(engine):
    _design(engine)
    with pytest.raises(ConflictError, match="--replace"):
        _design(engine)
    survey.design_for(engine, HOME, 2024, by="test", replace_existing=True)


def test_population_weights_need_every_population_at_design(engine, tmp_path):
    settings = tmp_path / "设置.yaml"
    text = survey.packaged_file("settings").replace("weights: equal", "weights: population")
    settings.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidRequestError, match="其他群众的总体人数"):
        survey.design_for(engine, HOME, 2024, by="test", settings_path=settings)
    settings.write_text(text.replace("public: null", "public: 250000"), encoding="utf-8")
    stored = survey.design_for(engine, HOME, 2024, by="test", settings_path=settings)
    assert stored.design.group("public").sample == 384  # 384.146 / (1 + 383.146/250000) = 383.56 → 384


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(engine, tmp_path):
    _design(engine)
    fake = tmp_path / "答卷.xlsx"
    fake.write_text("群体,学校代码\n家长,1\n", encoding="utf-8")  # a CSV renamed .xlsx
    out = survey.import_responses(engine, HOME, 2024, fake, by="test")
    assert out.imported == 0 and out.problems == [
        "答卷.xlsx 不是有效的 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 后再导入"]


def test_two_submissions_with_one_code_store_one_answer(engine):
    import threading

    _design(engine)
    code = survey.issue_codes(engine, HOME, 2024, group="teachers")[0].code
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(value: int) -> None:
        barrier.wait()
        try:
            survey.submit_answers(engine, code, _answers(value))
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=answer, args=(v,)) for v in (5, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert survey.survey_report(engine, HOME, 2024).result.group("teachers").received == 1


def test_closing_the_survey_closes_s1s_ledger_entry(engine, tmp_path):
    from sqlalchemy import select

    from junheng.services.ledger import sync_ledger
    from junheng.storage.web_models import LedgerEntry

    def s1_status() -> list[str]:
        t = LedgerEntry.__table__
        with read_connection(engine) as conn:
            return [r.status for r in conn.execute(select(t).where(t.c.item_id == "S1"))]

    sync_ledger(engine, HOME)
    assert s1_status() == ["open"]  # typed 80 % < 85 %
    _design(engine)
    book = tmp_path / "答卷.xlsx"
    _responses_book(book, [("教师", SCHOOL_A, *[5] * 10)] * 10)
    survey.import_responses(engine, HOME, 2024, book, by="test")
    set_survey_closed(engine, HOME, 2024, True, by="督导")
    assert s1_status() == ["closed"]


def test_a_bulk_import_after_closing_is_evaluated_with_the_survey(engine, tmp_path):
    """`junheng import 文件夹 --jobs` evaluates in worker processes without the database:
    for a county-year with a closed survey the import evaluates again with it."""
    from junheng.analysis.county_year import summarise
    from junheng.analysis.monitoring import load_monitoring_rules

    _design(engine)
    book = tmp_path / "答卷.xlsx"
    _responses_book(book, [("教师", SCHOOL_A, *[5] * 10)] * 10)
    survey.import_responses(engine, HOME, 2024, book, by="test")
    set_survey_closed(engine, HOME, 2024, True, by="督导")
    data = county_data(HOME, SCHOOL_A)
    data.facts["satisfaction_pct"] = 70.0
    ev = evaluate(data, load_standard("yzjh-2017"))
    out = import_county_data(engine, data, by="bulk", evaluated=(ev, summarise(data, ev, load_monitoring_rules())))
    assert out.evaluation.items["S1"].value == 100.0
    with read_connection(engine) as conn:
        snap = repo.load_snapshot(conn, repo.find_version(conn, HOME, 2024).id)
    assert snap.result["items"]["S1"]["value"] == 100.0
