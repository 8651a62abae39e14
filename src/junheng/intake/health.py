"""Cross-sheet checks of the optional sheet 学生健康 (one row per school).

Errors, located at the cell: a test or screening count above the school's students
(「学校」表), a rate without the count it is a percentage of, a count and a rate of
the same thing that disagree (two figures for one thing is the worst failure a
report can have), and a part above its whole once rates are turned into counts.
Single-row limits (达标人数 ≤ 测试人数, rates ≤ 100 %) are the template's
``max_field`` / ``max`` and are checked with every other sheet.
"""

from __future__ import annotations

from junheng.core.health import RATE_OF, count_from_rate
from junheng.intake.recorder import IssueRecorder, show
from junheng.intake.sheets import Table

# How far a rate as typed may be from the rate its count gives, in percentage points:
# a rate rounded to whole percent (92 % for 92.4 %) still agrees.
RATE_TOLERANCE = 0.5
# Count field -> the school's students it may not exceed ("compulsory": 小学 + 初中).
_BASES = {"fitness_tested": "compulsory", "screened_primary": "primary_students",
          "screened_junior": "junior_students"}


def check_health(tables: dict[str, Table], recorder: IssueRecorder) -> None:
    health, schools = tables.get("health"), tables.get("schools")
    if health is None or not len(health):
        return
    students: dict[str, dict[str, int]] = {}
    if schools is not None:
        for code, p, j in zip(schools.column("school_code"), schools.column("primary_students"),
                              schools.column("junior_students"), strict=True):
            if code is not None:
                students[code] = {"primary_students": p or 0, "junior_students": j or 0,
                                  "compulsory": (p or 0) + (j or 0)}
    codes = health.column("school_code")
    for key, base in _BASES.items():
        if key not in health.values:
            continue
        letter, header = health.locate(key)
        for i, (code, n) in enumerate(zip(codes, health.values[key], strict=True)):
            have = students.get(code)
            if n is None or have is None or n <= have[base]:
                continue
            recorder.add("health-exceeds-students", sheet=health.sheet, row=health.rows[i], column=letter,
                         header=header, value=n, variant="default" if base == "compulsory" else base,
                         students=have[base])
    for count_key, (rate_key, base_key) in RATE_OF.items():
        if rate_key not in health.values:
            continue
        letter, header = health.locate(rate_key)
        base_header = health.locate(base_key)[1] or base_key
        for i, rate in enumerate(health.values[rate_key]):
            if rate is None:
                continue
            base = health.column(base_key)[i]
            if base is None:
                recorder.add("health-rate-without-base", sheet=health.sheet, row=health.rows[i], column=letter,
                             header=header, value=rate, base=base_header)
                continue
            count = health.column(count_key)[i]
            if count is None or not base:
                continue
            given = 100 * count / base
            if abs(given - rate) > RATE_TOLERANCE + 1e-9:
                recorder.add("health-rate-mismatch", sheet=health.sheet, row=health.rows[i], column=letter,
                             header=header, value=show(rate), count=count,
                             count_header=health.locate(count_key)[1] or count_key, base=base,
                             base_header=base_header, rate=f"{given:.1f}")
    _check_good_within_passed(health, recorder)


def _resolved(health: Table, count_key: str, i: int) -> int | None:
    count = health.column(count_key)[i]
    if count is not None:
        return count
    rate_key, base_key = RATE_OF[count_key]
    return count_from_rate(health.column(base_key)[i], health.column(rate_key)[i])


def _check_good_within_passed(health: Table, recorder: IssueRecorder) -> None:
    """优良 ≤ 达标 when one of them is given as a rate (two counts, or two rates, are the
    template's ``max_field``)."""
    for i in range(len(health)):
        good_count, passed_count = health.column("fitness_good")[i], health.column("fitness_passed")[i]
        if (good_count is None) == (passed_count is None):
            continue  # both counts (max_field) or both rates (max_field) or neither
        good, passed = _resolved(health, "fitness_good", i), _resolved(health, "fitness_passed", i)
        if good is None or passed is None or good <= passed:
            continue
        key = "fitness_good" if good_count is not None else "fitness_good_pct"
        letter, header = health.locate(key)
        recorder.add("health-good-exceeds-passed", sheet=health.sheet, row=health.rows[i], column=letter,
                     header=header, value=show(health.column(key)[i]), good=good, passed=passed)
