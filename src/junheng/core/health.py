"""Student health (学生健康): the records of the optional sheet 学生健康, one row per school.

They live in ``CountyData.extra_tables["health"]``. Counts are what the sheet asks
for; a school that only has a rate (达标率 as its report shows it) may give the rate
instead, and the count is then taken as ``round(base × rate ÷ 100)`` — the whole
number of pupils the rate was computed from. A count and a rate given together must
agree (the importer says where they do not); the count is used.

Pure data and arithmetic: the county figures are pooled from these counts in
``junheng.analysis.health`` (Σ达标人数 ÷ Σ测试人数, never a mean of school rates).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from junheng.core.facts import Stage

# Count field -> (rate field, base field): the rate is a percentage of the base.
RATE_OF: dict[str, tuple[str, str]] = {
    "fitness_passed": ("fitness_pass_pct", "fitness_tested"),
    "fitness_good": ("fitness_good_pct", "fitness_tested"),
    "myopia_primary": ("myopia_primary_pct", "screened_primary"),
    "myopia_junior": ("myopia_junior_pct", "screened_junior"),
}


def count_from_rate(base: int | None, rate_pct: float | None) -> int | None:
    """The whole number of pupils a percentage of ``base`` stands for (half up)."""
    if base is None or rate_pct is None:
        return None
    # decimal arithmetic on the shown digits: 10 × 45 % is 4.5 → 5 (half up, as Excel's ROUND)
    x = Decimal(base) * Decimal(repr(float(rate_pct))) / 100
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(slots=True)
class SchoolHealth:
    school_code: str
    fitness_tested: int | None = None  # 国家学生体质健康标准 测试人数
    fitness_passed: int | None = None  # 达标人数（及格及以上）
    fitness_pass_pct: float | None = None  # 达标率 %, when no count is given
    fitness_good: int | None = None  # 优良人数（良好及以上）
    fitness_good_pct: float | None = None
    screened_primary: int | None = None  # 视力筛查人数（小学）
    myopia_primary: int | None = None  # 近视人数（小学）
    myopia_primary_pct: float | None = None
    screened_junior: int | None = None
    myopia_junior: int | None = None
    myopia_junior_pct: float | None = None
    psych_full_time: int | None = None  # 专职心理健康教育教师
    psych_part_time: int | None = None  # 兼职心理健康教育教师
    pe_hours_lower: float | None = None  # 小学 1—2 年级 体育与健康 每周课时（实际开设）
    pe_hours_upper: float | None = None  # 小学 3—6 年级
    pe_hours_junior: float | None = None  # 初中
    labour_hours_primary: float | None = None  # 劳动 每周课时（小学）
    labour_hours_junior: float | None = None  # 劳动 每周课时（初中）
    row: int = 0

    def count(self, field: str) -> int | None:
        """A count field, or the count its rate stands for when only the rate is given."""
        value = getattr(self, field)
        if value is not None:
            return int(value)
        rate, base = RATE_OF[field]
        return count_from_rate(getattr(self, base), getattr(self, rate))

    @property
    def passed(self) -> int | None:
        return self.count("fitness_passed")

    @property
    def good(self) -> int | None:
        return self.count("fitness_good")

    def screened(self, stage: Stage) -> int | None:
        return self.screened_primary if stage is Stage.PRIMARY else self.screened_junior

    def myopic(self, stage: Stage) -> int | None:
        return self.count("myopia_primary" if stage is Stage.PRIMARY else "myopia_junior")
