"""The fact sheet's building-project figures (项目台账): projects, the places finished
this school year (竣工项目新增学位), the places still to come and the investment.

Years as in :mod:`junheng.core.projects`: "this school year" is the projects whose
竣工年份 is the 学年's first year; only committed projects (已立项、在建、已竣工)
count. Without a 项目台账 sheet every figure is ``None`` (unknown), not 0.
"""

from __future__ import annotations

from junheng.core.facts import CountyData, Stage
from junheng.core.projects import SOURCES, projects_of

SRC = "「项目台账」表"
STAGES = {"primary": Stage.PRIMARY, "junior": Stage.JUNIOR, "senior": Stage.SENIOR}


def project_figures(data: CountyData) -> list[tuple[str, float | None, str, None, None]]:
    """(figure id, value, source, numerator, denominator) as :mod:`factsheet_funding`."""
    out: list[tuple[str, float | None, str, None, None]] = []
    projects = projects_of(data)
    year = data.county.school_year
    known = projects is not None
    projects = projects or []
    committed = [p for p in projects if p.committed]
    done = [p for p in committed if p.finish_year == year]
    coming = [p for p in committed if p.finish_year > year]
    current = done + coming  # 本学年竣工和在建、已立项

    def put(fid: str, value: float, source: str = SRC) -> None:
        out.append((fid, value if known else None, source, None, None))

    put("projects", len(projects))
    put("projects.committed", len(committed))
    put("projects.completed", len(done))
    put("projects.ongoing", len(coming))
    put("places_added", sum(p.places for p in done), f"{SRC}：本学年竣工项目")
    for key, stage in STAGES.items():
        put(f"places_added.{key}", sum(p.places_for(stage) for p in done), f"{SRC}：本学年竣工项目")
    put("places_coming", sum(p.places for p in coming), f"{SRC}：竣工年份晚于本学年的项目")
    put("beds_added", sum(p.beds for p in done), f"{SRC}：本学年竣工项目")
    put("kg_places_added", sum(p.kg_places for p in done), f"{SRC}：本学年竣工项目")
    put("projects.investment", sum(p.investment for p in current), f"{SRC}：本学年竣工和在建项目")
    for source in SOURCES:
        put(f"projects.investment.{source.removeprefix('invest_')}", sum(getattr(p, source) for p in current),
            f"{SRC}：本学年竣工和在建项目")
    return out
