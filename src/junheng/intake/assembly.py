"""Building :class:`CountyData` from sheets that passed validation.

Records are built column-wise too: each dataclass field gets its whole column (enum
codes turned into the core enum members through a small dict, blanks of optional
fields into the dataclass default) and ``map`` calls the constructor once per row.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from functools import cache
from typing import Any

from junheng.core.facts import County, CountyData
from junheng.core.fields import TABLE_RECORDS as RECORDS
from junheng.intake.sheets import KeyValues, Table

CORE_TABLES = ("schools", "teachers", "classes", "rooms")  # attributes of CountyData
# Template field keys that differ from the attribute they fill.
RENAMED: dict[str, dict[str, str]] = {
    "schools": {"school_code": "code"},
    "county": {"county_code": "code", "county_name": "name"},
    "kindergartens": {"kindergarten_code": "code"},
}


@cache
def _enum_types(cls: type) -> dict[str, type[Enum]]:
    out: dict[str, type[Enum]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        # an optional enum column (``TeacherTitle | None``) is converted too
        for t in (hint, *typing.get_args(hint)):
            if isinstance(t, type) and issubclass(t, Enum):
                out[name] = t
                break
    return out


def build_records(table: Table) -> list[Any]:
    cls = RECORDS[table.key]
    renamed = RENAMED.get(table.key, {})
    key_of = {renamed.get(k, k): k for k in table.values}
    enums = _enum_types(cls)
    n = len(table.rows)
    fields = [f for f in dataclasses.fields(cls) if f.name != "extra"]
    # Records are built positionally: ``row`` must come right after the data fields.
    assert fields[-1].name == "row", cls
    columns: list[Any] = []
    for f in fields[:-1]:
        key = key_of.get(f.name)
        default = f.default if f.default is not dataclasses.MISSING else None
        if key is None:
            columns.append([default] * n)
            continue
        column = table.values[key]
        if f.name in enums:
            members = {c: enums[f.name](c) for c in set(column) if c is not None}
            column = list(map(members.get, column))
        if default is not None and None in column:
            column = [default if v is None else v for v in column]
        columns.append(column)
    columns.append(table.rows)  # row
    records = list(map(cls, *columns))
    names = {f.name for f in fields}
    extra = [k for k in table.values if renamed.get(k, k) not in names]
    if extra and hasattr(cls, "extra"):
        for i, record in enumerate(records):
            # a blank optional cell is simply not there (the same as a record built in code)
            record.extra = {k: v for k in extra if (v := table.values[k][i]) is not None}
    return records


def build_county_data(
    tables: dict[str, Table], items: dict[str, KeyValues], source: str | None,
    absent: dict[str, frozenset[str]] | None = None,
) -> CountyData:
    basics = items["county"]
    renamed = RENAMED["county"]
    known = {f.name for f in dataclasses.fields(County)}
    county = County(**{
        renamed.get(k, k): v for k, v in basics.values.items() if renamed.get(k, k) in known
    })
    data = CountyData(county=county, schools=[], source=source,
                      absent_columns={k: v for k, v in (absent or {}).items() if v})
    for key, table in tables.items():
        if key in CORE_TABLES:
            setattr(data, key, build_records(table))
        elif key in RECORDS:  # kindergartens and other typed sheets of CountyData.extra_tables
            data.extra_tables[key] = build_records(table)
        else:  # a table a later template version adds
            data.extra_tables[key] = [dict(zip(table.values, row, strict=True))
                                      for row in zip(*table.values.values(), strict=True)]
        data.columns[key] = {
            field_key: (table.sheet, letter, header)
            for field_key, (letter, header) in table.columns.items()
        }
    facts = items.get("facts")
    if facts is not None:
        data.facts = dict(facts.values)
        data.fact_refs.update(facts.refs)
    data.fact_refs.update(basics.refs)
    return data
