"""The workbook template, the data fields standards may read, and the shipped
standards stay in step: every column lands on a field a quantity can name, and every
county fact a standard reads is a row of 县级指标."""

from __future__ import annotations

from importlib import resources

import yaml

from junheng.core.fields import EXTRA_FIELDS, TABLE_RECORDS, table_fields
from junheng.standards import shipped_standards
from junheng.templates.spec import load_template_spec

SPEC = load_template_spec()
RENAMED = {("schools", "school_code"): "code", ("kindergartens", "kindergarten_code"): "code"}


def test_every_template_column_is_a_readable_field():
    for sheet in SPEC.sheets:
        if sheet.key not in TABLE_RECORDS:
            continue
        known = table_fields(sheet.key)
        for f in sheet.fields:
            assert RENAMED.get((sheet.key, f.key), f.key) in known, (sheet.key, f.key)


def test_extra_fields_are_template_columns():
    for table, names in EXTRA_FIELDS.items():
        columns = {f.key for f in SPEC.sheet(table).fields}
        assert names <= columns, names - columns


def _facts_read(node, out):
    if isinstance(node, dict):
        if set(node) == {"fact"}:
            out.add(node["fact"])
        if "quota_facts" in node:
            out.update(node["quota_facts"].values())
        for value in node.values():
            _facts_read(value, out)
    elif isinstance(node, list):
        for value in node:
            _facts_read(value, out)
    return out


def test_every_fact_a_standard_reads_is_in_the_template():
    rows = {f.key for f in SPEC.sheet("facts").fields}
    for name in shipped_standards():
        raw = yaml.safe_load(resources.files("junheng.standards").joinpath(f"{name}.yaml").read_text("utf-8"))
        read = _facts_read(raw, set())
        assert read and read <= rows, (name, read - rows)
