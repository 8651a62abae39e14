"""The 目标进展 page: the county's administrators upload or edit targets through the same
validation as `junheng targets import`; its readers see the progress and download it;
other counties cannot."""

from __future__ import annotations

import io

import openpyxl
import pytest

from junheng.services.history import import_county_data
from junheng.services.progress import county_progress

from .conftest import HOME, OTHER, build_world, county_data, sign_in

HEAD = ["指标", "范围", "基线学年", "基线值", "目标值", "目标年份", "分年度目标", "依据", "责任科室", "说明"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("targets"))
    later = county_data(HOME, "3504040001", year=2025, weak=False)
    import_county_data(w.engine, later, by="test")
    yield w
    w.engine.dispose()


@pytest.fixture(scope="module")
def clients(world):
    return {name: sign_in(world.app, name) for name in ("county_admin", "viewer", "other_admin", "supervisor")}


def workbook(rows) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "目标"
    wb.active.append(HEAD)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "目标.xlsx"):
    return client.post(f"/counties/{HOME}/targets/upload", files={"file": (name, content)}, follow_redirects=False)


def test_upload_edit_delete_and_what_readers_see(world, clients):
    admin, viewer = clients["county_admin"], clients["viewer"]
    empty = admin.get(f"/counties/{HOME}/targets")
    assert empty.status_code == 200 and "还没有导入行动方案目标" in empty.text and "上传目标工作簿" in empty.text

    bad = upload(admin, workbook([["资源配置达标学校比例", "全县", 2024, None, 100, 2023]]))
    assert bad.status_code == 422
    assert "目标.xlsx 目标 第2行 F列「目标年份」的值“2023”：目标年份应晚于基线学年 2024" in bad.text
    assert "没有保存任何目标" in bad.text

    done = upload(admin, workbook([["资源配置达标学校比例", "全县", 2024, None, 100, 2026, None,
                                    "测试县三年行动计划（2024—2026 年）第二条", "基础教育科", None]]))
    assert done.status_code == 303
    page = admin.get(f"/counties/{HOME}/targets")
    assert "已保存行动方案目标 1 个（第 1 版），1 个基线值按数据自动填写" in page.text
    # 2024: 2 of 3 schools pass (66.7 %); 2025: 3 of 3 (100 %): reached
    assert "66.7%" in page.text and "已达成" in page.text

    added = admin.post(f"/counties/{HOME}/targets/edit", data={
        "measure": "backbone_share", "scope": "全县", "baseline_year": "2024", "target": "40",
        "target_year": "2027", "department": "教师工作科"}, follow_redirects=False)
    assert added.status_code == 303
    p = county_progress(world.engine, HOME)
    assert [r.measure.id for r in p.rows] == ["parts.passed_share", "backbone_share"]
    assert p.rows[1].target.target == pytest.approx(0.40) and p.rows[1].target.baseline_from_data

    wrong = admin.post(f"/counties/{HOME}/targets/edit", data={
        "measure": "backbone_share", "scope": "乡镇：东山镇", "target": "40", "target_year": "2027"})
    assert wrong.status_code == 422 and "没有这个乡镇（街道）" in wrong.text
    assert len(county_progress(world.engine, HOME).rows) == 2  # nothing half-saved

    seen = viewer.get(f"/counties/{HOME}/targets")
    assert seen.status_code == 200 and "骨干教师占比" in seen.text and "上传目标工作簿" not in seen.text
    assert viewer.post(f"/counties/{HOME}/targets/0/delete").status_code == 403
    assert admin.post(f"/counties/{HOME}/targets/1/delete", follow_redirects=False).status_code == 303
    assert [r.measure.id for r in county_progress(world.engine, HOME).rows] == ["parts.passed_share"]


def test_downloads_and_json_are_the_services(world, clients):
    viewer = clients["viewer"]
    book = viewer.get(f"/api/counties/{HOME}/targets/template.xlsx")
    assert book.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(book.content)).sheetnames[:3] == ["目标", "指标一览", "填表说明"]
    if viewer.get(f"/api/counties/{HOME}/progress").status_code == 404:
        upload(clients["county_admin"], workbook([["资源配置达标学校比例", "全县", 2024, None, 100, 2026]]))
    doc = viewer.get(f"/api/counties/{HOME}/progress").json()
    assert doc == county_progress(world.engine, HOME).to_dict() | {
        "targets_version": doc["targets_version"]}  # the same figures as the CLI's JSON
    xlsx = viewer.get(f"/api/counties/{HOME}/progress.xlsx")
    assert "目标进展" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_other_counties_and_their_admins_cannot(clients):
    assert clients["other_admin"].get(f"/counties/{HOME}/targets").status_code == 403
    assert clients["other_admin"].get(f"/api/counties/{HOME}/progress").status_code == 403
    assert upload(clients["other_admin"], workbook([["大班额比例", "全县", 2024, 1, 0, 2026]])).status_code == 403
    assert clients["supervisor"].get(f"/counties/{HOME}/targets").status_code == 200  # the city reads
    assert upload(clients["supervisor"], workbook([["大班额比例", "全县", 2024, 1, 0, 2026]])).status_code == 403
    assert clients["county_admin"].get(f"/counties/{OTHER}/targets").status_code == 403
