"""Teacher flows between two rosters with known moves; schools opened, closed, merged."""

from __future__ import annotations

import pytest

from junheng.core.errors import NotFoundError
from junheng.services.history import import_county_data
from junheng.services.trends import county_flows, county_trend

from .counties import small_county, teacher

S1, S2, S3 = "3504040001", "3504040002", "3504040003"


def _roster_years(engine):
    y23 = small_county(year=2023, schools=3)
    y23.teachers = [teacher(t, s) for t, s in [
        ("A1", S1), ("A2", S1), ("A3", S1), ("A4", S1), ("D1", S1),
        ("B1", S2), ("B2", S2), ("B3", S2), ("C1", S3)]]
    y24 = small_county(year=2024, schools=3)
    y24.teachers = [
        teacher("A1", S2, rotated=True),  # moved, declared
        teacher("A2", S3),  # moved, not declared
        teacher("A3", S1), teacher("A4", S1),
        teacher("B1", S2, rotated=True, backbone=True),  # declared, did not move
        teacher("B2", S1, rotated=True),  # moved, declared
        teacher("B3", S2), teacher("C1", S3),
        teacher("N1", S3, rotated=True, eligible=False),  # new, declared: cannot be checked
    ]  # D1 left
    import_county_data(engine, y23, by="t")
    import_county_data(engine, y24, by="t")


def test_moves_matrix_and_shares(engine):
    _roster_years(engine)
    f = county_flows(engine, "350404", 2024)
    r = f.report
    assert (f.previous.school_year, f.current.school_year) == (2023, 2024)
    assert sorted((m.teacher_id, m.from_school, m.to_school, m.declared) for m in r.moves) == [
        ("A1", S1, S2, True), ("A2", S1, S3, False), ("B2", S2, S1, True)]
    assert r.matrix == {S1: {S2: 1, S3: 1}, S2: {S1: 1}}
    assert (r.joined, r.left) == (["N1"], ["D1"])
    # eligible: the 8 teachers flagged 符合交流条件 this year (N1 is not)
    assert (r.real.rotated, r.real.eligible, r.real.share) == (3, 8, 3 / 8)
    assert (r.real.backbone_rotated, r.real.backbone_share, r.real.backbone_ok) == (0, 0.0, False)
    assert r.real.share_ok is True and r.real.ok is False
    assert (r.declared.rotated, r.declared.share, r.declared.backbone_share) == (4, 4 / 8, 1 / 4)
    assert r.declared.ok is True
    assert [(d.teacher_id, d.kind) for d in r.disagreements] == [
        ("A2", "moved_not_declared"), ("B1", "declared_not_moved"), ("N1", "declared_not_in_last_roster")]
    assert "未填报为本学年交流轮岗" in r.disagreements[0].text
    assert f.names[S1].startswith("学校")


def test_rotation_by_school(engine):
    """Hand-checked from the rosters above: per school its teachers, those eligible,
    those declared 交流轮岗 (N1 is declared but not eligible), and real moves in and out."""
    _roster_years(engine)
    rows = {s.school_code: s for s in county_flows(engine, "350404", 2024).report.by_school}
    got = {code: (r.teachers, r.eligible, r.declared, r.declared_backbone, r.moved_in, r.moved_out)
           for code, r in rows.items()}
    assert got == {S1: (3, 3, 1, 0, 1, 2),  # A3 A4 B2; B2 declared; in B2; out A1 A2
                   S2: (3, 3, 2, 1, 1, 1),  # A1 B1 B3; A1 B1 (B1 backbone) declared; in A1; out B2
                   S3: (3, 2, 1, 0, 1, 0)}  # A2 C1 N1; N1 declared, not eligible; in A2
    assert (rows[S1].share, rows[S2].share, rows[S3].share) == (1 / 3, 2 / 3, 1 / 2)
    # the schools add up to the county's declared figure
    assert sum(r.declared for r in rows.values()) == county_flows(engine, "350404", 2024).report.declared.rotated


def test_flows_need_last_year(engine):
    import_county_data(engine, small_county(year=2024), by="t")
    with pytest.raises(NotFoundError, match="2023 学年的数据，无法比较"):
        county_flows(engine, "350404", 2024)


def test_schools_opened_closed_and_merged(engine):
    y1 = small_county(year=2022, schools=3)
    y2 = small_county(year=2023, schools=4)  # school 4 opens
    y3 = small_county(year=2024, schools=4)
    # 2024: school 2 merges into school 1 (its teachers go there), school 3 closes
    gone = {S2, S3}
    y3.schools = [s for s in y3.schools if s.code not in gone]
    y3.classes = [c for c in y3.classes if c.school_code not in gone]
    y3.rooms = [r for r in y3.rooms if r.school_code not in gone]
    y3.teachers = [t for t in y3.teachers if t.school_code != S3]
    for t in y3.teachers:
        if t.school_code == S2:
            t.school_code = S1
    y3.schools[0].name = "城关第一小学"
    for d in (y1, y2, y3):
        import_county_data(engine, d, by="t")
    events = county_trend(engine, "350404").events
    got = [(e.school_year, e.kind, e.code, e.into) for e in events]
    assert got == [
        (2023, "opened", "3504040004", None),
        (2024, "renamed", S1, None),
        (2024, "merged", S2, S1),
        (2024, "closed", S3, None),
    ]
    assert "并入 城关第一小学" in events[2].text and "12 名随迁" in events[2].text
    assert county_trend(engine, "350404", year_from=2024).events == events[1:]
