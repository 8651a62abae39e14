"""Issue 15 §1 and §3 on SQLite and PostgreSQL: a targets workbook written as Excel would
(openpyxl, a percent-formatted cell, text years), imported all or nothing, versioned and
audited, exported and imported again unchanged; progress read from the stored years."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import openpyxl
import pytest
from sqlalchemy import select

from junheng.core.errors import NotFoundError
from junheng.core.facts import SchoolClass, Stage
from junheng.services.history import import_county_data
from junheng.services.progress import county_progress, region_progress
from junheng.services.targets import current_targets, export_targets, import_targets, target_history
from junheng.storage.engine import read_connection
from junheng.storage.web_models import AuditEntry

from .counties import small_county

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "progress.schema.json").read_text("utf-8"))
HEAD = ["指标", "范围", "基线学年", "基线值", "目标值", "目标年份", "分年度目标", "依据", "责任科室", "说明"]
PLAN = "测试县教育高质量发展三年行动计划（2024—2026 年）"


def _year(year: int, sizes: list[int], backbone: int, group: bool = False):
    """Two schools of 200; classes of ``sizes`` in the first; ``backbone`` backbone teachers."""
    data = small_county(year=year, schools=2)
    s1, s2 = data.schools
    data.classes = ([SchoolClass(s1.code, Stage.PRIMARY, 1, f"1-{i}", n) for i, n in enumerate(sizes)]
                    + [SchoolClass(s2.code, Stage.PRIMARY, 1, f"1-{i}", 40) for i in range(5)])
    for n, t in enumerate(data.teachers):
        t.backbone_level = t.backbone_level.COUNTY if n < backbone else t.backbone_level.NONE
    if group:
        s1.group = "实验小学教育集团"
    return data


@pytest.fixture
def stored(engine):
    # 2023: 10 classes, 2 of 56+ (大班额比例 20 %); 2024: 1 of 10 (10 %); 2025: 1 of 10 (10 %).
    import_county_data(engine, _year(2023, [40, 40, 56, 66, 40], 6), by="t")
    import_county_data(engine, _year(2024, [40, 40, 56, 40, 40], 7), by="t")
    import_county_data(engine, _year(2025, [40, 40, 57, 40, 40], 9, group=True), by="t")
    return engine


def write(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "目标"
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    # 目标值 of the first row typed as a percent-formatted cell (Excel stores 0.06 and shows 6%)
    if rows and isinstance(rows[0][4], float):
        ws.cell(2, 5).number_format = "0%"
    wb.save(path)
    return path


def good_rows() -> list[list]:
    return [
        ["大班额比例", "全县", 2023, None, 0.06, 2026, "2024:15；2025:10", PLAN + "第二条", "基础教育科", None],
        ["骨干教师占比", None, "2023", None, "30%", "2026年", None, PLAN, "教师工作科", "县级以上骨干"],
        ["large_classes", "全县", 2023, 2, 0, 2026, None, None, None, None],
    ]


def test_import_fills_baselines_from_the_data_and_progress_reads_the_stored_years(stored, tmp_path):
    result = import_targets(stored, write(tmp_path / "目标.xlsx", good_rows()), "350404", by="张三")
    assert not result.report.has_errors, [i.message for i in result.report]
    assert result.stored.version == 1 and result.filled == [2, 3]
    share, backbone, large = result.targets
    assert (share.measure, share.baseline, share.target) == ("large_class_share", pytest.approx(0.2), 0.06)
    assert share.milestones == {2024: pytest.approx(0.15), 2025: pytest.approx(0.10)}
    assert backbone.scope == "全县" and backbone.target == pytest.approx(0.30)
    assert (large.baseline, large.baseline_from_data) == (2, False)

    p = county_progress(stored, "350404")
    assert p.school_year == 2025 and p.years == [2023, 2024, 2025]
    share_row = p.rows[0]
    assert share_row.actual == {2023: pytest.approx(0.2), 2024: pytest.approx(0.1), 2025: pytest.approx(0.1)}
    # 2025 milestone 10 %: reached on the path, 4 points still to go to 6 %
    assert (share_row.status, share_row.expected) == ("按期推进", pytest.approx(0.10))
    assert share_row.gap == pytest.approx(0.04)
    # 骨干教师占比: 9 of 24 teachers in 2025 = 37.5 % ≥ 30 %
    teachers = 24
    assert p.rows[1].actual[2025] == pytest.approx(9 / teachers) and p.rows[1].status == "已达成"
    # 大班额（56—65人）classes: 1 each year (66 is 超大班额); the bureau typed a baseline of 2;
    # target 0 in 2026, expected 2 − 2×(2/3) = 0.67 → 1 shown
    assert p.rows[2].actual == {2023: 1, 2024: 1, 2025: 1}
    assert p.rows[2].status == "按期推进"  # 1 against 0.67 shown as 1 (whole classes)
    early = county_progress(stored, "350404", 2024)
    assert early.rows[0].status == "按期推进"  # 10 % in 2024 against the 15 % milestone
    jsonschema_rs.validator_for(SCHEMA).validate(json.loads(json.dumps(p.to_dict(), default=str)))


def test_a_workbook_with_any_error_stores_nothing_and_says_where(stored, tmp_path):
    rows = good_rows() + [
        ["不存在的指标", "全县", 2023, 1, 2, 2026, None, None, None, None],
        ["骨干教师占比", "小学", 2023, 20, 30, 2026, None, None, None, None],
        ["大班额比例", "乡镇：东山镇", 2023, 10, 0, 2026, None, None, None, None],
        ["交流轮岗比例", "全县", 2023, 10, "十五", 2022, "明年 20", None, None, None],
        ["大班额比例", "全县", 2023, 10, 0, 2026, None, None, None, None],
    ]
    result = import_targets(stored, write(tmp_path / "目标.xlsx", rows), "350404", by="张三")
    assert result.stored is None
    got = {(i.sheet, i.row, i.column, i.code) for i in result.report.errors}
    assert got == {
        ("目标", 5, "A", "targets.measure"),
        ("目标", 6, "B", "targets.scope_measure"),
        ("目标", 7, "B", "targets.scope_unknown"),
        ("目标", 8, "E", "targets.number"),
        ("目标", 8, "F", "targets.year_order"),
        ("目标", 8, "G", "targets.milestones"),
        ("目标", 9, "A", "targets.duplicate"),
    }
    first = next(i for i in result.report.errors if i.row == 5)
    assert first.message.startswith("目标.xlsx 目标 第5行 A列「指标」的值“不存在的指标”")
    with pytest.raises(NotFoundError):
        current_targets(stored, "350404")
    assert target_history(stored, "350404") == []


def test_a_blank_baseline_for_a_year_not_stored_is_an_error(stored, tmp_path):
    rows = [["大班额比例", "全县", 2021, None, 0, 2026, None, None, None, None]]
    result = import_targets(stored, write(tmp_path / "目标.xlsx", rows), "350404", by="张三")
    assert result.stored is None
    (issue,) = result.report.errors
    assert (issue.row, issue.column, issue.code) == (2, "D", "targets.baseline_year")
    assert "2023、2024、2025" in issue.message


def test_reimport_keeps_the_old_version_writes_the_audit_and_export_round_trips(stored, tmp_path):
    import_targets(stored, write(tmp_path / "目标.xlsx", good_rows()), "350404", by="张三")
    info, path = export_targets(stored, "350404", tmp_path / "导出.xlsx")
    assert info.version == 1
    again = import_targets(stored, path, "350404", by="李四")
    assert not again.report.has_errors, [i.message for i in again.report]
    _, first = current_targets(stored, "350404")
    assert [(t.measure, t.scope, t.baseline_year, t.target, t.target_year, t.milestones, t.basis) for t in first] == [
        (t.measure, t.scope, t.baseline_year, t.target, t.target_year, t.milestones, t.basis)
        for t in again.targets]
    assert [t.baseline for t in again.targets] == [pytest.approx(0.2), pytest.approx(6 / 24), 2]
    assert [(s.version, s.is_current, s.imported_by) for s in target_history(stored, "350404")] == [
        (1, False, "张三"), (2, True, "李四")]
    with read_connection(stored) as conn:
        lines = conn.execute(select(AuditEntry).where(AuditEntry.entity == "targets").order_by(AuditEntry.id)).all()
    assert [(a.actor, a.action, a.county_code) for a in lines] == [("张三", "import", "350404"),
                                                                    ("李四", "import", "350404")]
    assert lines[1].old == {"version": 1, "targets": 3}


def test_group_scope_and_region_side_by_side(stored, tmp_path):
    rows = [["大班额比例", "集团：实验小学教育集团", 2025, None, 0, 2026, None, None, None, None],
            ["大班额比例", "全县", 2023, None, "5%", 2026, None, None, None, None]]
    result = import_targets(stored, write(tmp_path / "目标.xlsx", rows), "350404", by="张三")
    assert not result.report.has_errors, [i.message for i in result.report]
    group = result.targets[0]
    assert group.baseline == pytest.approx(1 / 5)  # the group's school: 1 of its 5 classes is 56+
    p = county_progress(stored, "350404")
    assert p.rows[0].actual[2023] is None and "实验小学教育集团" in p.rows[0].missing[2023]
    other = _year(2025, [70, 40, 40, 40, 40], 6)  # another county of the city, no targets: 1 of 10 is 56+
    other.county = type(other.county)("350405", "邻县", 2025, city="测试市", province="测试省")
    other.schools = [type(s)(**{**{f: getattr(s, f) for f in s.__slots__}, "code": "350405" + s.code[6:]})
                     for s in other.schools]
    for t in other.teachers:
        t.school_code = "350405" + t.school_code[6:]
    for c in other.classes:
        c.school_code = "350405" + c.school_code[6:]
    for r in other.rooms:
        r.school_code = "350405" + r.school_code[6:]
    import_county_data(stored, other, by="t")
    measure, side = region_progress(stored, "3504", "large_class_share")
    assert measure.name == "大班额比例"
    assert [(r.county_code, r.school_year, r.value) for r in side] == [
        ("350404", 2025, pytest.approx(0.1)), ("350405", 2025, pytest.approx(0.1))]
    # 20 % (2023) → 5 % (2026): 10 % expected in 2025, 10 % reached
    assert side[0].progress.target.scope == "全县" and side[0].progress.status == "按期推进"
    assert side[0].progress.expected == pytest.approx(0.10)
    assert side[1].progress is None


def test_the_annual_report_has_the_targets_chapter_with_the_progress_figures(stored, tmp_path):
    from junheng.reports.documents.document import Paragraph, Table
    from junheng.services.reporting import ReportKind, stored_document

    rows = [["大班额比例", "全县", 2023, None, "5%", 2026, None, "测试县教育高质量发展三年行动计划（2024—2026 年）第二条",
             "基础教育科", None],
            ["骨干教师占比", "全县", 2023, None, "50%", 2026, None, None, "教师工作科", None]]
    import_targets(stored, write(tmp_path / "目标.xlsx", rows), "350404", by="张三")
    doc = stored_document(stored, ReportKind.ANNUAL, "350404")
    (chapter,) = [s for s in doc.sections if s.key == "targets"]
    assert chapter.title.endswith("行动方案目标完成情况")
    texts = [b.text for b in chapter.blocks if isinstance(b, Paragraph)]
    assert texts[0] == ("对照《测试县教育高质量发展三年行动计划（2024—2026 年）》，本县确定的 2 项量化目标，"
                        "截至 2025 学年按期推进 1 项，滞后 1 项。")
    (table,) = [b for b in chapter.blocks if isinstance(b, Table)]
    assert [c.text for c in table.rows[0]] == ["大班额比例", "20.0%（2023）", "5.0%（2026）", "10.0%", "10.0%",
                                               "按期推进"]
    # 骨干教师: 6 of 24 (25 %) in 2023 → 50 % in 2026: 41.7 % expected in 2025, 9 of 24 = 37.5 % reached
    assert [c.text for c in table.rows[1]][3:] == ["37.5%", "41.7%", "滞后"]
    assert texts[1] == ("1. 骨干教师占比本学年为 37.5%，低于按计划应达到的 41.7%，距 2026 年 50.0%的目标还差 "
                        "12.5 个百分点。下一步将加大县级及以上骨干教师培养、评选力度，把骨干教师向薄弱学校和乡村学校"
                        "倾斜（责任科室：教师工作科）。")


def test_a_year_stored_before_figures_were_kept_is_summarised_again(tmp_path):
    """tests/data/storage/v0.1.0.sqlite holds a 2024 year whose summary has no figures:
    progress reads them from the same summary function over the stored rows."""
    import shutil

    from junheng.services.targets import stored_years
    from junheng.storage.engine import make_engine
    from junheng.storage.schema import upgrade

    db = tmp_path / "old.db"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "storage" / "v0.1.0.sqlite", db)
    engine = make_engine(url=f"sqlite:///{db}")
    upgrade(engine)
    (year,) = stored_years(engine, "350404")
    assert year.school_year == 2024 and year.figures["schools"] == 3
    assert year.figures["parts.passed_share"] is not None
    engine.dispose()


def test_scoped_figures_made_from_the_stored_rows_equal_those_of_the_workbook(engine):
    """A group's or township's figures are not stored with every year (they cost more than
    the evaluation): made when first asked for, from the stored rows, they are the ones the
    workbook's data give — the same 大班额比例, 骨干教师占比 … a target shows."""
    from junheng.analysis.county_year import year_scoped_figures
    from junheng.analysis.monitoring import load_monitoring_rules
    from junheng.core.engine import evaluate
    from junheng.samples.county import generate_county
    from junheng.services.targets import stored_scoped_figures, stored_years
    from junheng.standards import load_standard
    from junheng.storage import repository as repo

    data = generate_county(schools=30, seed=7, county_code="350404", school_year=2025)
    expected = year_scoped_figures(data, evaluate(data, load_standard("yzjh-2017")), load_monitoring_rules())
    assert any(k.startswith("集团：") for k in expected) and any(k.startswith("乡镇：") for k in expected)
    out = import_county_data(engine, data, by="t", standard="yzjh-2017")
    with read_connection(engine) as conn:
        assert "scoped_figures" not in repo.load_summary(conn, out.stored.id).summary
    (year,) = stored_years(engine, "350404")
    assert year.scoped == expected
    assert stored_scoped_figures(engine, out.stored.id) is year.scoped  # made once


def test_a_users_own_standard_keeps_its_scoped_figures_with_the_year(engine, tmp_path):
    """A user's standard file cannot be loaded again later: the figures it gives each
    group and township are stored with the year, as they were made at import."""
    from junheng.analysis.county_year import year_scoped_figures
    from junheng.analysis.monitoring import load_monitoring_rules
    from junheng.core.engine import evaluate
    from junheng.samples.county import generate_county
    from junheng.services.evaluation import resolve_standard
    from junheng.services.targets import stored_years
    from junheng.standards import load_standard

    from ..standard_files import raised_r1

    data = generate_county(schools=20, seed=3, county_code="350404", school_year=2025)
    own = resolve_standard(raised_r1(tmp_path / "own-r1.yaml"))  # no school reaches its R1
    import_county_data(engine, data, by="t", standard=own)
    (year,) = stored_years(engine, "350404")
    rules = load_monitoring_rules()
    assert year.scoped == year_scoped_figures(data, evaluate(data, own), rules)
    shipped = year_scoped_figures(data, evaluate(data, load_standard("yzjh-2017")), rules)
    assert year.scoped != shipped  # R1 达标学校比例 of a part: 0 under the county's own standard
