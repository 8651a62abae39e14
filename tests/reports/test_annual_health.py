"""年度答卷's 学生健康 chapter: hand-checked sentences and table from the fact sheet,
and no chapter when the workbook has no 学生健康 sheet."""

from __future__ import annotations

from junheng.services.reporting import annual_document

from ..analysis.test_health import hand
from .counties import DATE


def _years():
    now, before = hand(2025), hand(2024)
    before.extra_tables["health"][0].fitness_passed = 60  # 2024: (60 + 80 + 5) / 176 = 82.4 %
    before.extra_tables["health"][0].myopia_primary = 32  # 2024 小学: (32 + 14) / 120 = 38.3 %
    return before, now


def _chapter_text(doc) -> str:
    section = next(s for s in doc.walk() if s.title.endswith("学生健康"))
    return "".join(b.text for b in section.blocks if hasattr(b, "text"))


def test_the_health_chapter_reads_the_fact_sheet():
    before, now = _years()
    doc = annual_document([before, now], date=DATE)
    text = _chapter_text(doc)
    # 2025: 157 / 176 = 89.2 %, 2024: 145 / 176 = 82.4 % → 提高 6.8 个百分点
    assert "测试学生 176 人，达标率 89.2%（比上学年提高 6.8 个百分点），优良率 48.2%（与上学年持平）" in text
    # 小学 42 / 120 = 35.0 % (2024: 46 / 120 = 38.3 %); 初中 36 / 50 = 72.0 %
    assert "其中小学 35.0%（比上学年下降 3.3 个百分点），初中 72.0%（与上学年持平）" in text
    assert "3 所填报学校中配备专职心理健康教育教师的 2 所，占 66.7%" in text
    assert "小学1—2年级每周 4 课时、3—6年级 3 课时、初中 3 课时）开足的学校 1 所，占 50.0%" in text
    rows = {r[0].text: [c.text for c in r[1:]] for r in doc.table("health").rows}
    assert rows["体质健康达标率"] == ["82.4%", "89.2%", "+6.8 个百分点"]
    assert rows["专职心理健康教育教师（人）"] == ["3", "3", "持平"]
    summary = {r[0].text: [c.text for c in r[1:]] for r in doc.table("summary").rows}
    assert summary["体质健康达标率"] == ["82.4%", "89.2%", "+6.8 个百分点"]


def test_no_chapter_without_the_sheet():
    before, now = _years()
    del now.extra_tables["health"]
    doc = annual_document([before, now], date=DATE)
    assert not any(s.title.endswith("学生健康") for s in doc.walk())
