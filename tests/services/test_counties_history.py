"""Trends read earlier years from the database of imported county-years too."""

from __future__ import annotations

from typer.testing import CliRunner

from junheng.cli import app
from junheng.services.counties import load_years
from junheng.services.history import import_county_data, open_history
from junheng.templates.writer import write_county_workbook

from ..analysis.test_groups import group_county

runner = CliRunner()


def test_stored_years_join_the_workbooks(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = open_history(url=url)
    for area, year in ((200.0, 2023), (250.0, 2024), (999.0, 2026)):  # 2026 is later: not used
        import_county_data(engine, group_county(area, year))
    now = write_county_workbook(group_county(300.0, 2025), tmp_path / "2025.xlsx")
    override = write_county_workbook(group_county(260.0, 2024), tmp_path / "2024.xlsx")
    years = load_years(now, [override], engine)
    assert [d.county.school_year for d in years] == [2023, 2024, 2025]
    assert years[1].schools[2].teaching_area == 260.0  # the workbook given takes the stored year's place
    assert years[0].schools[2].teaching_area == 200.0  # read back from the database
    out = runner.invoke(app, ["groups", str(now), "--history", "--database-url", url], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "2023" in out.output and "2024" in out.output and "集团内差距在缩小" in out.output
