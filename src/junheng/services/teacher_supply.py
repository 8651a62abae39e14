"""Use case: teacher supply by subject and 编制 for one county-year (`junheng teachers`,
the web page 教师配备): from a workbook, or from the current stored version of an
imported county-year."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.teacher_supply import TeacherSupplyReport, teacher_supply
from junheng.core.facts import CountyData
from junheng.services.counties import load_county

if TYPE_CHECKING:
    from sqlalchemy import Engine


def check_supply_settings(path: str | None) -> None:
    """Read the teacher-supply settings (and its curriculum file) once: a broken file is
    said at start, naming the file and key, not on the first page that needs it."""
    from junheng.analysis.curriculum import load_curriculum
    from junheng.analysis.teacher_supply import load_supply_settings

    load_curriculum(load_supply_settings(path).curriculum.file)


def supply_for_data(data: CountyData) -> TeacherSupplyReport:
    """The settings come from ``JUNHENG_TEACHER_SUPPLY`` (or the shipped defaults), the
    same the fact sheet uses, so this report and every document agree."""
    return teacher_supply(data)


def supply_for_workbook(path: str | Path) -> TeacherSupplyReport:
    return supply_for_data(load_county(path))


def supply_for_county(engine: Engine, county_code: str, school_year: int | None = None) -> TeacherSupplyReport:
    """The current version of a stored county-year (the latest year when none is given)."""
    from junheng.core.errors import NotFoundError
    from junheng.storage import repository as repo
    from junheng.storage.engine import read_connection

    with read_connection(engine) as conn:
        years = [i for i in repo.county_years(conn, county_code)
                 if school_year is None or i.school_year == school_year]
        if not years:
            when = f" {school_year} 学年" if school_year is not None else ""
            raise NotFoundError(f"数据库中没有县区 {county_code}{when}的数据（先用 junheng import 导入）")
        info = max(years, key=lambda i: i.school_year)
        data = repo.load_version(conn, info.id)
    return supply_for_data(data)


def write_teachers_workbook(report: TeacherSupplyReport, path: str | Path, *, overwrite: bool = False) -> Path:
    """The teacher-supply workbook; the whole file or none."""
    from junheng.reports.renderers.teachers_workbook import write_teachers_xlsx
    from junheng.services.outputs import write_workbook_output

    return write_workbook_output(path, lambda tmp: write_teachers_xlsx(report, tmp), overwrite=overwrite)


def stored_supply(engine: Engine, actor, county_code: str, school_year: int) -> TeacherSupplyReport:
    """The web page's report, for the readers of the county (as its dashboard)."""
    from junheng.services import history
    from junheng.services.accounts import require

    require(actor.can_read_county(county_code), "查看该县区的教师配备")
    return supply_for_data(history.load(engine, county_code, school_year))


def supply_view(r: TeacherSupplyReport) -> dict:
    """What the web page shows: the county totals and tables, every figure from the report."""
    from junheng.core.facts import STAGE_ZH, Stage

    d = r.to_dict()
    short = {(s["stage"], s["subject"]): s["shortage"] for s in d["totals"]["short_subjects"]}
    county = []
    for stage, rows in d["county"].items():
        for x in rows:
            surplus = sum(y["surplus"] for s in d["schools"] if s["stage"] == stage for y in s["subjects"]
                          if y["subject"] == x["subject"])
            county.append({**x, "stage_zh": STAGE_ZH[Stage(stage)], "shortage": short.get((stage, x["subject"]), 0),
                           "surplus": surplus})
    schools = [{**s, "stage_zh": STAGE_ZH[Stage(s["stage"])],
                "short": "、".join(f"{x['subject']} {x['shortage']}" for x in s["subjects"] if x["shortage"]),
                "spare": "、".join(f"{x['subject']} {x['surplus']}" for x in s["subjects"] if x["surplus"])}
               for s in d["schools"]]
    schools.sort(key=lambda s: (-s["shortage"], s["school_code"], s["stage"]))
    return {**d, "county_rows": county, "school_rows": schools,
            "staffing_rows": [s for s in d["staffing"] if s["staff_quota"] is not None or s["contract"]],
            "last_year": r.school_year + r.settings["retirement"]["horizon_years"] - 1,
            "staffing_known": r.staffing_known and r.quota_known, "retirements_known": r.retirements_known,
            "classes_known": r.classes_known}


def supply_workbook_bytes(r: TeacherSupplyReport) -> bytes:
    import tempfile

    from junheng.reports.renderers.teachers_workbook import write_teachers_xlsx

    with tempfile.TemporaryDirectory(prefix="junheng-teachers-") as folder:
        path = Path(folder) / "teachers.xlsx"
        write_teachers_xlsx(r, path)
        return path.read_bytes()
