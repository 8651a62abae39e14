"""差异系数 (coefficient of variation) across schools — STANDARDS.md §2.1.

Default: student-weighted, population form, county mean = ratio of totals::

    X̄ = Σ P_i·X_i / Σ P_i,   S = sqrt(Σ P_i·(X_i − X̄)² / Σ P_i),   CV = S / X̄

The unweighted variants exist only so a user can reproduce other (wrong) practice and
so tests can tell the methods apart (test vector 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CV:
    cv: float | None  # None when the mean is 0 or there is no school
    mean: float | None
    std: float | None


def coefficient_of_variation(
    values: Sequence[float], students: Sequence[float], method: str = "student_weighted"
) -> CV:
    """CV of per-school values ``X_i`` with enrolments ``P_i`` (P_i > 0)."""
    n = len(values)
    if n == 0 or n != len(students):
        return CV(None, None, None)
    if method == "student_weighted":
        total = math.fsum(students)
        if total <= 0:
            return CV(None, None, None)
        mean = math.fsum(p * x for p, x in zip(students, values, strict=True)) / total
        var = math.fsum(p * (x - mean) ** 2 for p, x in zip(students, values, strict=True)) / total
    elif method in ("unweighted_population", "unweighted_sample"):
        mean = math.fsum(values) / n
        ddof = 1 if method == "unweighted_sample" else 0
        if n - ddof <= 0:
            return CV(0.0 if mean else None, mean, 0.0)
        var = math.fsum((x - mean) ** 2 for x in values) / (n - ddof)
    else:
        raise ValueError(f"unknown CV method {method!r}")
    std = math.sqrt(max(var, 0.0))
    if mean == 0:
        return CV(None, mean, std)
    return CV(std / mean, mean, std)


def composite_mean(cvs: Sequence[float | None]) -> float | None:
    """2012 综合差异系数: the arithmetic mean of the single-indicator CVs."""
    if not cvs or any(c is None for c in cvs):
        return None
    return math.fsum(cvs) / len(cvs)  # type: ignore[arg-type]
