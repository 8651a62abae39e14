"""Which teachers a standard counts: the one place that decides a teacher's scope.

The 2017 standard evaluates 义务教育 (STANDARDS.md §1.1): every teacher-based figure
(R1–R3, G9 training, G11 交流轮岗 and its 骨干 share, G12 certificates) counts the
teachers of 小学 and 初中 only; the 高中 teachers of a 完全中学 or 十二年一贯制学校
are out. The stages are a setting of the standard file (``settings.scope.teacher_stages``);
the engine, the planner, the yearly figures and ``junheng flows`` all ask here, so the
same rotation share appears in every document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from junheng.core.facts import CountyData, Teacher
from junheng.core.standard import ScopeSettings


def scope_from(settings: ScopeSettings | dict[str, Any] | None) -> ScopeSettings:
    """The scope of a standard, from its settings model or their JSON (an evaluation's
    ``settings["scope"]``); the defaults when none is given."""
    if settings is None:
        return ScopeSettings()
    if isinstance(settings, ScopeSettings):
        return settings
    return ScopeSettings.model_validate(settings)


def teacher_in_scope(teacher: Teacher, scope: ScopeSettings) -> bool:
    return teacher.stage in scope.teacher_stages


def teachers_in_scope(teachers: Iterable[Teacher], scope: ScopeSettings) -> list[Teacher]:
    return [t for t in teachers if t.stage in scope.teacher_stages]


def scoped_data(data: CountyData, scope: ScopeSettings) -> CountyData:
    """``data`` with only the teachers the standard counts (a shallow copy; the
    records themselves are shared). The same object when nobody is left out."""
    kept = teachers_in_scope(data.teachers, scope)
    if len(kept) == len(data.teachers):
        return data
    return dataclasses.replace(data, teachers=kept)


def teachers_left_out(data: CountyData, scope: ScopeSettings) -> int:
    return sum(1 for t in data.teachers if t.stage not in scope.teacher_stages)
