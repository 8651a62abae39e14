"""What changed between two versions (or two years) of a county: school by school,
field by field; county facts key by key; teachers, classes and rooms by count."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from junheng.core.facts import CountyData, School, Teacher

# Fields that only say where a value came from; a change there is not a change of data.
_SCHOOL_IGNORED = {"row"}
_TEACHER_COMPARED = ("school_code", "stage", "degree", "backbone_level", "subject", "certified",
                     "training_hours_5y", "rotation_eligible", "rotated")
COUNTY_FIELDS = ("name", "city", "province", "basic_balance_year")


@dataclass(slots=True)
class FieldChange:
    key: str  # field name (school field, county field or county fact key)
    old: Any
    new: Any


@dataclass(slots=True)
class SchoolChange:
    code: str
    name: str
    kind: str  # added | removed | changed
    fields: list[FieldChange] = field(default_factory=list)
    # table -> (old count, new count), only where the count changed
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(slots=True)
class TeacherChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)


@dataclass(slots=True)
class CountyDiff:
    county: list[FieldChange]
    facts: list[FieldChange]
    schools: list[SchoolChange]
    teachers: TeacherChanges

    @property
    def empty(self) -> bool:
        return not (self.county or self.facts or self.schools or self.teachers.added
                    or self.teachers.removed or self.teachers.changed)


def _school_fields(old: School, new: School) -> list[FieldChange]:
    out = []
    for f in fields(School):
        if f.name in _SCHOOL_IGNORED or f.name == "code":
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        if f.name == "extra":
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    out.append(FieldChange(f"extra.{key}", a.get(key), b.get(key)))
        elif a != b:
            out.append(FieldChange(f.name, a, b))
    return out


def _counts(data: CountyData) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {"teachers": {}, "classes": {}, "rooms": {}}
    for table in out:
        per = out[table]
        for r in data.table(table):
            per[r.school_code] = per.get(r.school_code, 0) + 1
    return out


def _teacher_changes(old: list[Teacher], new: list[Teacher]) -> TeacherChanges:
    a = {t.teacher_id: t for t in old}
    b = {t.teacher_id: t for t in new}
    out = TeacherChanges(
        added=[t for t in b if t not in a],
        removed=[t for t in a if t not in b],
    )
    for tid, t in b.items():
        before = a.get(tid)
        if before is None:
            continue
        diffs = [FieldChange(k, getattr(before, k), getattr(t, k))
                 for k in _TEACHER_COMPARED if getattr(before, k) != getattr(t, k)]
        if diffs:
            out.changed[tid] = diffs
    return out


def diff_county_data(old: CountyData, new: CountyData) -> CountyDiff:
    county = [FieldChange(k, getattr(old.county, k), getattr(new.county, k))
              for k in COUNTY_FIELDS if getattr(old.county, k) != getattr(new.county, k)]
    facts = [FieldChange(k, old.facts.get(k), new.facts.get(k))
             for k in [*old.facts, *(k for k in new.facts if k not in old.facts)]
             if old.facts.get(k) != new.facts.get(k) or (k in old.facts) != (k in new.facts)]
    a, b = old.school_map(), new.school_map()
    ca, cb = _counts(old), _counts(new)
    schools: list[SchoolChange] = []
    for code, s in b.items():
        counts = {t: (ca[t].get(code, 0), cb[t].get(code, 0)) for t in ca
                  if ca[t].get(code, 0) != cb[t].get(code, 0)}
        if code not in a:
            schools.append(SchoolChange(code, s.name, "added", counts=counts))
            continue
        changed = _school_fields(a[code], s)
        if changed or counts:
            schools.append(SchoolChange(code, s.name, "changed", changed, counts))
    for code, s in a.items():
        if code not in b:
            counts = {t: (ca[t].get(code, 0), 0) for t in ca if ca[t].get(code, 0)}
            schools.append(SchoolChange(code, s.name, "removed", counts=counts))
    return CountyDiff(county, facts, schools, _teacher_changes(old.teachers, new.teachers))
